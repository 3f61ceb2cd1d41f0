"""The per-revision snapshot analytics works from: every figure is folded from it.

Built once per (store.revision, today): customers, per-customer stats (one pass,
`stats_by_customer`), and orders bucketed by day (a second single pass) so any
period or rolling window only touches the orders inside it. Everything else is
derived lazily and cached on the snapshot.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.lifecycle import lifecycle as lifecycle_of
from custui.domain.loyalty import tier_from_totals
from custui.domain.metrics import clv as clv_of
from custui.domain.stats import EMPTY_STATS, CustomerStats, stats_by_customer
from custui.store.base import Store

# windows (days) the rule fields name
RULE_WINDOWS = (30, 90, 365)


class Base:
    """Customers, stats and day buckets of one store revision, seen from `today`."""

    def __init__(self, store: Store, config: AppConfig, today: date) -> None:
        self.config = config
        self.today = today
        self.today_iso = today.isoformat()
        self.customers = [c for c in store.all("customers") if not c.get("archived")]
        self.ids: list[int] = [int(c["id"]) for c in self.customers]
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        orders = store.all("orders")
        self.stats: dict[int, CustomerStats] = stats_by_customer(orders)
        self._bucket(orders)
        self.feedback = store.all("feedback")
        self.complaints = store.all("complaints")

    def _bucket(self, orders: list[dict[str, Any]]) -> None:
        """Non-void orders by day: parallel lists of customer ids and totals per day."""
        by_day: dict[str, tuple[list[int], list[int]]] = {}
        get = by_day.get
        for order in orders:
            if order.get("void"):
                continue
            cid = order.get("customer_id")
            if cid is None:
                continue
            day = order["date"][:10]
            bucket = get(day)
            if bucket is None:
                bucket = by_day[day] = ([], [])
            bucket[0].append(cid)
            bucket[1].append(order["total"])
        self.days: list[str] = sorted(by_day)
        self.day_cids: list[list[int]] = [by_day[d][0] for d in self.days]
        self.day_totals: list[list[int]] = [by_day[d][1] for d in self.days]
        self.day_revenue: list[int] = [sum(t) for t in self.day_totals]

    # -- days ------------------------------------------------------------------------
    def day_range(self, start: date, end: date) -> range:
        """Indexes into `days` of the days in [start, end] (both included)."""
        lo = bisect_left(self.days, start.isoformat())
        hi = bisect_right(self.days, end.isoformat())
        return range(lo, hi)

    def spend_by_customer(self, start: date, end: date) -> dict[int, int]:
        """Revenue per customer from orders dated in [start, end]."""
        spend: dict[int, int] = {}
        get = spend.get
        for k in self.day_range(start, end):
            for cid, total in zip(self.day_cids[k], self.day_totals[k], strict=True):
                spend[cid] = get(cid, 0) + total
        return spend

    def active_in(self, start: date, end: date) -> set[int]:
        active: set[int] = set()
        for k in self.day_range(start, end):
            active.update(self.day_cids[k])
        return active

    @cached_property
    def windows(self) -> dict[int, tuple[dict[int, int], dict[int, int]]]:
        """days -> (orders, spend) per customer over the last `days` days, today included.

        Nested windows are built ring by ring, so each order is visited once.
        """
        seg = self.config.segments
        sizes = sorted({*RULE_WINDOWS, seg.rfm.window_days, self.config.loyalty.tier_window_days})
        counts: dict[int, int] = {}
        spend: dict[int, int] = {}
        result: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
        outer = bisect_right(self.days, self.today_iso)
        for size in sizes:
            lo = bisect_left(self.days, (self.today - timedelta(days=size - 1)).isoformat())
            for k in range(lo, outer):
                for cid, total in zip(self.day_cids[k], self.day_totals[k], strict=True):
                    counts[cid] = counts.get(cid, 0) + 1
                    spend[cid] = spend.get(cid, 0) + total
            outer = lo
            result[size] = (dict(counts), dict(spend))
        return result

    # -- per customer ------------------------------------------------------------------
    def stats_of(self, cid: int) -> CustomerStats:
        return self.stats.get(cid, EMPTY_STATS)

    @cached_property
    def buyers(self) -> list[int]:
        """Customers (not archived) with at least one order."""
        stats = self.stats
        return [cid for cid in self.ids if cid in stats]

    @cached_property
    def lifecycle(self) -> dict[int, str]:
        """Lifecycle per customer; a staff override (status_override) wins."""
        rules = self.config.segments.lifecycle
        today = self.today
        stats = self.stats
        result: dict[int, str] = {}
        for customer, cid in zip(self.customers, self.ids, strict=True):
            found = stats.get(cid, EMPTY_STATS)
            result[cid] = lifecycle_of(found, today, rules, customer.get("status_override"))
        return result

    @cached_property
    def tiers(self) -> dict[int, str | None]:
        """Loyalty tier id per customer, from spend and orders in the tier window."""
        loyalty = self.config.loyalty
        if not loyalty.tiers:
            return dict.fromkeys(self.ids)
        counts, spend = self.windows[loyalty.tier_window_days]
        spend_cuts = sorted({t.min_spend for t in loyalty.tiers})
        order_cuts = sorted({t.min_orders for t in loyalty.tiers})
        # the tier only depends on which thresholds are met: memo per threshold bucket
        memo: dict[tuple[int, int], str | None] = {}
        result: dict[int, str | None] = {}
        for cid in self.ids:
            amount, count = spend.get(cid, 0), counts.get(cid, 0)
            key = (bisect_right(spend_cuts, amount), bisect_right(order_cuts, count))
            if key not in memo:
                tier = tier_from_totals(loyalty, amount, count)
                memo[key] = tier.id if tier is not None else None
            result[cid] = memo[key]
        return result

    @cached_property
    def clv(self) -> dict[int, float]:
        """Customer lifetime value of every buyer (minor units)."""
        rules = self.config.segments.lifecycle
        today = self.today
        stats = self.stats
        return {cid: float(clv_of(stats[cid], today, rules)) for cid in self.buyers}

    @cached_property
    def total_spend(self) -> dict[int, int]:
        stats = self.stats
        return {cid: stats[cid].total_spend for cid in self.buyers}

    @cached_property
    def complaint_counts(self) -> tuple[dict[int, int], dict[int, int]]:
        """(complaints, open complaints) per customer."""
        total: dict[int, int] = {}
        still_open: dict[int, int] = {}
        for complaint in self.complaints:
            cid = complaint.get("customer_id")
            total[cid] = total.get(cid, 0) + 1
            if complaint.get("status") in ("open", "in_progress"):
                still_open[cid] = still_open.get(cid, 0) + 1
        return total, still_open


def days_since(iso: str | None, today: date) -> int | None:
    if not iso:
        return None
    try:
        return (today - date.fromisoformat(iso[:10])).days
    except ValueError:
        return None


ColumnFn = Callable[[Base, Mapping[str, Any]], list[Any]]
