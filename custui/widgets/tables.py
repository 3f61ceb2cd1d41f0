"""Small helpers the screens' tables share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor (None in an empty table or without a key)."""
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:  # the cursor is past the rows (they were just replaced)
        return None
    return key


SCROLLBAR = 2
MIN_REST = 10


def rest_width(screen_width: int, columns: Sequence[tuple[str, int | None]]) -> int:
    """Cells left for the column without a width (None) on a `screen_width` screen: the fixed
    columns, a padding cell each side of every column and the scrollbar come first."""
    fixed = sum(width or 0 for _, width in columns) + 2 * len(columns) + SCROLLBAR
    return max(MIN_REST, screen_width - fixed)
