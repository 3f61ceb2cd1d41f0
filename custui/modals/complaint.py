"""ComplaintModal opens a complaint; ComplaintStatusModal moves one along (with goodwill)."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from custui.domain.complaints import RESOLVED, next_statuses, sla_hours
from custui.domain.money import format_money
from custui.domain.survey import choice_index, choice_key
from custui.errors import CustuiError
from custui.i18n import get_locale, t
from custui.modals.form_base import MODAL_CSS, EntryModal, press_choice, save_cancel, titled
from custui.services import complaints as service
from custui.services.feedback import order_line, recent_orders
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.widgets.choice_row import ChoiceRow
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain, safe_str
from custui.widgets.state_checkbox import StateCheckbox


class ComplaintModal(EntryModal):
    """Category (digits), severity, what happened, linked order; ctrl+s or Enter saves."""

    DEFAULT_CSS = MODAL_CSS.format(cls="ComplaintModal")
    BINDINGS = save_cancel("complaint", "complaint.save", "complaint.cancel")

    def __init__(self, workspace: Workspace, customer_id: int, order_id: int | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer = workspace.store.get("customers", customer_id) or {}
        self.orders = recent_orders(workspace, customer_id)
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        care = self.workspace.config.care
        with Vertical():
            yield titled(t("complaint.new"), self.customer.get("name", ""))
            yield Static(plain(t("complaint.category")), classes="label")
            options = []
            for index, category in enumerate(care.complaint_categories):
                label = Text(f"{choice_key(index)}  ")
                label.append_text(plain(category.name.get(get_locale())))
                options.append(Option(label, id=category.id))
            yield OptionList(*options, id="category", compact=True)
            yield Static(plain(t("complaint.severity")), classes="label")
            with ChoiceRow(id="severity", compact=True):
                middle = len(care.severities) // 2
                for index, level in enumerate(care.severities):
                    text = f"{index + 1} " + t("complaint.severity_sla", name=level.name.get(get_locale()),
                                               hours=level.sla_hours)
                    yield RadioButton(plain(text), value=index == middle, name=level.id)
            yield Static(plain(t("complaint.description")), classes="label")
            yield SafeInput(placeholder=t("complaint.description_ph"), id="description", compact=True)
            yield Static(plain(t("complaint.order")), classes="label")
            yield Select(self.order_options(), value=self.order_id if self.order_id else Select.NULL,
                         prompt=t("complaint.no_order"), id="order", compact=True)
            yield Static(id="due", classes="keys")
            yield Static(id="error", classes="error")
            yield Static(plain("Tab ↓ · ctrl+s " + t("complaint.save") + " · Esc " + t("complaint.cancel")),
                         classes="keys")

    def order_options(self) -> list[tuple[Text, int]]:
        return [(plain(order_line(self.workspace, order)), int(order["id"])) for order in self.orders]

    def on_mount(self) -> None:
        self.query_one("#category", OptionList).highlighted = 0
        self.query_one("#category", OptionList).focus()
        self.show_due()

    def selected(self) -> tuple[str, str]:
        care = self.workspace.config.care
        index = self.query_one("#category", OptionList).highlighted or 0
        category = care.complaint_categories[index].id
        pressed = self.query_one("#severity", RadioSet).pressed_button
        severity = pressed.name if pressed is not None and pressed.name else care.severities[0].id
        return category, severity

    def show_due(self) -> None:
        """Spell out the choice (readable without colour) and the SLA it gives."""
        care = self.workspace.config.care
        category, severity = self.selected()
        hours = sla_hours(care, category, severity)
        self.query_one("#due", Static).update(plain(t(
            "complaint.chosen", category=service.category_name(self.workspace, category),
            severity=service.severity_name(self.workspace, severity), hours=hours,
        )))

    def on_key(self, event: events.Key) -> None:
        """Digits pick a category (then move to severity) or a severity (then the description)."""
        if not event.character:
            return
        care = self.workspace.config.care
        if self.focused is self.query_one("#category", OptionList):
            index = choice_index(event.character, len(care.complaint_categories))
            if index is not None:
                event.stop()
                self.query_one("#category", OptionList).highlighted = index
                self.show_due()
                self.query_one("#severity", RadioSet).focus()
        elif self.focused is self.query_one("#severity", RadioSet):
            if press_choice(self.query_one("#severity", RadioSet), event.character):
                event.stop()
                self.query_one("#description", Input).focus()

    @on(OptionList.OptionHighlighted, "#category")
    def category_moved(self) -> None:
        self.show_due()

    @on(OptionList.OptionSelected, "#category")
    def category_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#severity", RadioSet).focus()

    @on(RadioSet.Changed, "#severity")
    def severity_chosen(self) -> None:
        self.show_due()

    @writes
    def action_save(self) -> None:
        ws, customer_id = self.workspace, self.customer_id
        category, severity = self.selected()
        description = self.query_one("#description", Input).value
        order = self.query_one("#order", Select).value
        order_id = order if isinstance(order, int) else None
        self.run_save(lambda: service.open_complaint(ws, customer_id, category, severity, description, order_id),
                      self.saved)

    def save_refused(self, error: CustuiError) -> None:
        super().save_refused(error)
        self.query_one("#description", Input).focus()

    def saved(self, doc: Doc) -> None:
        due = str(doc.get("due_at", ""))[:16].replace("T", " ")
        self.close_saved(t("complaint.saved", id=doc["id"], due=due))


def history_text(doc: Doc, limit: int = 4) -> Text:
    """The last status changes, oldest first: "2026-11-28 10:00  open  note"."""
    lines = []
    for event in list(doc.get("history", []))[-limit:]:
        line = Text(str(event.get("at", ""))[:16].replace("T", " ") + "  ", style="dim")
        line.append(service.status_name(str(event.get("status", ""))), style="bold")
        if event.get("note"):
            line.append("  ")
            line.append_text(plain(event.get("note")))
        lines.append(line)
    return Text("\n").join(lines)


class ComplaintStatusModal(EntryModal):
    """Move a complaint to its next status with a note; resolving can grant goodwill."""

    DEFAULT_CSS = MODAL_CSS.format(cls="ComplaintStatusModal")
    BINDINGS = save_cancel("complaint-status", "complaint.save", "complaint.cancel")

    def __init__(self, workspace: Workspace, complaint_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.complaint_id = complaint_id
        self.complaint = workspace.store.get("complaints", complaint_id) or {}
        self.customer = workspace.store.get("customers", self.complaint.get("customer_id", -1)) or {}
        self.offer = service.goodwill_offer(workspace, self.complaint)
        self.choices = next_statuses(str(self.complaint.get("status", "")))

    def compose(self) -> ComposeResult:
        ws, doc = self.workspace, self.complaint
        with Vertical():
            yield titled(t("complaint.change", id=self.complaint_id,
                           status=service.status_name(str(doc.get("status", "")))), self.customer.get("name", ""))
            facts = plain(f"{service.category_name(ws, str(doc.get('category', '')))} · "
                          f"{service.severity_name(ws, str(doc.get('severity', '')))} · ")
            due = service.due_text(doc, ws.clock())
            facts.append(safe_str(due), style="bold" if due.startswith("!") else "")
            yield Static(facts, classes="-overdue" if due.startswith("!") else "")
            description = plain(doc.get("description", ""))
            description.no_wrap = False
            yield Static(description)
            yield Static(plain(t("complaint.history")), classes="label")
            yield Static(history_text(doc))
            if not self.choices:
                yield Static(plain(t("complaint.final")), classes="error")
                return
            yield Static(id="to-label", classes="label")
            with ChoiceRow(id="to", compact=True):
                for index, status in enumerate(self.choices):
                    yield RadioButton(plain(service.status_name(status)), value=index == 0, name=status)
            yield Static(plain(t("complaint.note")), classes="label")
            yield SafeInput(placeholder=t("complaint.note_ph"), id="note", compact=True)
            if self.offer.points:
                yield StateCheckbox(t("complaint.grant_points", points=self.offer.points),
                                    id="grant-points", compact=True)
            if self.offer.voucher_amount:
                amount = format_money(self.offer.voucher_amount, ws.currency, get_locale())
                yield StateCheckbox(t("complaint.grant_voucher", amount=amount),
                                    id="grant-voucher", compact=True)
            yield Static(id="error", classes="error")
            yield Static(plain("Tab ↓ · Enter/ctrl+s " + t("complaint.save") + " · Esc "
                               + t("complaint.cancel")), classes="keys")

    def on_mount(self) -> None:
        if self.choices:
            self.query_one("#note", Input).focus()
            self.show_goodwill()

    def target(self) -> str:
        pressed = self.query_one("#to", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else self.choices[0]

    def show_goodwill(self) -> None:
        """Say where the complaint goes in words (readable without colour); goodwill on resolve."""
        target = self.target()
        self.query_one("#to-label", Static).update(
            plain(f"{t('complaint.to')}: {service.status_name(target)}"))
        resolving = target == RESOLVED
        for box in self.query(Checkbox):
            box.display = resolving

    @on(RadioSet.Changed, "#to")
    def target_changed(self) -> None:
        self.show_goodwill()

    def checked(self, box_id: str) -> bool:
        boxes = self.query(f"#{box_id}").results(Checkbox)
        return any(box.value and box.display for box in boxes)

    @writes
    def action_save(self) -> None:
        if not self.choices:
            return
        ws, complaint_id = self.workspace, self.complaint_id
        status, note = self.target(), self.query_one("#note", Input).value
        points, voucher = self.checked("grant-points"), self.checked("grant-voucher")
        self.run_save(lambda: service.change_status(ws, complaint_id, status, note, points, voucher), self.saved)

    def saved(self, doc: Doc) -> None:
        self.close_saved(t("complaint.changed", id=doc["id"], status=service.status_name(str(doc["status"]))))
