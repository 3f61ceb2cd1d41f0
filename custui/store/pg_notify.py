"""The LISTEN side of the PostgreSQL store: other operators' changes reach this process.

A daemon thread holds its own autocommit connection, LISTENs on the channel the
schema's triggers notify, and hands each batch of (table, ids) to the store,
which re-reads those rows and refreshes its cache. Notifications from the
store's own write connection are skipped (already applied). When the
connection drops, the thread reconnects every second and then asks the store
to resynchronise everything it caches (notifications sent meanwhile are lost).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol

import psycopg

from custui.store.pg_schema import CHANNEL

Ids = list[int] | tuple[int, int]  # explicit ids, or an inclusive (lo, hi) range


class _Receiver(Protocol):
    schema: str

    def own_pid(self) -> int | None: ...

    def remote_changes(self, conn: psycopg.Connection[Any], changes: dict[str, list[Ids]]) -> None: ...

    def resync(self, conn: psycopg.Connection[Any]) -> None: ...


def parse_payload(payload: str) -> tuple[str, str, Ids] | None:
    """'public.orders:1,2,3' -> ('public', 'orders', [1, 2, 3]); ':10-900' gives (10, 900)."""
    name, _, rest = payload.partition(":")
    schema, _, table = name.rpartition(".")
    try:
        if "-" in rest:
            lo, _, hi = rest.partition("-")
            return schema, table, (int(lo), int(hi))
        return schema, table, [int(part) for part in rest.split(",") if part]
    except ValueError:
        return None


class Notifier(threading.Thread):
    """Receives change notifications until `stop()`; `ready` is set once listening."""

    POLL_SECONDS = 0.5
    RETRY_SECONDS = 1.0

    def __init__(self, receiver: _Receiver, connect: Callable[[], psycopg.Connection[Any]]) -> None:
        super().__init__(name="custui-pg-notify", daemon=True)
        self._receiver = receiver
        self._connect = connect
        self._stopping = threading.Event()
        self.ready = threading.Event()
        self._conn: psycopg.Connection[Any] | None = None
        self.reconnects = 0

    @property
    def stop_channel(self) -> str:
        """A channel only this thread listens on: a NOTIFY there wakes it at once."""
        return f"custui_stop_{id(self)}"

    def stop(self, wake: Callable[[str], None] | None = None) -> None:
        self._stopping.set()
        if wake is not None and self.ready.is_set():
            try:
                wake(self.stop_channel)
            except Exception:  # then it notices within POLL_SECONDS
                pass
        self.join(timeout=self.POLL_SECONDS * 4)
        conn = self._conn
        if conn is not None and not self.is_alive():
            conn.close()

    def run(self) -> None:
        first = True
        while not self._stopping.is_set():
            try:
                conn = self._connect()
            except Exception:  # server down: try again shortly
                self._stopping.wait(self.RETRY_SECONDS)
                continue
            self._conn = conn
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                conn.execute(f"LISTEN {self.stop_channel}")
                if not first:
                    self.reconnects += 1
                    self._receiver.resync(conn)
                first = False
                self.ready.set()
                self._listen(conn)
            except psycopg.Error:
                if self._stopping.is_set():
                    break
                self._stopping.wait(self.RETRY_SECONDS)
            finally:
                conn.close()
                self._conn = None

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        while not self._stopping.is_set():
            received = list(conn.notifies(timeout=self.POLL_SECONDS, stop_after=1))
            if not received:
                continue
            received += conn.notifies(timeout=0.01)  # drain whatever else is queued
            own = self._receiver.own_pid()
            changes: dict[str, list[Ids]] = defaultdict(list)
            for note in received:
                if note.pid == own:
                    continue
                if note.channel != CHANNEL:
                    continue  # our stop signal
                parsed = parse_payload(note.payload)
                if parsed is not None and parsed[0] == self._receiver.schema:
                    changes[parsed[1]].append(parsed[2])
            if changes:
                self._receiver.remote_changes(conn, dict(changes))
