"""The append-only journal beside the database: one checked, fsynced frame per saved batch.

Layout (format 2):

    @custui-journal 2 <snapshot id>\\n          the database snapshot this journal extends
    @b <bytes> <entries> <crc32>\\n<payload>     one frame per batch (one fdatasync each)

The payload is `entries` lines `["table", {full doc}]\\n`, whole-doc upserts; its
length and CRC-32 are in the frame's header. Replay applies only complete, intact
frames, so a batch (an import, a purchase with its voucher) is all there or absent.

- A torn tail (the last frame cut short by a crash, or a header without its newline,
  or zeros where the kernel never wrote) is dropped whole.
- Anything else that does not check out (a bad checksum, a frame followed by more
  frames, an entry for an unknown table or `meta`, a record without an integer id)
  is damage: `JournalDamaged` names the byte offset and nothing is replayed.
- A journal whose snapshot id is not the database's belongs to another snapshot (a
  compaction or restore renamed a new file in before the journal was emptied): it
  is ignored. Compaction and restore give every file they write a new id.
- A journal of format 1 (bare lines, no header) is replayed once, line by line, and
  then compacted away: the migration from earlier versions.
"""

from __future__ import annotations

import os
import re
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from custui.domain.enums import TABLES
from custui.store.base import Doc
from custui.store.safe_files import fsync_dir, open_private, read_private

_DUMP_OPTS = orjson.OPT_NON_STR_KEYS
MAGIC = b"@custui-journal 2 "
FRAME = b"@b "
_FRAME_HEAD = re.compile(rb"@b (\d{1,12}) (\d{1,9}) ([0-9a-f]{8})")
_SNAPSHOT_ID = re.compile(rb"[0-9a-f]{1,64}")
JOURNAL_TABLES = frozenset(TABLES) - {"meta"}  # meta is never journalled
SNAPSHOT_KEY = "snapshot_id"  # in the meta record: which journal belongs to the file


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".journal")


def new_snapshot_id() -> str:
    return secrets.token_hex(8)


def journal_bytes(path: Path) -> int:
    """Bytes of saves waiting in the journal file now (its header not counted), 0 if none."""
    try:
        fd = open_private(path, os.O_RDONLY)
    except OSError:
        return 0
    try:
        size = os.fstat(fd).st_size
        head = os.pread(fd, 128, 0)
    finally:
        os.close(fd)
    if head.startswith(MAGIC) and b"\n" in head:
        return size - head.index(b"\n") - 1
    return size


