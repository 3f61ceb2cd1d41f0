"""The results table of the lookup: one row per customer, widths chosen for 80 columns.

Every cell is a Rich Text built by `plain` (user text is never markup). The name
column takes whatever width the fixed columns leave; long names end in "…".
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from custui.i18n import t
from custui.services.customer_view import CustomerRow
from custui.widgets.safe import plain

# (column key, width including a one-cell gap, right-aligned)
FIXED_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("code", 8, False),
    ("kind", 5, False),
    ("phone", 12, False),
    ("tier", 7, False),
    ("lifecycle", 10, False),
    ("last_order", 11, False),
    ("spend", 8, True),
)
MIN_NAME = 12
ORDER = ("code", "name", "kind", "phone", "tier", "lifecycle", "last_order", "spend")


def fit(value: str, width: int, right: bool = False, style: str = "") -> Text:
    """`value` as plain Text cut to `width - 1` cells with "…", leaving a gap cell."""
    text = plain(value, style=style)
    room = max(1, width - 1)
    if text.cell_len > room:
        text.truncate(room, overflow="ellipsis")
    if right:
        text = Text(" " * (room - text.cell_len)) + text
    return text


class CustomerTable(DataTable[Text]):
    """Customers as rows keyed by their id; Enter posts DataTable.RowSelected."""

    DEFAULT_CSS = """
    CustomerTable { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self._rows: list[CustomerRow] = []
        self._name_width = 0

    def on_mount(self) -> None:
        self._build_columns()

    def _widths(self) -> dict[str, int]:
        fixed = sum(width for _, width, _ in FIXED_COLUMNS)
        available = (self.size.width or 80) - 1
        widths = {key: width for key, width, _ in FIXED_COLUMNS}
        widths["name"] = max(MIN_NAME, available - fixed)
        return widths

    def _build_columns(self) -> None:
        widths = self._widths()
        self._name_width = widths["name"]
        self.clear(columns=True)
        right = {key for key, _, is_right in FIXED_COLUMNS if is_right}
        for key in ORDER:
            label = fit(t(f"lookup.col.{key}"), widths[key], key in right, style="bold")
            self.add_column(label, key=key, width=widths[key])
        self._fill()

    def on_resize(self) -> None:
        if self._widths()["name"] != self._name_width:
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
        widths = self._widths()
        for row in self._rows:
            style = "dim strike" if row.archived else ""
            self.add_row(
                *(fit(getattr(row, key), widths[key], key == "spend", style) for key in ORDER),
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

