"""Per-customer purchase statistics, folded from orders in one pass.

Order dates are kept as day ordinals (`date.toordinal()`): each distinct ISO date
string is parsed once, sorting and window counts are integer work, and recency
is a subtraction. `stats_by_customer` pauses the cyclic garbage collector while
it runs: with a million order dicts alive, the collections its allocations set
off cost more than the work itself.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import itemgetter, not_
from typing import Any


def day_number(day: date | str) -> int:
    """The ordinal of a `date` or an ISO date/timestamp string."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.toordinal()


class _DayCache(dict[str, int]):
    """ISO string -> ordinal, parsing each distinct string once."""

    def __missing__(self, iso: str) -> int:
        value = self[iso] = date.fromisoformat(iso[:10]).toordinal()
        return value


@dataclass(frozen=True, slots=True)
class CustomerStats:
    """What one customer's non-void orders add up to."""

    orders: int = 0
    total_spend: int = 0  # minor units
    promo_orders: int = 0
    order_days: tuple[int, ...] = ()  # date ordinals, ascending

    @property
    def has_orders(self) -> bool:
        return self.orders > 0

    @property
    def first_order(self) -> date | None:
        return date.fromordinal(self.order_days[0]) if self.order_days else None

    @property
    def last_order(self) -> date | None:
        return date.fromordinal(self.order_days[-1]) if self.order_days else None

    @property
    def order_dates(self) -> tuple[date, ...]:
        """Order dates, ascending (one per order, repeats kept)."""
        return tuple(map(date.fromordinal, self.order_days))

    @property
    def avg_order_value(self) -> Decimal:
        """total_spend / orders in minor units (exact Decimal); 0 with no orders."""
        if not self.orders:
            return Decimal(0)
        return Decimal(self.total_spend) / self.orders

    @property
    def promo_share(self) -> float:
        """Share of orders bought on promotion (price sensitivity); 0.0 with no orders."""
        return self.promo_orders / self.orders if self.orders else 0.0

    def days_since_last(self, today: date) -> int | None:
        """Whole days from the last order to `today`; None with no orders."""
        return today.toordinal() - self.order_days[-1] if self.order_days else None

    def orders_between(self, start: date | str, end: date | str) -> int:
        """Orders dated in [start, end)."""
        days = self.order_days
        return bisect_left(days, day_number(end)) - bisect_left(days, day_number(start))

    def orders_within(self, days: int, today: date) -> int:
        """Orders in the last `days` days counting today: dated in (today - days, today]."""
        last = today.toordinal()
        ordinals = self.order_days
        return bisect_right(ordinals, last) - bisect_right(ordinals, last - days)

    def ordered_between(self, start: date | str, end: date | str) -> bool:
        """True when at least one order falls in [start, end)."""
        return self.orders_between(start, end) > 0


EMPTY_STATS = CustomerStats()


def compute_stats(orders: Iterable[Mapping[str, Any]]) -> CustomerStats:
    """Statistics of one customer's orders (void orders are left out)."""
    days: list[int] = []
    spend = promo = 0
    for order in orders:
        if order.get("void"):
            continue
        days.append(day_number(order["date"]))
        spend += order["total"]
        if order.get("promo"):
            promo += 1
    if not days:
        return EMPTY_STATS
    days.sort()
    return CustomerStats(len(days), spend, promo, tuple(days))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (only reference cycles wait; nothing leaks)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_CUSTOMER_ID = itemgetter("customer_id")
_DATE = itemgetter("date")
_TOTAL = itemgetter("total")


def stats_by_customer(orders: Iterable[dict[str, Any]]) -> dict[int, CustomerStats]:
    """Statistics for every customer that has orders, keyed by customer_id, in one pass.

    Customers without a non-void order are absent: use `.get(cid, EMPTY_STATS)`.
    Every order must carry customer_id, date and total.
    """
    with gc_paused():
        rows = orders if isinstance(orders, list) else list(orders)
        voids = list(map(dict.get, rows, repeat("void")))
        if any(voids):
            rows = list(compress(rows, map(not_, voids)))
        # columns are pulled out at C speed; the one Python loop only groups
        return stats_from_columns(
            list(map(_CUSTOMER_ID, rows)),
            list(map(day_numbers(), map(_DATE, rows))),
            list(map(_TOTAL, rows)),
            list(map(dict.get, rows, repeat("promo"))),
        )


def day_numbers() -> Callable[[str], int]:
    """ISO date (or timestamp) string -> day ordinal, each distinct string parsed once."""
    return _DayCache().__getitem__


def stats_from_columns(
    customer_ids: list[Any], days: list[int], totals: list[Any], promos: list[Any]
) -> dict[int, CustomerStats]:
    """`stats_by_customer` of non-void orders given as aligned columns (customer id, day
    ordinal, total, promo flag): what a store's `fields` gives without making the records."""
    with gc_paused():
        promo_counts = Counter(compress(customer_ids, promos))
        groups: dict[int, list[int]] = {}
        get = groups.get
        # each group interleaves day, total, day, total, ...
        for cid, day, total in zip(customer_ids, days, totals, strict=True):
            group = get(cid)
            if group is None:
                groups[cid] = [day, total]
            else:
                group.append(day)
                group.append(total)
        result: dict[int, CustomerStats] = {}
        promo_count = promo_counts.get
        for cid, group in groups.items():
            ordinals = group[0::2]
            ordinals.sort()
            result[cid] = CustomerStats(len(ordinals), sum(group[1::2]), promo_count(cid, 0), tuple(ordinals))
        return result
