"""Preview a message before it goes: who it goes to, the subject and the body as the customer
will read it (shown literally), and for a campaign how many receive it and how many are
skipped and why. Ctrl+S (or Enter) sends, Esc cancels; the caller sends, in a worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from custui.i18n import t
from custui.modals.form_base import MODAL_CSS
from custui.services.messaging import Draft
from custui.widgets.footer import KeysFooter
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain


class MessageModal(LabelledModal[bool]):
    """Dismisses with True to send, False to cancel."""

    DEFAULT_CSS = MODAL_CSS.format(cls="MessageModal") + """
    MessageModal #msg-body { height: auto; max-height: 12; border: round $panel; }
    MessageModal .summary { color: $warning; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s,enter", "send", "msg.send", id="message.send", priority=True),
        Binding("escape", "cancel", "msg.cancel", id="message.cancel"),
    ]

    def __init__(self, title: str, message: Draft, summary: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            if self.summary:
                yield Static(plain(self.summary), classes="summary", id="msg-summary")
            yield Static(plain(t("msg.to", to=self.message.to)), id="msg-to")
            yield Static(plain(t("msg.subject", subject=self.message.subject)), id="msg-subject")
            body = Text("\n").join(plain(line) for line in self.message.body.split("\n"))
            body.no_wrap = False
            with VerticalScroll(id="msg-body"):
                yield Static(body)
            yield Static(plain(t("msg.keys")), classes="keys")
        yield KeysFooter()

    def action_send(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