class JournalDamaged(ValueError):
    """The journal holds something that is neither a whole batch nor a torn tail."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"byte {offset}: {reason}")
        self.offset = offset
        self.reason = reason


@dataclass
class Replay:
    """What a journal held: the entries to apply, and what was dropped or ignored."""

    entries: list[tuple[str, Doc]] = field(default_factory=list)
    torn_tail: bool = False
    legacy: bool = False  # format 1: replay once, then compact
    stale: bool = False  # belongs to another snapshot: ignored
    size: int = 0


def read_journal(path: Path, snapshot_id: str | None = None) -> Replay:
    """Check and read the journal of the snapshot `snapshot_id`. Raises JournalDamaged."""
    replay = Replay()
    try:
        data = read_private(path)
    except FileNotFoundError:
        return replay
    replay.size = len(data)
    if not data.strip(b"\0"):
        return replay
    if data.startswith(MAGIC[:2]):
        _read_framed(data, snapshot_id, replay)
    elif data.startswith(b"["):
        replay.legacy = True
        _read_lines(data, replay)
    elif _zero_tail(data, 0):
        replay.torn_tail = True
    else:
        raise JournalDamaged(0, "not a custui journal")
    return replay


def _zero_tail(data: bytes, pos: int) -> bool:
    """Nothing but zeros from `pos` on (blocks a crash never wrote)."""
    return not data[pos:].strip(b"\0")


def _torn_at(data: bytes, pos: int) -> bool:
    """A problem at `pos` is a torn tail only if no later frame starts after it."""
    return data.find(b"\n" + FRAME, pos) < 0


def _read_framed(data: bytes, snapshot_id: str | None, replay: Replay) -> None:
    end = data.find(b"\n")
    if end < 0 or not data.startswith(MAGIC):
        if end < 0 and MAGIC.startswith(data[: len(MAGIC)]):
            replay.torn_tail = True  # the header itself was cut: nothing was appended yet
            return
        raise JournalDamaged(0, "unreadable journal header")
    owner = data[len(MAGIC) : end]
    if not _SNAPSHOT_ID.fullmatch(owner):
        raise JournalDamaged(0, "unreadable journal header")
    if snapshot_id is not None and owner.decode() != snapshot_id:
        replay.stale = True
        return
    pos = end + 1
    size = len(data)
    while pos < size:
        if _zero_tail(data, pos):
            replay.torn_tail = True
            return
        head_end = data.find(b"\n", pos)
        head = _FRAME_HEAD.fullmatch(data, pos, head_end) if head_end >= 0 else None
        if head is None:
            if head_end < 0:  # the header of the last batch was cut
                replay.torn_tail = True
                return
            raise JournalDamaged(pos, "unreadable batch header")
        length, count, crc = int(head[1]), int(head[2]), int(head[3], 16)
        start, stop = head_end + 1, head_end + 1 + length
        if stop > size:
            if _torn_at(data, pos + 1):
                replay.torn_tail = True
                return
            raise JournalDamaged(pos, "batch longer than the journal")
        payload = data[start:stop]
        if zlib.crc32(payload) != crc:
            if stop == size and b"\0" in payload:
                replay.torn_tail = True  # the kernel extended the file but never wrote the batch
                return
            raise JournalDamaged(pos, "batch checksum does not match")
        lines = payload.split(b"\n")
        if lines.pop() != b"" or len(lines) != count:
            raise JournalDamaged(pos, f"batch does not hold the {count} entries its header says")
        offset = start
        batch = []
        for line in lines:
            batch.append(_entry(line, offset))
            offset += len(line) + 1
        replay.entries += batch
        pos = stop


def _read_lines(data: bytes, replay: Replay) -> None:
    """Format 1: a line per entry, the last one possibly torn."""
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a torn write
    if tail.strip(b"\0 \t"):
        replay.torn_tail = True
    offset = 0
    for number, line in enumerate(lines):
        here, offset = offset, offset + len(line) + 1
        if not line.strip(b"\0 \t"):
            continue
        try:
            replay.entries.append(_entry(line, here))
        except JournalDamaged:
            if number == len(lines) - 1 and not tail and _zero_tail(data, offset):
                replay.torn_tail = True
                continue
            raise


def _entry(line: bytes, offset: int) -> tuple[str, Doc]:
    """One `["table", {doc}]` line, checked: a known table (never meta), an integer id."""
    try:
        table, doc = orjson.loads(line)
    except (orjson.JSONDecodeError, ValueError, TypeError):
        raise JournalDamaged(offset, "unreadable entry") from None
    if not isinstance(table, str) or not isinstance(doc, dict):
        raise JournalDamaged(offset, "not a journal entry")
    if table not in JOURNAL_TABLES:
        raise JournalDamaged(offset, f"entry for table {table[:40]!r}, which the journal never holds")
    doc_id = doc.get("id")
    if type(doc_id) is not int or doc_id < 1:
        raise JournalDamaged(offset, f"{table} record without a valid id ({str(doc_id)[:40]!r})")
    return table, doc


def encode_batch(entries: Iterable[tuple[str, Doc]]) -> bytes:
    """One frame: header (length, entry count, CRC-32) and the entry lines."""
    lines = [orjson.dumps([table, doc], option=_DUMP_OPTS) + b"\n" for table, doc in entries]
    if not lines:
        return b""
    payload = b"".join(lines)
    return b"@b %d %d %08x\n" % (len(payload), len(lines), zlib.crc32(payload)) + payload


class Journal:
    """An open journal for appending; `append` returns once the batch is on disk."""

    def __init__(self, path: Path, snapshot_id: str) -> None:
        """Open the journal of snapshot `snapshot_id`; empty (or another snapshot's) gets a new header.

        The caller has replayed (and compacted) whatever it held before.
        """
        self.path = path
        self._fd = open_private(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
        self.size = os.fstat(self._fd).st_size
        self.snapshot_id = snapshot_id
        header = self._header()
        if self.size < len(header) or os.pread(self._fd, len(header), 0) != header:
            self.reset(snapshot_id)
            fsync_dir(path.parent)

    def append(self, entries: Iterable[tuple[str, Doc]]) -> None:
        data = encode_batch(entries)
        if not data:
            return
        start = self.size
        if not start:  # a reset that could not write the header (disk full)
            data = self._header() + data
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fdatasync(self._fd)
        except BaseException:
            # leave no half batch behind for the next append to follow
            try:
                os.ftruncate(self._fd, start)
            except OSError:
                pass
            raise
        self.size = start + len(data)

    def reset(self, snapshot_id: str | None = None) -> None:
        """Empty the journal (its contents reached the snapshot `snapshot_id`)."""
        if snapshot_id is not None:
            self.snapshot_id = snapshot_id
        header = self._header()
        os.ftruncate(self._fd, 0)
        self.size = 0
        try:
            if os.write(self._fd, header) != len(header):
                raise OSError("short write of the journal header")
            os.fsync(self._fd)
        except OSError:
            os.ftruncate(self._fd, 0)  # the next append writes the header with its batch
            raise
        self.size = len(header)

    def _header(self) -> bytes:
        return MAGIC + self.snapshot_id.encode() + b"\n"

    @property
    def pending(self) -> int:
        """Bytes of batches appended since the header (0: nothing to compact)."""
        return max(self.size - len(self._header()), 0)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
