"""One writer per database: an flock on `<db>.lock` that the kernel drops when the holder dies."""

from __future__ import annotations

import fcntl
import os
import socket
import sys
from pathlib import Path

from custui.errors import DatabaseError, DatabaseLocked
from custui.i18n import t
from custui.store.safe_files import NotARegularFile, open_private


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def describe_self() -> str:
    """"pid 1234 on host x: custui demo" for this process."""
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
    return f"pid {os.getpid()} on host {socket.gethostname()}: {command}"


class StoreLock:
    """Exclusive, non-blocking lock on a database; `acquire` raises DatabaseLocked naming the holder."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
        except NotARegularFile as exc:  # a planted symlink or FIFO: a database problem (exit 3)
            raise DatabaseError(str(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = read_owner(fd)
            os.close(fd)
            raise DatabaseLocked(
                t("db.locked", path=str(self.db_path), owner=owner or "another process"), owner
            ) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, (describe_self() + "\n").encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Unlock; the file stays (deleting a lock file races with a new locker)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        os.close(fd)  # closing drops the flock

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def read_owner(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def lock_owner(db_path: Path) -> str | None:
    """Who holds the lock on `db_path` now, or None when nobody does."""
    path = lock_path(db_path)
    if not path.exists():
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_owner(fd) or "another process"
        return None
    finally:
        os.close(fd)
