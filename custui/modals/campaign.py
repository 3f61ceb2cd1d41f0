"""CampaignModal: log one interaction (type + summary) for every member of a segment at once."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from custui.domain.enums import INTERACTION_TYPES
from custui.i18n import count_text, t
from custui.modals.form_base import EntryModal, interaction_type_buttons, press_choice, save_cancel
from custui.services.campaign import log_campaign
from custui.services.workspace import Workspace
from custui.widgets.choice_row import ChoiceRow
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain, safe_str


class CampaignModal(EntryModal):
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
    BINDINGS = save_cancel("campaign", "campaign.save", "campaign.cancel")
    SAVE_MESSAGE = "#campaign-error"
    CANCELLED = None

    def __init__(self, workspace: Workspace, segment_label: str, customer_ids: Sequence[int],
                 segment_id: str = "", kind: str = "sms") -> None:
        super().__init__()
        self.workspace = workspace
        self.segment_label = segment_label
        self.segment_id = segment_id
        self.customer_ids = list(customer_ids)
        self.kind = kind if kind in INTERACTION_TYPES else "sms"

    def compose(self) -> ComposeResult:
        with Vertical():
            title = t("campaign.title", count=f"{len(self.customer_ids):,}",
                      segment=safe_str(self.segment_label))
            yield Static(plain(title, style="bold"), classes="title")
            yield Static(plain(t("campaign.type")), classes="label")
            with ChoiceRow(id="campaign-type", compact=True):
                yield from interaction_type_buttons(self.kind)
            yield Static(plain(t("campaign.summary")), classes="label")
            yield SafeInput(placeholder=t("campaign.summary_ph"), id="campaign-summary", compact=True,
                            select_on_focus=False)
            yield Static(id="campaign-error", classes="error")
            yield Static(plain(t("campaign.keys")), classes="keys")

    def on_mount(self) -> None:
        """The type first, as `Type (1-6)` says: a digit picks it and moves on to the summary."""
        self.query_one(RadioSet).focus()

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

    @writes
    def action_save(self) -> None:
        ws, ids, segment = self.workspace, self.customer_ids, self.segment_id
        kind, summary = self.kind_chosen(), self.query_one("#campaign-summary", Input).value
        self.run_save(lambda: log_campaign(ws, ids, kind, summary, segment),
                      lambda count: self.saved(count, summary.strip()), status=t("campaign.saving"))

    def saved(self, count: int, summary: str) -> None:
        message = t("campaign.done", summary=safe_str(summary), count=count_text(count))
        if count < len(self.customer_ids):
            message += "\n" + t("consent.left_out", count=f"{len(self.customer_ids) - count:,}")
        self.close_saved(message, count)
