"""SegmentsScreen: every segment with its size, revenue and CLV, grouped; Enter lists the members."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from custui.domain.money import format_money
from custui.domain.segments import SegmentSummary
from custui.i18n import count_text, get_locale, percent_text, t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.screens.records_screen import RecordsScreen
from custui.services.workspace import Workspace
from custui.widgets.customer_table import fit
from custui.widgets.footer import KeysFooter
from custui.widgets.safe import plain
from custui.widgets.tables import cursor_key

GROUP_ROW = "group:"  # row keys of the group headings
LABEL_MAX = 44  # wider labels leave the figures far from their names
# (column, width including a one-cell gap); the label column takes the rest
FIGURE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("members", 8), ("customer_share", 8), ("revenue", 16), ("revenue_share", 7), ("avg_clv", 15),
)


def percent(share: float | None) -> str:
    return percent_text(share, gap="")


def money_text(ws: Workspace, minor: float | None) -> str:
    """An amount in the config currency, written the way the current language does."""
    if minor is None:
        return "—"
    return format_money(round(minor), ws.currency, get_locale())


def segment_cells(ws: Workspace, summary: SegmentSummary, label_width: int) -> list[Text]:
    """The row of one segment: label, members, shares, revenue, average CLV."""
    values = (
        count_text(summary.count),
        percent(summary.customer_share),
        money_text(ws, summary.revenue),
        percent(summary.revenue_share),
        money_text(ws, summary.avg_clv),
    )
    cells = [fit("  " + summary.label(get_locale()), label_width)]
    cells += [fit(value, size, True) for value, (_, size) in zip(values, FIGURE_COLUMNS, strict=True)]
    return cells


class SegmentsScreen(RecordsScreen[None]):
    """The segments, grouped (lifecycle, kind, ..., custom); Enter shows a segment's members."""

    DEFAULT_CSS = """
    SegmentsScreen #segments { height: 1fr; }
    SegmentsScreen #segments-table { height: 1fr; }
    SegmentsScreen #segments-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding(key("segments.open"), "open_members", "segui.open", id="segments.open"),
        Binding(key("segments.refresh"), "refresh", "segui.refresh", id="segments.refresh"),
        Binding(key("segments.dashboard"), "app.switch_mode('dashboard')", "segui.dashboard", id="segments.dashboard"),
        Binding(key("segments.lookup"), "go_lookup", "segui.lookup", id="segments.lookup"),
    ]
    ROW_ACTION = "open_members"  # Enter or a click on a row (RecordsScreen)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__(workspace)
        self.summaries: dict[str, SegmentSummary] = {}
        self._label_width = 0
        self._last_row = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="segments"):
            yield Static(plain(t("segui.loading")), id="segments-status")
            yield DataTable(id="segments-table", cursor_type="row", cell_padding=0)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = t("segui.title")
        self.query_one("#segments-table", DataTable).focus()
        self.keys_wait_for(self.load())

    def label_width(self) -> int:
        """What the label column gets: the width the figure columns leave (at least 16)."""
        room = (self.size.width or 80) - 1 - sum(width for _, width in FIGURE_COLUMNS)
        return max(16, min(LABEL_MAX, room))

    def on_resize(self) -> None:
        if self.summaries and self.label_width() != self._label_width:
            self.fill(list(self.summaries.values()))

    def refresh_records(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_go_lookup(self) -> None:
        self.app.switch_mode(self.app.DEFAULT_MODE)

    @work(thread=True, exclusive=True, group="segments-load", exit_on_error=False)
    def load(self) -> None:
        analytics = app_of(self).analytics
        summaries = analytics.segments()
        self.app.call_from_thread(self.show, summaries, analytics.rule_problems)

    def show(self, summaries: list[SegmentSummary], problems: list[str]) -> None:
        self.summaries = {s.id: s for s in summaries}
        self.fill(summaries)
        customers = sum(s.count for s in summaries if s.group == "lifecycle")  # one group each
        text = t("segui.summary", customers=count_text(customers), segments=len(summaries))
        if problems:
            text += "\n" + t("segui.problems", problems="; ".join(problems))
        status = plain(text)
        status.no_wrap = False
        self.query_one("#segments-status", Static).update(status)

    def fill(self, summaries: list[SegmentSummary]) -> None:
        """(Re)build the table: a heading row per group, then its segments."""
        table = self.query_one("#segments-table", DataTable)
        keep = self.selected_id()
        self._label_width = width = self.label_width()
        table.clear(columns=True)
        table.add_column(fit(t("segui.col.segment"), width, style="bold"), key="label", width=width)
        for column, size in FIGURE_COLUMNS:
            table.add_column(fit(t(f"segui.col.{column}"), size, True, "bold"), key=column, width=size)
        group = None
        ws = self.workspace
        for summary in summaries:
            if summary.group != group:
                group = summary.group
                heading = fit(t(f"segments.group.{group}"), width, style="bold")
                table.add_row(heading, *(Text("") for _ in FIGURE_COLUMNS), key=GROUP_ROW + group)
            table.add_row(*segment_cells(ws, summary, width), key=summary.id)
        self.select(keep or (summaries[0].id if summaries else None))

    def select(self, segment_id: str | None) -> None:
        table = self.query_one("#segments-table", DataTable)
        if segment_id is None:
            return
        try:
            table.move_cursor(row=table.get_row_index(segment_id))
        except Exception:  # noqa: BLE001 - the row is gone: stay where we are
            pass

    def selected_id(self) -> str | None:
        key = cursor_key(self.query_one("#segments-table", DataTable))
        return None if key is None or key.startswith(GROUP_ROW) else key

    @on(DataTable.RowHighlighted, "#segments-table")
    def skip_heading(self, event: DataTable.RowHighlighted) -> None:
        """The cursor never rests on a group heading: it moves on in the direction it came."""
        row, before = event.cursor_row, self._last_row
        self._last_row = row
        key = event.row_key.value
        if key is None or not key.startswith(GROUP_ROW):
            return
        table = event.data_table
        step = -1 if row < before and row > 0 else 1
        if 0 <= row + step < table.row_count:
            table.move_cursor(row=row + step)

    def action_open_members(self) -> None:
        segment_id = self.selected_id()
        if segment_id is None or segment_id not in self.summaries:
            return
        from custui.screens.segment_members import SegmentMembersScreen

        self.app.push_screen(SegmentMembersScreen(self.workspace, self.summaries[segment_id]))
