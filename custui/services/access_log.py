"""The data-access log: every export of customer data and every erasure, with who, when,
what and how many rows.

On a database file it is `<db>.access.log` beside it (JSON Lines, mode 0600, appended
and fsynced), so exports made with the database open read-only (or open in the app)
are logged too, and the log outlives a restore of an older backup (an erasure it lists
must then be repeated). On other stores (PostgreSQL, memory) each entry is a record of
the `audit` table with action "access" (customer_id null, or the one customer's), written
through `Store.append_audit`, which a read-only open allows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from custui.store.base import Doc, Store
from custui.store.safe_files import open_private

SUFFIX = ".access.log"


def log_path(store: Store) -> Path | None:
    """The log file of a database file; None for stores that keep it in their audit table."""
    location = store.location
    if not location or location.startswith(":") or "://" in location:
        return None
    return Path(location + SUFFIX)


def log_access(store: Store, *, who: str, at: str, action: str, what: str, rows: int,
               target: str = "", customer_id: int | None = None, code: str | None = None) -> None:
    """Append one entry: `action` is export|subject_export|forget; `what` names the data
    (a table, a segment, a customer code); `rows` how many records left or changed."""
    entry: dict[str, Any] = {"at": at, "who": who, "action": action, "what": what, "rows": rows}
    if target:
        entry["target"] = target
    if code:
        entry["customer_code"] = code
    path = log_path(store)
    if path is None:
        store.append_audit({"customer_id": customer_id, "at": at, "who": who,
                               "action": "access", "access": entry, "changes": {}})
        return
    fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, orjson.dumps(entry) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(store: Store) -> list[Doc]:
    """Every entry, oldest first (for `custui info`, tests and an auditor)."""
    path = log_path(store)
    if path is None:
        return [dict(a["access"]) for a in store.all("audit") if a.get("action") == "access"]
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
