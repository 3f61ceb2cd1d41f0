"""`custui import ... --dry-run --review FILE`: every row of the file and what it would do, as a
CSV a shop can check in a spreadsheet before importing (create, update with each field's
old -> new value, unchanged, conflict, error), in file order."""

from __future__ import annotations

from typing import Any

from custui.services.exporter import to_csv
from custui.services.import_plan import ImportResult, ReviewRow

COLUMNS = ("line", "action", "code", "changes", "message")


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def changes_text(row: ReviewRow) -> str:
    """"name: Lan → Hoa | email: ∅ → hoa@x.vn" (a created row: "name: Lan | phone: 0912…")."""
    if row.action == "create":
        return " | ".join(f"{name}: {_shown(new)}" for name, (_old, new) in row.changes.items())
    return " | ".join(f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in row.changes.items())


def review_csv(result: ImportResult, *, excel: bool = False) -> bytes:
    rows = sorted(result.review or [], key=lambda row: row.line)
    return to_csv(COLUMNS, ({"line": row.line, "action": row.action, "code": row.code,
                             "changes": changes_text(row), "message": row.message} for row in rows),
                  excel=excel)
