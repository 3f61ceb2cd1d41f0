"""Complaints through the service and the modals: open, move along, goodwill, filters."""

from __future__ import annotations

from datetime import datetime

import pytest
from pilot_helpers import screen_text, settle
from textual.widgets import Checkbox, DataTable

from custui.app import make_app
from custui.errors import BadInput
from custui.modals.complaint import ComplaintModal, ComplaintStatusModal
from custui.services import complaints as service
from custui.services.interactions import goodwill_points
from custui.services.workspace import Workspace


def test_open_then_resolve_with_goodwill_points_and_voucher(workspace: Workspace) -> None:
    doc = service.open_complaint(workspace, 1, "transaction", "high", "Parcel lost", order_id=1)
    assert doc["due_at"] == "2026-11-28T12:00:00"  # 2 h override for transaction/high
    service.change_status(workspace, doc["id"], "in_progress", "calling the courier")
    done = service.change_status(workspace, doc["id"], "resolved", "resent", grant_points=True, grant_voucher=True)
    assert [h["status"] for h in done["history"]] == ["open", "in_progress", "resolved"]
    assert done["history"][-1]["who"] == "tester"
    [voucher] = workspace.store.children("vouchers", 1)
    assert voucher["rule"] == "goodwill" and voucher["amount"] == 50_000
    assert voucher["issued_at"] == "2026-11-28" and voucher["expires_at"] == "2027-01-26"
    gifts = [i for i in workspace.store.children("interactions", 1) if i["type"] == "gift"]
    assert len(gifts) == 1 and gifts[0]["points"] == 100 and gifts[0]["voucher_id"] == voucher["id"]
    assert goodwill_points(gifts) == [(datetime(2026, 11, 28).date(), 100)]
    assert done["goodwill_points"] == 100 and done["goodwill_voucher_id"] == voucher["id"]
    # reopened and resolved again: no second goodwill
    service.change_status(workspace, doc["id"], "open", "customer called back")
    again = service.change_status(workspace, doc["id"], "resolved", "fixed", grant_points=True, grant_voucher=True)
    assert again["goodwill_points"] == 100
    assert len(workspace.store.children("vouchers", 1)) == 1


def test_bad_input_is_refused(workspace: Workspace) -> None:
    with pytest.raises(BadInput):
        service.open_complaint(workspace, 1, "transaction", "high", "  ")
    with pytest.raises(BadInput):
        service.open_complaint(workspace, 1, "transaction", "high", "x", order_id=3)  # not theirs
    doc = service.open_complaint(workspace, 1, "transaction", "low", "x")
    with pytest.raises(BadInput):
        service.change_status(workspace, doc["id"], "closed", "")


def test_filters_by_status_category_and_overdue(workspace: Workspace) -> None:
    late = service.open_complaint(workspace, 1, "transaction", "high", "late one")
    workspace.store.update("complaints", late["id"], {"due_at": "2026-11-28T09:00:00"})
    fresh = service.open_complaint(workspace, 2, "staff_attitude", "low", "rude")
    done = service.open_complaint(workspace, 4, "staff_attitude", "low", "slow")
    service.change_status(workspace, done["id"], "resolved", "ok")

    def ids(**where) -> list[int]:
        return [d["id"] for d in service.list_complaints(workspace, service.ComplaintFilter(**where))]

    assert ids(status="active") == [late["id"], fresh["id"]]
    assert ids(status="resolved") == [done["id"]]
    assert ids(category="staff_attitude") == [fresh["id"], done["id"]]
    assert ids(overdue=True) == [late["id"]]
    stored = workspace.store.get("complaints", late["id"])
    assert service.due_text(stored, workspace.clock()) == "! OVERDUE 1 h"


async def test_complaint_typed_in_the_modal_then_resolved_from_the_complaints_screen(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)
    results: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ComplaintModal(workspace, 1), results.append)
        await pilot.pause()
        # category 4 (transaction) moves on to severity; Tab to the description; type; Enter saves
        await pilot.press("4", "tab", *"Late", "enter")
        await settle(pilot)
        assert results == [True]
        [doc] = workspace.store.all("complaints")
        assert (doc["category"], doc["severity"], doc["description"]) == ("transaction", "medium", "Late")
        await pilot.press("ctrl+o")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # status modal, "in progress" preselected
        await pilot.pause()
        assert isinstance(app.screen, ComplaintStatusModal)
        await pilot.press(*"called", "enter")
        await settle(pilot)
        assert workspace.store.get("complaints", doc["id"])["status"] == "in_progress"
        await pilot.press("enter")  # now "resolved" is the next step
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ComplaintStatusModal)
        assert all(box.display for box in modal.query(Checkbox))
        modal.query_one("#grant-points", Checkbox).value = True
        await pilot.press(*"refund", "enter")
        await settle(pilot)
    final = workspace.store.get("complaints", doc["id"])
    assert final["status"] == "resolved" and final["resolution"] == "refund"
    assert final["goodwill_points"] == 100 and not final.get("goodwill_voucher_id")


async def test_a_six_digit_complaint_number_is_shown_whole_at_80_columns(workspace: Workspace) -> None:
    """At a chain's scale complaint numbers pass 99,999: staff read them out, so none is cut."""
    doc = service.open_complaint(workspace, 1, "transaction", "high", "Parcel lost")
    workspace.store.put_many("complaints", [{**doc, "id": 123456}])
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        numbers = [str(table.get_row_at(row)[0]).strip(" !") for row in range(table.row_count)]
        assert sorted(numbers) == sorted([str(doc["id"]), "123456"])
        assert "!123456 " in screen_text(app) or " 123456 " in screen_text(app)
