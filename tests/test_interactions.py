"""Interactions: the service checks, and the modal typed through Pilot."""

from __future__ import annotations

import pytest
from pilot_helpers import settle

from custui.app import make_app
from custui.errors import BadInput
from custui.modals.interaction import InteractionModal
from custui.services.interactions import interactions_for, log_interaction, parse_day
from custui.services.workspace import Workspace


def test_log_checks_type_summary_and_date(workspace: Workspace) -> None:
    doc = log_interaction(workspace, 1, "sms", " sent promo ", follow_up_due="2026-12-01")
    assert (doc["type"], doc["summary"], doc["at"]) == ("sms", "sent promo", "2026-11-28T10:00:00")
    with pytest.raises(BadInput):
        log_interaction(workspace, 1, "fax", "x")
    with pytest.raises(BadInput):
        log_interaction(workspace, 1, "call", "  ")
    assert parse_day("+3", workspace.today()) == "2026-12-01"
    assert parse_day("") is None
    # as every date box reads it: ISO, dd/mm/yyyy, dd/mm (this year)
    assert parse_day("30/12/2026", workspace.today()) == parse_day("30/12", workspace.today()) == "2026-12-30"
    with pytest.raises(BadInput):
        parse_day("tomorrow")


async def test_modal_logs_a_meeting_with_a_follow_up(workspace: Workspace) -> None:
    app = make_app(workspace)
    results: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(InteractionModal(workspace, 2), results.append)
        await pilot.pause()
        await pilot.press("shift+tab", "4")  # type row: 4 = meeting, focus moves to the summary
        await pilot.press(*"demo", "tab", *"liked it", "tab", "plus", "7", "enter")
        await settle(pilot)
    assert results == [True]
    [doc] = interactions_for(workspace, 2)
    assert (doc["type"], doc["summary"], doc["outcome"], doc["follow_up_due"]) == (
        "meeting", "demo", "liked it", "2026-12-05")


async def test_modal_bad_date_keeps_it_open_with_a_message(workspace: Workspace) -> None:
    app = make_app(workspace)
    results: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(InteractionModal(workspace, 2), results.append)
        await pilot.pause()
        await pilot.press(*"call", "tab", "tab", *"soon", "enter")
        await settle(pilot)
        assert "not a date" in str(app.screen.query_one("#error").render())
    assert results == [] and workspace.store.all("interactions") == []
