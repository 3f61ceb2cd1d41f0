"""RecordsScreen's shared plumbing: a row chosen in a screen's table runs the screen's ROW_ACTION."""

from __future__ import annotations

from pilot_helpers import settle, wait_until
from textual.widgets import DataTable

from custui.app import make_app
from custui.modals.complaint import ComplaintStatusModal
from custui.screens.profile import ProfileScreen
from custui.screens.segment_members import SegmentMembersScreen
from custui.services.complaints import open_complaint
from custui.services.workspace import Workspace


async def choose_row(pilot, table_id: str) -> None:  # type: ignore[no-untyped-def]
    """A row chosen as a click on the highlighted row chooses it (DataTable.RowSelected)."""
    table = pilot.app.screen.query_one(table_id, DataTable)
    assert await wait_until(pilot, lambda: table.row_count > 0)
    table.action_select_cursor()
    await settle(pilot)


async def test_a_row_chosen_in_today_complaints_and_segments_runs_the_screens_action(
        workspace: Workspace) -> None:
    open_complaint(workspace, 1, "product_quality", "low", "scratched")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await choose_row(pilot, "#care-table")
        assert isinstance(app.screen, ProfileScreen | ComplaintStatusModal)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await choose_row(pilot, "#complaints-table")
        assert isinstance(app.screen, ComplaintStatusModal)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        table = app.screen.query_one("#segments-table", DataTable)
        assert await wait_until(pilot, lambda: table.row_count > 0)
        table.move_cursor(row=table.get_row_index("individual"))
        await choose_row(pilot, "#segments-table")
        assert isinstance(app.screen, SegmentMembersScreen)
        await choose_row(pilot, "#members")
        assert isinstance(app.screen, ProfileScreen)
