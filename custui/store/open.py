"""Opening a database file: lock, parse, recover the journal, back up, migrate.

`open_store` is what the CLI and the app call; `create_database` is `custui init`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from custui.errors import BadInput, DatabaseCorrupt, DatabaseError, DatabaseMissing, SchemaTooNew
from custui.i18n import t
from custui.store.backups import (
    Unsharer,
    newest_good_backup,
    rotate_backups,
    snapshot_backup,
)
from custui.store.base import SCHEMA_VERSION
from custui.store.file_store import (
    FileStore,
    SnapshotError,
    Tables,
    copy_atomic,
    parse_snapshot,
    schema_version_of,
)
from custui.store.journal import JournalDamaged, Replay, journal_path, read_journal
from custui.store.lazy import (
    LEAN_LATER,
    LayoutMismatch,
    Loader,
    Peek,
    freeze_when_resumed,
    gc_paused,
    parse_table,
    peek_customers,
    split_layout,
)
from custui.store.lock import StoreLock
from custui.store.parts import checked_layout
from custui.store.rebuild import Plan, Rebuilder, plan_of
from custui.store.safe_files import NotARegularFile, check_replaceable, remove_own_temps
from custui.store.sidecar import Layout, check_sidecar
from custui.store.snapshot import check_meta
from custui.store.trace import note

# a file this big without a fresh open cache is checked in parts (parts.py) rather than
# parsed at once, when the caller asks (`in_parts`, the app): at 300 MB the one parse left
# ~200 MB resident for good; below this the waste is small and the file is parsed at once
PARTS_MIN_BYTES = 16 * 1024 * 1024


def open_store(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = False,
    backups_kept: int = 10,
    journal_compact_mb: int = 64,
    backup_retention_days: int | None = None,
    hold_load: bool = False,
    in_parts: bool = False,
) -> FileStore:
    """Open (or with `create`, make) the database at `path`.

    With `hold_load`, the tables a fresh open cache leaves to the background wait for
    `store.release_load()` (or the first read of one of them) before they start loading.
    With `in_parts` (the app: memory that stays low for a long session), a big file without
    a fresh open cache is checked in parts and then loads as through the cache (parts.py);
    without (a command: every table soonest), it is parsed at once.

    Raises DatabaseLocked (another process writes it; the message names it),
    DatabaseMissing, DatabaseCorrupt (names the newest good backup; the file is
    left untouched) or SchemaTooNew. `read_only` takes no lock and refuses writes.
    """
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise DatabaseError(t("db.is_dir", path=str(path)))
    started = time.perf_counter()
    if read_only:
        try:
            store = _open_read_only(path, journal_compact_mb, hold_load, in_parts)
        except NotARegularFile as exc:
            raise DatabaseError(str(exc)) from None
        _opened_note(store, "read-only", started)
        store.start_rebuild()
        return store
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise DatabaseMissing(t("db.missing", path=str(path)))
    try:
        lock = StoreLock(path)
        lock.acquire()
        try:
            store = _open_writable(path, lock, create, backups_kept, journal_compact_mb,
                                   backup_retention_days, hold_load, in_parts)
        except BaseException:
            lock.release()
            raise
        _opened_note(store, "writable", started)
        store.start_rebuild()
        return store
    except NotARegularFile as exc:  # a symlink or FIFO planted at the lock, journal or backups
        raise DatabaseError(str(exc)) from None


def _opened_note(store: FileStore, mode: str, started: float) -> None:
    peek = ", customers read as needed while they load" if store.peeking else ""
    note(store.path, f"open {mode}: {store.open_path}{peek} in {time.perf_counter() - started:.2f} s")


def _corrupt(path: Path, reason: str) -> DatabaseCorrupt:
    backup = newest_good_backup(path)
    return DatabaseCorrupt(
        t("db.corrupt", path=str(path), reason=reason, backup=str(backup) if backup else t("db.no_backup"))
    )


@dataclass
class _Opened:
    """A database file open for reading: its eager tables parsed, the rest (if any) to load."""

    fd: int
    stat: os.stat_result
    tables: Tables  # parsed now ({table: {"id": doc}} as in the file, or int keys via the sidecar)
    version: int
    layout: Layout | None
    lazy: list[str]
    plan: Plan | None = None  # after a full parse: what a background rebuild of the sidecar needs
    how: str = "open cache"  # or "full parse [in parts] (open cache: why not)", the store's open_path
    peek: Peek | None = None  # big customers: read a record at a time until the loader has them
    scanned: bool = False  # `layout` was found by checking the file in parts (no sidecar yet)


def _read(path: Path, in_parts: bool) -> _Opened:
    """Open the file and parse what the lookup needs; through the sidecar when it is fresh."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DatabaseMissing(t("db.missing", path=str(path))) from None
    try:
        opened = _read_fd(path, fd, in_parts)
    except BaseException:
        os.close(fd)
        raise
    if opened.version > SCHEMA_VERSION:
        os.close(fd)
        raise SchemaTooNew(
            t("db.too_new", path=str(path), found=opened.version, supported=SCHEMA_VERSION)
        )
    return opened


