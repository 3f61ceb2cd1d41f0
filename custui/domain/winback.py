"""Win-back by the model: who is probably slipping away, and what losing them costs.

value at risk = P(dropped) x usual yearly spend, where P(dropped) = 1 - P(alive) (BG/NBD)
and the usual yearly spend is what the customer spent per year while buying (total spend
over the years from the first order to the last, at least one year).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from custui.domain.stats import CustomerStats

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class AtRisk:
    customer_id: int
    p_alive: float
    last_order: date
    avg_gap_days: float  # usual days between purchases
    yearly_spend: float  # minor units

    @property
    def value_at_risk(self) -> float:
        return (1.0 - self.p_alive) * self.yearly_spend


def yearly_spend(stats: CustomerStats) -> float:
    days = stats.order_days
    if not days:
        return 0.0
    return stats.total_spend / max((days[-1] - days[0]) / DAYS_PER_YEAR, 1.0)


def at_risk(
    p_alive: Mapping[int, float], stats: Mapping[int, CustomerStats], below: float, today: date
) -> list[AtRisk]:
    """Customers with more than one purchase by `today` and P(alive) under `below`, most value
    at risk first (orders dated after `today` are left out)."""
    found: list[AtRisk] = []
    day = today.toordinal()
    for cid, alive in p_alive.items():
        if alive >= below:
            continue
        one = stats.get(cid)
        if one is None or one.orders < 2:
            continue
        days = one.order_days
        spend = yearly_spend(one)
        if days[-1] > day:
            days = tuple(d for d in days if d <= day)
            if len(days) < 2:
                continue
            spend = spend * len(days) / one.orders
        found.append(AtRisk(cid, alive, date.fromordinal(days[-1]),
                            (days[-1] - days[0]) / (len(days) - 1), spend))
    found.sort(key=lambda row: (-row.value_at_risk, row.customer_id))
    return found


def why_values(row: AtRisk, today: date) -> tuple[tuple[str, str], ...]:
    """The values of the why line: P(alive) %, usual gap and days since the last purchase."""
    return (
        ("p_alive", f"{row.p_alive * 100:.0f}"),
        ("gap", f"{row.avg_gap_days:.0f}"),
        ("days", str((today - row.last_order).days)),
        ("last", row.last_order.isoformat()),
        ("value", f"{row.value_at_risk:.0f}"),
    )


def members(rows: Iterable[AtRisk]) -> frozenset[int]:
    return frozenset(row.customer_id for row in rows)
