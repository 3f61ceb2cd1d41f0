"""Schema migrations: MIGRATIONS[n] turns a version-n database into version n+1, in memory.

`open_store` backs the file up first, runs the steps, then writes the result
with a normal atomic compaction. Add a step here whenever SCHEMA_VERSION grows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from custui.domain.text import normalize_phone
from custui.store.base import SCHEMA_VERSION, Doc

StoreTables = dict[str, dict[int, Doc]]
Migration = Callable[[StoreTables], None]


def _v0_to_v1(tables: StoreTables) -> None:
    """Version 0 (pre-release files) lacked `phone_norm`, which phone lookup matches on."""
    for doc in tables.get("customers", {}).values():
        if "phone_norm" not in doc:
            doc["phone_norm"] = normalize_phone(str(doc.get("phone") or ""))


MIGRATIONS: list[Migration] = [_v0_to_v1]
assert len(MIGRATIONS) == SCHEMA_VERSION, "one migration step per schema version"


def migrate(tables: StoreTables, found: int, target: int = SCHEMA_VERSION) -> int:
    """Run the steps from `found` up to `target`; stamps meta; returns the new version."""
    for step in MIGRATIONS[found:target]:
        step(tables)
    meta = tables.setdefault("meta", {})
    doc = meta.setdefault(1, {"id": 1})
    doc.setdefault("created_at", datetime.now(UTC).isoformat(timespec="seconds"))
    doc["schema_version"] = target
    doc["migrated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return target
