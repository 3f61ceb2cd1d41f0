"""SegmentsScreen: every segment with its size, revenue and CLV, grouped; Enter lists the members."""

from __future__ import annotations

from collections.abc import Container, Mapping

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from custui.domain.money import format_money, format_money_compact
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


MONEY_COLUMNS = ("revenue", "avg_clv")
LABEL_MIN = 20  # a money column grows into the label's room down to this, else goes compact


def money_text(ws: Workspace, minor: float | None, compact: bool = False) -> str:
    """An amount in the config currency, written the way the current language does
    (`compact`: ₫563.87B, for a column too narrow for the whole amount)."""
    if minor is None:
        return "—"
    write = format_money_compact if compact else format_money
    return write(round(minor), ws.currency, get_locale())


def figure_values(ws: Workspace, summary: SegmentSummary, compact: Container[str] = ()) -> list[str]:
    """The figures of one segment: members, shares, revenue, average CLV."""
    return [
        count_text(summary.count),
        percent(summary.customer_share),
        money_text(ws, summary.revenue, "revenue" in compact),
        percent(summary.revenue_share),
        money_text(ws, summary.avg_clv, "avg_clv" in compact),
    ]


def figure_widths(ws: Workspace, summaries: list[SegmentSummary], room: int) -> tuple[dict[str, int], set[str]]:
    """(each figure column's width, the money columns written compact) for a table `room`
    cells wide: an amount is never cut; a money column too narrow for its largest amount
    grows while the label keeps LABEL_MIN cells, else writes its amounts compact."""
    widths = dict(FIGURE_COLUMNS)
    compact: set[str] = set()
    rows = [figure_values(ws, summary) for summary in summaries]
    for column in MONEY_COLUMNS:
        place = [name for name, _ in FIGURE_COLUMNS].index(column)
        needed = max((cell_len(row[place]) + 1 for row in rows), default=0)
        spare = room - LABEL_MIN - sum(widths.values())
        if needed <= widths[column]:
            continue
        if needed - widths[column] <= spare:
            widths[column] = needed
        else:
            compact.add(column)
    return widths, compact


def segment_cells(ws: Workspace, summary: SegmentSummary, label_width: int,
                  widths: Mapping[str, int], compact: Container[str]) -> list[Text]:
    """The row of one segment: label, members, shares, revenue, average CLV (`figure_widths`)."""
    values = figure_values(ws, summary, compact)
    cells = [fit("  " + summary.label(get_locale()), label_width)]
    cells += [fit(value, widths[name], True) for value, (name, _) in zip(values, FIGURE_COLUMNS, strict=True)]
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
        self._filled_at = 0  # the screen width the table was last laid out for
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

    def label_width(self, widths: Mapping[str, int]) -> int:
        """What the label column gets: the width the figure columns leave (at least 16)."""
        room = (self.size.width or 80) - 1 - sum(widths.values())
        return max(16, min(LABEL_MAX, room))

    def on_resize(self) -> None:
        if self.summaries and (self.size.width or 80) != self._filled_at:
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
        ws = self.workspace
        self._filled_at = self.size.width or 80
        widths, compact = figure_widths(ws, summaries, self._filled_at - 1)
        width = self.label_width(widths)
        table.clear(columns=True)
        table.add_column(fit(t("segui.col.segment"), width, style="bold"), key="label", width=width)
        for column, size in widths.items():
            table.add_column(fit(t(f"segui.col.{column}"), size, True, "bold"), key=column, width=size)
        group = None
        for summary in summaries:
            if summary.group != group:
                group = summary.group
                heading = fit(t(f"segments.group.{group}"), width, style="bold")
                table.add_row(heading, *(Text("") for _ in FIGURE_COLUMNS), key=GROUP_ROW + group)
            table.add_row(*segment_cells(ws, summary, width, widths, compact), key=summary.id)
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
