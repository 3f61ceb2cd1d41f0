"""Rotating backups in `<db dir>/<db file name>.backups/`, named by UTC time; backup and restore.

The database file is only ever replaced by rename, never rewritten in place, so
a hard link to it is an instant, complete backup (a copy where links fail).
"""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from custui.errors import BadInput, DatabaseLocked, DatabaseMissing, SchemaTooNew
from custui.store.base import SCHEMA_VERSION
from custui.store.file_store import (
    SnapshotError,
    copy_atomic,
    dump_snapshot,
    read_snapshot,
    schema_version_of,
    write_atomic,
)
from custui.store.journal import (
    SNAPSHOT_KEY,
    journal_bytes,
    journal_path,
    new_snapshot_id,
)
from custui.store.lock import StoreLock, lock_path
from custui.store.safe_files import NotARegularFile, describe_mode, fsync_dir, open_private

_STAMP = "%Y%m%dT%H%M%S.%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\.\d{6}Z)(?P<tag>-[a-z0-9-]+)?\.json$")


def backups_dir(db_path: Path) -> Path:
    """`shop.json.backups/` beside `shop.json`: keyed on the whole file name, so `shop.test`
    in the same folder has its own backups and never rotates these."""
    return db_path.with_name(db_path.name + ".backups")


def _legacy_dir(db_path: Path) -> Path | None:
    """`shop.backups/`, where earlier versions kept the backups of `shop.json` (named
    `shop-<stamp>.json`): still listed (never rotated) while no other database in the
    folder could own them (another `shop.*` file that is JSON or that custui opened)."""
    folder = db_path.with_name(db_path.stem + ".backups")
    if folder == backups_dir(db_path) or not folder.is_dir() or folder.is_symlink():
        return None
    try:
        siblings = list(db_path.parent.iterdir())
    except OSError:
        return None
    for other in siblings:
        if other.name == db_path.name or other.stem != db_path.stem or not other.is_file():
            continue
        custui_file = other.suffix == ".json" or lock_path(other).exists() or journal_path(other).exists()
        if custui_file:
            return None  # two databases could own those backups: list neither's
    return folder


def _new_backup_path(db_path: Path, tag: str = "") -> Path:
    folder = backups_dir(db_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = os.lstat(folder).st_mode
    if not stat.S_ISDIR(mode):  # a symlink planted there would take the customer data elsewhere
        raise NotARegularFile(folder, describe_mode(mode))
    while True:
        stamp = datetime.now(UTC).strftime(_STAMP)
        target = folder / f"{db_path.name}-{stamp}{'-' + tag if tag else ''}.json"
        if not target.exists():
            return target


def _found(folder: Path | None, owner: str) -> list[tuple[str, Path]]:
    if folder is None or not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and match["stem"] == owner and entry.is_file():
            found.append((match["stamp"], entry))
    return found


def list_backups(db_path: Path) -> list[Path]:
    """Backups of `db_path`, newest first (with those earlier versions kept, see `_legacy_dir`)."""
    found = _found(backups_dir(db_path), db_path.name) + _found(_legacy_dir(db_path), db_path.stem)
    return [entry for _, entry in sorted(found, reverse=True)]


def _rotated(db_path: Path) -> list[Path]:
    """Backups that count against `backups_kept` (not the ones kept before a migration, nor
    those in the folder of earlier versions)."""
    found = sorted(_found(backups_dir(db_path), db_path.name), reverse=True)
    return [p for _, p in found if not _NAME.match(p.name)["tag"]]  # type: ignore[index]


def validate_backup(path: Path) -> int:
    """Check `path` is a custui database this version can open; returns its schema version."""
    try:
        tables = read_snapshot(path)
    except FileNotFoundError:
        raise DatabaseMissing(f"{path} does not exist") from None
    except (SnapshotError, OSError) as exc:
        raise BadInput(f"{path} is not a custui database: {exc}") from None
    version = schema_version_of(tables)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} has schema version {version}, newer than this custui understands ({SCHEMA_VERSION})"
        )
    if "customers" not in tables and "meta" not in tables:
        raise BadInput(f"{path} is not a custui database: it has no customers or meta table")
    return version


