"""Showing user text safely: never parsed as markup, control characters made visible."""

from __future__ import annotations

from rich.text import Text

from custui.domain.text import strip_control


def plain(value: object, style: str = "") -> Text:
    """A Rich Text of `value` that is shown literally (no markup, no escape codes)."""
    return Text(strip_control("" if value is None else str(value)), style=style, no_wrap=True)


def safe_str(value: object) -> str:
    """`value` as a str with control characters replaced (for Content / notify templates)."""
    return strip_control("" if value is None else str(value))
