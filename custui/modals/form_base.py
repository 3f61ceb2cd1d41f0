"""What the small entry dialogs share: their CSS, title, numbered radio rows, Enter-saves,
cancel, and saving through the one save runner (widgets.save_runner)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input, RadioButton, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.domain.survey import choice_index
from custui.i18n import t
from custui.keymap import key
from custui.services import interactions
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain
from custui.widgets.save_runner import SaveRunner

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


def save_cancel(name: str, save: str, cancel: str) -> list[BindingType]:
    """A form's two keys: `name.save` (Ctrl+S, even from a field) and `name.cancel` (Esc), as
    the keymap sets them; `save`, `cancel`: their labels' string keys (shown in the language
    of the moment, see widgets.labels)."""
    return [
        Binding(key(f"{name}.save"), "save", save, id=f"{name}.save", priority=True),
        Binding(key(f"{name}.cancel"), "cancel", cancel, id=f"{name}.cancel"),
    ]


def titled(heading: str, name: object) -> Static:
    """A dialog's first line: what it does · for whom (the name is data, never markup)."""
    title = Text(heading + " · ", style="bold")
    title.append_text(plain(name))
    return Static(title, classes="title")


def numbered_buttons(choices: Iterable[tuple[str, str]], current: str) -> Iterator[RadioButton]:
    """A row of buttons for (name, label) choices, numbered from 1 (a digit picks one, see
    press_choice); the one named `current` starts pressed."""
    for index, (name, label) in enumerate(choices, 1):
        yield RadioButton(plain(f"{index} {label}"), value=name == current, name=name)


def interaction_type_buttons(current: str) -> Iterator[RadioButton]:
    """One button per interaction type, numbered from 1; `current` starts pressed."""
    return numbered_buttons(((kind, interactions.type_label(kind)) for kind in INTERACTION_TYPES), current)


def press_choice(radio: RadioSet, key: str) -> bool:
    """Press the button that `key` picks (1-9, then a-z); True when one was pressed."""
    buttons = list(radio.query(RadioButton))
    index = choice_index(key, len(buttons))
    if index is None:
        return False
    buttons[index].value = True
    return True


class EntryModal(SaveRunner, LabelledModal[Any]):
    """A dialog that saves through the save runner: Enter in any field saves, Escape dismisses
    with `CANCELLED` (asking first when something is typed), and a refused save shows its
    message in `SAVE_MESSAGE` with the form as typed. Subclasses define `action_save`: gather
    the fields, `self.run_save(the one service call, done)`."""

    CANCELLED: Any = False

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

        leave_or_ask(self, t("form.discard_typed"), self.CANCELLED)

    def close_saved(self, message: str, result: Any = True) -> None:
        """Saved: say `message` and close with `result`."""
        self.app.notify(message, markup=False)
        self.dismiss(result)
