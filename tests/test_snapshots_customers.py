"""Snapshots (pytest-textual-snapshot) of the lookup, profile and customer form at 80x24."""

from __future__ import annotations

from typing import Any

from pilot_helpers import settle
from textual.pilot import Pilot

from custui.app import make_app
from custui.services.workspace import Workspace

SIZE = (80, 24)


def test_lookup_snapshot(snap_compare: Any, workspace: Workspace) -> None:
    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        await settle(pilot)
        await pilot.press(*"nguyen")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_lookup_recent_snapshot(snap_compare: Any, workspace: Workspace) -> None:
    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=settle)


def test_profile_snapshot(snap_compare: Any, workspace: Workspace) -> None:
    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        await settle(pilot)
        pilot.app.open_customer(4)  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_form_snapshot(snap_compare: Any, workspace: Workspace) -> None:
    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        await settle(pilot)
        pilot.app.open_customer(4)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#f-email").value = "not-an-email"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)