def _read_fd(path: Path, fd: int, in_parts: bool) -> _Opened:
    st = os.fstat(fd)
    layout, why = check_sidecar(path, fd)
    with gc_paused():
        if layout is not None:
            try:
                return _through(fd, st, layout)
            except (LayoutMismatch, TypeError, ValueError) as exc:
                why = f"wrong: {exc}"  # the sidecar lied after all: parse the whole file
        data = _read_all(fd, st.st_size)
        if in_parts and st.st_size >= PARTS_MIN_BYTES:
            found = checked_layout(data)  # every part parsed and checked, none kept
            if found is not None:
                del data
                try:
                    opened = _through(fd, st, found)
                    check_meta(opened.tables)
                except (LayoutMismatch, TypeError, ValueError):  # changed since (SnapshotError too)
                    data = _read_all(fd, st.st_size)
                else:
                    opened.how, opened.scanned = f"full parse in parts (open cache {why})", True
                    return opened
        try:
            tables = parse_snapshot(data)
        except SnapshotError as exc:
            raise _corrupt(path, str(exc)) from None
        finally:
            del data
        freeze_when_resumed(sum(map(len, tables.values())))
    return _Opened(fd, st, tables, schema_version_of(tables), None, [], plan_of(tables),
                   f"full parse (open cache {why})")


def _through(fd: int, st: os.stat_result, layout: Layout) -> _Opened:
    """Open through `layout` (the sidecar's, or found by checking the file in parts): the
    eager tables parsed now, the others left to the background load. Raises LayoutMismatch,
    TypeError or ValueError when the bytes are not as it says."""
    eager, lazy = split_layout(layout)
    peek = peek_customers(fd, layout)
    if peek is not None:  # the loader's first table
        eager.remove("customers")
        lazy.insert(0, "customers")
    tables: Tables = {
        name: parse_table(fd, name, layout[name], False, lean=name not in LEAN_LATER)[0]  # type: ignore[misc]
        for name in eager
    }
    freeze_when_resumed(sum(map(len, tables.values())))
    return _Opened(fd, st, tables, schema_version_of(tables), layout, lazy, peek=peek)


def _read_all(fd: int, size: int) -> bytes:
    parts = []
    offset = 0
    while chunk := os.pread(fd, max(size - offset, 1 << 20), offset):
        parts.append(chunk)
        offset += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _adopt(path: Path, opened: _Opened, hold_load: bool, **options: Any) -> FileStore:
    """The store over what `_read` parsed, with its lazy tables marked as loading."""
    try:
        store = FileStore(path, {}, **options)
        store.adopt(opened.tables, opened.layout, cached=not opened.scanned)
    except (ValueError, TypeError, AttributeError) as exc:  # a key that is no id, a doc that is no object
        raise _corrupt(path, f"not a table of records: {exc}") from None
    opened.tables = {}
    store.open_path = opened.how
    if opened.lazy:
        assert opened.layout is not None
        loader = Loader(store, opened.fd, opened.layout, opened.lazy, lambda why: _corrupt(path, why),
                        held=hold_load, peek=opened.peek)
        store.start_loading(loader, opened.lazy, opened.peek)
    return store


def _read_journal(path: Path, store: FileStore, opened: _Opened) -> Replay:
    """The journal of the snapshot just read; damage refuses the open before anything changed."""
    jpath = journal_path(path)
    try:
        return read_journal(jpath, store.snapshot_id)
    except JournalDamaged as exc:
        os.close(opened.fd)
        backup = newest_good_backup(path)
        raise DatabaseCorrupt(t(
            "db.journal_damaged", journal=str(jpath), offset=exc.offset, reason=exc.reason,
            backup=str(backup) if backup else t("db.no_backup"),
        )) from None


