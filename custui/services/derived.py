"""One shared, incrementally maintained cache of what is derived from orders.

`Derived(store, config, today_fn)` folds every order once (in whichever thread
first asks; the app does it in a worker at start), then follows the store's
writes: a write only queues its (table, doc); the next read applies the queue
by recomputing the affected customers from `store.children("orders", cid)`.
An order that moves to another customer (merge, correction) recomputes both.

Held per customer: `CustomerStats`, and `Facts` for one day (lifecycle, tier,
CLV, bands, windowed counts and spend); per day: the customer ids and totals
of its non-void orders (what dashboard periods and windows sum over). Facts
depend on "today": a new day recomputes them for everyone (no order pass).

Reads are cheap and thread-safe; `snapshot()` gives analytics a consistent,
immutable copy for one revision. The listener is held weakly, so a dropped
Derived costs the store nothing but a no-op call.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, repeat
from operator import and_, is_not, not_
from typing import NamedTuple

from custui.config.loader import AppConfig
from custui.domain.stats import (
    EMPTY_STATS,
    CustomerStats,
    compute_stats,
    day_number,
    day_numbers,
    gc_paused,
    stats_from_columns,
)
from custui.services.derived_facts import RULE_WINDOWS, Facts, FactsMaker
from custui.store.base import Doc, Store

__all__ = ["RULE_WINDOWS", "Derived", "DerivedSnapshot", "Facts", "LookupValues"]

# tables whose writes change what analytics shows (interactions, vouchers do not)
WATCHED = frozenset({"orders", "customers", "feedback", "complaints"})
# what the build reads of every order
_BUILD_FIELDS = ("id", "customer_id", "void", "date", "total", "promo")
HISTORY = 64  # revisions DerivedSnapshot.changed_since can answer for


class LookupValues(NamedTuple):
    """What a lookup row shows from orders (money in minor units)."""

    lifecycle: str
    tier: str | None
    total_spend: int
    orders: int
    last_order: date | None


@dataclass(frozen=True)
class DerivedSnapshot:
    """A view of the cache for one revision and day (for analytics): private copies
    of the dicts; treat them as read-only (they are shared by every reader)."""

    revision: int
    today: date
    stats: Mapping[int, CustomerStats]  # customers with a non-void order
    facts: Mapping[int, Facts]  # every customer on file
    day_cids: Mapping[int, list[int]]  # day ordinal -> customer ids of its orders
    day_totals: Mapping[int, list[int]]  # day ordinal -> totals, aligned with day_cids
    window_sizes: tuple[int, ...]
    # writes applied per watched table (orders, customers, feedback, complaints): what a
    # reader keeps across revisions when its own tables did not change
    versions: Mapping[str, int] = field(default_factory=dict)
    # the last revisions of the cache, each with the customers it recomputed (None: everyone,
    # as after a build or a new day), oldest first: see changed_since
    history: tuple[tuple[int, frozenset[int] | None], ...] = ()

    def changed_since(self, revision: int) -> frozenset[int] | None:
        """The customers whose stats, facts or record may differ between `revision` (an earlier
        snapshot's of the same cache) and this one; None when that is not known (everyone)."""
        if revision == self.revision:
            return frozenset()
        revisions = [rev for rev, _ in self.history]
        if revision not in revisions:
            return None
        found: set[int] = set()
        for _, cids in self.history[revisions.index(revision) + 1:]:
            if cids is None:
                return None
            found.update(cids)
        return frozenset(found)


def _weak_listener(target: Derived) -> Callable[[str, Doc], None]:
    ref = weakref.ref(target)

    def listener(table: str, doc: Doc) -> None:
        derived = ref()
        if derived is not None:
            derived._queue_write(table, doc)

    return listener


class _Owners:
    """order id -> customer id (None for none): an int array over dense ids (8 bytes an order
    instead of ~45 in a dict), a dict for ids far beyond the array."""

    NONE = -1

    def __init__(self, ids: list[int], cids: list[int | None]) -> None:
        top = max(ids, default=0)
        self._cap = 2 * len(ids) + 1024
        self._array = array("q", [self.NONE]) * (min(top, self._cap) + 1)
        self._far: dict[int, int | None] = {}
        cells = self._array
        size = len(cells)
        for oid, cid in zip(ids, cids, strict=True):
            if cid is None or not 0 <= oid < size:
                self._far[oid] = cid
            else:
                cells[oid] = cid

    def get(self, oid: int) -> int | None:
        cells = self._array
        if 0 <= oid < len(cells):
            value = cells[oid]
            if value != self.NONE:
                return value
        return self._far.get(oid)

    def set(self, oid: int, cid: int | None) -> None:
        cells = self._array
        if 0 <= oid < self._cap and cid is not None and cid >= 0:
            if oid >= len(cells):
                cells.extend([self.NONE] * (oid + 1 - len(cells)))
            cells[oid] = cid
            self._far.pop(oid, None)
        else:
            if 0 <= oid < len(cells):
                cells[oid] = self.NONE
            self._far[oid] = cid


def _today_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


_SHARED_LOCK = threading.Lock()
_SHARED_ATTR = "_custui_derived"  # the store's shared cache (a collectable cycle, no registry leak)
# revisions are unique across instances, so (revision, ...) cache keys never collide
_REVISIONS = itertools.count(1)


class Derived:
    """Per-customer stats and facts, and per-day order buckets, kept current on writes."""

    @classmethod
    def shared(
        cls, store: Store, config: AppConfig, today_fn: Callable[[], date | datetime] = date.today
    ) -> Derived:
        """The cache registered on `store` (the app's), made and registered when there is none.

        Services without a Workspace handle (loyalty's high-value list) find it here;
        it lives as long as the store does.
        """
        with _SHARED_LOCK:
            found = getattr(store, _SHARED_ATTR, None)
            if not isinstance(found, Derived):
                found = cls(store, config, today_fn)
                setattr(store, _SHARED_ATTR, found)
            return found

    def register(self) -> Derived:
        """Make this the cache `Derived.shared` returns for its store."""
        with _SHARED_LOCK:
            setattr(self.store, _SHARED_ATTR, self)
        return self

    def __init__(self, store: Store, config: AppConfig, today_fn: Callable[[], date | datetime] = date.today) -> None:
        self.store = store
        self.config = config
        self.today_fn = today_fn
        self.maker = FactsMaker(config)
        self._lock = threading.RLock()
        self._queue: deque[tuple[str, Doc]] = deque()
        self._built = False
        self._revision = next(_REVISIONS)
        self._stats: dict[int, CustomerStats] = {}
        self._owner = _Owners([], [])  # order id -> customer id
        self._day_cids: dict[int, list[int]] = {}
        self._day_totals: dict[int, list[int]] = {}
        self._facts: dict[int, Facts] = {}
        self._facts_day: date | None = None
        self._snapshot: DerivedSnapshot | None = None
        self._versions = dict.fromkeys(sorted(WATCHED), 0)
        self._history: deque[tuple[int, frozenset[int] | None]] = deque(maxlen=HISTORY)
        # interactions written: they change no revision, but the dashboard's call-backs read them
        self.interaction_writes = 0
        store.subscribe(_weak_listener(self))

    # -- writes --------------------------------------------------------------------------
    def _queue_write(self, table: str, doc: Doc) -> None:
        """Called by the store after each durable write: only queue it (never blocks a save)."""
        if table in WATCHED:
            self._queue.append((table, doc))
        elif table == "interactions":
            self.interaction_writes += 1

    @property
    def revision(self) -> int:
        """Changes (increases) whenever applied writes or a new day changed what analytics reads;
        unique across instances."""
        with self._lock:
            self._sync()
            return self._revision

    @property
    def built(self) -> bool:
        return self._built

    # -- build ---------------------------------------------------------------------------
    def ensure_built(self) -> None:
        """Fold every order once (the first caller pays; the others wait), then apply writes."""
        with self._lock:
            self._sync()

    def _build(self) -> None:
        # the orders' fields, not their records: a column store makes no dict per order
        ids, cids, voids, dates, totals, promos = self.store.fields("orders", _BUILD_FIELDS)
        with gc_paused():
            self._owner = _Owners(ids, cids)
            del ids
            # live: not void, with a customer
            live = list(map(and_, map(not_, voids), map(is_not, cids, repeat(None))))
            if not all(live):
                cids, dates, totals, promos = (list(compress(c, live)) for c in (cids, dates, totals, promos))
            del voids, live
            days = list(map(day_numbers(), dates))
            del dates
            self._stats = stats_from_columns(cids, days, totals, promos)
            day_cids: dict[int, list[int]] = {}
            day_totals: dict[int, list[int]] = {}
            for cid, day, total in zip(cids, days, totals, strict=True):
                bucket = day_cids.get(day)
                if bucket is None:
                    bucket = day_cids[day] = []
                    day_totals[day] = []
                bucket.append(cid)
                day_totals[day].append(total)
            self._day_cids, self._day_totals = day_cids, day_totals
        self._built = True
        self._facts_day = None
        self._bump(None)

    def _sync(self) -> None:
        """Build if needed, apply queued writes, and refresh facts for a new day. Hold the lock."""
        if not self._built:
            self._build()
        if self._queue:
            self._apply_queue()
        today = _today_of(self.today_fn())
        if self._facts_day != today:
            self._all_facts(today)

    def _apply_queue(self) -> None:
        dirty: set[int] = set()
        changed = False
        while self._queue:
            table, doc = self._queue.popleft()
            changed = True
            self._versions[table] += 1
            if table == "orders":
                new = doc.get("customer_id")
                old = self._owner.get(doc["id"])
                self._owner.set(doc["id"], new)
                dirty.update(c for c in (old, new) if c is not None)
            elif table == "customers":
                dirty.add(int(doc["id"]))
        for cid in dirty:
            self._recompute(cid)
        if changed:
            self._bump(frozenset(dirty))

    def _bump(self, changed: frozenset[int] | None) -> None:
        """A new revision, recording which customers it recomputed (None: everyone)."""
        self._revision = next(_REVISIONS)
        self._history.append((self._revision, changed))

    def _recompute(self, cid: int) -> None:
        """Re-derive one customer from its orders: stats, day buckets, facts."""
        orders = [o for o in self.store.children("orders", cid) if not o.get("void")]
        old = self._stats.get(cid, EMPTY_STATS)
        fresh = compute_stats(orders)
        # copy-on-write: snapshots keep the old lists
        for day in set(old.order_days):
            cids, totals = self._day_cids[day], self._day_totals[day]
            keep = [i for i, c in enumerate(cids) if c != cid]
            if keep:
                self._day_cids[day] = [cids[i] for i in keep]
                self._day_totals[day] = [totals[i] for i in keep]
            else:
                del self._day_cids[day], self._day_totals[day]
        for order in orders:
            day = day_number(order["date"])
            self._day_cids[day] = [*self._day_cids.get(day, ()), cid]
            self._day_totals[day] = [*self._day_totals.get(day, ()), order["total"]]
        if fresh.orders:
            self._stats[cid] = fresh
        else:
            self._stats.pop(cid, None)
        if self._facts_day is not None:
            doc = self.store.get("customers", cid)
            if doc is None:
                self._facts.pop(cid, None)
            else:
                self._facts[cid] = self.maker.from_orders(doc, fresh, orders, self._facts_day)

    def _all_facts(self, today: date) -> None:
        """Facts of every customer for `today`, windows summed ring by ring over day buckets."""
        sizes = self.maker.window_sizes
        today_ord = today.toordinal()
        days = sorted(self._day_cids)
        outer = bisect_right(days, today_ord)
        counts: dict[int, int] = {}
        spend: dict[int, int] = {}
        per_size: list[tuple[dict[int, int], dict[int, int]]] = []
        with gc_paused():
            for size in sizes:
                lo = bisect_left(days, today_ord - size + 1)
                for k in range(lo, outer):
                    day = days[k]
                    for cid, total in zip(self._day_cids[day], self._day_totals[day], strict=True):
                        counts[cid] = counts.get(cid, 0) + 1
                        spend[cid] = spend.get(cid, 0) + total
                outer = lo
                per_size.append((dict(counts), dict(spend)))
            make = self.maker.make
            stats = self._stats
            zero = (0,) * len(sizes)
            facts: dict[int, Facts] = {}
            shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # order counts repeat: one tuple each
            share = shared.setdefault
            for doc in self.store.all("customers"):
                cid = doc["id"]
                found = stats.get(cid)
                if found is None:
                    facts[cid] = make(doc, EMPTY_STATS, zero, zero, today)
                else:
                    counted = tuple([c.get(cid, 0) for c, _ in per_size])
                    facts[cid] = make(
                        doc, found,
                        share(counted, counted),
                        tuple([s.get(cid, 0) for _, s in per_size]),
                        today,
                    )
        self._facts = facts
        self._facts_day = today
        self._bump(None)

    # -- reads ---------------------------------------------------------------------------
    def stats(self, cid: int) -> CustomerStats:
        with self._lock:
            self._sync()
            return self._stats.get(cid, EMPTY_STATS)

    def all_stats(self) -> Mapping[int, CustomerStats]:
        """Stats of every customer with a non-void order (this revision's; do not mutate)."""
        return self.snapshot().stats

    def facts(self, cid: int) -> Facts:
        """Lifecycle, tier, CLV, ... of one customer today (KeyError if not on file)."""
        with self._lock:
            self._sync()
            found = self._facts.get(cid)
            if found is None:
                found = self._facts_for(cid)
            return found

    def _facts_for(self, cid: int) -> Facts:
        """Facts of a customer the cache has not seen yet (written after the last sync)."""
        doc = self.store.get("customers", cid)
        if doc is None:
            raise KeyError(cid)
        assert self._facts_day is not None
        orders = [o for o in self.store.children("orders", cid) if not o.get("void")]
        return self.maker.from_orders(doc, compute_stats(orders), orders, self._facts_day)

    def peek(self, cid: int, today: date) -> tuple[CustomerStats, Facts] | None:
        """Stats and facts of one customer for `today`, only when that is quick: the cache is
        built, not busy in another thread, and its facts are for `today`. Never builds, never
        waits (None: compute it another way), so the lookup can use it while typing."""
        if not self._built or not self._lock.acquire(blocking=False):
            return None
        try:
            if self._queue:
                self._apply_queue()
            if self._facts_day != today:
                return None
            fact = self._facts.get(cid)
            if fact is None:
                return None
            return self._stats.get(cid, EMPTY_STATS), fact
        finally:
            self._lock.release()

    def buyers_between(self, first: int, last: int) -> set[int]:
        """Customers with a non-void order dated between day ordinals `first` and `last`
        (inclusive), from the day buckets: no pass over the orders."""
        with self._lock:
            self._sync()
            found: set[int] = set()
            buckets = self._day_cids
            for day in range(first, last + 1):
                cids = buckets.get(day)
                if cids:
                    found.update(cids)
            return found

    def lookup_values(self, ids: Iterable[int]) -> dict[int, LookupValues]:
        """Lifecycle, tier, total spend, order count and last order for each known id."""
        result: dict[int, LookupValues] = {}
        with self._lock:
            self._sync()
            for cid in ids:
                try:
                    fact = self._facts.get(cid) or self._facts_for(cid)
                except KeyError:
                    continue
                one = self._stats.get(cid, EMPTY_STATS)
                result[cid] = LookupValues(fact.lifecycle, fact.tier, one.total_spend, one.orders, one.last_order)
        return result

    def snapshot(self) -> DerivedSnapshot:
        """A consistent copy for the current revision (dict copies; the lists are never mutated)."""
        with self._lock:
            self._sync()
            assert self._facts_day is not None
            current = self._snapshot
            if current is None or current.revision != self._revision or current.today != self._facts_day:
                current = self._snapshot = DerivedSnapshot(
                    revision=self._revision,
                    today=self._facts_day,
                    stats=dict(self._stats),
                    facts=dict(self._facts),
                    day_cids=dict(self._day_cids),
                    day_totals=dict(self._day_totals),
                    window_sizes=self.maker.window_sizes,
                    versions=dict(self._versions),
                    history=tuple(self._history),
                )
            return current

