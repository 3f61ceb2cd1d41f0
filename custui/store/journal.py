"""The append-only journal beside the database: one fsynced line per saved doc.

Each line is `["table", {full doc}]\n`, a whole-doc upsert, so replaying a
journal over a snapshot that already holds some of its lines is harmless.
A line without its newline (a write torn by a crash) is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from custui.store.base import Doc
from custui.store.lock import open_private

_DUMP_OPTS = orjson.OPT_NON_STR_KEYS


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".journal")


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file name in `path` (a directory) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Replay:
    """What a journal held: the entries to apply and how many lines were unreadable."""

    entries: list[tuple[str, Doc]] = field(default_factory=list)
    torn_tail: bool = False
    bad_lines: int = 0  # unreadable lines that were not the last (disk damage, not a crash)
    size: int = 0


def read_journal(path: Path) -> Replay:
    replay = Replay()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return replay
    replay.size = len(data)
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a torn write
    if tail.strip(b"\0 \t"):
        replay.torn_tail = True
    for number, line in enumerate(lines):
        if not line.strip(b"\0 \t"):
            continue
        try:
            table, doc = orjson.loads(line)
            if not isinstance(table, str) or not isinstance(doc, dict) or "id" not in doc:
                raise ValueError("not a journal entry")
            doc["id"] = int(doc["id"])
        except (ValueError, TypeError):
            if number == len(lines) - 1 and not tail:
                replay.torn_tail = True
            else:
                replay.bad_lines += 1
            continue
        replay.entries.append((table, doc))
    return replay


class Journal:
    """An open journal for appending; `append` returns once the lines are on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        self._fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        self.size = os.fstat(self._fd).st_size
        if not existed:
            fsync_dir(path.parent)

    def append(self, entries: Iterable[tuple[str, Doc]]) -> None:
        data = b"".join(orjson.dumps([table, doc], option=_DUMP_OPTS) + b"\n" for table, doc in entries)
        if not data:
            return
        start = self.size
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fdatasync(self._fd)
        except BaseException:
            # leave no half line behind for the next append to follow
            try:
                os.ftruncate(self._fd, start)
            except OSError:
                pass
            raise
        self.size = start + len(data)

    def reset(self) -> None:
        """Empty the journal (after its contents reached the snapshot)."""
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
