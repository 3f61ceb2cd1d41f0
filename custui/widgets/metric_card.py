"""A small card: a figure's name, its value for the period, and the change from the one before.

The change is written with an arrow and a sign (▲ +12.0%), so it reads the same
without colour; colour only underlines whether the change is good or bad.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.widgets import Static

from custui.domain.metrics import FLAT
from custui.services.period_text import change_text as change_words_text
from custui.widgets.safe import plain

ChangeKind = Literal["relative", "points", "difference"]


def change_text(change: float | None, higher_is_better: bool = True,
                kind: ChangeKind = "relative") -> Text:
    """domain.metrics.change_words, green when the change is good and red when bad."""
    words = change_words_text(change, kind)
    if change is None or words.startswith(FLAT):
        return Text(words, style="dim")
    good = (change > 0) == higher_is_better
    return Text(words, style="green" if good else "red")


class MetricCard(Static):
    """Label (in the border), value, change, and the previous period's value."""

    DEFAULT_CSS = """
    MetricCard {
        height: 5;
        padding: 0 1;
        border: round $primary 40%;
    }
    MetricCard.-loading { color: $text-muted; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(plain("…"), id=id, classes="-loading")
        self.label = label
        self.border_title = label

    def show(self, value: str, change: Text, previous: str = "") -> None:
        """Put the period's value, the change and the previous value on the card."""
        self.remove_class("-loading")
        text = plain(value, style="bold")
        text.append("\n")
        text.append_text(change)
        text.append("\n")
        text.append_text(plain(previous, style="dim"))
        self.update(text)
