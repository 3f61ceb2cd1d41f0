"""Per-customer facts for one day: what segments, the dashboard and the lookup read.

`FactsMaker.make` is the single place these values are computed (from a customer's
stats and windowed totals); `from_orders` gets the windows from the customer's own
orders, for the incremental path. Floats, not Decimal: these feed bulk figures.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

from custui.config.loader import AppConfig
from custui.domain.lifecycle import lifecycle as lifecycle_of
from custui.domain.loyalty import tier_from_totals
from custui.domain.metrics import DAYS_PER_YEAR
from custui.domain.segments import avg_days_between, band_of, frequency_band
from custui.domain.stats import CustomerStats, day_number

# windows (days) the rule fields name (orders_last_30d, spend_last_90d, ...)
RULE_WINDOWS = (30, 90, 365)
_YEAR = float(DAYS_PER_YEAR)


class Facts(NamedTuple):
    """One customer's derived values on one day (None where it needs an order)."""

    lifecycle: str
    tier: str | None
    clv: float | None  # minor units
    aov: float | None
    promo_share: float | None
    avg_gap: float | None  # average days between orders (two orders or more)
    frequency_band: str | None
    aov_band: str | None
    recency: int | None  # days since the last order
    window_orders: tuple[int, ...]  # aligned with FactsMaker.window_sizes
    window_spend: tuple[int, ...]
    archived: bool


class FactsMaker:
    """Computes Facts with the rules of one config."""

    def __init__(self, config: AppConfig) -> None:
        seg = config.segments
        loyalty = config.loyalty
        self.loyalty = loyalty
        self.rules = seg.lifecycle
        self.lifespan = float(seg.lifecycle.expected_lifespan_years)
        self.frequency_bands = seg.frequency_bands
        self.aov_bands = seg.aov_bands
        self.window_sizes: tuple[int, ...] = tuple(
            sorted({*RULE_WINDOWS, seg.rfm.window_days, loyalty.tier_window_days})
        )
        self.tier_slot = self.window_sizes.index(loyalty.tier_window_days)
        self._spend_cuts = sorted({t.min_spend for t in loyalty.tiers})
        self._order_cuts = sorted({t.min_orders for t in loyalty.tiers})
        self._tier_memo: dict[tuple[int, int], str | None] = {}

    def window(self, days: int) -> int:
        """The slot of a window size in window_orders / window_spend (ValueError if none)."""
        return self.window_sizes.index(days)

    def tier(self, spend: int, count: int) -> str | None:
        """Tier id from the tier window's totals (memoized per threshold bucket)."""
        if not self.loyalty.tiers:
            return None
        key = (bisect_right(self._spend_cuts, spend), bisect_right(self._order_cuts, count))
        memo = self._tier_memo
        if key not in memo:
            found = tier_from_totals(self.loyalty, spend, count)
            memo[key] = found.id if found is not None else None
        return memo[key]

    def make(
        self,
        doc: Mapping[str, Any],
        stats: CustomerStats,
        window_orders: tuple[int, ...],
        window_spend: tuple[int, ...],
        today: date,
    ) -> Facts:
        slot = self.tier_slot
        tier = self.tier(window_spend[slot], window_orders[slot])
        stage = lifecycle_of(stats, today, self.rules, doc.get("status_override"))
        archived = bool(doc.get("archived"))
        orders = stats.orders
        if not orders:
            return Facts(stage, tier, None, None, None, None, None, None, None, window_orders, window_spend, archived)
        days = stats.order_days
        today_ord = today.toordinal()
        years = max((today_ord - days[0] + 1) / _YEAR, 1.0)
        aov = stats.total_spend / orders
        gap = avg_days_between(days[0], days[-1], orders)
        return Facts(
            lifecycle=stage,
            tier=tier,
            clv=stats.total_spend / years * self.lifespan,
            aov=aov,
            promo_share=stats.promo_orders / orders,
            avg_gap=gap,
            frequency_band=frequency_band(gap, orders, self.frequency_bands),
            aov_band=band_of(aov, self.aov_bands),
            recency=today_ord - days[-1],
            window_orders=window_orders,
            window_spend=window_spend,
            archived=archived,
        )

    def from_orders(
        self, doc: Mapping[str, Any], stats: CustomerStats, orders: Iterable[Mapping[str, Any]], today: date
    ) -> Facts:
        """Facts with the windows summed from the customer's non-void `orders`."""
        today_ord = today.toordinal()
        sizes = self.window_sizes
        counts = [0] * len(sizes)
        spend = [0] * len(sizes)
        for order in orders:
            age = today_ord - day_number(order["date"])
            if age < 0:
                continue
            for i, size in enumerate(sizes):
                if age < size:
                    counts[i] += 1
                    spend[i] += order["total"]
        return self.make(doc, stats, tuple(counts), tuple(spend), today)
