"""Which period a figure covers and what it is compared with (pure date arithmetic).

All spans are inclusive [start, end]. Three bases:

- to date ("month to date", "quarter to date", "year to date"): from the first day
  of the calendar month/quarter/year containing `today` through `today`, compared
  with the same days of the period before: its first day through the same
  day-of-month `months` earlier, clamped to that month's last day. On 31 March the
  month to date (31 days) is compared with 1-28 February (29 in a leap year); on
  29 February 2024 the year to date with 1 January-28 February 2023. The period is
  partial: it is not over (today is still going on).
- complete: the last calendar month/quarter/year that is over, against the one
  before it (whole periods of either length).
- custom: any dates; compared with the previous month/quarter/year when the span is
  whole calendar months, else the same number of days just before. Partial when it
  reaches today or later.

Every comparison also carries the span before the comparison (`before_previous`),
so the comparison's own retention is computed the same way as the current one's.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["month", "quarter", "year"]
Basis = Literal["to_date", "complete", "custom"]
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Span:
    """Dates from `start` through `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Comparison:
    basis: Basis
    kind: Kind | None  # month / quarter / year; None for custom dates
    current: Span
    previous: Span
    before_previous: Span  # the span the previous one is compared with (its retention)
    partial: bool  # the current span is not over on the day it was chosen
    full_days: int  # days in the whole calendar period (to date), else the span's days
    data_days: int = 0  # days of the current span up to the day it was chosen (0: all)

    @property
    def so_far(self) -> bool:
        """Retention and churn are "so far": the current span has had fewer days to buy
        in than the one it is compared with (a custom span not over yet)."""
        days = self.data_days or self.current.days
        return self.partial and days < self.previous.days


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later (or earlier), clamped to that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_start(kind: Kind, day: date) -> date:
    """First day of the calendar month / quarter / year containing `day`."""
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def whole_period(kind: Kind, day: date, back: int = 0) -> Span:
    """The whole calendar period containing `day`, or `back` periods before it."""
    start = add_months(period_start(kind, day), -back * MONTHS[kind])
    return Span(start, add_months(start, MONTHS[kind]) - ONE_DAY)


def to_date_span(kind: Kind, today: date, back: int = 0) -> Span:
    """Period to date on `today`, or the same days `back` periods earlier (clamped)."""
    months = back * MONTHS[kind]
    return Span(add_months(period_start(kind, today), -months), add_months(today, -months))


def period_to_date(kind: Kind, today: date) -> Comparison:
    """Month / quarter / year to date against the same days of the period before."""
    return Comparison(
        basis="to_date", kind=kind,
        current=to_date_span(kind, today),
        previous=to_date_span(kind, today, 1),
        before_previous=to_date_span(kind, today, 2),
        partial=True,
        full_days=whole_period(kind, today).days,
    )


def last_complete(kind: Kind, today: date) -> Comparison:
    """The last whole month / quarter / year before today's, against the one before it."""
    current = whole_period(kind, today, 1)
    return Comparison(
        basis="complete", kind=kind, current=current,
        previous=whole_period(kind, today, 2), before_previous=whole_period(kind, today, 3),
        partial=False, full_days=current.days,
    )


def previous_span(span: Span) -> Span:
    """The span just before: the previous months when `span` is whole calendar months,
    else the same number of days."""
    after = span.end + ONE_DAY
    if span.start.day == 1 and after.day == 1:
        months = (after.year - span.start.year) * 12 + after.month - span.start.month
        return Span(add_months(span.start, -months), span.start - ONE_DAY)
    return Span(span.start - timedelta(days=span.days), span.start - ONE_DAY)


def custom(start: date, end: date, today: date, previous: Span | None = None) -> Comparison:
    """Any dates, against `previous` (default: previous_span)."""
    current = Span(start, end)
    before = previous or previous_span(current)
    return Comparison(
        basis="custom", kind=None, current=current, previous=before,
        before_previous=previous_span(before), partial=end >= today, full_days=current.days,
        data_days=max(0, (min(end, today) - start).days + 1),
    )
