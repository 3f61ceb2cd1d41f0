"""Changes other processes made, as the LISTEN thread (pg_notify) reports them to PgStore."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from custui.domain.enums import TABLES
from custui.store.base import ChangeListener, Doc
from custui.store.pg_notify import Ids


class RemoteChanges:
    """PgStore's side of notifications (a mixin): re-read the rows named, refresh the cache,
    tell the listeners."""

    _mutex: threading.RLock
    _loaded: set[str]
    _tables: dict[str, dict[int, Doc]]
    _revision: int
    _listeners: list[ChangeListener]
    _remote_listeners: list[ChangeListener]

    if TYPE_CHECKING:  # provided by PgStore
        @staticmethod
        def _fetch(conn: Any, table: str, where: str, params: Any) -> Iterator[tuple[int, Doc]]: ...

        def _apply(self, table: str, doc: Doc) -> None: ...

    def subscribe_remote(self, listener: ChangeListener) -> None:
        """Call `listener` only for other processes' changes (after the `subscribe` ones),
        from the notifier thread: what a UI needs to refresh what it shows."""
        self._remote_listeners.append(listener)

    def _tell(self, seen: list[tuple[str, Doc]]) -> None:
        """Every change to the `subscribe` listeners first, then to the `subscribe_remote` ones."""
        for listeners in (self._listeners, self._remote_listeners):
            for table, doc in seen:
                for listener in listeners:
                    listener(table, doc)

    def remote_changes(self, conn: Any, changes: dict[str, list[Ids]]) -> None:
        seen: list[tuple[str, Doc]] = []
        with self._mutex:
            for table, id_sets in changes.items():
                if table not in TABLES or table not in self._loaded:
                    continue
                ids = [i for s in id_sets if isinstance(s, list) for i in s]
                ranges = [s for s in id_sets if isinstance(s, tuple)]
                for where, params in ([("id = ANY(%s)", (ids,))] if ids else []) + [
                    ("id BETWEEN %s AND %s", r) for r in ranges
                ]:
                    for _, doc in self._fetch(conn, table, where, params):
                        self._apply(table, doc)
                        seen.append((table, doc))
            self._revision += 1
        self._tell(seen)

    def resync(self, conn: Any) -> None:
        """After the listener reconnected: re-read every cached table, report what differs."""
        seen: list[tuple[str, Doc]] = []
        with self._mutex:
            for table in sorted(self._loaded):
                for doc_id, doc in self._fetch(conn, table, "TRUE", ()):
                    if self._tables[table].get(doc_id) != doc:
                        self._apply(table, doc)
                        seen.append((table, doc))
            self._revision += 1
        self._tell(seen)
