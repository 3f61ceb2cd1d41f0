"""The sources' customer formulas: value, CLV, retention and churn, revenue shares, Pareto.

Money sums are exact (int minor units, or Decimal where a division is involved);
ratios are floats. Periods are half-open date ranges [start, end).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from math import ceil
from typing import Any, Protocol

from custui.domain.enums import LIFECYCLES
from custui.domain.periods import add_months
from custui.domain.stats import CustomerStats, day_number

DAYS_PER_YEAR = Decimal("365.25")


# -- customer value and CLV ------------------------------------------------------------
def purchases_per_year(stats: CustomerStats, today: date, min_years: Decimal = Decimal(1)) -> Decimal:
    """Average purchase frequency = orders / years known.

    Years known = days from the first order to today (inclusive) / 365.25, but at
    least `min_years`, so one fresh order does not project to hundreds a year.
    """
    if not stats.orders:
        return Decimal(0)
    days_known = today.toordinal() - stats.order_days[0] + 1
    years = max(Decimal(days_known) / DAYS_PER_YEAR, min_years)
    return Decimal(stats.orders) / years


def customer_value(stats: CustomerStats, today: date) -> Decimal:
    """Customer value = average purchase value × average purchases per year (minor units/year)."""
    return stats.avg_order_value * purchases_per_year(stats, today)


class HasLifespan(Protocol):
    @property
    def expected_lifespan_years(self) -> float: ...


Lifespan = float | int | Decimal | HasLifespan


def _years(lifespan: Lifespan) -> Decimal:
    """A lifespan given as a number or as the segments.yaml lifecycle rules."""
    value = getattr(lifespan, "expected_lifespan_years", lifespan)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"lifespan must be a number of years, not {type(value).__name__}")
    return Decimal(str(value))


def clv(stats: CustomerStats, today: date, lifespan_years: Lifespan) -> Decimal:
    """Customer lifetime value = customer value × expected customer lifespan in years.

    `lifespan_years` is a number or the segments.yaml lifecycle rules (which carry
    expected_lifespan_years).
    """
    if not isinstance(today, date):
        raise TypeError(f"today must be a date, not {type(today).__name__}")
    return customer_value(stats, today) * _years(lifespan_years)


def average_clv(stats: Iterable[CustomerStats], today: date, lifespan_years: Lifespan) -> Decimal:
    """Mean CLV over the customers that have ordered (a customer with no order has none)."""
    years = _years(lifespan_years)
    total = Decimal(0)
    count = 0
    for one in stats:
        if one.orders:
            total += customer_value(one, today) * years
            count += 1
    return total / count if count else Decimal(0)


# -- retention -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Retention:
    """Of `base` customers active in the earlier period, `retained` were active in the later one."""

    base: int
    retained: int

    @property
    def rate(self) -> float | None:
        """retained / base; None when nobody was active before (nothing to retain)."""
        return self.retained / self.base if self.base else None

    @property
    def churn(self) -> float | None:
        """1 − retention rate; None when the rate is undefined."""
        rate = self.rate
        return None if rate is None else 1.0 - rate


def retention(active_before: set[int], active_now: set[int]) -> Retention:
    """Retention = |active before ∩ active now| / |active before|; churn = 1 − retention.

    The seeds' example: 1000 customers at the start, 700 still buying → 70 % and 30 %.
    """
    return Retention(base=len(active_before), retained=len(active_before & active_now))


# -- changes ---------------------------------------------------------------------------
UP, DOWN, FLAT = "▲", "▼", "="


def change_words(change: float | None, kind: str = "relative", decimal_mark: str = ".",
                 points_unit: str = "pts") -> str:
    """A change from the previous period as '▲ +12.0%' (relative: 0.12), '▼ -3.5 pts'
    (points: a difference of percentages or NPS) or '▲ +0.25' (difference); '—' when
    there is nothing to compare, '= 0' when it rounds to nothing. Reads without colour.
    `decimal_mark` and `points_unit` are the language's ("," and "điểm" in Vietnamese)."""
    if change is None:
        return "—"
    places = 2 if kind == "difference" else 1
    number = change * 100 if kind == "relative" else change
    digits = f"{number:+.{places}f}"
    if float(digits) == 0:
        return f"{FLAT} 0"
    digits = digits.replace(".", decimal_mark)
    unit = "%" if kind == "relative" else f" {points_unit}" if kind == "points" else ""
    return f"{UP if change > 0 else DOWN} {digits}{unit}"


