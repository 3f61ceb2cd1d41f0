"""A yes/no question. The message is shown literally (it may hold customer names)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from custui.i18n import t
from custui.keymap import key
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain


def leave_or_ask(screen: Screen[Any], message: str, result: object = None) -> None:
    """Dismiss `screen` with `result`; when it holds unsaved changes (`dirty`), ask first."""
    if not getattr(screen, "dirty", False):
        screen.dismiss(result)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            screen.dismiss(result)

    screen.app.push_screen(ConfirmModal(message), answered)


class ConfirmModal(LabelledModal[bool]):
    """Dismisses with True (yes) or False (no, Esc)."""

    BINDINGS = [
        Binding(key("confirm.yes"), "answer(True)", "confirm.yes", id="confirm.yes"),
        Binding(key("confirm.no"), "answer(False)", "confirm.no", id="confirm.no"),
    ]

    def __init__(self, message: str, title: str | None = None, yes: str | None = None,
                 no: str | None = None, default_yes: bool = False) -> None:
        """`default_yes`: Enter answers yes (the focused button); else Enter answers no."""
        super().__init__()
        self.default_yes = default_yes
        self.message = message
        self.title_text = title or t("confirm.title")
        self.yes_label = yes or t("confirm.yes")
        self.no_label = no or t("confirm.no")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(plain(self.title_text, style="bold"), classes="dialog-title")
            text = plain(self.message)
            text.no_wrap = False
            yield Static(text, id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(plain(f"{self.yes_label} (y)"), id="yes", variant="primary")
                yield Button(plain(f"{self.no_label} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
