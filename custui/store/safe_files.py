"""Creating and replacing files without following a planted symlink or clobbering a device.

Every file custui writes beside a database (lock, journal, temp, sidecar, backups) and
every output file a command writes goes through here: opened with O_NOFOLLOW and
checked to be a regular file; temp files come from `tempfile.mkstemp` in the target's
folder (O_EXCL, unpredictable names); a rename only ever replaces a regular file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
# the names mkstemp gives (8 of [a-z0-9_]), and the pid-numbered ones of earlier versions
_TEMP_TAIL = r"\.(?:[a-z0-9_]{8}|\d+)\.tmp"


class NotARegularFile(OSError):
    """A path custui would open or replace is a symlink, folder, FIFO, device or socket."""

    def __init__(self, path: Path | str, what: str) -> None:
        self.what = what
        super().__init__(errno.EINVAL, f"{path} is {what}, not a regular file: refusing to use it")
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.strerror)


def describe_mode(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def check_replaceable(path: Path) -> None:
    """Raise NotARegularFile unless `path` is missing or a regular file (never followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path, describe_mode(mode))


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 whatever the umask, never through a symlink, regular files only.

    O_NONBLOCK keeps a planted FIFO from blocking the open; it is cleared again.
    """
    try:
        fd = os.open(path, flags | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
            check_replaceable(path)
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(path, describe_mode(st.st_mode))
        os.set_blocking(fd, True)
        if st.st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def read_private(path: Path) -> bytes:
    """The bytes of a regular file, not followed through a symlink (FileNotFoundError if absent)."""
    fd = open_private(path, os.O_RDONLY)
    try:
        with os.fdopen(fd, "rb", closefd=False) as src:
            return src.read()
    finally:
        os.close(fd)


def make_temp(target: Path) -> tuple[int, Path]:
    """A new 0600 temp file beside `target` (O_EXCL, unpredictable name), for a later rename."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    return fd, Path(name)


def replace_with_temp(tmp: Path, target: Path) -> None:
    """Rename `tmp` over `target`, which must be missing or a regular file."""
    check_replaceable(target)
    os.replace(tmp, target)


def is_own_temp(name: str, owner: str) -> bool:
    """Whether `name` is a temp file made by `make_temp` for `owner` (a file name), its sidecar
    or its lookup cache (services/lookup_cache.py)."""
    return re.fullmatch(rf"\.{re.escape(owner)}(?:\.idx|\.lookup)?{_TEMP_TAIL}", name) is not None


def remove_own_temps(db_path: Path) -> None:
    """Delete temp files a crash left beside `db_path` (the caller holds its lock).

    Only our own names, only regular files: a symlink or anything else is left alone.
    """
    try:
        names = os.listdir(db_path.parent)
    except OSError:
        return
    for name in names:
        if not is_own_temp(name, db_path.name):
            continue
        stale = db_path.parent / name
        try:
            if stat.S_ISREG(os.lstat(stale).st_mode):
                stale.unlink()
        except OSError:
            pass


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file name in `path` (a directory) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    """Write a file that is either wholly old or wholly new after any crash (mode 0600).

    The one way custui writes a whole file (database, backup, export, config copy):
    refuses a `path` that is a symlink, FIFO, device or folder (NotARegularFile) before
    writing anything; the data goes to a mkstemp file beside it, fsynced, renamed over it.
    """
    check_replaceable(path)
    fd, tmp = make_temp(path)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20, closefd=True) as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        replace_with_temp(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(path.parent)
