"""ComplaintsScreen: every complaint, filterable by status, category and overdue."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from custui.domain.complaints import is_overdue
from custui.i18n import t
from custui.screens.records_screen import RecordsScreen
from custui.services import complaints as service
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.widgets.footer import keys_footer
from custui.widgets.safe import plain_fit
from custui.widgets.tables import cursor_key, rest_width

STATUS_FILTERS: tuple[str | None, ...] = ("active", "open", "in_progress", "resolved", "closed", None)
SHOWN_MAX = 1000  # rows put in the table; the count line says how many matched


# (column, width) of the table; the customer column (None) is as wide as what is left
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("id", 5), ("due", 16), ("status", 12), ("category", 16), ("severity", 6), ("customer", None),
)
WIDTH = {column: width or 0 for column, width in COLUMNS}


class ComplaintsScreen(RecordsScreen[None]):
    """Enter changes the status of the highlighted complaint; p opens its customer."""

    DEFAULT_CSS = """
    ComplaintsScreen #complaints { height: 1fr; }
    ComplaintsScreen #complaints-table { height: 1fr; }
    ComplaintsScreen #complaints-count { height: auto; padding: 0 1; color: $text-muted; }
    ComplaintsScreen #complaints-count.-overdue { color: $error; }
    """
    BINDINGS = [
        Binding("enter", "change", "complaints.change", id="complaints.change", priority=True),
        Binding("p", "profile", "complaints.profile", id="complaints.profile"),
        Binding("s", "cycle_status", "complaints.filter.status", id="complaints.status"),
        Binding("g", "cycle_category", "complaints.filter.category", id="complaints.category"),
        Binding("o", "toggle_overdue", "complaints.filter.overdue", id="complaints.overdue"),
        Binding("r", "refresh", "care.refresh", id="complaints.refresh", show=False),
    ]
    ROW_ACTION = "change"  # Enter or a click on a row (RecordsScreen)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__(workspace)
        self.status_index = 0
        self.category_index = -1  # -1: any
        self.only_overdue = False
        self.rows: dict[str, Doc] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="complaints"):
            yield Static(id="complaints-count")
            yield DataTable(id="complaints-table", cursor_type="row", zebra_stripes=True)
        yield keys_footer()

    def on_mount(self) -> None:
        table = self.query_one("#complaints-table", DataTable)
        self._columns(table, WIDTH["id"])
        table.focus()
        self.keys_wait_for(self.load())

    @staticmethod
    def _columns(table: DataTable[Text], id_width: int) -> tuple[tuple[str, int | None], ...]:
        """(Re)make the columns with the number column `id_width` wide; the columns made."""
        columns = (("id", id_width), *COLUMNS[1:])
        table.clear(columns=True)
        for key, width in columns:
            table.add_column(t(f"complaints.col.{key}"), key=key, width=width)
        return columns

    def refresh_records(self) -> None:
        self.load()

    def filter(self) -> service.ComplaintFilter:
        categories = self.workspace.config.care.complaint_categories
        category = categories[self.category_index].id if self.category_index >= 0 else None
        return service.ComplaintFilter(STATUS_FILTERS[self.status_index], category, self.only_overdue)

    @work(thread=True, exclusive=True, group="complaints", exit_on_error=False)
    def load(self) -> None:
        ws = self.workspace
        rows = service.list_complaints(ws, self.filter())
        total = ws.store.count("complaints")
        names: dict[object, str] = {}
        for doc in rows[:SHOWN_MAX]:
            cid = doc.get("customer_id")
            if cid not in names:
                customer = ws.store.get("customers", cid) if isinstance(cid, int) else None
                names[cid] = str((customer or {}).get("name", f"#{cid}"))
        self.app.call_from_thread(self.show, rows, names, total)

    def show(self, rows: list[Doc], names: dict[object, str], total: int) -> None:
        ws = self.workspace
        now = ws.clock()
        table = self.query_one("#complaints-table", DataTable)
        shown = rows[:SHOWN_MAX]
        # a complaint's number is what staff read out: never cut (a marker cell, then the digits)
        id_width = max(WIDTH["id"], 1 + max((len(str(doc["id"])) for doc in shown), default=0))
        columns = self._columns(table, id_width)
        self.rows = {}
        overdue = 0
        # the customer column takes the rest of the screen; a cut value ends in "…"
        customer_room = rest_width(self.app.size.width, columns)
        for doc in shown:
            late = is_overdue(doc, now)
            overdue += late
            style = "bold red" if late else ""
            key = str(doc["id"])
            self.rows[key] = doc
            due = service.due_text(doc, now) if doc.get("status") in ("open", "in_progress") else ""
            table.add_row(
                plain_fit(f"{'!' if late else ' '}{doc['id']}", id_width, style=style),
                plain_fit(due, WIDTH["due"], style=style),
                plain_fit(service.status_name(str(doc.get("status", ""))), WIDTH["status"]),
                plain_fit(service.category_name(ws, str(doc.get("category", ""))), WIDTH["category"]),
                plain_fit(service.severity_name(ws, str(doc.get("severity", ""))), WIDTH["severity"]),
                plain_fit(names.get(doc.get("customer_id"), ""), customer_room),
                key=key,
            )
        where = self.filter()
        status = t(f"complaint.status.{where.status}") if where.status else t("complaint.status.any")
        category = service.category_name(ws, where.category) if where.category else t("complaint.category.any")
        line = Text(t("complaints.count", shown=len(rows), total=total, status=status, category=category,
                      overdue=t("complaints.only_overdue") if where.overdue else ""))
        line.append("  s/g/o", style="dim")
        count = self.query_one("#complaints-count", Static)
        count.update(line)
        count.set_class(overdue > 0, "-overdue")

    def current(self) -> Doc | None:
        return self.rows.get(cursor_key(self.query_one("#complaints-table", DataTable)) or "")

    def action_change(self) -> None:
        doc = self.current()
        if doc is None:
            return
        from custui.modals.complaint import ComplaintStatusModal

        self.app.push_screen(ComplaintStatusModal(self.workspace, int(doc["id"])), self.after_change)

    def after_change(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_profile(self) -> None:
        doc = self.current()
        if doc is not None:
            from custui.screens.care import open_profile

            open_profile(self.app, self.workspace, int(doc["customer_id"]))

    def action_cycle_status(self) -> None:
        self.status_index = (self.status_index + 1) % len(STATUS_FILTERS)
        self.load()

    def action_cycle_category(self) -> None:
        count = len(self.workspace.config.care.complaint_categories)
        self.category_index = (self.category_index + 2) % (count + 1) - 1
        self.load()

    def action_toggle_overdue(self) -> None:
        self.only_overdue = not self.only_overdue
        self.load()

    def action_refresh(self) -> None:
        self.load()
