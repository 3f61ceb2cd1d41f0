"""The per-revision view analytics works from, read off the shared Derived cache.

Nothing here passes over the orders: per-customer stats and facts and the per-day
order buckets come from a `DerivedSnapshot` (kept current incrementally by
services.derived). This view only lines them up with the customers on file (not
archived) and derives the rest lazily, cached on the view.

Sums over date ranges (spend per customer, active customers) run on numpy columns of
the day buckets (made once per view, the untouched days reused from the previous view);
per-customer values are numpy columns by id (`cols`, services.analytics_columns: patched
from the previous view's for the customers written since). Both give results identical to
the pure-Python lists and dicts, which stay as the fallback (`Base.columnar = False`, or
ids/values numpy cannot hold) and as the reference the tests and bench/segments.py compare
with.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from datetime import date
from functools import cached_property
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from custui.config.loader import AppConfig
from custui.domain.enums import LIFECYCLES
from custui.domain.stats import EMPTY_STATS, CustomerStats
from custui.services.analytics_columns import BoolArray, CustomerColumns, build, patched
from custui.services.derived import RULE_WINDOWS, Derived, DerivedSnapshot, Facts
from custui.store.base import Store

__all__ = ["RULE_WINDOWS", "Base", "days_since"]

IntArray = npt.NDArray[np.int64]
EXACT_FLOAT = 2**53  # bincount sums in float64: exact while every sum stays below this


class Base:
    """Customers, stats, facts and day buckets of one revision, seen from `snapshot.today`.

    `Base(store, config, today)` builds a private Derived (one pass over the orders);
    analytics passes the shared cache's `snapshot` instead.
    """

    columnar = True  # numpy sums over the day buckets (False: the pure-Python reference)

    def __init__(
        self, store: Store, config: AppConfig, today: date | None = None, snapshot: DerivedSnapshot | None = None,
        previous: Base | None = None,
    ) -> None:
        if snapshot is None:
            fixed = today or date.today()
            snapshot = Derived(store, config, lambda: fixed).snapshot()
        self.snapshot = snapshot
        self.config = config
        self.today = snapshot.today
        self.today_iso = self.today.isoformat()
        self.store = store
        self._attributes: dict[str, dict[int, Any]] = {}
        if previous is not None and _same_customers(previous.snapshot, snapshot):
            # no customer written since: the same list, ids and positions (read-only, shared)
            for name in ("customers", "ids", "position"):
                if name in previous.__dict__:
                    self.__dict__[name] = previous.__dict__[name]
            self._attributes = previous._attributes
        self.stats: Mapping[int, CustomerStats] = snapshot.stats
        self.days: list[int] = sorted(snapshot.day_cids)
        self.day_cids: list[list[int]] = list(map(snapshot.day_cids.__getitem__, self.days))
        self.day_totals: list[list[int]] = list(map(snapshot.day_totals.__getitem__, self.days))
        self.day_revenue: list[int] = self._day_revenue(previous)
        # the previous revision's order columns: the days whose buckets did not change are reused
        self._reuse = previous._reusable() if previous is not None else None
        # the previous revision's customer columns: only the customers written since are redone
        self._cols_from = previous._cols_source() if previous is not None else None

    @cached_property
    def customers(self) -> list[dict[str, Any]]:
        """The customer records on file, not archived (store order)."""
        facts = self.snapshot.facts
        return [c for c in self.store.all("customers") if not c.get("archived") and c["id"] in facts]

    @cached_property
    def ids(self) -> list[int]:
        return [int(c["id"]) for c in self.customers]

    @cached_property
    def position(self) -> dict[int, int]:
        return {cid: i for i, cid in enumerate(self.ids)}

    @property
    def customer_count(self) -> int:
        """Customers on file, not archived (len(ids), without making the list)."""
        cols = self.cols
        return int(np.count_nonzero(cols.listed)) if cols is not None else len(self.ids)

    @cached_property
    def rows(self) -> list[Facts]:
        """Facts of every customer in `ids`, aligned with it."""
        return list(map(self.snapshot.facts.__getitem__, self.ids))

    @cached_property
    def buyer_flags(self) -> list[bool]:
        return list(map(self.stats.__contains__, self.ids))

    @cached_property
    def cols(self) -> CustomerColumns | None:
        """Every customer's values as numpy columns by id (None: not columnar, or ids numpy
        cannot index by; use the lists and dicts then)."""
        if not self.columnar:
            return None
        source, self._cols_from = self._cols_from, None
        found = patched(source, self.snapshot, self.store) if source is not None else None
        return found if found is not None else build(self.snapshot, self.store)

    def _cols_source(self) -> CustomerColumns | None:
        if "cols" in self.__dict__:
            return self.__dict__["cols"] or self._cols_from
        return self._cols_from

    def _day_revenue(self, previous: Base | None) -> list[int]:
        """Revenue per day; a day whose totals list is the previous revision's keeps its sum."""
        if previous is None:
            return list(map(sum, self.day_totals))
        before = dict(zip(map(id, previous.day_totals), previous.day_revenue, strict=True))
        keep = previous.day_totals  # holds the lists alive, so their ids stay theirs
        revenue = [before[key] if (key := id(totals)) in before else sum(totals) for totals in self.day_totals]
        del keep
        return revenue

    @cached_property
    def feedback(self) -> list[dict[str, Any]]:
        return self.store.all("feedback")

    @cached_property
    def complaints(self) -> list[dict[str, Any]]:
        return self.store.all("complaints")

    def _reusable(self) -> _Reuse | None:
        columns = self.__dict__.get("order_columns")
        if columns is None:
            return self._reuse
        return _Reuse(self.snapshot.day_cids, self.snapshot.day_totals, self.days, *columns)

    def attribute(self, name: str) -> dict[int, Any]:
        """One field of the customer records by id (kept while no customer is written)."""
        found = self._attributes.get(name)
        if found is None:
            found = self._attributes[name] = dict(
                zip(self.ids, map(dict.get, self.customers, repeat(name)), strict=True))
        return found

    def column(self, name: str) -> list[Any]:
        """One Facts field for every customer, aligned with `ids`."""
        return list(map(attrgetter(name), self.rows))

    def by_id(self, name: str) -> dict[int, Any]:
        return dict(zip(self.ids, map(attrgetter(name), self.rows), strict=True))

    # -- days ------------------------------------------------------------------------
    def day_range(self, start: date, end: date) -> range:
        """Indexes into `days` of the days in [start, end] (both included)."""
        return range(bisect_left(self.days, start.toordinal()), bisect_right(self.days, end.toordinal()))

    @cached_property
    def order_columns(self) -> tuple[IntArray, IntArray, IntArray] | None:
        """(offsets, customer ids, totals) of the non-void orders day after day: day k's orders are
        [offsets[k], offsets[k + 1]). None when ids or totals are not integers numpy can hold."""
        if not self.columnar:
            return None
        lengths = np.fromiter(map(len, self.day_cids), dtype=np.int64, count=len(self.days))
        offsets = np.zeros(len(self.days) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        count = int(offsets[-1])
        reuse, self._reuse = self._reuse, None
        try:
            if reuse is not None:
                cids, totals = self._reused_columns(reuse)
            else:
                cids = np.fromiter(chain.from_iterable(self.day_cids), dtype=np.int64, count=count)
                totals = np.fromiter(chain.from_iterable(self.day_totals), dtype=np.int64, count=count)
        except (TypeError, ValueError, OverflowError):
            return None
        if count and (int(cids.min()) < 0 or int(np.abs(totals).max()) * count >= EXACT_FLOAT):
            return None  # keep bincount's float sums exact and its length bounded
        return offsets, cids, totals

    def _reused_columns(self, reuse: _Reuse) -> tuple[IntArray, IntArray]:
        """The columns from the previous revision's for every day whose bucket lists are the same
        objects (the derived cache replaces the lists of the days a write touched), in runs."""
        where = {day: k for k, day in enumerate(reuse.days)}
        cid_parts: list[IntArray] = []
        total_parts: list[IntArray] = []
        run_start = run_end = -1  # a run of reused days: [offsets[run_start], offsets[run_end])

        def close() -> None:
            if run_start >= 0:
                lo, hi = int(reuse.offsets[run_start]), int(reuse.offsets[run_end])
                cid_parts.append(reuse.cids[lo:hi])
                total_parts.append(reuse.totals[lo:hi])

        for day, cids, totals in zip(self.days, self.day_cids, self.day_totals, strict=True):
            k = where.get(day)
            if k is not None and reuse.day_cids.get(day) is cids and reuse.day_totals.get(day) is totals:
                if k != run_end:
                    close()
                    run_start = k
                run_end = k + 1
                continue
            close()
            run_start = run_end = -1
            cid_parts.append(np.array(cids, dtype=np.int64))
            total_parts.append(np.array(totals, dtype=np.int64))
        close()
        if not cid_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(cid_parts), np.concatenate(total_parts)

    def _slice(self, start: date, end: date) -> tuple[IntArray, IntArray] | None:
        columns = self.order_columns
        if columns is None:
            return None
        offsets, cids, totals = columns
        days = self.day_range(start, end)
        lo, hi = int(offsets[days.start]), int(offsets[days.stop])
        return cids[lo:hi], totals[lo:hi]

    def spend_by_customer(self, start: date, end: date) -> dict[int, int]:
        """Revenue per customer from orders dated in [start, end] (ids ascending)."""
        found = self._slice(start, end)
        if found is None:
            return self._spend_by_customer(start, end)
        cids, totals = found
        if not len(cids):
            return {}
        sums = np.bincount(cids, weights=totals)
        ids = np.flatnonzero(np.bincount(cids))
        return dict(zip(ids.tolist(), sums[ids].astype(np.int64).tolist(), strict=True))

    def spend_columns(self, start: date, end: date) -> tuple[IntArray, IntArray] | None:
        """(customer ids ascending, their revenue) from orders dated in [start, end]; None without
        the numpy columns (then use spend_by_customer)."""
        found = self._slice(start, end)
        if found is None or self.by_cid is None:
            return None
        cids, totals = found
        if not len(cids):
            return cids, totals
        sums = np.bincount(cids, weights=totals)
        ids = np.flatnonzero(np.bincount(cids))
        return ids, sums[ids].astype(np.int64)

    @cached_property
    def by_cid(self) -> CidColumns | None:
        """Lifecycle code, first order day and CLV indexed by customer id, for the dashboard's
        sums over a period's buyers (None without customer columns, or when a lifecycle is not
        a known one)."""
        cols = self.cols
        if cols is None or self.order_columns is None:
            return None
        lifecycle = cols.coded["lifecycle"]
        known = [LIFECYCLES.index(v) if v in LIFECYCLES else -2 for v in lifecycle.values]
        codes = np.where(cols.listed, np.array([*known, -1], dtype=np.int8)[lifecycle.codes], -1).astype(np.int8)
        if (codes == -2).any():
            return None
        return CidColumns(codes, cols.first_day, np.where(cols.buyers, cols.floats["clv"], np.nan))

    def _spend_by_customer(self, start: date, end: date) -> dict[int, int]:
        spend: dict[int, int] = {}
        get = spend.get
        for k in self.day_range(start, end):
            for cid, total in zip(self.day_cids[k], self.day_totals[k], strict=True):
                spend[cid] = get(cid, 0) + total
        return spend

    def active(self, start: date, end: date) -> set[int] | BoolArray:
        """Customers with a non-void order dated in [start, end]: a flag per id on the customer
        columns, else a set of ids."""
        found = self._slice(start, end) if self.cols is not None else None
        if found is None:
            return self.active_in(start, end)
        return self.flags(found[0])

    def flags(self, ids: IntArray) -> BoolArray:
        """A flag per customer id (the customer columns' length), set for `ids`."""
        assert self.cols is not None
        flags = np.zeros(self.cols.size, dtype=bool)
        flags[ids] = True
        return flags

    def active_in(self, start: date, end: date) -> set[int]:
        """Customers with a non-void order dated in [start, end]."""
        found = self._slice(start, end)
        if found is None:
            active: set[int] = set()
            for k in self.day_range(start, end):
                active.update(self.day_cids[k])
            return active
        return set(present_ids(found[0]).tolist())

    @cached_property
    def window_slots(self) -> dict[int, int]:
        return {size: i for i, size in enumerate(self.snapshot.window_sizes)}

    def window(self, days: int) -> tuple[list[int], list[int]]:
        """(orders, spend) per customer over the last `days` days, aligned with `ids`."""
        slot = self.window_slots[days]
        orders = list(map(itemgetter(slot), map(attrgetter("window_orders"), self.rows)))
        spend = list(map(itemgetter(slot), map(attrgetter("window_spend"), self.rows)))
        return orders, spend

    # -- per customer ------------------------------------------------------------------
    def stats_of(self, cid: int) -> CustomerStats:
        return self.stats.get(cid, EMPTY_STATS)

    @cached_property
    def buyers(self) -> list[int]:
        """Customers (not archived) with at least one order."""
        return list(compress(self.ids, self.buyer_flags))

    def over_buyers(self, name: str) -> dict[int, Any]:
        """One Facts field of every buyer, by id."""
        return dict(compress(zip(self.ids, map(attrgetter(name), self.rows), strict=True), self.buyer_flags))

    @cached_property
    def lifecycle(self) -> dict[int, str]:
        """Lifecycle per customer; a staff override (status_override) wins."""
        return self.by_id("lifecycle")

    @cached_property
    def tiers(self) -> dict[int, str | None]:
        """Loyalty tier id per customer, from spend and orders in the tier window."""
        return self.by_id("tier")

    @cached_property
    def clv(self) -> dict[int, float]:
        """Customer lifetime value of every buyer (minor units)."""
        return self.over_buyers("clv")

    @cached_property
    def total_spend(self) -> dict[int, int]:
        buyers = self.buyers
        return dict(zip(buyers, map(attrgetter("total_spend"), map(self.stats.__getitem__, buyers)), strict=True))

    @cached_property
    def complaint_counts(self) -> tuple[dict[int, int], dict[int, int]]:
        """(complaints, open complaints) per customer."""
        total: dict[int, int] = {}
        still_open: dict[int, int] = {}
        for complaint in self.complaints:
            cid = complaint.get("customer_id")
            if not isinstance(cid, int):
                continue
            total[cid] = total.get(cid, 0) + 1
            if complaint.get("status") in ("open", "in_progress"):
                still_open[cid] = still_open.get(cid, 0) + 1
        return total, still_open


def _same_customers(before: DerivedSnapshot, now: DerivedSnapshot) -> bool:
    """Whether no customer record was written between two snapshots of one cache."""
    return (bool(now.versions) and before.versions.get("customers") == now.versions.get("customers")
            and before.versions.keys() == now.versions.keys() and len(before.facts) == len(now.facts))


class CidColumns(NamedTuple):
    """Per customer id: lifecycle (index into LIFECYCLES, -1 none), first order day (-1 none),
    CLV (NaN none)."""

    lifecycle: npt.NDArray[np.int8]
    first_day: IntArray
    clv: npt.NDArray[np.float64]


class _Reuse(NamedTuple):
    """One revision's order columns and the day buckets they were made from."""

    day_cids: Mapping[int, list[int]]
    day_totals: Mapping[int, list[int]]
    days: list[int]
    offsets: IntArray
    cids: IntArray
    totals: IntArray


def present_ids(cids: IntArray) -> IntArray:
    """The distinct non-negative ids in `cids`, ascending (np.unique by a flag per id, no sort)."""
    if not len(cids):
        return cids
    present = np.zeros(int(cids.max()) + 1, dtype=bool)
    present[cids] = True
    return np.flatnonzero(present)


def days_since(iso: str | None, today: date) -> int | None:
    if not iso:
        return None
    try:
        return (today - date.fromisoformat(iso[:10])).days
    except ValueError:
        return None


ColumnFn = Callable[[Base, Mapping[str, Any]], list[Any]]
