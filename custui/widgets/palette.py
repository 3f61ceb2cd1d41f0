"""Palette pieces every layer may use: commands named exactly, and the palette that runs them.

A `NamedCommands` provider lists (title, callback, names); a query that is exactly one of a
command's names (its title, the title without its category, its label in either language,
case and accents ignored) ranks that command first, and Enter in `CustuiPalette` runs it
at once, even while the search has not listed anything yet (keys typed ahead in a burst).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input

from custui.domain.text import fold
from custui.i18n import catalog

# a command whose name is exactly what was typed ranks first (fuzzy scores are not 0-1:
# "khiếu nại" scores 33 against both "đi tới: Khiếu nại" and "…: ghi khiếu nại")
EXACT_SCORE = float(2**40)


def names_of(title: str, *keys: str) -> set[str]:
    """What typed alone names a command: its title, the title without its category
    ("go: Dashboard" -> "dashboard") and its label in either language (`keys`), folded."""
    found = {fold(title), fold(title.partition(": ")[2] or title)}
    for key in keys:
        found.update(fold(text) for text in catalog().get(key, ()) if text)
    found.discard("")
    return found


class NamedCommands(Provider):
    """A provider whose commands can be named exactly: typed alone, the name ranks first,
    and Enter runs it at once even before the search has listed anything (CustuiPalette)."""

    def commands(self) -> list[tuple[str, Callable[[], Any], set[str]]]:
        """(title, callback, names) of this provider's commands."""
        return []

    def exact(self, query: str) -> Callable[[], Any] | None:
        typed = fold(query)
        for _title, callback, names in self.commands():
            if typed in names:
                return callback
        return None

    async def discover(self) -> Hits:
        for title, callback, _names in self.commands():
            yield DiscoveryHit(Content(title), callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        typed = fold(query)
        for title, callback, names in self.commands():
            score = EXACT_SCORE if typed in names else matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(title)), callback, text=title)


class CustuiPalette(CommandPalette):
    """Ctrl+P: Enter on a query that names a command exactly ("dashboard", "hôm nay") runs
    it at once, whatever the (maybe unfinished) search lists; anything else as Textual does."""

    _picked_for: str | None = None  # the query a row was picked for with the arrow keys

    def _action_cursor_down(self) -> None:
        self._picked_for = self.query_one(CommandInput).value
        super()._action_cursor_down()

    def _action_command_list(self, action: str) -> None:  # up, page up/down, first, last
        if action != "select":
            self._picked_for = self.query_one(CommandInput).value
        super()._action_command_list(action)

    @on(Input.Submitted)
    def _run_named(self, event: Input.Submitted) -> None:
        if self._picked_for == event.value:
            return  # a row picked with the arrows for this query: Enter runs that row
        for provider in self._providers:
            callback = provider.exact(event.value) if isinstance(provider, NamedCommands) else None
            if callback is not None:
                event.stop()
                event.prevent_default()
                self._cancel_gather_commands()
                self.app.post_message(CommandPalette.Closed(option_selected=True))
                self.dismiss()
                self.app.call_later(callback)
                return
