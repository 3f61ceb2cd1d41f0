"""Showing user text safely: never parsed as markup, control characters made visible."""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import Input

from custui.domain.text import strip_control


def plain(value: object, style: str = "") -> Text:
    """A Rich Text of `value` that is shown literally (no markup, no escape codes)."""
    return Text(strip_control("" if value is None else str(value)), style=style, no_wrap=True)


def plain_fit(value: object, width: int, style: str = "") -> Text:
    """`plain(value)` cut to `width` cells, ending in "…" when cut (so a cut reads as one)."""
    text = plain(value, style=style)
    if text.cell_len > width:
        text.truncate(max(1, width), overflow="ellipsis")
    return text


def safe_str(value: object) -> str:
    """`value` as a str with control characters replaced (for Content / notify templates)."""
    return strip_control("" if value is None else str(value))


class ControlSafe(Highlighter):
    """Shows control characters as U+FFFD, one character for one, so cursor positions hold.

    Textual's Input renders its value as is: a stored name holding an escape code would
    reach the terminal (retitle it, bleed colours) when loaded into a form.
    """

    def highlight(self, text: Text) -> None:
        shown = strip_control(text.plain)
        if shown != text.plain:
            text.plain = shown


class SafeInput(Input):
    """An Input that never writes control characters to the terminal (the value is kept)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlSafe())
        super().__init__(*args, **kwargs)
