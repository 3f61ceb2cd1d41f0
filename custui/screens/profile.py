"""One customer: a header of who they are and how they buy, and tabs of their records."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from custui.i18n import get_locale, t
from custui.keymap import key
from custui.services.customer_view import (
    CustomerViews,
    ProfileData,
    day,
    field_text,
    load_profile,
    money,
)
from custui.services.workspace import Workspace
from custui.widgets.loyalty_panel import LoyaltyPanel
from custui.widgets.safe import plain

TABS = ("orders", "feedback", "complaints", "interactions", "details")
# (binding id, action, label key, default shown in footer)
ENTRY_SCREENS: dict[str, tuple[str, str, str]] = {
    "order": ("custui.modals.purchase", "PurchaseModal", "profile.new_order"),
    "feedback": ("custui.screens.survey", "SurveyScreen", "profile.new_feedback"),
    "complaint": ("custui.modals.complaint", "ComplaintModal", "profile.new_complaint"),
    "interaction": ("custui.modals.interaction", "InteractionModal", "profile.new_interaction"),
}
# fixed widths so dates and amounts never get cut; free text takes the rest
COLUMN_WIDTHS = {"date": 10, "total": 13, "channel": 10, "survey": 12, "category": 14,
                 "severity": 8, "status": 11, "due": 10, "type": 8, "follow_up": 10}
DETAIL_FIELDS = (
    "code", "name", "kind", "scope", "role", "phone", "phone_norm", "email", "address", "region",
    "gender", "birth_year", "birthday", "income_band", "needs", "budget", "source", "tags",
    "consent_to_contact", "status_override", "referred_by", "merged_into", "archived",
    "created_at", "updated_at",
)


def _b(binding_id: str, action: str, label: str, show: bool = True) -> Binding:
    return Binding(key(binding_id), action, t(label), show=show, id=binding_id)


def labelled(*pairs: tuple[str, Any]) -> Text:
    """"Label value · Label value" with labels dimmed and values plain."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for index, (label, value) in enumerate(pairs):
        if index:
            out.append("  ")
        out.append(f"{label} ", style="dim")
        out.append_text(plain(value, style="bold"))
    return out


