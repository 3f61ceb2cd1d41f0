"""The store interface every backend implements (TinyDB file today, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from itertools import compress
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

Doc = dict[str, Any]
# (table, doc after the change) for every write, after it is durable
ChangeListener = Callable[[str, Doc], None]

SCHEMA_VERSION = 1
# Optimistic concurrency (stores shared by several processes: PostgreSQL). Customer docs
# there carry VERSION_FIELD, bumped by the store on every update. A caller that must not
# overwrite someone else's save passes the version it read as `changes[VERSION_FIELD]`;
# `update` then raises custui.errors.StaleRecord (message: who, when, which fields) if the
# record changed meanwhile, and keeps nothing. Single-writer stores (memory, file) have
# no version: only pass the key when the doc you read has it.
VERSION_FIELD = "version"


@runtime_checkable
class Store(Protocol):
    """Tables of JSON-like documents keyed by an integer id (kept in the doc as "id").

    Documents returned by reads are the store's own objects: treat them as
    read-only (copy before changing). Every write returns only once durable.
    """

    location: str
    read_only: bool

    def get(self, table: str, doc_id: int) -> Doc | None: ...

    def all(self, table: str) -> list[Doc]: ...

    def count(self, table: str) -> int: ...

    def fields(self, table: str, names: Iterable[str]) -> list[list[Any]]:
        """For each of `names`, its value (None where absent) in every record of `table`, in
        the order of `all`, without making the records (the big tables are columns)."""
        ...

    def children(self, table: str, customer_id: int) -> list[Doc]:
        """Records of a child table (orders, feedback, ...) that belong to one customer."""
        ...

    def matching(self, table: str, field: str, value: int) -> list[Doc]:
        """Records of `table` whose `field` is the id `value` (the customers one referred)."""
        ...

    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        """Store a new record, assigning its id; returns the stored doc."""
        ...

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        """Merge `changes` into an existing record; returns the stored doc. KeyError if absent.

        With `changes["version"]` (see VERSION_FIELD): StaleRecord if the record moved on.
        """
        ...

    def append_audit(self, doc: Mapping[str, Any]) -> Doc:
        """Insert one audit record even when the store is open read-only (the data-access
        log of stores without a log file: an export is logged though it writes nothing else)."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Group writes: all of them become durable together when the block exits.

        If the block raises, the PostgreSQL store keeps none of them (one transaction);
        the memory and file stores keep the writes made before the error.
        """
        ...

    def bulk(self) -> AbstractContextManager[None]:
        """Many writes at once (init --demo, big imports, migrate): the file store writes one
        snapshot on a clean exit instead of journalling each doc; elsewhere a `batch()`."""
        ...

    def put_many(self, table: str, docs: list[Doc]) -> int:
        """Store docs under their own ids, replacing any with the same id (copying a
        database, `custui migrate`); returns how many."""
        ...

    def next_customer_code(self) -> str | None:
        """A new customer code no other process can get at the same time (PostgreSQL: call
        it inside the batch that inserts the customer), or None when the store is not shared
        and the caller works it out from the highest code (services.customers.next_code)."""
        ...

    def meta(self) -> Doc: ...

    def loaded(self, table: str | None = None) -> bool:
        """Whether `table` (default: every table) can be read without waiting: a big file
        store parses customers first and its other tables in a background thread."""
        ...

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Block until every table is loaded (at most `timeout` seconds); True when all are."""
        ...

    def wait_settled(self, timeout: float | None = None) -> bool:
        """Block until the store's background work after the open is over (the load and, after
        a file store's full parse, its big tables made columns or lean), at most `timeout`
        seconds; True when it is. What is kept for the whole session is best built after it:
        made meanwhile, it sits between records about to be freed and keeps their memory
        from going back to the system."""
        ...

    def after_load(self, callback: Callable[[], object]) -> None:
        """Run `callback` once every table has loaded (at once when they have)."""
        ...

    def release_load(self) -> None:
        """Let a background load held at open (`hold_load`) start: the app holds it while its
        lookup index builds, since both are CPU-bound under one GIL. Reading a table not
        loaded yet (or waiting for the load) releases it too."""
        ...

    def derived_file(self, name: str) -> tuple[Path, str] | None:
        """Where a cache of data derived from the records (`name`, e.g. the lookup's index)
        may be kept between launches, and the key naming the records as they are now: a
        cache is good only if written under that key. None when there is no such place or
        the records differ from the database file's (saves in its journal)."""
        ...

    def pace_loading(self, pause: Callable[[Callable[[], bool]], None]) -> None:
        """Have the background load call `pause(stopped)` between its steps: the app blocks
        there while the operator types (one GIL: each step would slow the answers), returning
        at once when `stopped()` says the load is being cancelled."""
        ...

    def stop_loading(self) -> None:
        """The app is exiting: cancel the background load now, so that no worker waits for
        it (reads of tables not loaded raise); the open cache is kept. close() does it too."""
        ...

    def subscribe(self, listener: ChangeListener) -> None:
        """Call `listener` after each durable write; on shared stores (PostgreSQL) also for
        other processes' changes, from a background thread."""
        ...

    def subscribe_remote(self, listener: ChangeListener) -> None:
        """Call `listener` only for other processes' changes (shared stores), from a
        background thread: what a UI needs to refresh what it shows. Stores that no other
        process writes never call it."""
        ...

    @property
    def revision(self) -> int:
        """Increases on every write: caches compare it to know they are stale."""
        ...

    def info(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


def records_with(store: Store, table: str, names: Iterable[str]) -> list[Doc]:
    """The records of `table` holding a true value in any field of `names`, in the order of
    `all`: found from those fields (`fields`), so the others (in a column table, most of
    them) are never made records."""
    names = tuple(names)
    if not names:
        return []
    ids, *columns = store.fields(table, ("id", *names))
    found = (store.get(table, doc_id) for doc_id in compress(ids, map(any, zip(*columns, strict=True))))
    return [doc for doc in found if doc is not None]


def iter_ids(docs: list[Doc]) -> Iterator[int]:
    return (int(d["id"]) for d in docs)