# -- periods ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Period:
    """Dates in [start, end)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def start_day(self) -> int:
        return self.start.toordinal()

    @property
    def end_day(self) -> int:
        return self.end.toordinal()

    def __contains__(self, day: object) -> bool:
        if isinstance(day, str):
            return self.start_day <= day_number(day) < self.end_day
        if isinstance(day, date):
            return self.start <= day < self.end
        return False


def this_month(today: date) -> Period:
    start = today.replace(day=1)
    return Period(start, add_months(start, 1))


def last_month(today: date) -> Period:
    return previous_period(this_month(today))


def this_quarter(today: date) -> Period:
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(start, add_months(start, 3))


def this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year + 1, 1, 1))


def last_12_months(today: date) -> Period:
    """The twelve months ending with today: (today − 1 year, today]."""
    end = today + timedelta(days=1)
    return Period(add_months(end, -12), end)


def month_periods(today: date, count: int) -> list[Period]:
    """The last `count` calendar months, oldest first, the current month last."""
    current = this_month(today).start
    return [Period(add_months(current, -k), add_months(current, -k + 1)) for k in range(count - 1, -1, -1)]


def _whole_months(period: Period) -> int | None:
    """How many calendar months the period spans, when it starts and ends on a 1st."""
    if period.start.day != 1 or period.end.day != 1:
        return None
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return months if months > 0 else None


def previous_period(period: Period) -> Period:
    """The period of equal length just before: the previous month/quarter/year for whole
    calendar months, else the same number of days."""
    months = _whole_months(period)
    if months is not None:
        return Period(add_months(period.start, -months), period.start)
    return Period(period.start - timedelta(days=period.days), period.start)


# -- activity and revenue --------------------------------------------------------------
def active_customers(orders: Iterable[Mapping[str, Any]], period: Period) -> set[int]:
    """Customers with at least one non-void order dated in the period."""
    start, end = period.start.isoformat(), period.end.isoformat()
    return {
        order["customer_id"]
        for order in orders
        # ISO strings compare like dates; "2026-01-31T10:00" < "2026-02-01" holds too
        if start <= order["date"] < end and not order.get("void") and order.get("customer_id") is not None
    }


def active_from_stats(stats: Mapping[int, CustomerStats], period: Period) -> set[int]:
    """The same as `active_customers`, from precomputed per-customer stats."""
    start, end = period.start_day, period.end_day
    active = set()
    for cid, one in stats.items():
        days = one.order_days
        if days and days[0] < end and days[-1] >= start and one.orders_between(period.start, period.end):
            active.add(cid)
    return active


def new_customers(stats: Mapping[int, CustomerStats], period: Period) -> set[int]:
    """Customers whose first order falls in the period."""
    start, end = period.start_day, period.end_day
    return {cid for cid, one in stats.items() if one.order_days and start <= one.order_days[0] < end}


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    revenue: int  # minor units
    orders: int

    @property
    def avg_order_value(self) -> Decimal:
        return Decimal(self.revenue) / self.orders if self.orders else Decimal(0)


def revenue_by_customer(
    orders: Iterable[Mapping[str, Any]], period: Period | None = None
) -> dict[int, int]:
    """Sum of non-void order totals per customer, optionally only in a period."""
    start = period.start.isoformat() if period else ""
    end = period.end.isoformat() if period else "\uffff"
    revenue: dict[int, int] = {}
    for order in orders:
        if order.get("void") or not start <= order["date"] < end:
            continue
        cid = order.get("customer_id")
        if cid is not None:
            revenue[cid] = revenue.get(cid, 0) + order["total"]
    return revenue


def period_totals(orders: Iterable[Mapping[str, Any]], period: Period) -> PeriodTotals:
    """Revenue and order count of the non-void orders in the period."""
    start, end = period.start.isoformat(), period.end.isoformat()
    revenue = count = 0
    for order in orders:
        if start <= order["date"] < end and not order.get("void"):
            revenue += order["total"]
            count += 1
    return PeriodTotals(revenue, count)


def revenue_share_by_group(
    revenue: Mapping[int, int], group_of: Mapping[int, str], groups: Sequence[str] = LIFECYCLES
) -> dict[str, float]:
    """Each group's share of total revenue: group revenue / all revenue.

    Every name in `groups` is present (0.0 when it earned nothing); customers whose
    group is not known are counted under "other". All zeros when there is no revenue.
    """
    sums: dict[str, int] = dict.fromkeys(groups, 0)
    for cid, amount in revenue.items():
        group = group_of.get(cid, "other")
        sums[group] = sums.get(group, 0) + amount
    total = sum(sums.values())
    return {group: (amount / total if total else 0.0) for group, amount in sums.items()}


# -- Pareto ----------------------------------------------------------------------------
def top_customers(spend: Mapping[int, int], share: float = 0.2) -> list[int]:
    """The top `share` of customers by spend: ceil(share × n) of them, at least one.

    Ties are broken by the lower customer id, so the list is deterministic.
    """
    if not spend:
        return []
    count = max(1, ceil(Fraction(str(share)) * len(spend)))
    ranked = sorted(spend.items(), key=lambda item: (-item[1], item[0]))
    return [cid for cid, _ in ranked[:count]]


def pareto_share(spend: Mapping[int, int], share: float = 0.2) -> float:
    """Revenue share of the top `share` of customers = their spend / all spend (0.0 if none).

    With non-negative spends this is at least `share` and at most 1.
    """
    total = sum(spend.values())
    if total <= 0:
        return 0.0
    top = sum(spend[cid] for cid in top_customers(spend, share))
    return top / total