class ProfileScreen(Screen[None]):
    """The customer profile; Esc returns to the lookup as it was."""

    BINDINGS = [
        _b("profile.back", "back", "profile.back"),
        _b("profile.new-order", "entry('order')", "profile.new_order"),
        _b("profile.new-feedback", "entry('feedback')", "profile.new_feedback"),
        _b("profile.new-complaint", "entry('complaint')", "profile.new_complaint"),
        _b("profile.new-interaction", "entry('interaction')", "profile.new_interaction"),
        _b("profile.edit", "edit", "profile.edit"),
        _b("profile.void-order", "void_order", "profile.void_order"),
        _b("profile.correct-order", "correct_order", "profile.correct_order", show=False),
        _b("profile.archive", "archive", "profile.archive", show=False),
        _b("profile.restore", "restore", "profile.restore", show=False),
        _b("profile.merge", "merge", "profile.merge", show=False),
        *(_b(f"profile.tab-{tab}", f"tab('{tab}')", f"profile.tab.{tab}", show=False) for tab in TABS),
    ]

    def __init__(self, workspace: Workspace, customer_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.data: ProfileData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(t("profile.loading")), id="profile-head")
        with TabbedContent(id="profile-tabs"):
            for tab in TABS[:-1]:
                with TabPane(t(f"profile.tab.{tab}"), id=f"tab-{tab}"):
                    if tab == "orders":
                        yield LoyaltyPanel(self.workspace, self.customer_id, id="loyalty-panel")
                    yield DataTable(id=f"table-{tab}", cursor_type="row", zebra_stripes=True)
            with TabPane(t("profile.tab.details"), id="tab-details"):
                with VerticalScroll(id="details-scroll"):
                    yield Static(id="details")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @property
    def views(self) -> CustomerViews | None:
        return getattr(self.app, "views", None)

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def load(self) -> None:
        data = load_profile(self.workspace, self.views, self.customer_id)
        self.app.call_from_thread(self.show, data)

    def show(self, data: ProfileData | None) -> None:
        self.data = data
        if data is None:
            self.notify(t("profile.gone"), severity="error", markup=False)
            self.dismiss()
            return
        self.query_one("#profile-head", Static).update(self.header_text(data))
        self.fill_tables(data)
        self.query_one("#details", Static).update(self.details_text(data))
        self.query_one(LoyaltyPanel).reload()
        self.refresh_bindings()

    # -- rendering -----------------------------------------------------------------------
    def header_text(self, data: ProfileData) -> Text:
        doc, summary, ws = data.customer, data.summary, self.workspace
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append_text(plain(doc.get("name"), style="bold reverse"))
        title.append("  ")
        title.append_text(plain(doc.get("code"), style="bold"))
        if doc.get("archived"):
            badge = t("profile.archived_badge")
            if data.merged_into_code:
                badge += " · " + t("profile.merged_badge", code=data.merged_into_code)
            title.append("  ")
            title.append_text(plain(badge, style="bold red"))
        who = labelled(
            (t("customer.field.kind"), t(f"kind.{doc.get('kind') or 'individual'}")),
            (t("customer.field.scope"), t(f"scope.{doc.get('scope') or 'external'}")),
            (t("customer.field.role"), t(f"role.{doc.get('role') or 'end_user'}")),
            (t("customer.field.phone"), doc.get("phone") or "—"),
        )
        value = labelled(
            (t("profile.tier"), summary.tier_name or t("profile.no_tier")),
            (t("profile.points"), f"{data.points:,}"),
            (t("profile.stage"), summary.lifecycle_label),
            (t("profile.clv"), money(ws, summary.clv)),
        )
        since = doc.get("created_at")
        if summary.first_order and (not since or summary.first_order.isoformat() < str(since)):
            since = summary.first_order.isoformat()
        history = labelled(
            (t("profile.since"), day(since)),
            (t("profile.last_order"), day(summary.last_order)),
            ("", t("profile.orders_spend", orders=summary.orders,
                   spend=money(ws, summary.total_spend))),
        )
        return Text("\n").join([title, who, value, history])

    def fill_tables(self, data: ProfileData) -> None:
        ws = self.workspace
        channel = ws.config.loyalty.channel_name
        self._fill("orders", ("date", "total", "channel", "note", "items"), [
            (day(o.get("date")), money(ws, int(o.get("total") or 0)),
             channel(str(o.get("channel") or ""), get_locale()), self._order_note(o), o.get("items"))
            for o in data.orders])
        self._fill("feedback", ("date", "survey", "channel", "answers"), [
            (day(f.get("created_at")), f.get("survey_id"), f.get("channel"),
             _answers(f.get("answers"))) for f in data.feedback])
        self._fill("complaints", ("date", "category", "severity", "status", "due"), [
            (day(c.get("opened_at")), c.get("category"), c.get("severity"), c.get("status"),
             day(c.get("due_at"))) for c in data.complaints])
        self._fill("interactions", ("date", "type", "summary", "follow_up"), [
            (day(i.get("at")), i.get("type"), i.get("summary"), day(i.get("follow_up_due"))
             if i.get("follow_up_due") else "") for i in data.interactions])
        counts = {"orders": data.orders, "feedback": data.feedback,
                  "complaints": data.complaints, "interactions": data.interactions}
        tabs = self.query_one(TabbedContent)
        for tab, records in counts.items():
            tabs.get_tab(f"tab-{tab}").label = plain(f"{t(f'profile.tab.{tab}')} ({len(records)})")

    @staticmethod
    def _order_note(order: dict[str, Any]) -> str:
        notes = []
        if order.get("void"):
            reason = str(order.get("void_reason") or "")
            notes.append(t("void.mark_reason", reason=reason) if reason else t("void.mark"))
        if order.get("promo"):
            notes.append(t("profile.promo"))
        if order.get("points_redeemed"):
            notes.append(t("profile.redeemed", points=order["points_redeemed"]))
        if order.get("voucher_id") is not None:
            notes.append(t("purchase.note_voucher", id=order["voucher_id"]))
        return ", ".join(notes)

    def _fill(self, tab: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one(f"#table-{tab}", DataTable)
        table.clear(columns=True)
        for column in columns:
            width = COLUMN_WIDTHS.get(column)
            table.add_column(plain(t(f"profile.col.{column}"), style="bold"), key=column, width=width)
        for row in rows:
            cells = []
            for value in row:
                cell = plain(value)
                cell.truncate(40, overflow="ellipsis")
                cells.append(cell)
            table.add_row(*cells)
        if not rows:
            table.add_row(plain(t("profile.empty"), style="dim"), *[""] * (len(columns) - 1))

    def details_text(self, data: ProfileData) -> Text:
        doc = data.customer
        lines: list[Text] = []
        if data.loyalty_note:
            note = plain(data.loyalty_note, style="italic")
            lines += [note, Text("")]
        for field in DETAIL_FIELDS:
            value = doc.get(field)
            if field == "merged_into" and data.merged_into_code:
                value = data.merged_into_code
            elif field == "referred_by" and data.referred_by_code:
                value = data.referred_by_code
            elif field in ("kind", "scope", "role") and value:
                value = t(f"{field}.{value}")
            line = Text.assemble((f"{t(f'customer.field.{field}')}: ", "dim"), plain(field_text(value)))
            lines.append(line)
        lines.append(Text(""))
        lines.append(Text(t("profile.audit"), style="bold underline"))
        if not data.audit:
            lines.append(Text(t("profile.audit_none"), style="dim"))
        for record in data.audit:
            lines.extend(audit_lines(record))
        text = Text("\n").join(lines)
        text.no_wrap = False
        return text

    # -- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        archived = bool(self.data and self.data.customer.get("archived"))
        if action == "archive":
            return not archived
        if action == "restore":
            return archived
        if action in ("void_order", "correct_order"):
            return self.is_mounted and self.query_one(TabbedContent).active == "tab-orders"
        return True

    # -- orders: correct (Enter on a row) and void (v) -------------------------------------
    def selected_order(self) -> dict[str, Any] | None:
        """The order under the cursor in the Orders tab (rows follow data.orders)."""
        table = self.query_one("#table-orders", DataTable)
        orders = self.data.orders if self.data else []
        row = table.cursor_row
        return orders[row] if 0 <= row < len(orders) else None

    @on(TabbedContent.TabActivated, "#profile-tabs")
    def tab_switched(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#table-orders")
    def order_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_correct_order()

    def action_correct_order(self) -> None:
        from custui.modals.purchase import PurchaseModal

        order = self.selected_order()
        if order is None:
            self.notify(t("purchase.no_order_selected"), markup=False)
        elif order.get("void"):
            self.notify(t("purchase.is_void", id=order["id"]), severity="warning", markup=False)
        else:
            self.app.push_screen(PurchaseModal(self.workspace, self.customer_id, int(order["id"])),
                                 self.reload)

    def action_void_order(self) -> None:
        from custui.modals.void_order import VoidOrderModal

        order = self.selected_order()
        if order is None:
            self.notify(t("purchase.no_order_selected"), markup=False)
        elif order.get("void"):
            self.notify(t("loyalty.err.order_void", id=order["id"]), severity="warning", markup=False)
        else:
            self.app.push_screen(VoidOrderModal(self.workspace, int(order["id"])), self.reload)

    def action_back(self) -> None:
        self.dismiss()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"

    def reload(self, saved: object = True) -> None:
        if saved:
            self.load()

    def action_entry(self, what: str) -> None:
        module_name, class_name, label = ENTRY_SCREENS[what]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            self.notify(t("profile.not_available", what=t(label)), markup=False)
            return
        screen_class = getattr(module, class_name, None)
        if screen_class is None:
            self.notify(t("profile.not_available", what=t(label)), markup=False)
            return
        self.app.push_screen(screen_class(self.workspace, self.customer_id), self.reload)

    def action_edit(self) -> None:
        from custui.screens.customer_form import CustomerFormScreen, FormOutcome

        def done(outcome: FormOutcome | None) -> None:
            if outcome is None:
                return
            if outcome.customer_id != self.customer_id:
                self.app.push_screen(ProfileScreen(self.workspace, outcome.customer_id))
            else:
                self.load()

        self.app.push_screen(CustomerFormScreen(self.workspace, self.customer_id), done)

    def _confirm(self, message: str, then: Callable[[], None]) -> None:
        from custui.modals.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(message), lambda yes: then() if yes else None)

    def _names(self) -> dict[str, str]:
        doc = self.data.customer if self.data else {}
        return {"name": str(doc.get("name") or ""), "code": str(doc.get("code") or "")}

    def action_archive(self) -> None:
        self._confirm(t("profile.confirm_archive", **self._names()), lambda: self.set_archived(True))

    def action_restore(self) -> None:
        self._confirm(t("profile.confirm_restore", **self._names()), lambda: self.set_archived(False))

    @work(thread=True, exit_on_error=False)
    def set_archived(self, archived: bool) -> None:
        from custui.services.customers import archive_customer, restore_customer

        (archive_customer if archived else restore_customer)(self.workspace, self.customer_id)
        message = t("profile.archived_done" if archived else "profile.restored_done", **self._names())
        self.app.call_from_thread(self.notify, message, markup=False)
        self.app.call_from_thread(self.load)

    def action_merge(self) -> None:
        from custui.modals.pick_customer import PickCustomerModal

        index = self.app.index  # type: ignore[attr-defined]
        title = t("profile.pick_merge", **self._names())
        self.app.push_screen(PickCustomerModal(index, title, exclude=self.customer_id), self.merge_picked)

    def merge_picked(self, other_id: int | None) -> None:
        if other_id is None:
            return
        other = self.workspace.store.get("customers", other_id) or {}
        message = t("profile.confirm_merge", other=str(other.get("name") or ""),
                    other_code=str(other.get("code") or ""), **self._names())
        self._confirm(message, lambda: self.merge(other_id))

    @work(thread=True, exit_on_error=False)
    def merge(self, other_id: int) -> None:
        from custui.services.customers import merge_customers

        moved = merge_customers(self.workspace, self.customer_id, other_id)
        message = t("profile.merged_done", moved=sum(moved.values()))
        self.app.call_from_thread(self.notify, message, markup=False)
        self.app.call_from_thread(self.load)


def _answers(answers: object) -> str:
    if not isinstance(answers, dict):
        return ""
    return "; ".join(f"{k}: {field_text(v)}" for k, v in answers.items())


def audit_lines(record: dict[str, Any]) -> list[Text]:
    """One audit record: a heading line, then "field: old → new" lines."""
    action = str(record.get("action") or "")
    head = Text.assemble(
        plain(str(record.get("at") or "").replace("T", " "), style="bold"), "  ",
        plain(record.get("who")), "  ", plain(t(f"profile.audit.{action}")),
    )
    lines = [head]
    changes = record.get("changes") or {}
    for field, pair in changes.items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        lines.append(Text.assemble(
            "  ", (f"{t(f'customer.field.{field}')}: ", "dim"), plain(field_text(old)),
            " → ", plain(field_text(new)),
        ))
    moved = record.get("moved")
    if isinstance(moved, dict) and any(moved.values()):
        counts = ", ".join(f"{table} {n}" for table, n in moved.items() if n)
        lines.append(Text.assemble("  ", plain(t("profile.audit.moved", counts=counts))))
    return lines
