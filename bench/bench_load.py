"""Fill a MemoryStore from TinyDB-shaped tables ({table: {"1": doc}}), for the benches."""

from __future__ import annotations

from typing import Any

from custui.domain.enums import TABLES
from custui.store.memory import MemoryStore


def load_tables(store: MemoryStore, tables: dict[str, dict[str, Any]]) -> MemoryStore:
    store._tables = {name: {} for name in TABLES}
    for name, docs in tables.items():
        if name == "_default":
            continue
        target = store._tables.setdefault(name, {})
        for key, doc in docs.items():
            doc["id"] = int(key)
            target[int(key)] = doc
    store._reindex()
    store._reset_next_ids()
    return store
