"""Which message to send: one of messages.yaml's purposes (digits 1-6 or arrows and Enter)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from custui.config.messages import PURPOSES
from custui.i18n import t
from custui.modals.form_base import MODAL_CSS
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain


class PickPurposeModal(LabelledModal[str | None]):
    DEFAULT_CSS = MODAL_CSS.format(cls="PickPurposeModal")
    BINDINGS = [Binding("escape", "cancel", "msg.cancel", id="message.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("msg.pick")), classes="title")
            yield OptionList(*(Option(plain(f"{n} {t(f'msg.purpose.{p}')}"), id=p)
                               for n, p in enumerate(PURPOSES, 1)), id="purposes")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key and key.isdigit() and 1 <= int(key) <= len(PURPOSES):
            event.stop()
            self.dismiss(PURPOSES[int(key) - 1])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
