"""Loyalty tiers over a rolling window, and the order helpers the loyalty domain shares.

Pure functions over order records (store dicts: ISO `date`, `total` in minor units) and the
`Loyalty` rules: nothing here is stored, so changing loyalty.yaml re-derives
every customer.

Conventions (documented once, used everywhere):
- An order counts when it is not void. Orders are taken in (date, id) order, so
  of two orders on one day the one recorded first comes first.
- Spend is the order `total` (before any voucher or points), in minor units.
- The tier window judged "on D" is the `tier_window_days` days ending on D,
  D included: an order dated O counts from O through O + window - 1 and has
  left the window on O + window.
- Tier thresholds of 0 are "not used". `tier_match` (from loyalty.yaml, default
  "any") says whether every used threshold must be met ("all") or one is enough
  ("any"). A tier with no used threshold is everyone's. The customer's tier is the
  highest (last listed) tier that qualifies, or None when none does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from custui.domain.models.loyalty import Loyalty, Tier

Order = Mapping[str, Any]


# -- orders -------------------------------------------------------------------------------
_DAYS: dict[str, date] = {}  # an ISO string -> its day: a shop's orders share a few thousand days
_DAYS_MAX = 100_000


def order_day(order: Order) -> date:
    """The order's date (records hold ISO strings; a date object is accepted too)."""
    value = order["date"]
    if type(value) is str:
        day = _DAYS.get(value)
        if day is None:
            day = date.fromisoformat(value[:10])
            if len(_DAYS) >= _DAYS_MAX:
                _DAYS.clear()
            _DAYS[value] = day
        return day
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def order_key(order: Order) -> tuple[date, int]:
    return order_day(order), int(order.get("id") or 0)


def active_orders(orders: Iterable[Order]) -> list[Order]:
    """The orders that count (not void), oldest first."""
    return sorted((o for o in orders if not o.get("void")), key=order_key)


def orders_before(orders: Iterable[Order], key: tuple[date, int]) -> list[Order]:
    """Active orders that come before the position `key` = (date, id), oldest first."""
    return [o for o in active_orders(orders) if order_key(o) < key]


def earn_base(order: Order, loyalty: Loyalty) -> int:
    """The amount an order earns points on (and voucher rules judge): see domain.points.

    earn_on paid: the `paid` stored on the order (never more than its total), else
    its total; earn_on total: the total.
    """
    total = max(0, int(order.get("total") or 0))
    paid = order.get("paid")
    if loyalty.earn_on == "paid" and paid is not None:
        return max(0, min(total, int(paid)))
    return total


# -- tiers ------------------------------------------------------------------------------
def tier_match(loyalty: Loyalty) -> str:
    """"all" (every used threshold must be met) or "any" (one is enough)."""
    return str(getattr(loyalty, "tier_match", "any"))


def window_start(on_date: date, loyalty: Loyalty) -> date:
    """First day of the tier window that ends on `on_date`."""
    return on_date - timedelta(days=loyalty.tier_window_days - 1)


@dataclass(frozen=True)
class WindowTotals:
    spend: int
    orders: int
    oldest: date | None  # date of the oldest order in the window


def window_totals(orders: Iterable[Order], loyalty: Loyalty, on_date: date) -> WindowTotals:
    """Spend and order count of the active orders inside the tier window ending on `on_date`."""
    start = window_start(on_date, loyalty)
    inside = [o for o in active_orders(orders) if start <= order_day(o) <= on_date]
    return WindowTotals(
        spend=sum(int(o.get("total") or 0) for o in inside),
        orders=len(inside),
        oldest=order_day(inside[0]) if inside else None,
    )


def qualifies(tier: Tier, spend: int, count: int, match: str = "all") -> bool:
    """Whether `spend` and `count` meet the tier's used (non-zero) thresholds."""
    met = []
    if tier.min_spend > 0:
        met.append(spend >= tier.min_spend)
    if tier.min_orders > 0:
        met.append(count >= tier.min_orders)
    if not met:
        return True
    return any(met) if match == "any" else all(met)


def tier_from_totals(loyalty: Loyalty, spend: int, count: int) -> Tier | None:
    """Highest listed tier whose thresholds `spend` and `count` meet."""
    return _tiers_met(loyalty, tier_match(loyalty), spend, count)


def _tiers_met(loyalty: Loyalty, match: str, spend: int, count: int) -> Tier | None:
    found: Tier | None = None
    for tier in loyalty.tiers:
        if qualifies(tier, spend, count, match):
            found = tier
    return found


