"""Snapshots at 80x24: the Today queue, a survey question, and the complaint dialog."""

from __future__ import annotations

from pilot_helpers import settle

from custui.app import make_app
from custui.modals.complaint import ComplaintModal
from custui.screens.survey import SurveyScreen
from custui.services.complaints import open_complaint
from custui.services.workspace import Workspace


def test_today_queue(snap_compare, workspace: Workspace) -> None:
    open_complaint(workspace, 4, "transaction", "high", "[b]lost[/] parcel")
    workspace.store.update("complaints", 1, {"due_at": "2026-11-28T09:00:00"})

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)


def test_survey_nps_question(snap_compare, workspace: Workspace) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(SurveyScreen(workspace, 1))
        await settle(pilot)
        await pilot.press("enter", "5", "4", "3", "2", "enter", "1")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)


def test_complaint_dialog(snap_compare, workspace: Workspace) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(ComplaintModal(workspace, 4))
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)
