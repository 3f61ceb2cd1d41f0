"""Opening a database file: lock, parse, recover the journal, back up, migrate.

`open_store` is what the CLI and the app call; `create_database` is `custui init`.
"""

from __future__ import annotations

import gc
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from custui.errors import BadInput, DatabaseCorrupt, DatabaseMissing, SchemaTooNew
from custui.i18n import t
from custui.store.backups import (
    backups_dir,
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
from custui.store.journal import Journal, Replay, journal_path, read_journal
from custui.store.lock import StoreLock
from custui.store.migrations import migrate


def open_store(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = False,
    backups_kept: int = 10,
    journal_compact_mb: int = 64,
) -> FileStore:
    """Open (or with `create`, make) the database at `path`.

    Raises DatabaseLocked (another process writes it; the message names it),
    DatabaseMissing, DatabaseCorrupt (names the newest good backup; the file is
    left untouched) or SchemaTooNew. `read_only` takes no lock and refuses writes.
    """
    path = Path(path).expanduser().absolute()
    if read_only:
        return _open_read_only(path, journal_compact_mb)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise DatabaseMissing(t("db.missing", path=str(path)))
    lock = StoreLock(path)
    lock.acquire()
    try:
        return _open_writable(path, lock, create, backups_kept, journal_compact_mb)
    except BaseException:
        lock.release()
        raise


def _corrupt(path: Path, reason: str) -> DatabaseCorrupt:
    backup = newest_good_backup(path)
    return DatabaseCorrupt(
        t("db.corrupt", path=str(path), reason=reason, backup=str(backup) if backup else t("db.no_backup"))
    )


def _read(path: Path) -> tuple[Tables, int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatabaseMissing(t("db.missing", path=str(path))) from None
    gc_was_on = gc.isenabled()
    gc.disable()  # a million new dicts would trigger full collections that find nothing
    try:
        tables = parse_snapshot(data)
    except SnapshotError as exc:
        raise _corrupt(path, str(exc)) from None
    finally:
        del data
        if gc_was_on:
            gc.enable()
    version = schema_version_of(tables)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(t("db.too_new", path=str(path), found=version, supported=SCHEMA_VERSION))
    return tables, version


def _adopt(path: Path, tables: Tables, **options: Any) -> FileStore:
    try:
        return FileStore(path, tables, **options)
    except (ValueError, TypeError, AttributeError) as exc:  # a key that is no id, a doc that is no object
        raise _corrupt(path, f"not a table of records: {exc}") from None


def _replay(store: FileStore, replay: Replay) -> None:
    for table, doc in replay.entries:
        store._apply(table, doc)


def _open_read_only(path: Path, journal_compact_mb: int) -> FileStore:
    """Snapshot plus journal, retried if a writer swapped the snapshot while we read."""
    for _attempt in range(5):
        try:
            before = os.stat(path)
        except FileNotFoundError:
            raise DatabaseMissing(t("db.missing", path=str(path))) from None
        tables, version = _read(path)
        store = _adopt(path, tables, read_only=True, journal_compact_mb=journal_compact_mb)
        del tables
        replay = read_journal(journal_path(path))
        after = os.stat(path)
        if (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns):
            _replay(store, replay)
            if version < SCHEMA_VERSION:
                migrate(store._tables, version)
                store._reindex()
            return store
    return store


def _open_writable(
    path: Path, lock: StoreLock, create: bool, backups_kept: int, journal_compact_mb: int
) -> FileStore:
    jpath = journal_path(path)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)  # a compaction cut short by a crash; we hold the lock
    if not path.exists():
        if not create:
            raise DatabaseMissing(t("db.missing", path=str(path)))
        if jpath.exists() and jpath.stat().st_size:
            # a journal whose database is gone belongs to nothing we can rebuild: keep it aside
            os.replace(jpath, jpath.with_name(f"{jpath.name}.orphaned-{_stamp()}"))
        store = FileStore(path, {}, lock=lock, journal_compact_mb=journal_compact_mb)
        store.compact()
        store.start_journal(Journal(jpath))
        return store

    tables, version = _read(path)
    store = _adopt(path, tables, lock=lock, journal_compact_mb=journal_compact_mb)
    del tables
    replay = read_journal(jpath)
    _replay(store, replay)
    if replay.bad_lines:
        # damage in the middle of the journal (not a crash): keep the raw journal for inspection
        folder = backups_dir(path)
        folder.mkdir(mode=0o700, exist_ok=True)
        copy_atomic(jpath, folder / f"{path.stem}-{_stamp()}-damaged.journal")
    store.start_journal(Journal(jpath))
    if replay.size:
        store.compact()  # recover: fold what the last session journalled into the file
    if version < SCHEMA_VERSION:
        snapshot_backup(path, tag=f"schema{version}")
        migrate(store._tables, version)
        store._reindex()
        store.compact()
    if backups_kept > 0 and any(store.count(name) for name in store.tables() if name != "meta"):
        snapshot_backup(path)
        rotate_backups(path, backups_kept)
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
                os.truncate(jpath, 0)
        store = FileStore(path, {}, lock=lock, journal_compact_mb=journal_compact_mb)
        store.compact()
        store.start_journal(Journal(jpath))
        return store
    except BaseException:
        lock.release()
        raise
