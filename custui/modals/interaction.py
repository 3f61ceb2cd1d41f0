"""InteractionModal: log a call, email, SMS, meeting, note or gift with an optional follow-up."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.errors import CustuiError
from custui.i18n import t
from custui.modals.form_base import MODAL_CSS, EntryModal, interaction_type_buttons, press_choice
from custui.services import interactions as service
from custui.services.workspace import Workspace
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain


class InteractionModal(EntryModal):
    """Type (1-6 or arrows), summary, outcome, follow-up; Enter in a field or ctrl+s saves."""

    DEFAULT_CSS = MODAL_CSS.format(cls="InteractionModal")
    BINDINGS = [
        Binding("ctrl+s", "save", "complaint.save", id="interaction.save", priority=True),
        Binding("escape", "cancel", "complaint.cancel", id="interaction.cancel"),
    ]

    def __init__(self, workspace: Workspace, customer_id: int, kind: str = "call") -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer = workspace.store.get("customers", customer_id) or {}
        self.kind = kind if kind in INTERACTION_TYPES else "call"
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(t("interaction.new") + " · ", style="bold")
            title.append_text(plain(self.customer.get("name", "")))
            yield Static(title, classes="title")
            yield Static(plain(t("interaction.type")), classes="label")
            with RadioSet(id="type", compact=True):
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
        if self.saving:
            return
        self.saving = True
        self.save_worker(
            self.kind_chosen(),
            self.query_one("#summary", Input).value,
            self.query_one("#outcome", Input).value,
            self.query_one("#follow-up", Input).value,
        )

    @work(thread=True, exit_on_error=False, group="interaction-save")
    def save_worker(self, kind: str, summary: str, outcome: str, follow_up: str) -> None:
        ws = self.workspace
        try:
            due = service.parse_day(follow_up, ws.today())
            service.log_interaction(ws, self.customer_id, kind, summary, outcome, due)
        except CustuiError as err:
            self.app.call_from_thread(self.failed, err.message)
            return
        self.app.call_from_thread(self.saved)

    def saved(self) -> None:
        self.app.notify(t("interaction.saved"))
        self.dismiss(True)
