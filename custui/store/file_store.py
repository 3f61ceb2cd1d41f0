"""The durable store: a TinyDB JSON snapshot plus an fsynced append-only journal.

Reads come from memory (MemoryStore). A save appends the changed docs to
`<db>.journal` and fsyncs once per batch. The journal is folded into the
snapshot (written to a temp file, fsynced, renamed over the database) on
close, after a crash and whenever it outgrows `journal_compact_mb`, so after a
clean exit the database is a plain TinyDB file. Use `open_store` to get one.

Each compaction also writes `<db>.idx` (sidecar.py), which lets the next open
parse customers first and the big tables in a background thread (lazy.py):
every read or write of a table still loading waits for it. An open that had to
parse the whole file rebuilds the sidecar in the background (rebuild.py); a big file
checked in parts (parts.py) then loads as through the sidecar, whose layout it found.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custui.domain.enums import CHILD_TABLES, TABLES
from custui.errors import DatabaseCorrupt, DatabaseError, NotSaved
from custui.i18n import t
from custui.pacing import wait_quiet
from custui.store.base import Doc
from custui.store.columns import (
    COLUMN_TABLES,
    COLUMNS_LATER,
    LEAN_AFTER_PARSE,
    ColumnBuilder,
    ColumnTable,
    NotColumnar,
    columnize,
)
from custui.store.interning import Compactor, fresh_copies, give_back_freed_memory
from custui.store.journal import SNAPSHOT_KEY, Journal, journal_bytes, journal_path, new_snapshot_id
from custui.store.lazy import STEP, LayoutMismatch, NotPeeked, freeze_when_resumed, gc_paused
from custui.store.lock import StoreLock
from custui.store.memory import MemoryStore, Pending
from custui.store.safe_files import write_atomic
from custui.store.sidecar import Layout, sidecar_path, write_sidecar
from custui.store.snapshot import (  # re-exported: the snapshot helpers used to live here
    SnapshotError,
    Tables,
    copy_atomic,
    dump_snapshot,
    parse_snapshot,
    read_snapshot,
    schema_version_of,
    table_order,
)
from custui.store.trace import note

if TYPE_CHECKING:
    from custui.store.backups import Unsharer
    from custui.store.lazy import Index, Loader, Peek
    from custui.store.rebuild import Rebuilder

__all__ = [
    "FileStore", "SnapshotError", "Tables", "copy_atomic", "dump_snapshot", "parse_snapshot",
    "read_snapshot", "schema_version_of", "table_order", "write_atomic",
]


class FileStore(MemoryStore):
    """MemoryStore whose writes are durable in a journal beside a TinyDB snapshot."""

    # Saves before background work: the store's own threads (the loader, the columns after a
    # full parse, the open cache's rebuild, the backup's copy) wait between their steps until
    # no save has been made for WRITE_QUIET seconds, at most WRITE_PAUSE_MAX a step (see
    # pause_for_writes). Under one GIL a step running when a save's fdatasync returns holds
    # the save up to the 5 ms switch interval: that was the save p95 during background work.
    WRITE_QUIET = 0.05
    WRITE_PAUSE_MAX = 1.0
    clock: Callable[[], float] = staticmethod(time.monotonic)  # what the save times are read on

    def __init__(
        self,
        path: Path,
        tables: Tables,
        *,
        read_only: bool = False,
        lock: StoreLock | None = None,
        journal_compact_mb: int = 64,
    ) -> None:
        super().__init__(str(path), read_only=read_only)
        self.path = path
        self._lock = lock
        self._mutex = threading.RLock()
        self._compact_bytes = journal_compact_mb * 1024 * 1024
        self._journal: Journal | None = None
        self._compacted = False  # the db file was rewritten this session (fresh inode)
        self._closed = False
        self._bulk_depth = 0
        self._layout: Layout | None = None  # the sidecar's layout, when it matches the file
        # records per table in the file as opened, when known without parsing every table
        # (a sidecar, or a check of the file in parts): what `info` says of tables still loading
        self._counts: dict[str, int] = {}
        # tables the background loader has not published yet (lazy.py)
        self._loading: dict[str, threading.Event] = {}
        self._deferred: dict[str, list[Doc]] = {}  # their journal entries, applied on publish
        self._loader: Loader | None = None
        self._peek: Peek | None = None  # customers read a record at a time while they load
        # a child table's records of one customer read from the file's bytes while it loads
        # (Peek.matching): scanned on the first such read, dropped when the table is published
        self._table_peeks: dict[str, Peek | None] = {}
        self._peek_lock = threading.Lock()
        self._journal_versions: dict[str, dict[int, Doc]] = {}  # the loading tables', by id
        self._rebuilder: Rebuilder | None = None  # the sidecar's background rebuild (rebuild.py)
        self._unsharer: Unsharer | None = None  # the open's backup copied apart (backups.py)
        self._load_error: BaseException | None = None  # what reads of tables not loaded raise
        self._damaged = False  # the background load found the file damaged (not merely cancelled)
        self._after_load: list[Callable[[], object]] = []
        self._after_lock = threading.Lock()
        # big tables a full parse left as dicts, made columns by a background thread
        self._columns_later: list[str] = []
        self._columnizer: threading.Thread | None = None
        self._columnizing: dict[str, list[int]] = {}  # table -> ids written since its snapshot
        self._stop_columns = False
        self._parse_keys: list[list[str]] = []  # a full parse's table keys, until its conversion
        # set by open_store: "open cache", "full parse in parts (open cache: why not)" or
        # "full parse (open cache: why not)"
        self.open_path = "new"
        self._born = time.perf_counter()
        self._last_write = float("-inf")  # `clock()` at the end of the last save
        self._table_waits = 0  # reads and writes waiting for a table to load (`_wait`)
        if tables:
            self._load_tables(tables)

    # -- loading: lean and lazy, this is most of the cold-open time at 1M orders ---------
    def _load_tables(self, tables: Mapping[str, Mapping[Any, Doc]]) -> None:
        """Adopt the parsed file's docs (no copies); "id" is set only where it is missing or wrong."""
        self._tables = {name: {} for name in TABLES}
        for name, docs in tables.items():
            if name == "_default":
                continue
            target: dict[int, Doc] = dict(zip(map(int, docs), docs.values(), strict=True))
            if not all(type(doc) is dict for doc in target.values()):
                raise TypeError(f"table {name!r} holds something that is not a record")
            if name in COLUMN_TABLES and len(target) < COLUMNS_LATER:
                try:  # small: columns at once (columns.py)
                    self._tables[name] = columnize(target)  # type: ignore[assignment]
                    continue
                except NotColumnar:
                    pass
            elif name in COLUMN_TABLES or (name in LEAN_AFTER_PARSE and len(target) >= COLUMNS_LATER):
                self._columns_later.append(name)  # big: after open, in the background
            if [doc.get("id") for doc in target.values()] != list(target):
                for doc_id, doc in target.items():
                    doc["id"] = doc_id
            self._tables[name] = target
        if self._columns_later:
            # the parse's keys ("1", "2", ...) sit between its records: freed now, they would leave
            # holes all over it that the lookup's index (built meanwhile) fills, keeping the
            # parse's memory from the system; freed once the records are columns or lean
            self._parse_keys = [list(docs) for docs in tables.values()]
        self._reindex()

    def _reindex(self) -> None:
        """Next ids only; the by-customer index of a table is built on its first `children` call."""
        self._reset_next_ids()
        self._by_customer = {}

    def adopt(self, tables: Mapping[str, dict[Any, Doc]], layout: Layout | None, cached: bool = True) -> None:
        """Take the tables `open_store` parsed (no copies): the whole file ({"id": doc}), or,
        with `layout`, the eager tables keyed by int id (a Loader brings the rest). `layout`
        is the sidecar's, or (not `cached`) one the open found checking the file in parts,
        which the sidecar's rebuild writes: until then the store has no sidecar."""
        if layout is None:
            self._load_tables(tables)
            return
        for name, docs in tables.items():
            self.publish(name, docs, None)
        if cached:
            self._layout = layout
        self._counts = {name: tl.count for name, tl in layout.items()}

    def migrate_from(self, version: int) -> None:
        """Bring every table (all loaded) from schema `version` to the current one, in memory."""
        from custui.store.migrations import migrate

        for name, docs in self._tables.items():  # migration steps change records in place
            if isinstance(docs, ColumnTable):
                self._tables[name] = docs.as_dict()
        migrate(self._tables, version)
        self._reindex()

    # -- tables loading in the background: every access waits for its table ------------
    def start_loading(self, loader: Loader, names: list[str], peek: Peek | None = None) -> None:
        """Mark `names` as loading (before the journal is replayed), then let `loader` fill them;
        `peek` reads customers (one of them) a record at a time until they are published."""
        self._loader = loader
        self._peek = peek if "customers" in names else None
        if self._peek is not None:  # the journal's versions, as `replay` keeps them
            self._peek.overrides = self._journal_versions.setdefault("customers", {})
        for name in names:
            self._tables.setdefault(name, {})
            self._loading[name] = threading.Event()

    @property
    def peeking(self) -> bool:
        """Customers are still loading and read a record at a time meanwhile (`get` only)."""
        return self._peek is not None

    def start_loader(self) -> bool:
        """Start the background load marked by `start_loading`; False when there is none."""
        if self._loader is None:
            return False
        self._loader.start()
        return True

    # -- what the background loader (lazy.LoadTarget) and the sidecar's rebuild call -------
    def publish(self, name: str, docs: dict[int, Doc] | ColumnTable, index: Index | None) -> None:
        """A table the loader has parsed (with its by-customer index, if built), the journal's
        entries for it applied. Nobody touches `name` until this sets its event."""
        self._tables[name] = docs  # type: ignore[assignment]  # a ColumnTable acts as the dict
        if name == "customers":
            self._peek = None  # (a reader that took it still reads what is published)
        if index is not None:
            self._by_customer[name] = index
        else:
            self._by_customer.pop(name, None)  # built on first `children`
        if docs:
            self._next_id[name] = max(self._next_id[name], max(docs) + 1)
        for doc in self._deferred.pop(name, ()):
            self._apply(name, doc)
        with self._after_lock:
            event = self._loading.pop(name, None)
            callbacks, self._after_load = (self._after_load, []) if not self._loading else ([], self._after_load)
        with self._peek_lock:  # (a reader that took it still reads what is published)
            self._table_peeks.pop(name, None)
        if event is not None:
            event.set()
            if not self._loading:
                note(self.path, f"background load done {time.perf_counter() - self._born:.2f} s after open")
        for callback in callbacks:
            try:
                callback()
            except Exception as exc:  # noqa: BLE001 - theirs (a screen gone, a full disk), not the load's
                note(self.path, f"after the load: {callback!r} failed: {exc!r}")

    def compact_records(self, table: str, stopped: Callable[[], bool]) -> bool:
        """Swap the records of `table` for lean copies (interning.py), STEP at a time, from
        a background thread; a record written meanwhile keeps its new version. A child
        table's by-customer index (it may hold either copy meanwhile) is dropped at the end,
        to be built again on the next `children`. False if `stopped` said so before the end.
        The loader's (of customers, parsed at open) gives way to a read or write that waits for
        the load while the mutex is taken: it may be a close's compaction, holding the mutex
        until the load is done; the records not done yet stay as parsed."""
        docs = self._tables.get(table, {})
        ids = list(docs)
        compactor = Compactor(table)
        for start in range(0, len(ids), STEP):
            if stopped():
                return False
            part = ids[start : start + STEP]
            old = [docs[doc_id] for doc_id in part if doc_id in docs]  # (none is ever deleted)
            if len(old) != len(part):
                continue
            lean = compactor.compact(fresh_copies(old), part)
            if not self._acquire(stopped, give_way=True):
                return not stopped()
            try:
                for doc_id, before, after in zip(part, old, lean, strict=True):
                    if docs.get(doc_id) is before:
                        docs[doc_id] = after
            finally:
                self._mutex.release()
        if table in CHILD_TABLES and self._acquire(stopped):
            try:
                self._by_customer.pop(table, None)
            finally:
                self._mutex.release()
        return True

    def columnize_table(self, table: str, stopped: Callable[[], bool]) -> bool:
        """Swap the dict table `table` (a full parse's) for a ColumnTable of the same records,
        built STEP records at a time outside the mutex (saves go on meanwhile); the records
        written meanwhile go in as written, in the order written (as a dict table's
        by-customer lists have them). The dicts are freed a step at a time after the swap.
        False if `stopped` said so, or the records cannot be columns."""
        if not self._acquire(stopped):
            return False
        try:
            docs = self._tables.get(table)
            if type(docs) is not dict:
                return False
            ids = list(docs)
            self._columnizing[table] = []
        finally:
            self._mutex.release()
        try:
            builder = ColumnBuilder()
            for start in range(0, len(ids), STEP):
                if stopped():
                    return False
                part = ids[start : start + STEP]
                builder.add(list(map(docs.__getitem__, part)), part)  # (none is ever deleted)
            del ids
            if stopped():  # (each of the next two is one long step: a pause before it)
                return False
            columns = builder.build()
            if stopped():
                return False
            columns.index_customers()
            if not self._acquire(stopped):
                return False
            try:
                if self._tables.get(table) is not docs:
                    return False
                written = self._columnizing.pop(table)
                for doc_id in reversed(dict.fromkeys(reversed(written))):  # by last write
                    doc = docs.get(doc_id)
                    if doc is None:
                        columns.pop(doc_id, None)
                    else:
                        columns[doc_id] = doc
                self._tables[table] = columns  # type: ignore[assignment]
                index = self._by_customer.pop(table, None)
            finally:
                self._mutex.release()
        except NotColumnar:
            return False
        finally:
            self._columnizing.pop(table, None)
        del index
        while docs:  # freeing a million records at once would hold up every other thread
            stopped()  # (a pause while saves are made; freed all the same once stopped)
            for _ in range(min(STEP, len(docs))):
                docs.popitem()
        return True

    def _acquire(self, stopped: Callable[[], bool], give_way: bool = False) -> bool:
        """Take the mutex for a background thread, unless `stopped` says so meanwhile (close()
        holds the mutex while it stops the thread) or, with `give_way`, a read or write waits
        for a table to load (the loader's: the mutex may be held until the load is done)."""
        while not self._mutex.acquire(timeout=0.01):
            if (give_way and self._table_waits > 0) or stopped():
                return False
        return True

    def _apply(self, table: str, doc: Doc) -> None:
        super()._apply(table, doc)
        written = self._columnizing.get(table)
        if written is not None:
            written.append(int(doc["id"]))

    def _columnize_later(self) -> None:
        """The big tables a full parse left as dicts become columns or lean dicts (as the
        background loader makes them after an open through the sidecar), one after the other.
        No cyclic GC meanwhile (as in the loader): its full passes over the records being
        made held the UI and saves up for a second at a time; they are frozen at the end."""
        started = time.perf_counter()
        try:
            done = self._make_columns()
        finally:
            self._parse_keys = []
        give_back_freed_memory()
        if done:
            note(self.path, f"columns and lean records after the full parse: {', '.join(self._columns_later)} "
                            f"in {time.perf_counter() - started:.2f} s")

    def _make_columns(self) -> bool:
        with gc_paused():
            # the column tables first: a lean copy made while their million records are
            # alive lands between them, and would keep their memory from the system
            for name in sorted(self._columns_later, key=lambda n: n not in COLUMN_TABLES):
                if self._stop_columns:
                    note(self.path, f"columns after the full parse: stopped before {name}")
                    return False
                if name in COLUMN_TABLES:
                    self.columnize_table(name, self._columns_stopped)
                else:
                    self.compact_records(name, self._columns_stopped)
            freeze_when_resumed(sum(map(self.count, self._columns_later)))
        return True

    def _columns_stopped(self) -> bool:
        """Between two steps of the columns: a pause while saves are made (pause_for_writes),
        then whether close stops them."""
        self.pause_for_writes(lambda: self._stop_columns)
        return self._stop_columns

    def unshare_later(self, unsharer: Unsharer) -> None:
        """Start `unsharer` once the tables have loaded (it copies the open's backup, a hard
        link to the file, apart from it); close stops it."""
        self._unsharer = unsharer
        unsharer.pace(self.pause_for_writes)
        self.after_load(unsharer.start)

    def rebuild_later(self, rebuilder: Rebuilder) -> None:
        """Keep `rebuilder` (it holds the file just parsed) for `start_rebuild`; close cancels it."""
        self._rebuilder = rebuilder

    def start_rebuild(self) -> None:
        """After an open that parsed the whole file: write its sidecar in the background,
        unless the open already wrote one (a compaction); and (a writer: the app) make its
        big tables columns in another background thread."""
        if self._columns_later and self.writer and self._columnizer is None:
            self._columnizer = threading.Thread(target=self._columnize_later, name="custui-store-columns",
                                                daemon=True)
            self._columnizer.start()
        if self._columnizer is None:
            self._parse_keys = []  # nothing to wait for (a read-only view keeps the parsed records)
        rebuilder = self._rebuilder
        if rebuilder is None:
            return
        if self._layout is None and not self._compacted and self._load_error is None:
            rebuilder.start()
        else:
            self._rebuilder = None
            rebuilder.stop()  # closes the file it held

    def finish_rebuild(self, timeout: float) -> bool:
        """Give the sidecar's background rebuild (after a full parse) up to `timeout` seconds
        to finish: what a read-only command does before it exits, since the scan costs a
        fraction of the parse it follows and without it the next open parses the whole
        file again. True when no rebuild is left running."""
        rebuilder = self._rebuilder
        return rebuilder is None or rebuilder.done.wait(timeout)

    def wait_settled(self, timeout: float | None = None) -> bool:
        """Block until the tables have loaded and, after a full parse, the big tables are columns
        or lean records (close stops that); True when they are."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self.wait_loaded(timeout):
            return False
        columnizer = self._columnizer
        if columnizer is not None:
            columnizer.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            return not columnizer.is_alive()
        return True

    def after_load(self, callback: Callable[[], object]) -> None:
        """Run `callback` once every table has loaded (now, if they have); never if loading fails."""
        with self._after_lock:
            if self._loading:
                self._after_load.append(callback)
                return
        callback()

    def load_failed(self, error: BaseException) -> None:
        """The background load failed: readers of tables not loaded raise `error`, the
        sidecar goes (the next open parses the whole file, and refuses it if damaged)."""
        self._load_error = error
        self._damaged = True
        self._drop_peeks()
        self._layout = None
        self._counts = {}
        note(self.path, f"background load failed ({error}): open cache deleted")
        try:  # the next open parses the whole file, and refuses it if it is damaged
            sidecar_path(self.path).unlink(missing_ok=True)
        except OSError:
            pass
        for event in list(self._loading.values()):
            event.set()

    def release_load(self) -> None:
        """Let a load held at open (`open_store(hold_load=True)`) begin."""
        if self._loader is not None:
            self._loader.release()

    def pace_loading(self, pause: Callable[[Callable[[], bool]], None]) -> None:
        """The loader calls `pause(stopped)` between its steps (see Store.pace_loading)."""
        if self._loader is not None:
            self._loader.pace(pause)

    def waited_for(self) -> bool:
        """Whether a read or write waits for a table to load now (`_wait`)."""
        return self._table_waits > 0

    def pause_for_writes(self, stopped: Callable[[], bool]) -> None:
        """(A background thread of the store, between two of its steps) Wait while saves are
        being made: until none for WRITE_QUIET seconds, at most WRITE_PAUSE_MAX; returns
        within 20 ms of `stopped()` saying so, and at once while a read or write waits for a
        table to load (that wait must not be held up by the saves before it)."""
        if self.clock() - self._last_write >= self.WRITE_QUIET:
            return
        wait_quiet(lambda: self._last_write, self.WRITE_QUIET, self.WRITE_PAUSE_MAX,
                   lambda: self._table_waits > 0 or stopped(), self.clock)

    def stop_loading(self) -> None:
        """Cancel the background load (within one of its steps): reads of tables not loaded
        raise from now on; the sidecar stays, and close() still keeps it current."""
        if self._loader is not None:
            self._loader.stop()

    def derived_file(self, name: str) -> tuple[Path, str] | None:
        """`<db>.<name>` and, while the records in memory are the file's (no save in the
        journal), the file's snapshot id, size and mtime (any rewrite changes them)."""
        if self.journal_size:
            return None
        snapshot = self.snapshot_id
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        if snapshot is None:
            return None
        return self.path.with_name(f"{self.path.name}.{name}"), f"{snapshot}:{st.st_size}:{st.st_mtime_ns}"

    def load_cancelled(self) -> None:
        """The store closed while loading: readers of unloaded tables fail; the sidecar stays."""
        self._load_error = DatabaseError(f"{self.path} was closed while loading")
        self._drop_peeks()
        note(self.path, f"background load cancelled {time.perf_counter() - self._born:.2f} s after open")
        for event in list(self._loading.values()):
            event.set()

    def distrust_sidecar(self) -> None:
        """The loader found the file not laid out as the sidecar says: drop it (close rebuilds it)."""
        self._layout = None
        self._counts = {}
        self._drop_peeks()
        note(self.path, "the file is not laid out as the open cache says: cache deleted")
        try:
            sidecar_path(self.path).unlink(missing_ok=True)
        except OSError:
            pass

    @property
    def writer(self) -> bool:
        """This process holds the database's lock: its only writer (else a read-only view)."""
        return self._lock is not None

    @contextmanager
    def compaction_paused(self, cancelled: threading.Event) -> Iterator[bool]:
        """(A writer) No compaction rewrites the file while the block runs: the sidecar's
        rebuild writes a layout of the file as parsed. Waits for the store's mutex in 10 ms
        steps (close holds it while it stops the rebuild) and yields False at once when
        `cancelled` is set meanwhile; otherwise whether the file is still the one opened (no
        compaction rewrote it, the store is not closed)."""
        while not self._mutex.acquire(blocking=False):
            if cancelled.wait(0.01):
                yield False
                return
        try:
            yield not self._compacted and not self._closed
        finally:
            self._mutex.release()

    def sidecar_written(self, layout: Layout) -> None:
        """(A writer) The rebuild wrote the sidecar of the file as it is: close need not
        compact to write one."""
        if self.writer:
            self._layout = layout

    def _wait(self, table: str) -> None:
        event = self._loading.get(table)
        if event is not None:
            if self._loader is not None:  # a held load: only up to this table
                self._loader.release(table)
            with self._after_lock:  # the loader pauses neither for saves nor for typing meanwhile
                self._table_waits += 1
            try:
                event.wait()
            finally:
                with self._after_lock:
                    self._table_waits -= 1
            if table in self._loading:  # set without being published: the load failed
                raise self._load_error or DatabaseCorrupt(f"{self.path}: {table} did not load")

    def _wait_all(self) -> None:
        for table in list(self._loading):
            self._wait(table)

    def replay(self, entries: list[tuple[str, Doc]]) -> None:
        """Apply journal entries; those of tables still loading are applied when they are published."""
        for table, doc in entries:
            if table in self._loading:
                self._deferred.setdefault(table, []).append(doc)
                # the last one wins; a Peek's overrides are this dict (start_loading, _peeked)
                self._journal_versions.setdefault(table, {})[int(doc["id"])] = doc
            else:
                self._apply(table, doc)

    def loaded(self, table: str | None = None) -> bool:
        """Whether `table` (default: every table) can be read without waiting."""
        return not self._loading if table is None else table not in self._loading

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Block until every table is loaded (or `timeout` passes); True when all are.

        Raises DatabaseCorrupt if the background load failed.
        """
        if self._loading:
            self.release_load()
        for table in list(self._loading):
            event = self._loading.get(table)
            if event is not None and not event.wait(timeout):
                return False
        self._wait_all()
        return True

    def get(self, table: str, doc_id: int) -> Doc | None:
        if self._loading:
            peek = self._peek
            if peek is not None and table == "customers" and table in self._loading:
                try:
                    return peek.get(int(doc_id))
                except NotPeeked:  # no such record, or not found this way: the load knows
                    pass
                except LayoutMismatch:  # the loader finds it too and parses the whole file
                    self._peek = None
            self._wait(table)
        return super().get(table, doc_id)

    def all(self, table: str) -> list[Doc]:
        if self._loading:
            self._wait(table)
        return super().all(table)

    def count(self, table: str) -> int:
        if self._loading:
            self._wait(table)
        return super().count(table)

    def fields(self, table: str, names: Iterable[str]) -> list[list[Any]]:
        if self._loading:
            self._wait(table)
        return super().fields(table, names)

    def tables(self) -> dict[str, dict[int, Doc]]:
        self._wait_all()
        return super().tables()

    def has_records(self) -> bool:
        """Whether any table but meta holds a record, without waiting for the background load."""
        return bool(self._loading) or any(
            docs for name, docs in self._tables.items() if name != "meta"
        )

    def children(self, table: str, customer_id: int) -> list[Doc]:
        if self._loading:
            found = self._peeked(table, "customer_id", customer_id)
            if found is not None:
                return found
            self._wait(table)
        docs = self._tables.get(table)
        if isinstance(docs, ColumnTable):
            if table not in CHILD_TABLES:
                raise KeyError(f"{table} is not a child table")
            return docs.children(customer_id)
        if table not in self._by_customer:
            with self._mutex:
                if table not in self._by_customer:
                    self._build_index(table)
        return super().children(table, customer_id)

    def matching(self, table: str, field: str, value: int) -> list[Doc]:
        if self._loading:
            found = self._peeked(table, field, value)
            if found is not None:
                return found
        return super().matching(table, field, value)

    def _peeked(self, table: str, field: str, value: int) -> list[Doc] | None:
        """While `table` loads, its records whose `field` is `value` read from the file's bytes
        (Peek.matching: customers from the open's Peek, a child table's from one scanned on its
        first such read); None when they cannot be read so (the caller waits for the load)."""
        if table not in self._loading or self._load_error is not None:
            return None
        loader = self._loader
        if loader is None or table not in CHILD_TABLES and table != "customers":
            return None
        with loader.reading():
            if table == "customers":
                peek = self._peek
            else:
                with self._peek_lock:
                    if table not in self._table_peeks:
                        if table not in self._loading:
                            return None  # published meanwhile
                        peek = loader.scan(table)
                        if peek is not None:
                            peek.overrides = self._journal_versions.setdefault(table, {})
                        self._table_peeks[table] = peek
                    peek = self._table_peeks[table]
            if peek is None:
                return None
            return self._matching(peek, field, value)

    def _matching(self, peek: Peek, field: str, value: int) -> list[Doc] | None:
        try:
            return peek.matching(field, value)
        except NotPeeked:  # the bytes cannot prove none is missed: the load knows
            return None
        except LayoutMismatch:  # the loader finds it too and parses the whole file
            self._drop_peeks()
            return None

    def _drop_peeks(self) -> None:
        """No more reads from the file's bytes: the load failed, stopped or distrusts them."""
        self._peek = None
        with self._peek_lock:
            self._table_peeks = dict.fromkeys(TABLES)

    def _build_index(self, table: str) -> None:
        if table not in CHILD_TABLES:
            raise KeyError(f"{table} is not a child table")
        index: defaultdict[int, list[Doc]] = defaultdict(list)
        for doc in self._tables.get(table, {}).values():
            cid = doc.get("customer_id")
            if cid is not None:
                index[cid].append(doc)
        self._by_customer[table] = index

    # -- journal and compaction ----------------------------------------------------------
    def start_journal(self, discard: bool = False) -> None:
        """Open the journal for this session's saves, once what it held is in the file.

        A journal of another snapshot is emptied; so is this one's with `discard` (a torn tail).
        """
        # a file from before snapshot ids takes any journal (it gets an id at its next compaction)
        self._journal = Journal(journal_path(self.path), self.snapshot_id or new_snapshot_id())
        if discard:
            self._journal.reset()

    @property
    def journal_size(self) -> int:
        """Bytes of saves in the journal file now (also those another process wrote)."""
        return journal_bytes(journal_path(self.path))

    def _persist(self, pending: Pending) -> None:
        if self._bulk_depth:
            return
        if self._journal is None:
            raise DatabaseCorrupt(f"{self.path} is not open for writing")
        try:
            self._journal.append(pending)
        except OSError as exc:  # disk full: the journal was cut back, memory is rolled back
            raise NotSaved(t("db.not_saved", path=str(self.path), reason=_reason(exc))) from None
        finally:
            self._last_write = self.clock()
        if self._journal.size >= self._compact_bytes:
            try:
                self.compact()
            except DatabaseError:
                pass  # the save is in the journal; the next compaction (or open) folds it in

    def compact(self) -> None:
        """Fold everything into the database file and empty the journal."""
        self._check_writable()
        self._wait_all()
        with self._mutex:
            layout: Layout = {}
            # a new snapshot id: a journal left from before (a crash between the rename and
            # the reset below) names the old one and is never replayed over this file
            snapshot_id = new_snapshot_id()
            meta = {**self._tables.get("meta", {}).get(1, {"id": 1}), SNAPSHOT_KEY: snapshot_id}
            try:
                write_atomic(self.path, dump_snapshot({**self._tables, "meta": {1: meta}}, layout))
            except OSError as exc:  # disk full: the temp file is gone, the file and journal intact
                raise DatabaseError(t(
                    "db.compact_failed", path=str(self.path), reason=_reason(exc),
                    journal=str(journal_path(self.path)),
                )) from None
            self._tables.setdefault("meta", {})[1] = meta
            self._compacted = True
            if self._journal is not None:
                self._journal.reset(snapshot_id)
            self._layout = layout
            self._write_sidecar()

    @property
    def snapshot_id(self) -> str | None:
        """The id of the snapshot the file holds (the journal names it in its header)."""
        value = self._tables.get("meta", {}).get(1, {}).get(SNAPSHOT_KEY)
        return value if isinstance(value, str) else None

    def _write_sidecar(self) -> None:
        """Best effort: without a sidecar the next open is merely slower."""
        try:
            if self._layout is not None and not self._damaged:
                write_sidecar(self.path, self._layout)
        except OSError:
            sidecar_path(self.path).unlink(missing_ok=True)

    def _break_backup_link(self, drop_shared: bool = False) -> None:
        """Give the database its own inode again if a backup was made as a hard link to it.

        Other tools (stock TinyDB) rewrite files in place; that must never reach a backup.
        With `drop_shared` (a session that ends before its tables loaded), links that another
        backup makes redundant are removed instead of copying the file apart.
        """
        from custui.store.backups import drop_shared_backups

        try:
            st = os.stat(self.path)
            if st.st_nlink > 1 and drop_shared and drop_shared_backups(self.path):
                note(self.path, "backups still linked to the file dropped: another holds the same bytes")
                st = os.stat(self.path)
            if st.st_nlink > 1:
                copy_atomic(self.path, self.path)
                # same bytes, new inode: with the time kept too, the caches beside the file
                # (its sidecar, the lookup's index) still name it
                os.utime(self.path, ns=(st.st_atime_ns, st.st_mtime_ns))
                self._write_sidecar()
        except OSError:
            pass  # no room for the copy (disk full): the file stays shared with a backup

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many writes (init --demo, imports) that become durable together in one snapshot write.

        Nothing is journalled inside the block; on a clean exit the whole store is
        written atomically. A crash inside loses the block, never the file.
        """
        with self._mutex:
            self._check_writable()
            self._bulk_depth += 1
            try:
                with super().batch():
                    yield
            finally:
                self._bulk_depth -= 1
            if self._bulk_depth == 0:
                try:
                    self.compact()
                except DatabaseError as exc:  # nothing of the block was journalled
                    raise NotSaved(t("db.bulk_not_saved", path=str(self.path),
                                     reason=exc.message)) from None

    # -- writes are serialised: the app saves from worker threads ------------------------
    def put_many(self, table: str, docs: list[Doc]) -> int:
        if self._loading:
            self._wait(table)
        with self._mutex:
            return super().put_many(table, docs)

    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        if self._loading:
            self._wait(table)
        with self._mutex:
            return super().insert(table, doc)

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        if self._loading:
            self._wait(table)
        with self._mutex:
            return super().update(table, doc_id, changes)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._mutex, super().batch():
            yield

    # -- info and close ------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """As MemoryStore's, with the file's size, journal and backups. A table still loading
        in the background is counted from the open cache (the sidecar checked against the file
        at open, its counts checked again by every load) when the journal holds none of its
        records: `custui info` no longer waits for a whole load (49 s at 100k/1M under load)."""
        from custui.store.backups import list_backups

        counted: dict[str, int] = {}
        for name in list(self._loading):
            if name in self._counts and not self._deferred.get(name):
                counted[name] = self._counts[name]
            else:
                self._wait(name)
        info = super().info()
        info["tables"] = {name: counted.get(name, count) for name, count in info["tables"].items()}
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            size = 0
        backups = list_backups(self.path)
        info.update(
            size=size,
            journal_size=self.journal_size,
            newest_backup=str(backups[0]) if backups else None,
            backups=len(backups),
            read_only=self.read_only,
        )
        return info

    def close(self) -> None:
        started = time.perf_counter()
        did = "nothing to write"
        with self._mutex:
            if self._closed:
                return
            if self._rebuilder is not None:
                self._rebuilder.stop()  # cancelled, not awaited: it is only a shortcut
            if self._unsharer is not None:
                self._unsharer.stop()  # done, or stopped within a block: else copied below
            try:
                if not self.read_only:
                    self._flush()
                    if self._journal is not None and self._journal.pending:
                        did = "compacted (saves)"
                        self.compact()  # a failure says the saves stay in the journal
                    elif self._layout is None and not self._compacted and self._load_error is None:
                        did = "compacted (to write the open cache)"
                        try:  # only to give a file opened without a sidecar its sidecar
                            self.compact()
                        except DatabaseError:
                            pass
                    elif not self._compacted:
                        did = "backup link checked"
                        if self._loading and self._loader is not None:
                            # quit before the tables loaded: the open's backup was not copied
                            # apart, and no rotation ran (nor runs now) to make room for it
                            self._loader.stop()
                        self._break_backup_link(drop_shared=bool(self._loading))
            finally:
                self._closed = True
                loading = bool(self._loading)
                if self._loader is not None:
                    self._loader.stop()
                self._stop_columns = True
                if self._columnizer is not None and self._columnizer is not threading.current_thread():
                    self._columnizer.join()
                self._parse_keys = []
                if self._journal is not None:
                    self._journal.close()
                if self._lock is not None:
                    self._lock.release()
                note(self.path, f"close: {did}{', load cancelled' if loading else ''}; "
                                f"{time.perf_counter() - started:.2f} s")

    def __enter__(self) -> FileStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # a forgotten store must not keep the lock; data is already durable in the journal
        lock = getattr(self, "_lock", None)
        if lock is not None and not getattr(self, "_closed", True):
            lock.release()


def _reason(exc: OSError) -> str:
    """"no space left on the disk" for ENOSPC/EFBIG/EDQUOT, else the system's own words."""
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return t("db.disk_full")
    return exc.strerror or str(exc)
