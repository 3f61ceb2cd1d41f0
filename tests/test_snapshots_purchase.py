"""Snapshot (pytest-textual-snapshot) of the purchase form at 80x24, preview filled in."""

from __future__ import annotations

from typing import Any

from pilot_helpers import settle
from textual.pilot import Pilot

from custui.app import make_app
from custui.services.workspace import Workspace

SIZE = (80, 24)


def test_purchase_modal_snapshot(snap_compare: Any, workspace: Workspace) -> None:
    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        await settle(pilot)
        pilot.app.open_customer(2)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"1,25tr")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)
