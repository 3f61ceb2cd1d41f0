"""The durable store: a TinyDB JSON snapshot plus an fsynced append-only journal.

Reads come from memory (MemoryStore). A save appends the changed docs to
`<db>.journal` and fsyncs once per batch. The journal is folded into the
snapshot (written to a temp file, fsynced, renamed over the database) on
close, after a crash and whenever it outgrows `journal_compact_mb`, so after a
clean exit the database is a plain TinyDB file. Use `open_store` to get one.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from custui.domain.enums import CHILD_TABLES, TABLES
from custui.errors import DatabaseCorrupt
from custui.store.base import Doc
from custui.store.journal import Journal, fsync_dir
from custui.store.lock import StoreLock, open_private
from custui.store.memory import MemoryStore, Pending

Tables = dict[str, dict[str, Doc]]
_CHUNK = 20_000  # docs per orjson.dumps call when writing a snapshot (bounds peak memory)


class SnapshotError(ValueError):
    """The database file is not a custui/TinyDB database; the message says why."""


def parse_snapshot(data: bytes) -> Tables:
    """Parse and check the shape of a database file: a dict of tables of {"id": doc}."""
    if not data.strip():
        raise SnapshotError("the file is empty")
    try:
        tables = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"not valid JSON: {exc}") from None
    if not isinstance(tables, dict):
        raise SnapshotError("not a JSON object of tables")
    for name, docs in tables.items():
        if not isinstance(docs, dict):
            raise SnapshotError(f"table {name!r} is not a JSON object")
    meta = tables.get("meta", {}).get("1")
    if meta is not None and not isinstance(meta, dict):
        raise SnapshotError("meta record is not a JSON object")
    version = (meta or {}).get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SnapshotError(f"schema_version {version!r} is not a number")
    return tables


def read_snapshot(path: Path) -> Tables:
    return parse_snapshot(path.read_bytes())


def schema_version_of(tables: Mapping[str, Mapping[str, Any]]) -> int:
    """The schema version in a file's meta table; files without one are version 0."""
    meta = tables.get("meta", {})
    doc = meta.get("1") or meta.get(1) or {}  # type: ignore[call-overload]
    return int(doc.get("schema_version", 0))


def _dump_table(docs: Mapping[int, Doc]) -> Iterator[bytes]:
    """`{"1": {...}, "2": {...}}` in chunks, so the whole file never sits in memory at once."""
    yield b"{"
    ids = list(docs)
    for start in range(0, len(ids), _CHUNK):
        chunk = {doc_id: docs[doc_id] for doc_id in ids[start : start + _CHUNK]}
        body = orjson.dumps(chunk, option=orjson.OPT_NON_STR_KEYS)[1:-1]
        yield (b"," + body) if start else body
    yield b"}"


def dump_snapshot(tables: Mapping[str, Mapping[int, Doc]]) -> Iterator[bytes]:
    yield b"{"
    for number, (name, docs) in enumerate(tables.items()):
        yield (b"," if number else b"") + orjson.dumps(name) + b":"
        yield from _dump_table(docs)
    yield b"}\n"


def write_atomic(path: Path, chunks: Iterator[bytes] | list[bytes]) -> None:
    """Write a file that is either wholly old or wholly new after any crash (mode 0600)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20, closefd=True) as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def copy_atomic(source: Path, target: Path) -> None:
    """Copy `source` to `target` through a temp file, fsynced, mode 0600."""
    def chunks() -> Iterator[bytes]:
        with open(source, "rb") as src:
            while block := src.read(1 << 22):
                yield block

    write_atomic(target, chunks())


class FileStore(MemoryStore):
    """MemoryStore whose writes are durable in a journal beside a TinyDB snapshot."""

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
        if tables:
            self._load_tables(tables)

    # -- loading: lean and lazy, this is most of the cold-open time at 1M orders ---------
    def _load_tables(self, tables: Mapping[str, Mapping[str, Doc]]) -> None:
        """Adopt the parsed file's docs (no copies); "id" is set only where it is missing or wrong."""
        self._tables = {name: {} for name in TABLES}
        for name, docs in tables.items():
            if name == "_default":
                continue
            target: dict[int, Doc] = dict(zip(map(int, docs), docs.values(), strict=True))
            if not all(type(doc) is dict for doc in target.values()):
                raise TypeError(f"table {name!r} holds something that is not a record")
            if [doc.get("id") for doc in target.values()] != list(target):
                for doc_id, doc in target.items():
                    doc["id"] = doc_id
            self._tables[name] = target
        self._reindex()

    def _reindex(self) -> None:
        """Next ids only; the by-customer index of a table is built on its first `children` call."""
        self._next_id = defaultdict(lambda: 1)
        for name, docs in self._tables.items():
            if docs:
                self._next_id[name] = max(docs) + 1
        self._by_customer = {}

    def children(self, table: str, customer_id: int) -> list[Doc]:
        if table not in self._by_customer:
            with self._mutex:
                if table not in self._by_customer:
                    self._build_index(table)
        return super().children(table, customer_id)

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
    def start_journal(self, journal: Journal) -> None:
        self._journal = journal

    @property
    def journal_size(self) -> int:
        return self._journal.size if self._journal else 0

    def _persist(self, pending: Pending) -> None:
        if self._bulk_depth:
            return
        if self._journal is None:
            raise DatabaseCorrupt(f"{self.path} is not open for writing")
        self._journal.append(pending)
        if self._journal.size >= self._compact_bytes:
            self.compact()

    def compact(self) -> None:
        """Fold everything into the database file and empty the journal."""
        self._check_writable()
        with self._mutex:
            write_atomic(self.path, dump_snapshot(self._tables))
            self._compacted = True
            if self._journal is not None:
                self._journal.reset()

    def _break_backup_link(self) -> None:
        """Give the database its own inode again if a backup was made as a hard link to it.

        Other tools (stock TinyDB) rewrite files in place; that must never reach a backup.
        """
        try:
            if os.stat(self.path).st_nlink > 1:
                copy_atomic(self.path, self.path)
        except FileNotFoundError:
            pass

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
                self.compact()

    # -- writes are serialised: the app saves from worker threads ------------------------
    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        with self._mutex:
            return super().insert(table, doc)

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        with self._mutex:
            return super().update(table, doc_id, changes)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._mutex, super().batch():
            yield

    # -- info and close ------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        from custui.store.backups import list_backups

        info = super().info()
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
        with self._mutex:
            if self._closed:
                return
            try:
                if not self.read_only:
                    self._flush()
                    if self._journal is not None and self._journal.size:
                        self.compact()
                    elif not self._compacted:
                        self._break_backup_link()
            finally:
                self._closed = True
                if self._journal is not None:
                    self._journal.close()
                if self._lock is not None:
                    self._lock.release()

    def __enter__(self) -> FileStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # a forgotten store must not keep the lock; data is already durable in the journal
        lock = getattr(self, "_lock", None)
        if lock is not None and not getattr(self, "_closed", True):
            lock.release()
