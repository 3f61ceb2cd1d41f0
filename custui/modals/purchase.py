"""Record a purchase (or correct one): the total first, a live preview of what it earns.

Focus starts on the total, so "o, type the total, Ctrl+S" records an order. The
preview (points earned, vouchers triggered, tier change, amount due) is computed
in a thread worker as fields change. Ctrl+S reads the form once and saves through the one
save runner (widgets.save_runner) with one service call, `save_purchase`, which checks the
rules and returns the questions to ask first or saves. Dismisses True when saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import get_current_worker

from custui.domain.money import decimals, format_money
from custui.domain.purchase import OrderDraft, OrderPreview
from custui.errors import BadInput, CustuiError
from custui.i18n import format_day, get_locale, t
from custui.modals.confirm import ConfirmModal
from custui.modals.form_base import save_cancel
from custui.services.loyalty import (
    VoucherView,
    customer_segments,
    preview_purchase,
    usable_vouchers,
    voucher_view,
)
from custui.services.orders import OrderResult
from custui.services.purchase_form import (
    PurchaseInput,
    amount_text,
    draft_problems,
    read_purchase,
)
from custui.services.purchase_guard import save_purchase
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.widgets.footer import KeysFooter
from custui.widgets.labels import LabelledModal
from custui.widgets.purchase_preview import LABEL_WIDTH, preview_text
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain
from custui.widgets.save_runner import SaveRunner

ORDER = ("date", "total", "items", "channel", "promo", "voucher", "points")


class PurchaseModal(SaveRunner, LabelledModal[bool]):
    """New purchase for a customer, or correction of `order_id`; Ctrl+S saves, Esc leaves."""

    DEFAULT_CSS = f"""
    PurchaseModal {{ align: center middle; }}
    #purchase {{
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }}
    #purchase-title {{ text-style: bold; height: auto; }}
    #purchase .p-row {{ height: 1; }}
    #purchase .p-label {{ width: {LABEL_WIDTH}; color: $text-muted; }}
    #purchase .p-row.-invalid .p-label {{ color: $error; text-style: bold; }}
    #purchase .p-row Input, #purchase .p-row Select {{ width: 1fr; }}
    #purchase .p-error {{ display: none; color: $error; padding-left: {LABEL_WIDTH}; height: auto; }}
    #purchase .p-error.-shown {{ display: block; }}
    #purchase-preview {{ border-top: solid $primary; height: auto; }}
    #purchase-problem {{ display: none; color: $error; text-style: bold; height: auto; }}
    #purchase-problem.-shown {{ display: block; }}
    """
    BINDINGS = save_cancel("purchase", "purchase.save", "purchase.cancel")

    def __init__(self, workspace: Workspace, customer_id: int, order_id: int | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.order_id = order_id
        self.customer: Doc = workspace.store.get("customers", customer_id) or {}
        self.order: Doc = (workspace.store.get("orders", order_id) or {}) if order_id is not None else {}
        self.initial: dict[str, Any] = {}
        self.segments: frozenset[str] | None = None
        self.shown_errors: dict[str, str] = {}
        self.preview: OrderPreview | None = None

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        names = {"name": str(self.customer.get("name") or ""), "code": str(self.customer.get("code") or "")}
        title = (t("purchase.title_fix", id=self.order_id, **names) if self.order_id is not None
                 else t("purchase.title_new", **names))
        with Vertical(id="purchase"):
            title_text = plain(title)
            title_text.no_wrap = False
            yield Static(title_text, id="purchase-title")
            for field in ORDER:
                with Horizontal(classes="p-row", id=f"row-{field}"):
                    label = "" if field == "promo" else t(f"purchase.field.{field}")
                    yield Label(plain(label), classes="p-label")
                    yield self._widget(field)
                yield Static("", classes="p-error", id=f"err-{field}")
            yield Static(plain(t("purchase.preview.waiting"), style="dim"), id="purchase-preview")
            yield Static("", id="purchase-problem")
        yield KeysFooter()

    def _widget(self, field: str) -> Widget:
        order, ws = self.order, self.workspace
        if field == "channel":
            channels = ws.config.loyalty.channels
            options = [(plain(c.name.get(get_locale())), c.id) for c in channels]
            current = str(order.get("channel") or channels[0].id)
            if current not in {c.id for c in channels}:
                options.append((plain(current), current))
            return Select(options, value=current, allow_blank=False, id="f-channel", compact=True)
        if field == "promo":
            promo = bool(order.get("promo"))
            return Checkbox(self._promo_label(promo), promo, id="f-promo", compact=True)
        if field == "voucher":
            return Select([], prompt=t("purchase.no_voucher"), id="f-voucher", compact=True,
                          disabled=True)
        value, placeholder = "", ""
        if field == "date":
            day = date.fromisoformat(str(order["date"])[:10]) if order else ws.today()
            value, placeholder = format_day(day), t("purchase.ph.date")
        elif field == "total":
            value = amount_text(int(order["total"]), ws.currency) if order else ""
            cents = decimals(ws.currency) > 0
            placeholder = t("purchase.ph.total_cents" if cents else "purchase.ph.total")
        elif field == "items":
            value = str(order.get("items") or "")
        elif field == "points":
            value = str(order.get("points_redeemed") or "")
            placeholder = t("purchase.ph.points")
        return SafeInput(value, placeholder=placeholder, id=f"f-{field}", compact=True, select_on_focus=False)

    @staticmethod
    def _promo_label(on: bool) -> Text:
        """The box's state in words too (NO_COLOR terminals cannot see the colour)."""
        return plain(t("purchase.field.promo") + ": " + t("customer.yes" if on else "customer.no"))

    @on(Checkbox.Changed, "#f-promo")
    def promo_toggled(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = self._promo_label(event.value)

    def set_problem(self, message: str, style: str = "") -> None:
        box = self.query_one("#purchase-problem", Static)
        box.update(plain(message, style=style))
        box.set_class(bool(message), "-shown")

    def on_mount(self) -> None:
        self.initial = self.raw_values()
        self.query_one("#f-total", Input).focus()
        self.load_vouchers()
        self.refresh_preview()

    # -- reading the form --------------------------------------------------------------
    def raw_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in ORDER:
            widget = self.query_one(f"#f-{field}")
            if isinstance(widget, Select):
                values[field] = None if widget.is_blank() else widget.value
            elif isinstance(widget, Input | Checkbox):
                values[field] = widget.value
        return values

    def form_input(self) -> PurchaseInput:
        raw = self.raw_values()
        voucher = raw["voucher"]
        return PurchaseInput(
            date=raw["date"], total=raw["total"], items=raw["items"], channel=str(raw["channel"] or ""),
            promo=bool(raw["promo"]), voucher_id=voucher if isinstance(voucher, int) else None,
            points=raw["points"],
        )

    def read(self) -> tuple[OrderDraft | None, dict[str, str]]:
        """The draft typed, or what does not read (a date, an amount, a count)."""
        ws = self.workspace
        return read_purchase(self.form_input(), ws.currency, ws.today())

    def live_errors(self, draft: OrderDraft | None, errors: dict[str, str]) -> dict[str, str]:
        """As typed: what does not read, else what the order rules refuse (shown, not a save)."""
        return draft_problems(draft, self.workspace.today()) if draft is not None else errors

    @property
    def dirty(self) -> bool:
        return self.raw_values() != self.initial

    def show_errors(self, errors: dict[str, str], only: set[str] | None = None) -> None:
        """Flag fields in place (a ✗ line under the field); `only`: touch just these fields."""
        for field in ORDER:
            if only is not None and field not in only:
                continue
            message = errors.get(field, "")
            box = self.query_one(f"#err-{field}", Static)
            box.update(plain(f"✗ {message}" if message else ""))
            box.set_class(bool(message), "-shown")
            self.query_one(f"#row-{field}").set_class(bool(message), "-invalid")
            if message:
                self.shown_errors[field] = message
            else:
                self.shown_errors.pop(field, None)

    # -- live preview ------------------------------------------------------------------
    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def field_changed(self) -> None:
        if not self.is_mounted or not self.initial:
            return
        draft, errors = self.read()
        if self.shown_errors:  # fixing a flagged field clears its flag as you type
            self.show_errors(self.live_errors(draft, errors), only=set(self.shown_errors))
        self.set_problem("")
        self.refresh_preview(draft)

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        field = (event.input.id or "")[2:]
        if field in ORDER and event.input.value.strip():
            self.show_errors(self.live_errors(*self.read()), only={field})

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def refresh_preview(self, draft: OrderDraft | None = None) -> None:
        if draft is None:
            draft = self.read()[0]
        if draft is None:
            self.preview = None
            self.query_one("#purchase-preview", Static).update(
                plain(t("purchase.preview.waiting"), style="dim"))
            return
        self.compute_preview(draft)

    @work(thread=True, exclusive=True, group="purchase-preview", exit_on_error=False)
    def compute_preview(self, draft: OrderDraft) -> None:
        ws = self.workspace
        if self.segments is None:
            self.segments = customer_segments(ws.store, ws.config, self.customer_id,
                                              exclude_order_id=self.order_id)
        try:
            preview = preview_purchase(ws.store, ws.config, self.customer_id, draft, ws.today(),
                                       order_id=self.order_id, segments=self.segments)
        except BadInput:
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_preview, draft, preview)

    def show_preview(self, draft: OrderDraft, preview: OrderPreview) -> None:
        if self.read()[0] != draft:
            return  # the form changed since; a newer preview is on its way
        self.preview = preview
        ws = self.workspace
        self.query_one("#purchase-preview", Static).update(preview_text(preview, ws.config, ws.currency))
        errors = draft_problems(draft, ws.today(), preview.max_redeemable)
        if "points" in errors or "points" in self.shown_errors:
            self.show_errors(errors, only={"points"})

    # -- vouchers the customer can use -------------------------------------------------
    @work(thread=True, group="purchase-vouchers", exit_on_error=False)
    def load_vouchers(self) -> None:
        ws = self.workspace
        on_date = date.fromisoformat(str(self.order["date"])[:10]) if self.order else ws.today()
        views = [v for v in usable_vouchers(ws.store, ws.config, self.customer_id, on_date)
                 if self.order_id is None or v.source_order_id != self.order_id]
        held = self.order.get("voucher_id")
        if held is not None and held not in {v.id for v in views}:
            doc = ws.store.get("vouchers", int(held))
            if doc is not None:
                views.insert(0, voucher_view(doc, ws.config, on_date))
        self.app.call_from_thread(self.show_vouchers, views, held)

    def show_vouchers(self, views: list[VoucherView], held: int | None) -> None:
        select = self.query_one("#f-voucher", Select)
        currency = self.workspace.currency
        options = [
            (plain(t("purchase.voucher_option", id=v.id, value=v.value_text(currency),
                     date=format_day(v.expires_at))), v.id)
            for v in views
        ]
        select.set_options(options)
        if not options:
            select.prompt = t("purchase.no_vouchers")
        select.disabled = not options
        if held is not None and held in {v.id for v in views}:
            select.value = held
        self.initial["voucher"] = None if select.is_blank() else select.value

    # -- saving ------------------------------------------------------------------------
    @writes
    def action_save(self) -> None:
        """Ctrl+S: read the form once; what does not read is flagged in place, the rest goes to
        the one service call (save_purchase), which checks the rules and asks or saves."""
        if self.saving:
            return
        draft, errors = self.read()
        self.show_errors(errors)
        if draft is None:
            self.flag_first(errors, t("purchase.err.fix"))
            return
        self.submit(draft)

    def submit(self, draft: OrderDraft, asked: bool = False) -> None:
        ws, customer_id, order_id = self.workspace, self.customer_id, self.order_id
        self.run_save(lambda: save_purchase(ws, customer_id, draft, order_id, asked),
                      lambda outcome: self.saved(outcome) if isinstance(outcome, OrderResult)
                      else self.ask(draft, outcome), status=t("purchase.saving"))

    def ask(self, draft: OrderDraft, questions: list[str]) -> None:
        """One question per concern (unusual amount, double entry); yes to all saves, a no (or
        Esc) returns to the form as typed and saves nothing."""
        self.set_problem("")
        if not questions:
            self.submit(draft, asked=True)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.ask(draft, questions[1:])

        self.app.push_screen(ConfirmModal(questions[0], title=t("purchase.ask.title"),
                                          yes=t("purchase.ask.save"), no=t("purchase.ask.back"),
                                          default_yes=True), answered)

    def flag_first(self, errors: dict[str, str], message: str) -> None:
        first = next(field for field in ORDER if field in errors)
        self.query_one(f"#f-{first}").focus()
        self.notify(message, severity="error", markup=False)

    def show_save_message(self, message: str) -> None:
        self.set_problem(message, style="dim")

    def save_refused(self, error: CustuiError) -> None:
        """A rule about one field (a future date, too many points) is flagged there; anything
        else (disk full) is said under the form; the form stays as typed."""
        field = getattr(error, "field", "")
        if field in ORDER:
            self.set_problem("")
            self.show_errors({field: error.message}, only={field})
            self.flag_first({field: error.message}, error.message)
            return
        self.set_problem(f"✗ {error.message}")
        self.notify(error.message, severity="error", markup=False)

    def saved(self, result: OrderResult) -> None:
        ws = self.workspace
        order = result.order
        if self.order_id is not None:
            message = t("purchase.corrected", id=order["id"])
        else:
            earned = result.preview.points_earned if result.preview else 0
            total = format_money(int(order["total"]), ws.currency, get_locale())
            message = t("purchase.saved", total=total, points=earned)
            issued = [
                voucher_view(v, ws.config, ws.today()).value_text(ws.currency) for v in result.vouchers_issued
            ]
            if issued:
                message += t("purchase.saved_vouchers", vouchers=", ".join(issued))
        self.app.notify(message, markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.saving:
            return
        from custui.modals.confirm import leave_or_ask

        leave_or_ask(self, t("purchase.discard"), False)
