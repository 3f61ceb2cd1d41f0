"""Snapshots at 80x24 of the segments list, a segment's members and the dashboard.

Update after an intended change with `pytest tests/test_snapshots_analytics.py --snapshot-update`
and look at the SVGs in tests/__snapshots__/.
"""

from __future__ import annotations

from typing import Any

from pilot_helpers import settle

from custui.app import make_app
from custui.services.workspace import Workspace


def test_segments_snapshot(workspace: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("ctrl+g")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)


def test_segment_members_snapshot(workspace: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("ctrl+g")
        await settle(pilot)
        table = pilot.app.screen.query_one("#segments-table")
        table.move_cursor(row=table.get_row_index("individual"))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)


def test_dashboard_snapshot(workspace: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("ctrl+b")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)
