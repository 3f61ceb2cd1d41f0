"""A customer's loyalty at a glance: tier and progress, points and next expiry, vouchers by state.

Loads in a thread worker (`reload()`); the text is built by `loyalty_text`, a pure
function of the LoyaltySummary, so it can be tested without an app.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from custui.errors import BadInput
from custui.i18n import count_text, format_day, get_locale, t
from custui.services.loyalty import LoyaltySummary, customer_loyalty, progress_text
from custui.services.workspace import Workspace
from custui.widgets.safe import plain

LABEL = 10


def _label(text: str) -> Text:
    return Text(f"{text:<{LABEL - 1}} ", style="dim")


def loyalty_text(summary: LoyaltySummary, currency: str, max_vouchers: int = 3,
                 width: int | None = None) -> Text:
    """Tier · progress / points · next expiry / one line per voucher (active first). When the
    tier and its progress do not fit `width` cells together, the progress gets a line of its
    own under the tier, so its amount and date are never cut."""
    loc = get_locale()
    tier = Text.assemble(_label(t("panel.tier")))
    tier.append_text(plain(summary.tier.name.get(loc) if summary.tier else t("loyalty.tier.none"),
                           style="bold"))
    progress = plain(progress_text(summary.progress, currency, loc))
    if width is not None and tier.cell_len + 2 + progress.cell_len > width:
        tier.append("\n" + " " * LABEL)
    else:
        tier.append("  ")
    tier.append_text(progress)
    points = Text.assemble(_label(t("panel.points")))
    points.append(count_text(summary.balance, loc), style="bold")
    points.append("  ")
    expiry = summary.ledger.next_expiry
    points.append_text(plain(
        t("panel.expiry", points=count_text(expiry[1], loc), date=format_day(expiry[0])) if expiry else t("panel.no_expiry"),
        style="dim"))
    lines = [tier, points]
    vouchers = list(summary.vouchers)
    if not vouchers:
        line = _label(t("panel.vouchers"))
        line.append_text(plain(t("panel.no_vouchers"), style="dim"))
        lines.append(line)
    for index, voucher in enumerate(vouchers[:max_vouchers]):
        line = _label(t("panel.vouchers") if index == 0 else "")
        state = voucher.state_text()
        if voucher.state == "active":
            state += " " + t("panel.until", date=format_day(voucher.expires_at))
        elif voucher.state == "void" and voucher.void_reason:
            state += f" ({voucher.void_reason})"
        line.append_text(plain(t("panel.voucher_line", id=voucher.id, value=voucher.value_text(currency),
                                 state=state), style="bold" if voucher.state == "active" else ""))
        line.append("  ")
        line.append_text(plain(voucher.name(loc), style="dim"))
        if index == max_vouchers - 1 and len(vouchers) > max_vouchers:
            line.append("  ")
            line.append_text(plain(t("panel.more", count=len(vouchers) - max_vouchers), style="dim"))
        lines.append(line)
    out = Text("\n").join(lines)
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


class LoyaltyPanel(Static):
    """Shows one customer's loyalty; call `reload()` after their orders change."""

    DEFAULT_CSS = """
    LoyaltyPanel {
        height: auto; max-height: 7; padding: 0 1; border-bottom: solid $primary-darken-2;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, workspace: Workspace, customer_id: int, max_vouchers: int = 3,
                 id: str | None = None) -> None:  # noqa: A002 (Textual widget convention)
        super().__init__(plain(t("panel.loading"), style="dim"), id=id)
        self.workspace = workspace
        self.customer_id = customer_id
        self.max_vouchers = max_vouchers
        self.summary: LoyaltySummary | None = None

    def on_mount(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="loyalty-panel", exit_on_error=False)
    def reload(self) -> None:
        ws = self.workspace
        try:
            summary = customer_loyalty(ws.store, ws.config, self.customer_id, ws.today())
        except BadInput:  # the customer is gone (merged away); the profile says so
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, summary)

    def show(self, summary: LoyaltySummary) -> None:
        self.summary = summary
        self.update(loyalty_text(summary, self.workspace.currency, self.max_vouchers,
                                 self.content_size.width or None))

    def on_resize(self) -> None:
        if self.summary is not None:
            self.show(self.summary)


def loyalty_why(ws: Workspace, customer_id: int) -> Text:
    """The profile's Loyalty tab: every points movement with its running balance and the
    tier's reasons (services.explain, the same text as `custui explain`). Call from a worker."""
    from custui.services.explain import explain_customer, explanation_lines

    try:
        lines = explanation_lines(explain_customer(ws.store, ws.config, customer_id, ws.today()), ws.config)
    except BadInput as exc:
        return plain(str(exc), style="dim")
    text = plain(lines[0], style="bold")
    for line in lines[1:]:
        text.append("\n")
        text.append_text(plain(line))
    return text
