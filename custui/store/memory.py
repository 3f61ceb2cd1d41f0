"""An in-memory store: the reference implementation, and the base of the file store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from custui.domain.enums import CHILD_TABLES, TABLES
from custui.errors import ReadOnlyStore
from custui.store.base import SCHEMA_VERSION, VERSION_FIELD, ChangeListener, Doc
from custui.store.columns import ColumnTable

# (table, doc) pairs written since the last durable point
Pending = list[tuple[str, Doc]]


class MemoryStore:
    """Holds every table in dicts with a by-customer index for child tables."""

    def __init__(self, location: str = ":memory:", read_only: bool = False) -> None:
        self.location = location
        self.read_only = read_only
        self._logging = False  # append_audit is writing (allowed when read-only)
        self._tables: dict[str, dict[int, Doc]] = {name: {} for name in TABLES}
        self._next_id: dict[str, int] = defaultdict(lambda: 1)
        self._by_customer: dict[str, dict[int, list[Doc]]] = {
            name: defaultdict(list) for name in CHILD_TABLES
        }
        self._listeners: list[ChangeListener] = []
        self._pending: Pending = []
        self._undo: list[tuple[str, int, Doc | None]] = []  # what `_pending` replaced
        self._batch_depth = 0
        self._revision = 0
        if not self._tables["meta"]:
            self._tables["meta"][1] = {
                "id": 1,
                "schema_version": SCHEMA_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }

    # -- loading (used by subclasses) -------------------------------------------------
    def _reset_next_ids(self) -> None:
        """Next id of each table: one past its highest."""
        self._next_id = defaultdict(lambda: 1)
        for name, docs in self._tables.items():
            if docs:
                self._next_id[name] = max(docs) + 1

    def _reindex(self) -> None:
        self._reset_next_ids()
        self._by_customer = {name: defaultdict(list) for name in CHILD_TABLES}
        for name in CHILD_TABLES:
            index = self._by_customer[name]
            for doc in self._tables.get(name, {}).values():
                cid = doc.get("customer_id")
                if cid is not None:
                    index[cid].append(doc)

    def _apply(self, table: str, doc: Doc) -> None:
        """Put a full doc in place, keeping the by-customer index right."""
        docs = self._tables.setdefault(table, {})
        doc_id = int(doc["id"])
        old = docs.get(doc_id)
        docs[doc_id] = doc
        if doc_id >= self._next_id[table]:
            self._next_id[table] = doc_id + 1
        index = self._by_customer.get(table)
        if index is not None:
            if old is not None:
                self._unindex(table, old)
            cid = doc.get("customer_id")
            if cid is not None:
                index[cid].append(doc)

    def _unindex(self, table: str, doc: Doc) -> None:
        """Take `doc` out of its customer's list in the by-customer index of `table`."""
        cid = doc.get("customer_id")
        bucket = self._by_customer.get(table, {}).get(cid) if isinstance(cid, int) else None
        if bucket is not None:
            bucket[:] = [d for d in bucket if d["id"] != doc["id"]]

    # -- reads ---------------------------------------------------------------------------
    def get(self, table: str, doc_id: int) -> Doc | None:
        return self._tables.get(table, {}).get(int(doc_id))

    def all(self, table: str) -> list[Doc]:
        return list(self._tables.get(table, {}).values())

    def count(self, table: str) -> int:
        return len(self._tables.get(table, {}))

    def fields(self, table: str, names: Iterable[str]) -> list[list[Any]]:
        """For each of `names`, its value (None where absent) in every record of `table`, in
        the order of `all`: what a pass over a big table needs, without its records."""
        docs = self._tables.get(table, {})
        if isinstance(docs, ColumnTable):
            return docs.fields(names)
        rows = list(docs.values())
        return [list(map(dict.get, rows, repeat(name))) for name in names]

    def children(self, table: str, customer_id: int) -> list[Doc]:
        return list(self._by_customer[table].get(customer_id, ()))

    def matching(self, table: str, field: str, value: int) -> list[Doc]:
        return [doc for doc in self.all(table) if doc.get(field) == value]

    def meta(self) -> Doc:
        return self._tables["meta"].get(1, {})

    @property
    def revision(self) -> int:
        return self._revision

    def tables(self) -> dict[str, dict[int, Doc]]:
        return self._tables

    # -- background loading (FileStore loads big tables after open; here all is loaded) ----
    def loaded(self, table: str | None = None) -> bool:
        """Whether `table` (default: every table) can be read without waiting."""
        return True

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Block until every table is loaded; True when all are."""
        return True

    def wait_settled(self, timeout: float | None = None) -> bool:
        """Block until the load and any background work after it are over; True when they are."""
        return self.wait_loaded(timeout)

    def after_load(self, callback: Callable[[], object]) -> None:
        """Run `callback` once every table has loaded (at once here)."""
        callback()

    def release_load(self) -> None:
        """Nothing loads in the background here."""

    def pace_loading(self, pause: Callable[[Callable[[], bool]], None]) -> None:
        """Nothing loads in the background here."""

    def stop_loading(self) -> None:
        """Nothing loads in the background here."""

    def derived_file(self, name: str) -> tuple[Path, str] | None:
        """No file: nothing is kept between launches."""
        return None

    # -- writes --------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only and not self._logging:
            raise ReadOnlyStore(f"{self.location} is open read-only")

    def append_audit(self, doc: Mapping[str, Any]) -> Doc:
        """Add one audit record, also on a read-only open: the data-access log records that
        data was read (an export) and changes no other record, so an export made read-only
        is logged like any other."""
        self._logging = True
        try:
            return self.insert("audit", doc)
        finally:
            self._logging = False

    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        self._check_writable()
        stored = dict(doc)
        stored["id"] = self._next_id[table]
        self._write(table, stored)
        return stored

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        self._check_writable()
        current = self.get(table, doc_id)
        if current is None:
            raise KeyError(f"{table} #{doc_id} not found")
        if table == "customers" and VERSION_FIELD in changes:
            # a single writer has no concurrent saves to refuse: the version a caller read
            # is not data, and must never replace the stored one
            changes = {k: v for k, v in changes.items() if k != VERSION_FIELD}
        stored = {**current, **changes, "id": int(doc_id)}
        self._write(table, stored)
        return stored

    def _write(self, table: str, doc: Doc) -> None:
        self._undo.append((table, int(doc["id"]), self._tables.get(table, {}).get(int(doc["id"]))))
        self._apply(table, doc)
        self._revision += 1
        self._pending.append((table, doc))
        if self._batch_depth == 0:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        undo, self._undo = self._undo, []
        if pending:
            try:
                self._persist(pending)
            except BaseException:
                self._roll_back(undo)  # not saved: memory must not hold what the disk does not
                raise
            for table, doc in pending:
                for listener in self._listeners:
                    listener(table, doc)

    def _roll_back(self, undo: list[tuple[str, int, Doc | None]]) -> None:
        for table, doc_id, old in reversed(undo):
            if old is not None:
                self._apply(table, old)
                continue
            doc = self._tables.get(table, {}).pop(doc_id, None)
            if doc is not None:
                self._unindex(table, doc)
        self._revision += 1

    def _persist(self, pending: Pending) -> None:
        """Make `pending` durable. The memory store has nothing to do."""

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._flush()

    def bulk(self) -> AbstractContextManager[None]:
        """Many writes at once: here simply a batch."""
        return self.batch()

    def put_many(self, table: str, docs: list[Doc]) -> int:
        """Store docs under their own ids, replacing any with the same id."""
        self._check_writable()
        with self.batch():
            for doc in docs:
                self._write(table, {**doc, "id": int(doc["id"])})
        return len(docs)

    def next_customer_code(self) -> str | None:
        """None: one process writes this store, so the highest code + 1 is free."""
        return None

    def subscribe(self, listener: ChangeListener) -> None:
        self._listeners.append(listener)

    def subscribe_remote(self, listener: ChangeListener) -> None:
        """No other process writes this store: `listener` is never called."""

    def info(self) -> dict[str, Any]:
        return {
            "path": self.location,
            "schema_version": self.meta().get("schema_version"),
            "tables": {name: len(docs) for name, docs in self._tables.items() if name != "meta"},
        }

    def close(self) -> None:
        self._flush()
