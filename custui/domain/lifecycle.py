"""Where a customer stands: potential, current, loyal or lapsed (thresholds from segments.yaml)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from custui.domain.enums import LIFECYCLES
from custui.domain.stats import CustomerStats


class LifecycleRules(Protocol):
    """The thresholds lifecycle needs; config.segments.Lifecycle satisfies it."""

    @property
    def loyal_min_orders(self) -> int: ...

    @property
    def loyal_window_days(self) -> int: ...

    @property
    def lapsed_after_days(self) -> int: ...


def lifecycle(
    stats: CustomerStats,
    today: date,
    rules: LifecycleRules,
    status_override: str | None = None,
) -> str:
    """The lifecycle group of one customer, checked in this order:

    1. a valid `status_override` set by staff wins;
    2. potential: no (non-void) order at all;
    3. lapsed: the last order is `lapsed_after_days` or more days before today;
    4. loyal: at least `loyal_min_orders` orders in the last `loyal_window_days` days;
    5. otherwise current.
    """
    if not isinstance(today, date):
        raise TypeError(f"today must be a date, not {type(today).__name__}")
    if status_override in LIFECYCLES:
        return status_override
    if not stats.orders:
        return "potential"
    since_last = today.toordinal() - stats.order_days[-1]
    if since_last >= rules.lapsed_after_days:
        return "lapsed"
    if stats.orders_within(rules.loyal_window_days, today) >= rules.loyal_min_orders:
        return "loyal"
    return "current"
