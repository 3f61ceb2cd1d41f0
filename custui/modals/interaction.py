"""InteractionModal: log a call, email, SMS, meeting, note or gift with an optional follow-up."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.i18n import t
from custui.modals.form_base import (
    MODAL_CSS,
    EntryModal,
    interaction_type_buttons,
    press_choice,
    save_cancel,
    titled,
)
from custui.services import interactions as service
from custui.services.workspace import Workspace
from custui.widgets.choice_row import ChoiceRow
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain


class InteractionModal(EntryModal):
    """Type (1-6 or arrows), summary, outcome, follow-up; Enter in a field or ctrl+s saves."""

    DEFAULT_CSS = MODAL_CSS.format(cls="InteractionModal")
    BINDINGS = save_cancel("interaction", "complaint.save", "complaint.cancel")

    def __init__(self, workspace: Workspace, customer_id: int, kind: str = "call") -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer = workspace.store.get("customers", customer_id) or {}
        self.kind = kind if kind in INTERACTION_TYPES else "call"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield titled(t("interaction.new"), self.customer.get("name", ""))
            yield Static(plain(t("interaction.type")), classes="label")
            with ChoiceRow(id="type", compact=True):
                yield from interaction_type_buttons(self.kind)
            yield Static(plain(t("interaction.summary")), classes="label")
            yield SafeInput(placeholder=t("interaction.summary_ph"), id="summary", compact=True)
            yield Static(plain(t("interaction.outcome")), classes="label")
            yield SafeInput(placeholder=t("interaction.outcome_ph"), id="outcome", compact=True)
            yield Static(plain(t("interaction.follow_up")), classes="label")
            yield SafeInput(placeholder=t("interaction.follow_up_ph"), id="follow-up", compact=True)
            yield Static(id="error", classes="error")
            yield Static(plain("Tab ↓ · Enter/ctrl+s " + t("complaint.save") + " · Esc "
                               + t("complaint.cancel")), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#summary", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Digits pick the type while the type row has focus, then move on to the summary."""
        radio = self.query_one("#type", RadioSet)
        if self.focused is radio and event.character and press_choice(radio, event.character):
            event.stop()
            self.query_one("#summary", Input).focus()

    def kind_chosen(self) -> str:
        pressed = self.query_one("#type", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "call"

    @writes
    def action_save(self) -> None:
        ws, customer_id, kind = self.workspace, self.customer_id, self.kind_chosen()
        summary, outcome, follow_up = (self.query_one(f"#{name}", Input).value
                                       for name in ("summary", "outcome", "follow-up"))
        self.run_save(lambda: service.log_typed(ws, customer_id, kind, summary, outcome, follow_up),
                      lambda _doc: self.close_saved(t("interaction.saved")))
