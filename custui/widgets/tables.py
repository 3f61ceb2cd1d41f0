"""Small helpers the screens' tables share."""

from __future__ import annotations

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
