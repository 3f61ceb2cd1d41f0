"""ConsentModal: record or withdraw a customer's consent for one purpose, with the channel."""

from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from custui.domain.consent import CONSENT_CHANNELS, CONSENT_PURPOSES, consent_given
from custui.errors import CustuiError
from custui.i18n import t
from custui.modals.form_base import MODAL_CSS, EntryModal, press_choice
from custui.services.consent import record_consent
from custui.services.workspace import Workspace
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain


class ConsentModal(EntryModal):
    """Purpose (1-3), answer (1 gives, 2 withdraws), channel (1-7), note; ctrl+s saves."""

    DEFAULT_CSS = MODAL_CSS.format(cls="ConsentModal")
    BINDINGS = [
        Binding("ctrl+s", "save", "consent.save", id="consent.save", priority=True),
        Binding("escape", "cancel", "complaint.cancel", id="consent.cancel"),
    ]

    def __init__(self, workspace: Workspace, customer_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer = workspace.store.get("customers", customer_id) or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            title = plain(t("consent.title") + " · ", style="bold")
            title.append_text(plain(self.customer.get("name", "")))
            yield Static(title, classes="title")
            yield Static(plain(t("consent.purpose")), classes="label")
            with RadioSet(id="purpose", compact=True):
                for index, purpose in enumerate(CONSENT_PURPOSES, 1):
                    state = consent_given(self.customer, purpose)
                    mark = {True: "✓", False: "✗", None: "?"}[state]
                    yield RadioButton(plain(f"{index} {t(f'consent.purpose.{purpose}')} {mark}"),
                                      value=index == 1, name=purpose)
            yield Static(plain(t("consent.answer")), classes="label")
            with RadioSet(id="answer", compact=True):
                yield RadioButton(plain("1 " + t("consent.gives")), value=True, name="yes")
                yield RadioButton(plain("2 " + t("consent.withdraws")), name="no")
            yield Static(plain(t("consent.channel")), classes="label")
            with RadioSet(id="channel", compact=True):
                for index, channel in enumerate(CONSENT_CHANNELS, 1):
                    yield RadioButton(plain(f"{index} {t(f'consent.channel.{channel}')}"),
                                      value=index == 1, name=channel)
            yield Static(plain(t("consent.note")), classes="label")
            yield SafeInput(id="note", compact=True)
            yield Static(id="error", classes="error")
            yield Static(plain(t("consent.keys")), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#purpose", RadioSet).focus()

    def on_key(self, event: events.Key) -> None:
        """Digits pick within the focused row, then focus moves to the next row."""
        focused = self.focused
        if isinstance(focused, RadioSet) and event.character and press_choice(focused, event.character):
            event.stop()
            self.focus_next()

    def chosen(self, radio_id: str) -> str:
        pressed = self.query_one(f"#{radio_id}", RadioSet).pressed_button
        return str(pressed.name) if pressed is not None and pressed.name else ""

    @writes
    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.save_worker(self.chosen("purpose"), self.chosen("answer") == "yes", self.chosen("channel"),
                         self.query_one("#note", Input).value)

    @work(thread=True, exit_on_error=False, group="consent-save")
    def save_worker(self, purpose: str, granted: bool, channel: str, note: str) -> None:
        try:
            record_consent(self.workspace, self.customer_id, purpose, granted, channel, note)
        except CustuiError as err:
            self.app.call_from_thread(self.failed, err.message)
            return
        self.app.call_from_thread(self.saved, purpose, granted)

    def saved(self, purpose: str, granted: bool) -> None:
        key = "consent.saved_yes" if granted else "consent.saved_no"
        self.app.notify(t(key, purpose=t(f"consent.purpose.{purpose}")), markup=False)
        self.dismiss(True)
