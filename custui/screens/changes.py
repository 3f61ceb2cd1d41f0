"""How screens learn that stored records changed: one app-level Signal, once per burst.

The store calls its listeners after every durable write, from the thread that wrote (a
save worker) or, for other operators' saves on a shared store, from its notifier thread.
A `ChangeFeed` collects which customers were touched and posts a `StoreChanged` message
to the app for each write; consecutive ones waiting in the app's queue collapse into one
(`can_replace`, as toolong collapses its size changes), so a burst (a merge, a campaign
logged for every member) is handled once. The app then takes what the feed collected and
publishes it as a `Changes` on its `records_changed` Signal (as posting's
`env_changed_signal`): `RecordsScreen` (records_screen.py) subscribes to it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump

from custui.store.base import Doc, Store


@dataclass(frozen=True)
class Changes:
    """What changed since the last `Changes`: the customers whose records did (None: a record
    tied to no customer, so anyone's view may have moved) and, of those, the ones another
    process (operator) changed on a shared store."""

    customers: frozenset[int | None]
    remote: frozenset[int | None] = frozenset()

    def touches(self, customer_id: int | None) -> bool:
        """Whether a view of `customer_id` may show something that changed."""
        return customer_id in self.customers or None in self.customers


class StoreChanged(Message, bubble=False):
    """Posted to the app from any thread after a write: the feed holds news. Only the last
    of a run waiting in the queue is handled (it takes everything the feed holds)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreChanged)


def customer_of(table: str, doc: Doc) -> int | None:
    """The customer a stored record belongs to (None when it names none)."""
    cid = doc.get("id") if table == "customers" else doc.get("customer_id")
    return cid if isinstance(cid, int) else None


class ChangeFeed:
    """Collects the store's changes (any thread) for `target`; `take` hands them over once."""

    def __init__(self, target: MessagePump) -> None:
        self._target = target
        self._lock = threading.Lock()
        self._customers: set[int | None] = set()
        self._remote: set[int | None] = set()

    def follow(self, store: Store) -> None:
        """Every durable write (ours and, on shared stores, other processes'), and which
        of them other processes made."""
        store.subscribe(self._written)
        store.subscribe_remote(self._written_elsewhere)

    def _written(self, table: str, doc: Doc) -> None:
        self._add(table, doc, remote=False)

    def _written_elsewhere(self, table: str, doc: Doc) -> None:
        self._add(table, doc, remote=True)

    def _add(self, table: str, doc: Doc, remote: bool) -> None:
        if table == "meta":  # the file's own bookkeeping: nothing a screen shows
            return
        customer = customer_of(table, doc)
        with self._lock:
            self._customers.add(customer)
            if remote:
                self._remote.add(customer)
        try:
            self._target.post_message(StoreChanged())
        except RuntimeError:  # the app's loop has closed (a save after it quit)
            pass

    def take(self) -> Changes | None:
        """Everything collected since the last call (None when nothing was)."""
        with self._lock:
            if not self._customers:
                return None
            changes = Changes(frozenset(self._customers), frozenset(self._remote))
            self._customers, self._remote = set(), set()
        return changes
