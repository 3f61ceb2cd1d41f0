"""CareScreen ("Today"): who needs a call, a thank-you, a survey or a complaint fixed today."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from custui.domain.care import CareItem, QueueCounts, queue_counts
from custui.domain.messages import KIND_PURPOSE
from custui.errors import CustuiError
from custui.i18n import get_locale, t
from custui.screens.app_access import app_of
from custui.screens.records_screen import RecordsScreen
from custui.screens.send_message import offer_message
from custui.services import care as service
from custui.services.workspace import Workspace
from custui.widgets.footer import keys_footer
from custui.widgets.read_only import writes
from custui.widgets.safe import plain, plain_fit
from custui.widgets.tables import cursor_key, rest_width

LATE_STYLE = "bold red"
# (column, width) of the fixed columns; the Why column (None) is as wide as what is left
COLUMNS: tuple[tuple[str, int | None], ...] = (("due", 7), ("kind", 12), ("customer", 20), ("why", None))
COLUMN_WIDTH = {column: width or 0 for column, width in COLUMNS}


def due_label(item: CareItem, today: date) -> str:
    """"! 12d" (12 days late), "! today" (late today), "today", or the day it falls due ("11-30",
    "30/11" in vi: the language's order of day and month)."""
    days = (today - item.due).days
    if item.overdue:
        return t("care.days_late", days=days) if days > 0 else "! " + t("care.today")
    if days == 0:
        return t("care.today")
    return item.due.strftime("%d/%m" if get_locale() == "vi" else "%m-%d")


def header_text(counts: QueueCounts) -> str:
    return t("care.header", total=counts.total, overdue=counts.overdue)


def open_profile(app: App[object], workspace: Workspace, customer_id: int) -> None:
    """Push the customer's profile."""
    from custui.screens.profile import ProfileScreen

    app.push_screen(ProfileScreen(workspace, customer_id))


class CareScreen(RecordsScreen[None]):
    """The queue: Enter opens the customer, d marks done, z snoozes, f takes the survey."""

    DEFAULT_CSS = """
    CareScreen #care { height: 1fr; }
    CareScreen #care-table { height: 1fr; }
    CareScreen #care-count {
        height: auto; max-height: 2; padding: 0 1; color: $text-muted; text-overflow: ellipsis;
    }
    CareScreen #care-count.-overdue { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("enter", "open", "care.open", id="care.open", priority=True),
        Binding("d", "done", "care.done", id="care.done"),
        Binding("z", "snooze", "care.snooze", id="care.snooze"),
        Binding("m", "message", "care.message", id="care.message"),
        Binding("f", "survey", "care.survey", id="care.survey"),
        Binding("r", "refresh", "care.refresh", id="care.refresh", show=False),  # in F1 help
    ]
    ROW_ACTION = "open"  # Enter or a click on a row (RecordsScreen)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__(workspace)
        self.items: dict[str, CareItem] = {}
        self.names: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="care"):
            yield Static(plain(t("care.loading")), id="care-count")
            yield DataTable(id="care-table", cursor_type="row", zebra_stripes=True)
        yield keys_footer()

    def on_mount(self) -> None:
        table = self.query_one("#care-table", DataTable)
        for column, width in COLUMNS:
            table.add_column(t(f"care.col.{column}"), key=column, width=width)
        table.focus()
        self.keys_wait_for(self.load())

    def refresh_records(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="care-queue", exit_on_error=False)
    def load(self) -> None:
        items = service.compute_queue(self.workspace)
        store = self.workspace.store
        names = {}
        for item in items:
            doc = store.get("customers", item.customer_id) or {}
            names[item.customer_id] = str(doc.get("name", f"#{item.customer_id}"))
        self.app.call_from_thread(self.show, items, names)

    def show(self, items: list[CareItem], names: dict[int, str]) -> None:
        table = self.query_one("#care-table", DataTable)
        keep = self.current_key()
        self.items = {item.key: item for item in items}
        self.names = names
        table.clear()
        today = self.workspace.today()
        # the Why column takes the rest of the screen; a longer reason ends in "…"
        why_room = rest_width(self.app.size.width, COLUMNS)
        for item in items:
            style = LATE_STYLE if item.overdue else ""
            due = due_label(item, today)
            table.add_row(
                plain_fit(due, COLUMN_WIDTH["due"], style=style),
                plain_fit(service.kind_label(item.kind), COLUMN_WIDTH["kind"], style=style),
                plain_fit(names.get(item.customer_id, ""), COLUMN_WIDTH["customer"]),
                plain_fit(service.reason_text(item, self.workspace), why_room),
                key=item.key,
            )
        if keep in self.items:
            table.move_cursor(row=table.get_row_index(keep))
        self.show_counts()

    def show_counts(self) -> None:
        counts = queue_counts(self.items.values())
        label = self.query_one("#care-count", Static)
        if not counts.total:
            label.update(plain(t("care.empty")))
        else:
            kinds = ", ".join(f"{service.kind_label(k)} {n}" for k, n in counts.by_kind.items())
            label.update(Text(t("care.count", total=counts.total, overdue=counts.overdue, kinds=kinds)))
        label.set_class(counts.overdue > 0, "-overdue")
        app_of(self).show_care_counts(counts)

    def current_key(self) -> str | None:
        key = cursor_key(self.query_one("#care-table", DataTable))
        return key if key in self.items else None

    def current(self) -> CareItem | None:
        key = self.current_key()
        return self.items.get(key) if key else None

    def action_open(self) -> None:
        """Enter: a complaint row opens that complaint (its status dialog); others the customer."""
        item = self.current()
        if item is None:
            return
        if not self.open_complaint(item):
            open_profile(self.app, self.workspace, item.customer_id)

    def open_complaint(self, item: CareItem) -> bool:
        """Push the status dialog of the complaint `item` is about; False if it is no complaint."""
        if item.kind != "complaint" or item.ref_id is None:
            return False
        from custui.modals.complaint import ComplaintStatusModal

        self.app.push_screen(ComplaintStatusModal(self.workspace, item.ref_id))
        return True

    def action_survey(self) -> None:
        item = self.current()
        if item is None:
            return
        from custui.screens.survey import SurveyScreen

        order_id = item.ref_id if item.kind in ("thank_you", "feedback_request") else None
        self.app.push_screen(SurveyScreen(self.workspace, item.customer_id, item.survey_id, order_id))

    def action_message(self) -> None:
        """Preview and send the row's message (thank-you, feedback request, win-back, ...);
        once sent, the row is done."""
        item = self.current()
        if item is None:
            return
        purpose = KIND_PURPOSE.get(item.kind)
        if purpose is None:
            self.app.notify(t("msg.err.no_purpose"), severity="warning", markup=False)
            return
        offer_message(self, self.workspace, item.customer_id, purpose, care_key=item.key)

    def action_refresh(self) -> None:
        self.load()

    @writes
    def action_done(self) -> None:
        """d: done. A complaint is done when it is resolved: its status dialog opens instead of
        the row leaving Today while the complaint is still open."""
        item = self.current()
        if item is not None and not self.open_complaint(item):
            self.remove_item(item)
            self.mark(item, snooze=False)

    @writes
    def action_snooze(self) -> None:
        item = self.current()
        if item is not None:
            self.remove_item(item)
            self.mark(item, snooze=True)

    def remove_item(self, item: CareItem) -> None:
        table = self.query_one("#care-table", DataTable)
        self.items.pop(item.key, None)
        table.remove_row(item.key)
        self.show_counts()

    @work(thread=True, exit_on_error=False, group="care-mark")
    def mark(self, item: CareItem, snooze: bool) -> None:
        try:
            doc = service.snooze(self.workspace, item) if snooze else service.mark_done(self.workspace, item)
        except CustuiError as err:
            self.app.call_from_thread(self.app.notify, err.message, severity="error", markup=False)
            self.app.call_from_thread(self.load)
            return
        message = t("care.snoozed", until=doc.get("snoozed_until")) if snooze else t("care.marked_done")
        self.app.call_from_thread(self.app.notify, message, markup=False)
