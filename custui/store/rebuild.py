"""Rebuilding `<db>.idx` in the background after an open that had to parse the whole file.

When the sidecar is missing or stale, open parses the whole file. Rather than wait
for the next compaction, a low-priority daemon thread started once the open is done
finds where each table and each run of 10,000 records sit in the bytes just parsed
(one `find` per run, on a read-only mmap of the same inode, guided by the ids the
parse saw) and writes the sidecar beside the file (mkstemp + rename, safe_files.py).

It never touches the database. It writes only if the file is still the one parsed
(size, mtime_ns, inode, checked right before the rename; the sidecar records them so
the next open checks again), and never beside a compaction: a writable store holds
its own mutex for the rename, any other process takes the database lock without
waiting and skips the rebuild if a writer has it. `close()` cancels it. A file not
laid out as custui writes it (stock TinyDB's spaces) keeps a full parse until the
next compaction rewrites it. Nothing depends on the result: a layout that turns out
wrong is caught by open's own checks like any stale sidecar.
"""

from __future__ import annotations

import mmap
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

import orjson

from custui.errors import DatabaseError
from custui.store.lock import StoreLock
from custui.store.sidecar import Layout, TableLayout, write_sidecar
from custui.store.snapshot import CHUNK
from custui.store.trace import note

if TYPE_CHECKING:
    from custui.store.file_store import FileStore

# per table in file order: its name, its record count, the id that starts each chunk
Plan = list[tuple[str, int, list[str]]]


class _Cancelled(Exception):
    """The store closed during the rebuild."""


def plan_of(tables: Mapping[str, Mapping[str, Any]]) -> Plan | None:
    """What the scan needs to know of a freshly parsed file (ids as the file spells them)."""
    if not tables or "_default" in tables:  # written by stock TinyDB: not our layout
        return None
    return [(name, len(docs), list(islice(docs, 0, None, CHUNK))) for name, docs in tables.items()]


def scan_layout(buf: mmap.mmap | bytes, plan: Plan, stopped: Callable[[], bool]) -> Layout | None:
    """The layout of `buf` (compact JSON as dump_snapshot writes it), or None if it is not."""
    layout: Layout = {}
    size = len(buf)
    last = size - 1 if buf[size - 1 : size] == b"\n" else size  # after the file's `}`
    pos = 0
    for number, (name, count, firsts) in enumerate(plan):
        if stopped():
            raise _Cancelled
        head = (b"," if number else b"{") + orjson.dumps(name) + b":{"
        if buf[pos : pos + len(head)] != head:
            return None
        start = pos + len(head) - 1  # the table's `{`
        cur = start + 1
        chunks: list[tuple[int, int]] = []
        for first in firsts[1:]:
            if stopped():
                raise _Cancelled
            at = buf.find(b"," + orjson.dumps(first) + b":{", cur)
            if at < 0:
                return None
            chunks.append((cur, at))
            cur = at + 1
        if number + 1 < len(plan):
            end = buf.find(b"}," + orjson.dumps(plan[number + 1][0]) + b":{", cur)
        else:
            end = last - 2 if buf[last - 2 : last] == b"}}" else -1
        if end < cur or (count == 0) != (end == cur):
            return None
        if count:
            chunks.append((cur, end))
        layout[name] = TableLayout((start, end + 1), chunks, count)
        pos = end + 1
    return layout if pos == last - 1 else None


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ino) == (b.st_size, b.st_mtime_ns, b.st_ino)


class Rebuilder:
    """Writes the sidecar of the file open as `fd` (parsed at open as `parsed`); closes `fd`.
    With `layout` (found at open checking the file in parts, parts.py) it writes that, with
    no scan."""

    def __init__(self, store: FileStore, fd: int, parsed: os.stat_result, plan: Plan | None,
                 layout: Layout | None = None) -> None:
        self._store = store
        self._fd: int | None = fd
        self._parsed = parsed
        self._plan = plan
        self._layout = layout
        self._stop = threading.Event()
        self.done = threading.Event()
        self.outcome = "not started"
        self._thread = threading.Thread(target=self._run, name="custui-store-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Cancel (the store is closing): returns within one step of the scan, no sidecar written."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        elif not self._thread.is_alive() and self._fd is not None and not self.done.is_set():
            self._close_fd()  # never started
            self.outcome = "cancelled"
            self.done.set()

    def _close_fd(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            _lower_priority()
            self.outcome = self._rebuild()
        except _Cancelled:
            self.outcome = "cancelled"
        except (OSError, ValueError, DatabaseError) as exc:  # best effort: a full parse next time
            self.outcome = f"failed: {exc}"
        finally:
            self._close_fd()
            note(self._store.path, f"open cache rebuild: {self.outcome}; "
                                   f"{time.perf_counter() - started:.2f} s")
            self.done.set()

    def _rebuild(self) -> str:
        fd = self._fd
        assert fd is not None
        if not _same_file(os.fstat(fd), self._parsed):
            return "skipped: the file changed"
        layout = self._layout
        if layout is None and self._plan is not None:
            with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as buf:
                layout = scan_layout(buf, self._plan, self._stopped)
        if layout is None:
            return "skipped: not laid out as custui writes it"
        with self._exclusive() as mine:
            if not mine:
                if self._stop.is_set():
                    raise _Cancelled
                return "skipped: a writer holds the database"
            if not write_sidecar(self._store.path, layout, (fd, self._parsed), self._keep):
                return "skipped: the file changed"
            self._store.sidecar_written(layout)
        return "written"

    def _stopped(self) -> bool:
        """Between two steps of the scan: a pause while the store saves, then whether cancelled."""
        self._store.pause_for_writes(self._stop.is_set)
        return self._stop.is_set()

    def _keep(self) -> bool:
        """Right before the rename: still wanted, and the file is still the one parsed."""
        if self._stop.is_set():
            raise _Cancelled
        try:
            return _same_file(os.stat(self._store.path), self._parsed)
        except FileNotFoundError:
            return False

    @contextmanager
    def _exclusive(self) -> Iterator[bool]:
        """No compaction meanwhile: the store's own if it writes, else the database lock."""
        store = self._store
        if store.writer:
            with store.compaction_paused(self._stop) as mine:
                yield mine
            return
        lock = StoreLock(store.path)
        try:
            lock.acquire()
        except DatabaseError:  # locked by a writer, or a planted symlink: its job, not ours
            yield False
            return
        try:
            yield True
        finally:
            lock.release()


def _lower_priority() -> None:
    """Nice this thread only (Linux applies setpriority to a thread id); the UI comes first."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
