"""Pilot tests of the profile: header, tabs, archive/restore, merge, entry screens, hostile text."""

from __future__ import annotations

from pilot_helpers import open_profile, screen_text, settle

from custui.app import make_app
from custui.modals.confirm import ConfirmModal
from custui.modals.pick_customer import PickCustomerModal
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


async def test_profile_header_and_orders(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        text = screen_text(app)
        assert "Nguyễn Thị Ánh" in text and "C000001" in text
        assert "Points 155" in text  # 1,550,000 ₫ at 1 point per 10,000 ₫
        assert "Stage Current" in text and "Last order 2026-11-20" in text
        assert "Orders (2)" in text and "₫1,250,000" in text


async def test_hostile_name_shows_literally_in_lookup_profile_and_details(workspace: Workspace) -> None:
    workspace.store.update("customers", 4, {"address": "[link=http://x]y", "needs": "\x1b[31mred"})
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "[b]Eve[/]" in screen_text(app)
        await open_profile(pilot, 4)
        assert "[b]Eve[/]" in screen_text(app)
        await pilot.press("5")
        await settle(pilot)
        assert "Address: [link=http://x]y" in screen_text(app)
        details = str(app.screen.query_one("#details").render())
        assert "Needs: \ufffd[31mred" in details  # the escape code is shown, not obeyed


async def test_long_and_rtl_names_do_not_break_the_screen(workspace: Workspace) -> None:
    long_name = "Nguyễn " * 43  # ~300 characters
    workspace.store.update("customers", 1, {"name": long_name})
    workspace.store.update("customers", 2, {"name": "مرحبا بالعالم"})
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "…" in screen_text(app)
        await open_profile(pilot, 2)
        assert "مرحبا" in screen_text(app)


async def test_archive_asks_then_archives_and_restores(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 4)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "[b]Eve[/]" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert workspace.store.get("customers", 4)["archived"] is True  # type: ignore[index]
        assert "ARCHIVED" in screen_text(app)
        await pilot.press("x", "y")
        await settle(pilot)
        assert workspace.store.get("customers", 4)["archived"] is False  # type: ignore[index]


async def test_archive_cancelled_changes_nothing(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        revision = workspace.store.revision
        await pilot.press("x", "n")
        await settle(pilot)
        assert workspace.store.revision == revision
        assert isinstance(app.screen, ProfileScreen)


async def test_merge_picks_other_customer_and_moves_records(workspace: Workspace) -> None:
    store: MemoryStore = workspace.store  # type: ignore[assignment]
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 3)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PickCustomerModal)
        await pilot.press(*"khoi", "enter")  # to the results list
        await settle(pilot)
        await pilot.press("enter")  # pick Trần Minh Khôi
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert len(store.children("orders", 3)) == 1
        assert store.get("customers", 5)["merged_into"] == 3  # type: ignore[index]
        assert "Orders (1)" in screen_text(app)


async def test_tab_keys_switch_tabs_and_details_show_audit(workspace: Workspace) -> None:
    from custui.services.customers import update_customer

    update_customer(workspace, 1, {"email": "new@example.vn"})
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("5")
        await settle(pilot)
        details = app.screen.query_one("#details")
        text = str(details.render())
        assert "Audit trail" in text and "anh.nguyen@example.vn → new@example.vn" in text


async def test_entry_keys_open_entry_screen_or_say_not_available(workspace: Workspace) -> None:
    import importlib.util

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("i")
        await settle(pilot)
        if importlib.util.find_spec("custui.modals.interaction") is None:
            assert isinstance(app.screen, ProfileScreen)
            assert any("not available" in str(n.message) for n in app._notifications)
        else:
            assert type(app.screen).__name__ == "InteractionModal"
