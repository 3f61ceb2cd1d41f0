"""Key labels in the interface language chosen at run time, never the one at import.

A binding's description holds its i18n key (`Binding("o", "entry('order')", "profile.new_order")`):
classes (and so their BINDINGS) are built when custui.app is imported, before the CLI's
--lang, settings.yaml's locale or a test's set_locale. The footer, Textual's key panel and
F1 help read the label when they show it: `LabelledScreen` and `LabelledModal` translate
`active_bindings` (what the footer renders), `label` a single binding (help).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen

from custui.i18n import t
from custui.widgets.styled_once import StyledOnce

ResultType = TypeVar("ResultType")


# what Textual labels its own bindings, as i18n keys: the palette key at the footer's right
TEXTUAL_LABELS = {"palette": "app.palette_footer"}


def label(binding: Binding) -> str:
    """The binding's label in the current language ("" for an unlabelled one)."""
    if not binding.description:
        return ""
    return t(TEXTUAL_LABELS.get(binding.description, binding.description))


def labelled(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The active bindings with their labels translated now."""
    return {key: one._replace(binding=replace(one.binding, description=label(one.binding)))
            for key, one in active.items()}


class LabelledScreen(StyledOnce, Screen[ResultType]):
    """A full screen whose footer shows its keys in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return labelled(super().active_bindings)


class LabelledModal(StyledOnce, ModalScreen[ResultType]):
    """A dialog whose footer shows its keys in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return labelled(super().active_bindings)
