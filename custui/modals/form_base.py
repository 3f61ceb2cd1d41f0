"""What the small entry dialogs share: their CSS, radio rows, Enter-saves, cancel, save errors."""

from __future__ import annotations

from collections.abc import Iterator

from textual import events
from textual.widgets import Input, RadioButton, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.domain.survey import choice_index
from custui.i18n import t
from custui.services import interactions
from custui.widgets.labels import LabelledModal
from custui.widgets.read_only import SavingForm
from custui.widgets.safe import plain

MODAL_CSS = """
{cls} {{ align: center middle; }}
{cls} > Vertical {{
    width: 78; max-width: 100%; height: auto; max-height: 100%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{cls} .title {{ text-style: bold; }}
{cls} .label {{ color: $text-muted; margin-top: 1; }}
{cls} OptionList {{ height: auto; max-height: 8; }}
{cls} RadioSet {{ layout: horizontal; height: auto; width: 100%; }}
{cls} .error {{ color: $error; text-style: bold; height: auto; }}
{cls} .keys {{ color: $text-muted; }}
{cls} .-overdue {{ color: $error; text-style: bold; }}
"""


def follow_pressed(event: events.DescendantFocus) -> None:
    """A RadioSet that gets focus highlights its pressed button (Textual starts at the first),
    so arrows move from the current choice."""
    radio = event.widget
    if isinstance(radio, RadioSet) and radio.pressed_index >= 0:
        radio._selected = radio.pressed_index  # no public API for the highlight


def interaction_type_buttons(current: str) -> Iterator[RadioButton]:
    """One button per interaction type, numbered from 1; `current` starts pressed."""
    for index, kind in enumerate(INTERACTION_TYPES, 1):
        yield RadioButton(plain(f"{index} {interactions.type_label(kind)}"),
                          value=kind == current, name=kind)


def press_choice(radio: RadioSet, key: str) -> bool:
    """Press the button that `key` picks (1-9, then a-z); True when one was pressed."""
    buttons = list(radio.query(RadioButton))
    index = choice_index(key, len(buttons))
    if index is None:
        return False
    buttons[index].value = True
    return True


class EntryModal(SavingForm, LabelledModal[bool]):
    """A dialog that saves in a worker: Enter in any field saves, Escape dismisses with False,
    and a refused save shows its message in "#error". Subclasses define `action_save`."""

    saving = False

    def action_save(self) -> None:
        raise NotImplementedError

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        follow_pressed(event)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @property
    def dirty(self) -> bool:
        """Something typed that a cancel (Escape, Ctrl+Q) would lose."""
        return not self.saving and any(box.value.strip() for box in self.query(Input))

    def action_cancel(self) -> None:
        if self.saving:
            return
        from custui.modals.confirm import leave_or_ask

        leave_or_ask(self, t("form.discard_typed"), False)

    def failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#error", Static).update(plain(message))
