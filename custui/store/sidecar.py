"""`<db>.idx`: where each table's records sit in the database file, so opening can parse
the small tables first and the big ones in the background.

The sidecar is derived, never the truth: compaction writes it right after it
renames a new database into place, and open uses it only when it still matches
the database (size, mtime and a hash of the first and last 64 KiB; a copy that keeps
the time keeps its cache). If it is missing, unreadable or stale, open parses the
whole file as before and rebuilds it in the background (rebuild.py); the next
compaction also writes a fresh one. Losing it loses nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from custui.store.safe_files import make_temp, read_private, replace_with_temp

IDX_VERSION = 1
_EDGE = 64 * 1024


@dataclass
class TableLayout:
    """Byte ranges in the database file: `span` is the table's `{...}`; each chunk is a
    run of `"id":{doc}` pairs inside it, separated by single commas."""

    span: tuple[int, int]
    chunks: list[tuple[int, int]] = field(default_factory=list)
    count: int = 0

    @property
    def size(self) -> int:
        return self.span[1] - self.span[0]


Layout = dict[str, TableLayout]


def sidecar_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".idx")


def content_check(fd: int, size: int) -> str:
    """A cheap fingerprint of the file behind `fd`: its size and its first and last 64 KiB."""
    digest = hashlib.blake2b(str(size).encode(), digest_size=16)
    digest.update(os.pread(fd, min(_EDGE, size), 0))
    if size > _EDGE:
        digest.update(os.pread(fd, _EDGE, max(size - _EDGE, _EDGE)))
    return digest.hexdigest()


def write_sidecar(
    db_path: Path,
    layout: Layout,
    parsed: tuple[int, os.stat_result] | None = None,
    keep: Callable[[], bool] | None = None,
) -> bool:
    """Record `layout` for the database file as it is now (call right after writing it), or
    with `parsed` for the file open as that fd with that stat (a background rebuild).

    `keep` is asked right before the rename; False (the file changed) writes nothing and
    returns False. Not fsynced: a sidecar torn by a crash fails its checks and is ignored.
    """
    if parsed is None:
        fd = os.open(db_path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            check = content_check(fd, st.st_size)
        finally:
            os.close(fd)
    else:
        st = parsed[1]
        check = content_check(parsed[0], st.st_size)
    body: dict[str, Any] = {
        "version": IDX_VERSION,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "inode": st.st_ino,
        "check": check,
        "tables": {
            name: {"span": list(tl.span), "count": tl.count, "chunks": [list(c) for c in tl.chunks]}
            for name, tl in layout.items()
        },
    }
    target = sidecar_path(db_path)
    out, tmp = make_temp(target)
    try:
        try:
            os.write(out, orjson.dumps(body))
        finally:
            os.close(out)
        if keep is not None and not keep():
            tmp.unlink(missing_ok=True)
            return False
        replace_with_temp(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def read_sidecar(db_path: Path, fd: int) -> Layout | None:
    """The layout of the database open as `fd`, or None when the sidecar is missing or stale."""
    return check_sidecar(db_path, fd)[0]


def check_sidecar(db_path: Path, fd: int) -> tuple[Layout | None, str]:
    """(the layout of the database open as `fd`, or None; why not, or "fresh")."""
    try:
        raw = read_private(sidecar_path(db_path))
    except FileNotFoundError:
        return None, "missing"
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    try:
        body = orjson.loads(raw)
        st = os.fstat(fd)
        if body["version"] != IDX_VERSION:
            return None, f"version {body['version']}"
        # not the inode: a copy that keeps the time (cp -p, rsync -a, a restore of the folder)
        # has the same bytes at the same offsets, which is all the sidecar describes
        for key, now in (("size", st.st_size), ("mtime_ns", st.st_mtime_ns)):
            if body[key] != now:
                return None, f"{key} changed ({body[key]} -> {now})"
        if body["check"] != content_check(fd, st.st_size):
            return None, "content changed"
        layout: Layout = {}
        for name, entry in body["tables"].items():
            start, end = entry["span"]
            chunks = [(int(s), int(e)) for s, e in entry["chunks"]]
            if not _well_formed(int(start), int(end), chunks, st.st_size):
                return None, f"table {name!r}: malformed ranges"
            layout[str(name)] = TableLayout((int(start), int(end)), chunks, int(entry["count"]))
        if not covers_file(fd, layout, st.st_size):
            return None, "does not cover the file"
        return layout, "fresh"
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return None, f"unreadable: {exc}"


def covers_file(fd: int, layout: Layout, size: int) -> bool:
    """The listed tables are the whole file: `{"a":{..},"b":{..}}` with nothing between or
    after the spans but the table names, so no table is missing and none is cut short.
    (Each span's chunks tile it (`_well_formed`), and parsing checks each table's count.)"""
    pos = 0
    for number, (name, tl) in enumerate(sorted(layout.items(), key=lambda item: item[1].span[0])):
        head = (b"," if number else b"{") + orjson.dumps(name) + b":"
        if tl.span[0] - len(head) != pos or os.pread(fd, len(head), pos) != head:
            return False
        pos = tl.span[1]
    if not layout:
        return False
    return os.pread(fd, size - pos + 1, pos) in (b"}", b"}\n")


def _well_formed(start: int, end: int, chunks: list[tuple[int, int]], size: int) -> bool:
    """The chunks tile the table's `{...}` exactly, one comma between neighbours."""
    if not 0 < start < end <= size:
        return False
    if not chunks:
        return end == start + 2
    if chunks[0][0] != start + 1 or chunks[-1][1] != end - 1:
        return False
    return all(s < e for s, e in chunks) and all(
        nxt[0] == prev[1] + 1 for prev, nxt in zip(chunks, chunks[1:], strict=False)
    )