def newest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that parses as a database this custui can open."""
    for candidate in list_backups(db_path):
        try:
            validate_backup(candidate)
        except (BadInput, DatabaseMissing, SchemaTooNew):
            continue
        return candidate
    return None


def snapshot_backup(db_path: Path, to: Path | None = None, tag: str = "") -> Path:
    """Back up the database file as it is (the caller holds the lock, the journal is folded in)."""
    if to is not None:
        copy_atomic(db_path, to)
        return to
    target = _new_backup_path(db_path, tag)
    try:
        os.link(db_path, target)
    except OSError:
        copy_atomic(db_path, target)
    else:
        fsync_dir(target.parent)
    return target


class Unsharer:
    """Gives the open's backup, a hard link to the database file, its own copy in a
    background thread once the tables have loaded, so that close need not copy the database
    (at 100k customers 300 MB: seconds at every quit). Best effort: stopped by close, which
    then copies as before; a compaction meanwhile already left the backup on its own."""

    def __init__(self, db_path: Path, backup: Path) -> None:
        self._db_path, self._backup = db_path, backup
        self._stop = threading.Event()
        self._pause: Callable[[Callable[[], bool]], None] | None = None
        self._thread = threading.Thread(target=self._run, name="custui-backup-copy", daemon=True)

    def pace(self, pause: Callable[[Callable[[], bool]], None]) -> None:
        """Call `pause(stopped)` before each block of the copy (the store's pause_for_writes:
        the copy's writes slow the saves' fdatasync, its steps take the GIL from them)."""
        self._pause = pause

    def _stopped(self) -> bool:
        pause = self._pause
        if pause is not None and not self._stop.is_set():
            pause(self._stop.is_set)
        return self._stop.is_set()

    def start(self) -> None:
        if not self._stop.is_set():
            self._thread.start()

    def stop(self) -> None:
        """Within one 4 MiB block of the copy."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # the UI comes first
        except (AttributeError, OSError):
            pass
        try:
            if os.stat(self._backup).st_ino == os.stat(self._db_path).st_ino:
                copy_atomic(self._backup, self._backup, self._stopped)
        except OSError:  # stopped, the disk full, the backup rotated away: close copies
            pass


def drop_shared_backups(db_path: Path) -> int:
    """Remove the backups that are hard links to the database file (the open's backup not
    copied apart yet when the session ends, or one a killed session left) if another backup,
    a file of its own, already holds the same bytes (the same size and the same first and last
    64 KiB, where the snapshot id sits: what the open cache trusts too), so a close need not
    copy the database apart (seconds at 100k customers) to keep a backup it already has.
    Returns how many were removed."""
    from custui.store.sidecar import content_check

    try:
        st = os.stat(db_path)
        shared: list[Path] = []
        apart: list[Path] = []
        for backup in list_backups(db_path):
            found = os.stat(backup)
            if (found.st_dev, found.st_ino) == (st.st_dev, st.st_ino):
                shared.append(backup)
            elif found.st_size == st.st_size:
                apart.append(backup)
        if not shared or not apart:
            return 0
        want = _check_of(db_path, content_check)
        if not any(_check_of(backup, content_check) == want for backup in apart):
            return 0
        for backup in shared:
            backup.unlink()
        return len(shared)
    except OSError:
        return 0


def _check_of(path: Path, content_check: Callable[[int, int], str]) -> str:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        return content_check(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def backup_time(path: Path) -> datetime | None:
    """When a backup was made (UTC, from its name); None for a name that is not a backup's."""
    match = _NAME.match(path.name)
    return datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC) if match else None


