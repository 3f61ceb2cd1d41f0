"""Manager actions in the app: refused for a clerk (with the reason), a PIN asked of a
manager on the file store. `guarded` is what a screen's action calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from custui.i18n import t
from custui.modals.form_base import MODAL_CSS
from custui.services.roles import pin_needed, pin_refusal, refusal
from custui.services.workspace import Workspace
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain


class PinModal(LabelledModal[bool]):
    """The manager's PIN (hidden); dismisses True when right, False on Esc. A wrong PIN is
    said in place and logged."""

    DEFAULT_CSS = MODAL_CSS.format(cls="PinModal")
    BINDINGS = [Binding("escape", "cancel", "complaint.cancel", id="pin.cancel")]

    def __init__(self, workspace: Workspace, action: str, label: str) -> None:
        super().__init__()
        self.workspace = workspace
        self.action_id = action
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("roles.pin.title", action=self.label)), classes="title")
            yield Input(password=True, id="pin", compact=True)
            yield Static(id="error", classes="error")
            yield Static(plain(t("roles.pin.keys")), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def pin_given(self, event: Input.Submitted) -> None:
        event.stop()
        message = pin_refusal(self.workspace, self.action_id, event.value)
        if message is None:
            self.dismiss(True)
            return
        event.input.value = ""
        self.query_one("#error", Static).update(plain(message))

    def action_cancel(self) -> None:
        self.dismiss(False)


def guarded(screen: Screen[Any], workspace: Workspace, action: str, label: str,
            then: Callable[[], object]) -> None:
    """Run `then` if the operator may do `action`: a clerk gets the reason ("Voiding an order
    needs a manager."), logged; a manager on the file store is asked for the PIN first.
    The binding stays visible for everyone, so the refusal says why."""
    message = refusal(workspace, action)
    if message is not None:
        screen.notify(message, severity="error", markup=False)
        return
    if pin_needed(workspace, action):
        def answered(ok: bool | None) -> None:
            if ok:
                then()

        screen.app.push_screen(PinModal(workspace, action, label), answered)
        return
    then()
