"""With NO_COLOR the terminal shows no colour: the row under the cursor and the focused
button must still stand out (reverse video), not be a grey bar like the bold table header."""

from __future__ import annotations

import pytest
from pilot_helpers import burst, open_profile, settle
from textual.widgets import Button, DataTable

from custui.app import make_app
from custui.modals.confirm import ConfirmModal
from custui.services.workspace import Workspace


@pytest.mark.parametrize("no_color", [True, False])
async def test_the_cursor_row_is_reversed_without_colour(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cursor = table.get_component_rich_style("datatable--cursor")
        header = table.get_component_rich_style("datatable--header")
        assert bool(cursor.reverse) is no_color
        assert cursor != header


async def test_the_focused_button_is_reversed_without_colour(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await burst(pilot, "o", *"999999999999", "ctrl+s")  # an unusual amount: a question
        assert isinstance(app.screen, ConfirmModal)
        focused = app.focused
        assert isinstance(focused, Button)
        assert focused.rich_style.reverse
