"""The results table of the lookup: one row per customer, widths chosen for 80 columns.

Every cell is a Rich Text built by `plain` (user text is never markup). The name column
gets the room first: when the terminal is narrow, the Kind column goes and the last order
shows its month only before a name is cut; a cut name ends in "…".
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from custui.i18n import t
from custui.services.customer_view import CustomerRow
from custui.widgets.safe import plain_fit

# (column key, width including a one-cell gap, right-aligned): the least each column gets;
# a column widens to its header in the current language and to its longest configured value
FIXED_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("code", 8, False),
    ("kind", 5, False),
    ("phone", 12, False),
    ("tier", 8, False),  # "Diamond" in full
    ("lifecycle", 10, False),
    ("last_order", 11, False),
    ("spend", 8, True),  # "1,25 tỷ" / "186M"
)
MIN_NAME = 12
NAME_ROOM = 25  # names up to 24 characters in full (and a gap) before anything else is shortened
MONTH_WIDTH = 8  # "2026-11" / "11/2026" and a gap
LONG_DATE = 11  # a whole date and a gap: narrower shows the month
ORDER = ("code", "name", "kind", "phone", "tier", "lifecycle", "last_order", "spend")


def fit(value: str, width: int, right: bool = False, style: str = "") -> Text:
    """`value` as plain Text cut to `width - 1` cells with "…", leaving a gap cell."""
    room = max(1, width - 1)
    text = plain_fit(value, room, style=style)
    if right:
        text = Text(" " * (room - text.cell_len)) + text
    return text


def _needed(key: str, least: int, longest: Mapping[str, int], title: str | None = None) -> int:
    header = cell_len(t(f"lookup.col.{title or key}"))
    return max(least, header + 1, longest.get(key, 0) + 1)


def column_widths(total: int, longest: Mapping[str, int] | None = None) -> dict[str, int]:
    """Column -> width for a table `total` cells wide (one for the scrollbar). Each column is
    as wide as its header in the current language and `longest` (column -> cells of its
    longest configured value: tier and lifecycle names), so neither is cut. Columns left out
    are not shown: to keep NAME_ROOM for the name, Kind goes first, then the last order shows
    its month, then the last order goes (the lifecycle stage still says how recent), and only
    then is the name cut."""
    longest = longest or {}
    available = total - 1
    widths = {key: _needed(key, width, longest) for key, width, _ in FIXED_COLUMNS}
    month_width = _needed("last_order", MONTH_WIDTH, {}, title="last_month")
    for shorten in ("kind", "last_order", "last_month"):
        if available - sum(widths.values()) >= NAME_ROOM:
            break
        if shorten == "kind":
            del widths["kind"]
        elif shorten == "last_order":
            widths["last_order"] = month_width
        else:
            del widths["last_order"]
    widths["name"] = max(MIN_NAME, available - sum(widths.values()))
    return widths


class CustomerTable(DataTable[Text]):
    """Customers as rows keyed by their id; Enter posts DataTable.RowSelected."""

    DEFAULT_CSS = """
    CustomerTable { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None,  # noqa: A002 - Textual's name
                 longest: Mapping[str, int] | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self._rows: list[CustomerRow] = []
        self._widths_shown: dict[str, int] = {}
        self._longest = dict(longest or {})

    def on_mount(self) -> None:
        self._build_columns()

    def _widths(self) -> dict[str, int]:
        return column_widths(self.size.width or 80, self._longest)

    def _build_columns(self) -> None:
        widths = self._widths()
        self._widths_shown = widths
        self.clear(columns=True)
        right = {key for key, _, is_right in FIXED_COLUMNS if is_right}
        for key in ORDER:
            if key in widths:
                title = "last_month" if key == "last_order" and widths[key] < LONG_DATE else key
                label = fit(t(f"lookup.col.{title}"), widths[key], key in right, style="bold")
                self.add_column(label, key=key, width=widths[key])
        self._fill()

    def on_resize(self) -> None:
        if self._widths() != self._widths_shown:
            selected = self.selected_id()
            self._build_columns()
            self.select_id(selected)

    def show(self, rows: list[CustomerRow], keep: int | None = None) -> None:
        """Replace the rows; the cursor stays on customer `keep` when it is still listed."""
        self._rows = rows
        self.clear()
        self._fill()
        self.select_id(keep)

    def _fill(self) -> None:
        widths = self._widths_shown or self._widths()
        by_month = widths.get("last_order", 0) < LONG_DATE
        for row in self._rows:
            style = "dim strike" if row.archived else ""
            self.add_row(
                *(fit(_cell(row, key, by_month), widths[key], key == "spend", style)
                  for key in ORDER if key in widths),
                key=str(row.customer_id),
            )

    def selected_id(self) -> int | None:
        if not self._rows or self.cursor_row < 0 or self.cursor_row >= len(self._rows):
            return None
        return self._rows[self.cursor_row].customer_id

    def select_id(self, customer_id: int | None) -> None:
        for index, row in enumerate(self._rows):
            if row.customer_id == customer_id:
                self.move_cursor(row=index)
                return
        if self._rows:
            self.move_cursor(row=0)

    @property
    def rows_shown(self) -> list[CustomerRow]:
        return list(self._rows)



def _cell(row: CustomerRow, key: str, by_month: bool) -> str:
    if key == "last_order" and by_month:
        return row.last_month or row.last_order
    return str(getattr(row, key))
