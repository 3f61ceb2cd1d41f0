"""A checkbox whose label says its state in words ("Consent to contact: no"): a terminal
without colour (NO_COLOR) or a reader of a screenshot cannot see the box's colour."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Checkbox

from custui.i18n import t
from custui.widgets.safe import plain


def state_label(text: str, on: bool) -> Text:
    """`text: yes` / `text: no` in the interface language, as plain text (never markup)."""
    return plain(f"{text}: {t('customer.yes' if on else 'customer.no')}")


class StateCheckbox(Checkbox):
    """A Checkbox labelled `text: yes|no`, relabelled on every change."""

    def __init__(self, text: str, value: bool = False, **kwargs: Any) -> None:
        self._text = text
        super().__init__(state_label(text, value), value, **kwargs)

    def watch_value(self) -> None:
        self.label = state_label(self._text, self.value)
        super().watch_value()