def rotate_backups(db_path: Path, keep: int, max_age_days: int | None = None,
                   now: datetime | None = None) -> list[Path]:
    """Delete the oldest rotating backups beyond `keep`, and every backup (those kept before a
    migration too) made more than `max_age_days` ago, so data erased from the database does
    not live on in old backups; returns what was deleted."""
    removed = _rotated(db_path)[max(keep, 0) :]
    if max_age_days is not None:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=max_age_days)
        removed += [p for p in list_backups(db_path)
                    if p not in removed and (backup_time(p) or cutoff) < cutoff]
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


def _journal_empty(db_path: Path) -> bool:
    """No saves wait in the journal. A journal that is there but not a regular file (a planted
    symlink, a FIFO) is not "empty": the full open then refuses it rather than leave it out."""
    path = journal_path(db_path)
    if path.is_symlink() or (os.path.lexists(path) and not path.is_file()):
        return False
    return journal_bytes(path) == 0


def create_backup(db_path: Path, to: Path | None = None) -> Path:
    """`custui backup [--to PATH]`: a complete backup, also while the app has the database open.

    Without `to` the backup goes to the backups folder (it does not rotate others away).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise DatabaseMissing(f"No database at {db_path}")
    store_lock = StoreLock(db_path)
    lock: StoreLock | None = store_lock
    try:
        store_lock.acquire()
    except DatabaseLocked:
        lock = None  # another custui writes it: back up what it has saved, journal included
    try:
        if lock is not None and _journal_empty(db_path):
            return snapshot_backup(db_path, to)
        from custui.store.open import open_store

        store = open_store(db_path, read_only=True)
        target = to if to is not None else _new_backup_path(db_path)
        write_atomic(target, dump_snapshot(store.tables()))
        return target
    finally:
        if lock is not None:
            lock.release()


def restore_backup(db_path: Path, source: Path) -> Path | None:
    """`custui restore PATH`: replace the database with `source`, keeping the current one as a backup.

    `source` is checked first; nothing is touched if it is not a usable database.
    Raises DatabaseLocked while another process has the database open. Returns
    the backup of the previous database (None if there was none).

    Crash-safe at every step: the restored file gets a new snapshot id, so the
    replaced database's journal (which names the old id) is never replayed over it,
    whether or not the crash came before the journal was emptied.
    """
    db_path, source = Path(db_path), Path(source)
    validate_backup(source)
    tables = read_snapshot(source)
    with StoreLock(db_path):
        kept = _keep_current(db_path)
        _crash_point("kept")
        meta = tables.setdefault("meta", {})
        meta["1"] = {**(meta.get("1") or {"id": 1}), SNAPSHOT_KEY: new_snapshot_id()}
        write_atomic(db_path, dump_snapshot(tables))  # type: ignore[arg-type]
        _crash_point("replaced")
        _empty_journal(db_path)  # tidy only: its saves are in `kept`
        return kept


def _keep_current(db_path: Path) -> Path | None:
    """Back up the database about to be replaced, its journal folded in (None if there is none)."""
    if not db_path.exists():
        return None
    try:
        read_snapshot(db_path)
    except (SnapshotError, OSError):
        kept = _new_backup_path(db_path, "replaced-unreadable")
        copy_atomic(db_path, kept)
        if not _journal_empty(db_path):
            copy_atomic(journal_path(db_path), kept.with_suffix(".journal"))
        return kept
    if _journal_empty(db_path):
        return snapshot_backup(db_path, tag="replaced")
    from custui.store.open import open_store

    merged = open_store(db_path, read_only=True)
    kept = _new_backup_path(db_path, "replaced")
    write_atomic(kept, dump_snapshot(merged.tables()))
    return kept


def _empty_journal(db_path: Path) -> None:
    try:
        fd = open_private(journal_path(db_path), os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        os.ftruncate(fd, 0)
        os.fsync(fd)
    finally:
        os.close(fd)


def _crash_point(step: str) -> None:
    """Between two steps of a restore (tests make the process "die" here)."""