def tier_for(orders: Iterable[Order], loyalty: Loyalty, on_date: date) -> Tier | None:
    """The tier the orders support on `on_date` (None when no tier is configured or met)."""
    totals = window_totals(orders, loyalty, on_date)
    return tier_from_totals(loyalty, totals.spend, totals.orders)


def tier_rank(loyalty: Loyalty, tier: Tier | str | None) -> int:
    """Position of a tier in the list (-1 for none or unknown): higher is better."""
    tier_id = tier.id if isinstance(tier, Tier) else tier
    for index, candidate in enumerate(loyalty.tiers):
        if candidate.id == tier_id:
            return index
    return -1


def find_tier(loyalty: Loyalty, tier_id: str | None) -> Tier | None:
    return next((t for t in loyalty.tiers if t.id == tier_id), None)


def tier_holds_until(orders: Iterable[Order], loyalty: Loyalty, on_date: date) -> date | None:
    """Last day the tier held on `on_date` stays supported if the customer buys nothing more.

    None when it never drops (e.g. the base tier, or no tier at all).
    """
    start = window_start(on_date, loyalty)
    window = [o for o in active_orders(orders) if start <= order_day(o) <= on_date]
    spend = sum(int(o.get("total") or 0) for o in window)
    count = len(window)
    current = tier_rank(loyalty, tier_from_totals(loyalty, spend, count))
    if current < 0:
        return None
    # orders leave the window oldest first; after each day's departures, judge what is left
    index = 0
    while index < len(window):
        day = order_day(window[index])
        while index < len(window) and order_day(window[index]) == day:
            spend -= int(window[index].get("total") or 0)
            count -= 1
            index += 1
        if tier_rank(loyalty, tier_from_totals(loyalty, spend, count)) < current:
            return day + timedelta(days=loyalty.tier_window_days - 1)
    return None


@dataclass(frozen=True)
class TierProgress:
    """How far the customer is from the next tier.

    `spend_needed` / `orders_needed` are what is still missing for each threshold
    the next tier uses (None when that tier does not use it; 0 when already met).
    With `match == "any"` either one alone is enough; with "all" both are needed.

    `by` is the last day on which those amounts are still enough, buying nothing
    else: the day before the oldest order now in the window leaves it (after that
    the amount needed grows). With no order in the window it is the last day of a
    window starting on the judged day. "2.300.000 ₫ more to Gold by 31/03/2027".
    """

    current: Tier | None
    next: Tier
    spend: int
    orders: int
    spend_needed: int | None
    orders_needed: int | None
    match: str
    by: date
    holds_until: date | None  # see tier_holds_until


def tier_progress(orders: Iterable[Order], loyalty: Loyalty, on_date: date) -> TierProgress | None:
    """Progress towards the next tier on `on_date`; None at the top tier or without tiers."""
    orders = list(orders)
    totals = window_totals(orders, loyalty, on_date)
    current = tier_from_totals(loyalty, totals.spend, totals.orders)
    rank = tier_rank(loyalty, current)
    higher = loyalty.tiers[rank + 1:]
    if not higher:
        return None
    target = higher[0]
    spend_needed = max(0, target.min_spend - totals.spend) if target.min_spend > 0 else None
    orders_needed = max(0, target.min_orders - totals.orders) if target.min_orders > 0 else None
    days = timedelta(days=loyalty.tier_window_days - 1)
    by = (totals.oldest + days) if totals.oldest is not None else on_date + days
    return TierProgress(
        current=current,
        next=target,
        spend=totals.spend,
        orders=totals.orders,
        spend_needed=spend_needed,
        orders_needed=orders_needed,
        match=tier_match(loyalty),
        by=by,
        holds_until=tier_holds_until(orders, loyalty, on_date),
    )


def tier_timeline(orders: Sequence[Order], loyalty: Loyalty) -> list[Tier | None]:
    """The tier in force at each active order (judged on its date, from the orders before it).

    Same order as `active_orders(orders)`; used for the points multiplier. O(n).
    """
    return timeline_of_active(active_orders(orders), loyalty)


def timeline_of_active(ordered: Sequence[Order], loyalty: Loyalty) -> list[Tier | None]:
    """`tier_timeline` of orders that are already `active_orders` (not sorted again)."""
    days = [order_day(order) for order in ordered]
    totals = [int(order.get("total") or 0) for order in ordered]
    window = timedelta(days=loyalty.tier_window_days - 1)
    match = tier_match(loyalty)
    result: list[Tier | None] = []
    left = 0
    spend = 0
    for index, day in enumerate(days):
        start = day - window
        while left < index and days[left] < start:
            spend -= totals[left]
            left += 1
        result.append(_tiers_met(loyalty, match, spend, index - left))
        spend += totals[index]
    return result
