"""CampaignModal: log one interaction (type + summary) for every member of a segment at once."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.errors import BadInput, CustuiError
from custui.i18n import t
from custui.modals.form_base import follow_pressed, interaction_type_buttons, press_choice
from custui.services import interactions as service
from custui.services.consent import campaign_reach
from custui.services.purchase_form import count_text
from custui.services.workspace import Workspace
from custui.widgets.labels import LabelledModal
from custui.widgets.read_only import SavingForm, writes
from custui.widgets.safe import SafeInput, plain, safe_str


def log_campaign(ws: Workspace, customer_ids: Sequence[int], kind: str, summary: str,
                 campaign: str = "") -> int:
    """One interaction per customer who may be reached (consent to profiling and marketing,
    see services.consent.campaign_reach), all in one batch (one durable write); returns
    the count.

    `campaign` (a segment id) is kept on each interaction so the campaign can be found again.
    """
    from custui.services.roles import require

    require(ws, "campaign", check_pin_too=False)  # Refused (logged) for a clerk
    if kind not in INTERACTION_TYPES:
        raise BadInput(t("interaction.err.type", kind=kind))
    if not summary.strip():
        raise BadInput(t("interaction.err.summary"))
    extra = {"campaign": campaign} if campaign else {}
    reach = campaign_reach(ws, customer_ids)
    with ws.store.batch():
        for customer_id in reach.allowed:
            service.log_interaction(ws, customer_id, kind, summary, **extra)
    return len(reach.allowed)


class CampaignModal(SavingForm, LabelledModal[int | None]):
    """Type (1-6) and summary; Enter or ctrl+s logs it for all; dismisses with the count."""

    DEFAULT_CSS = """
    CampaignModal { align: center middle; }
    CampaignModal > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    CampaignModal .title { text-style: bold; margin-bottom: 1; }
    CampaignModal .label { color: $text-muted; }
    CampaignModal .error { color: $error; height: auto; }
    CampaignModal .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "campaign.save", id="campaign.save", priority=True),
        Binding("escape", "cancel", "campaign.cancel", id="campaign.cancel"),
    ]

    def __init__(self, workspace: Workspace, segment_label: str, customer_ids: Sequence[int],
                 segment_id: str = "", kind: str = "sms") -> None:
        super().__init__()
        self.workspace = workspace
        self.segment_label = segment_label
        self.segment_id = segment_id
        self.customer_ids = list(customer_ids)
        self.kind = kind if kind in INTERACTION_TYPES else "sms"
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            title = t("campaign.title", count=f"{len(self.customer_ids):,}",
                      segment=safe_str(self.segment_label))
            yield Static(plain(title, style="bold"), classes="title")
            yield Static(plain(t("campaign.type")), classes="label")
            with RadioSet(id="campaign-type", compact=True):
                yield from interaction_type_buttons(self.kind)
            yield Static(plain(t("campaign.summary")), classes="label")
            yield SafeInput(placeholder=t("campaign.summary_ph"), id="campaign-summary", compact=True,
                            select_on_focus=False)
            yield Static(id="campaign-error", classes="error")
            yield Static(plain(t("campaign.keys")), classes="keys")

    def on_mount(self) -> None:
        """The type first, as `Type (1-6)` says: a digit picks it and moves on to the summary."""
        self.query_one(RadioSet).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        follow_pressed(event)

    def on_key(self, event: events.Key) -> None:
        """Digits pick the type while the type row has focus, then move on to the summary; any
        other character starts the summary."""
        radio = self.query_one(RadioSet)
        if self.focused is not radio or not event.character:
            return
        summary = self.query_one("#campaign-summary", Input)
        if press_choice(radio, event.character):
            event.stop()
            summary.focus()
        elif event.is_printable and event.key != "space":  # the summary begins: it goes there
            event.stop()
            summary.insert_text_at_cursor(event.character)
            summary.focus()

    def kind_chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else self.kind

    @on(Input.Submitted)
    def summary_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @property
    def dirty(self) -> bool:
        return not self.saving and bool(self.query_one("#campaign-summary", Input).value.strip())

    def action_cancel(self) -> None:
        if self.saving:
            return
        from custui.modals.confirm import leave_or_ask

        leave_or_ask(self, t("form.discard_typed"))

    @writes
    def action_save(self) -> None:
        if self.saving:
            return
        summary = self.query_one("#campaign-summary", Input).value
        if not summary.strip():
            self.failed(t("interaction.err.summary"))
            return
        self.saving = True
        self.query_one("#campaign-error", Static).update(plain(t("campaign.saving")))
        self.save_worker(self.kind_chosen(), summary)

    @work(thread=True, exit_on_error=False, group="campaign-save")
    def save_worker(self, kind: str, summary: str) -> None:
        try:
            count = log_campaign(self.workspace, self.customer_ids, kind, summary, self.segment_id)
        except CustuiError as err:
            self.app.call_from_thread(self.failed, err.message)
            return
        self.app.call_from_thread(self.saved, count, summary.strip())

    def failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#campaign-error", Static).update(plain(message))

    def saved(self, count: int, summary: str) -> None:
        message = t("campaign.done", summary=safe_str(summary), count=count_text(count))
        if count < len(self.customer_ids):
            message += "\n" + t("consent.left_out", count=f"{len(self.customer_ids) - count:,}")
        self.app.notify(message, markup=False)
        self.dismiss(count)
