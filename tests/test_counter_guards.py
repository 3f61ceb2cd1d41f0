"""Nothing lost or hidden at the counter: read-only sessions refuse saves at once and say so
before anyone types; Ctrl+Q with a changed form asks first; Ctrl+S saves every form."""

from __future__ import annotations

import pytest
from pilot_helpers import burst, open_profile, screen_text, settle

from custui.app import make_app
from custui.modals.confirm import ConfirmModal
from custui.modals.purchase import PurchaseModal
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

READ_ONLY_FORM = "Read-only session: this form cannot be saved."
REFUSED = "Read-only session: nothing was saved"


@pytest.mark.parametrize("keys", [["o"], ["c"], ["i"], ["e"], ["f"]])
async def test_read_only_forms_say_so_when_they_open_and_refuse_ctrl_s_at_once(
    workspace: Workspace, store: MemoryStore, keys: list[str],
) -> None:
    store.read_only = True
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        await burst(pilot, *keys)
        form = app.screen
        assert form is not profile
        assert READ_ONLY_FORM in screen_text(app)  # before anyone types
        before = {name: len(store.all(name)) for name in ("orders", "complaints", "interactions",
                                                           "feedback", "customers")}
        await burst(pilot, *"1250000", "ctrl+s")
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith(REFUSED) for m in messages), messages
        assert app.screen is form  # still open, as typed: nothing lost
        assert "Saving" not in screen_text(app)
        after = {name: len(store.all(name)) for name in before}
        assert after == before


async def test_read_only_purchase_is_refused_not_saving_for_ever(
    workspace: Workspace, store: MemoryStore,
) -> None:
    store.read_only = True
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await burst(pilot, "o", *"450000", "ctrl+s")
        assert isinstance(app.screen, PurchaseModal)
        assert not app.screen.saving
        await burst(pilot, "escape", "y")  # typed something: asks; yes leaves
        assert isinstance(app.screen, ProfileScreen)


async def test_ctrl_q_with_a_changed_form_asks_first(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await burst(pilot, "o", *"450000", "ctrl+q")
        assert isinstance(app.screen, ConfirmModal)
        assert app.is_running
        await burst(pilot, "n")
        assert isinstance(app.screen, PurchaseModal)
        assert app.screen.query_one("#f-total").value == "450000"  # type: ignore[attr-defined]
        await burst(pilot, "ctrl+q", "y")
        await settle(pilot)
        assert not app.is_running or app._exit_renderables is not None


async def test_d_and_enter_on_a_complaint_row_in_today_open_that_complaint(
    workspace: Workspace, store: MemoryStore,
) -> None:
    from textual.widgets import DataTable

    from custui.modals.complaint import ComplaintStatusModal
    from custui.screens.care import CareScreen
    from custui.services import complaints

    care = workspace.config.care
    doc = complaints.open_complaint(workspace, 1, care.complaint_categories[0].id,
                                    care.severities[-1].id, "cold coffee", None)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+t")
        today = app.screen
        assert isinstance(today, CareScreen)
        key = next(k for k, item in today.items.items() if item.kind == "complaint"
                   and item.ref_id == doc["id"])
        table = today.query_one("#care-table", DataTable)
        table.move_cursor(row=table.get_row_index(key))
        await burst(pilot, "d")
        assert isinstance(app.screen, ComplaintStatusModal) and app.screen.complaint_id == doc["id"]
        await burst(pilot, "escape")
        assert app.screen is today and key in today.items  # still in Today: still open
        assert store.get("complaints", doc["id"])["status"] == "open"  # type: ignore[index]
        table.move_cursor(row=table.get_row_index(key))
        await burst(pilot, "enter")
        assert isinstance(app.screen, ComplaintStatusModal) and app.screen.complaint_id == doc["id"]
