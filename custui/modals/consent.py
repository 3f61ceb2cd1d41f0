"""ConsentModal: record or withdraw a customer's consent for one purpose, with the channel."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from custui.domain.consent import CONSENT_CHANNELS, CONSENT_PURPOSES, consent_given
from custui.i18n import t
from custui.modals.form_base import (
    MODAL_CSS,
    EntryModal,
    numbered_buttons,
    press_choice,
    save_cancel,
    titled,
)
from custui.services.consent import record_consent
from custui.services.workspace import Workspace
from custui.widgets.choice_row import ChoiceRow
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain


class ConsentModal(EntryModal):
    """Purpose (1-3), answer (1 gives, 2 withdraws), channel (1-7), note; ctrl+s saves."""

    DEFAULT_CSS = MODAL_CSS.format(cls="ConsentModal")
    BINDINGS = save_cancel("consent", "consent.save", "complaint.cancel")

    def __init__(self, workspace: Workspace, customer_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer = workspace.store.get("customers", customer_id) or {}

    def compose(self) -> ComposeResult:
        marks = {True: "✓", False: "✗", None: "?"}
        with Vertical():
            yield titled(t("consent.title"), self.customer.get("name", ""))
            yield Static(plain(t("consent.purpose")), classes="label")
            with ChoiceRow(id="purpose", compact=True):
                yield from numbered_buttons(
                    ((purpose, f"{t(f'consent.purpose.{purpose}')} {marks[consent_given(self.customer, purpose)]}")
                     for purpose in CONSENT_PURPOSES), CONSENT_PURPOSES[0])
            yield Static(plain(t("consent.answer")), classes="label")
            with ChoiceRow(id="answer", compact=True):
                yield from numbered_buttons([("yes", t("consent.gives")), ("no", t("consent.withdraws"))], "yes")
            yield Static(plain(t("consent.channel")), classes="label")
            with ChoiceRow(id="channel", compact=True):
                yield from numbered_buttons(
                    ((channel, t(f"consent.channel.{channel}")) for channel in CONSENT_CHANNELS),
                    CONSENT_CHANNELS[0])
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
        ws, customer_id = self.workspace, self.customer_id
        purpose, granted, channel = self.chosen("purpose"), self.chosen("answer") == "yes", self.chosen("channel")
        note = self.query_one("#note", Input).value
        self.run_save(lambda: record_consent(ws, customer_id, purpose, granted, channel, note),
                      lambda _doc: self.saved(purpose, granted))

    def saved(self, purpose: str, granted: bool) -> None:
        key = "consent.saved_yes" if granted else "consent.saved_no"
        self.close_saved(t(key, purpose=t(f"consent.purpose.{purpose}")))
