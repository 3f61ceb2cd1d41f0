"""Staff roles in the app: a clerk's void, export and forget are refused with the reason
(and logged); a manager on the file store gives the PIN; goodwill and loyalty fields
are refused to a clerk by the services themselves."""

from __future__ import annotations

import pytest

from custui.app import make_app
from custui.domain.pins import hash_pin
from custui.modals.pin import PinModal
from custui.services.access_log import read_log
from custui.services.complaints import change_status, open_complaint
from custui.services.customers import update_customer
from custui.services.roles import Refused
from custui.services.workspace import Workspace
from tests.pilot_helpers import open_profile, settle


async def test_a_clerk_cannot_void_export_or_forget_in_the_app(workspace: Workspace) -> None:
    workspace.role, workspace.operator = "clerk", "binh"
    app = make_app(workspace)
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: shown.append(str(message))  # type: ignore[method-assign]
        profile = await open_profile(pilot, 1)
        profile.notify = app.notify  # type: ignore[method-assign]
        for key in ("v", "d", "ctrl+d", "m"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is profile, key  # no dialog opened
    assert shown == ["Voiding an order needs a manager.", "Exporting customer data needs a manager.",
                     "Forgetting a customer needs a manager.", "Merging customers needs a manager."]
    assert [o.get("void") for o in workspace.store.children("orders", 1)] == [None, None]
    assert workspace.store.get("customers", 1)["name"] == "Nguyễn Thị Ánh"  # type: ignore[index]
    assert [(e["who"], e["action"], e["what"]) for e in read_log(workspace.store)] == [
        ("binh", "refused", "void_order"), ("binh", "refused", "export"),
        ("binh", "refused", "forget"), ("binh", "refused", "merge")]


async def test_a_manager_on_the_file_store_gives_the_pin_first(workspace: Workspace) -> None:
    workspace.role, workspace.operator, workspace.pin_hash = "manager", "lan", hash_pin("2468")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, PinModal)
        await pilot.press(*"1111", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PinModal)  # wrong PIN: asked again, said in place
        await pilot.press(*"2468", "enter")
        await settle(pilot)
        assert "cannot be undone" in getattr(app.screen, "message", "")  # on to the two questions
    assert [e["target"] for e in read_log(workspace.store)] == ["wrong PIN"]


def test_goodwill_and_loyalty_fields_need_a_manager(workspace: Workspace) -> None:
    workspace.role = "clerk"
    complaint = open_complaint(workspace, 1, "staff_attitude", "high", "rude")
    with pytest.raises(Refused, match="Granting goodwill points or vouchers needs a manager."):
        change_status(workspace, int(complaint["id"]), "resolved", "sorry", grant_points=True)
    change_status(workspace, int(complaint["id"]), "resolved", "sorry")  # resolving itself is fine
    with pytest.raises(Refused, match="stage override"):
        update_customer(workspace, 1, {"status_override": "loyal"})
    update_customer(workspace, 1, {"address": "1 Lê Lợi"})