def _start(store: FileStore, opened: _Opened) -> None:
    """Start the background load (after the journal went to `store.replay`), or hand the
    file to the sidecar's rebuild (started by open_store once the open is done), or close it;
    after a full parse in parts, both."""
    if opened.scanned:  # the layout is known: the rebuild only writes it (its own fd: the loader closes this one)
        assert opened.layout is not None
        store.rebuild_later(Rebuilder(store, os.dup(opened.fd), opened.stat, None, opened.layout))
    if store.start_loader():
        return
    if opened.plan is not None:
        store.rebuild_later(Rebuilder(store, opened.fd, opened.stat, opened.plan))
    else:
        os.close(opened.fd)


def _open_read_only(path: Path, journal_compact_mb: int, hold_load: bool, in_parts: bool) -> FileStore:
    """Snapshot plus journal, retried if a writer swapped the snapshot while we read."""
    for attempt in range(5):
        opened = _read(path, in_parts)
        store = _adopt(path, opened, hold_load, read_only=True, journal_compact_mb=journal_compact_mb)
        replay = _read_journal(path, store, opened)
        try:
            after = os.stat(path)
        except FileNotFoundError:
            after = None
        same = after is not None and (opened.stat.st_ino, opened.stat.st_mtime_ns) == (
            after.st_ino,
            after.st_mtime_ns,
        )
        if same or attempt == 4:
            if same:
                store.replay(replay.entries)
            _start(store, opened)
            if opened.version < SCHEMA_VERSION:
                store.wait_loaded()
                store.migrate_from(opened.version)
            return store
        os.close(opened.fd)
    raise AssertionError("unreachable")


def _open_writable(
    path: Path, lock: StoreLock, create: bool, backups_kept: int, journal_compact_mb: int,
    backup_retention_days: int | None = None, hold_load: bool = False, in_parts: bool = False,
) -> FileStore:
    jpath = journal_path(path)
    remove_own_temps(path)  # a compaction cut short by a crash; we hold the lock
    if not path.exists():
        if not create:
            raise DatabaseMissing(t("db.missing", path=str(path)))
        if jpath.exists() and jpath.stat().st_size:
            # a journal whose database is gone belongs to nothing we can rebuild: keep it aside
            os.replace(jpath, jpath.with_name(f"{jpath.name}.orphaned-{_stamp()}"))
        store = FileStore(path, {}, lock=lock, journal_compact_mb=journal_compact_mb)
        store.compact()
        store.start_journal()
        return store

    opened = _read(path, in_parts)
    version = opened.version
    store = _adopt(path, opened, hold_load, lock=lock, journal_compact_mb=journal_compact_mb)
    replay = _read_journal(path, store, opened)
    store.replay(replay.entries)
    _start(store, opened)
    if replay.entries or replay.legacy:
        store.compact()  # recover: fold what the last session journalled into the file
    store.start_journal(discard=replay.torn_tail)
    if version < SCHEMA_VERSION:
        store.wait_loaded()
        snapshot_backup(path, tag=f"schema{version}")
        store.migrate_from(version)
        store.compact()
    if backups_kept > 0 and store.has_records():
        backup = snapshot_backup(path)
        if os.path.samefile(backup, path):  # a hard link: its own copy later, not at close
            store.unshare_later(Unsharer(path, backup))
    if (backups_kept > 0 and store.has_records()) or backup_retention_days is not None:
        # rotate only once the whole file has parsed: a file damaged where only the background
        # load sees it must not push a good backup out
        store.after_load(lambda: rotate_backups(path, backups_kept, backup_retention_days))
    return store


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def create_database(
    path: str | Path, *, force: bool = False, backups_kept: int = 10, journal_compact_mb: int = 64
) -> FileStore:
    """`custui init`: a new empty database, open for writing (fill it, then close it).

    Refuses (BadInput) when a database already exists, unless `force`, which
    first keeps the existing file as a backup (also when it is unreadable).
    Raises DatabaseLocked if another custui has it open.
    """
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise BadInput(t("db.is_dir", path=str(path)))
    try:
        check_replaceable(path)
    except NotARegularFile as exc:
        raise BadInput(t("output.unsafe", path=str(path), what=exc.what)) from None
    if path.exists() and not force:
        raise BadInput(t("db.exists", path=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = StoreLock(path)
    lock.acquire()
    try:
        jpath = journal_path(path)
        if path.exists():
            kept = snapshot_backup(path, tag="replaced")
            if jpath.exists() and jpath.stat().st_size:
                copy_atomic(jpath, kept.with_suffix(".journal"))
        store = FileStore(path, {}, lock=lock, journal_compact_mb=journal_compact_mb)
        store.compact()  # a new snapshot id: the replaced database's journal is never replayed
        store.start_journal()
        return store
    except BaseException:
        lock.release()
        raise
