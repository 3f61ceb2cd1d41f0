"""Like-for-like periods with worked dates: each period kind across month ends of different
lengths and a leap year, the last complete period, and custom spans."""

from __future__ import annotations

from datetime import date

import pytest

from custui.domain.periods import (
    Span,
    add_months,
    custom,
    last_complete,
    period_to_date,
    previous_span,
    whole_period,
)

D = date


def spans(c) -> tuple[tuple[date, date], tuple[date, date], tuple[date, date]]:  # noqa: ANN001
    return ((c.current.start, c.current.end), (c.previous.start, c.previous.end),
            (c.before_previous.start, c.before_previous.end))


@pytest.mark.parametrize(("today", "current", "previous", "before"), [
    # an ordinary mid-month day: 1-7 December vs 1-7 November vs 1-7 October
    (D(2026, 12, 7), (D(2026, 12, 1), D(2026, 12, 7)), (D(2026, 11, 1), D(2026, 11, 7)),
     (D(2026, 10, 1), D(2026, 10, 7))),
    # 31 March (31 days) vs the whole of February, 28 days in 2025 ...
    (D(2025, 3, 31), (D(2025, 3, 1), D(2025, 3, 31)), (D(2025, 2, 1), D(2025, 2, 28)),
     (D(2025, 1, 1), D(2025, 1, 31))),
    # ... 29 in the leap year 2024
    (D(2024, 3, 31), (D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 2, 1), D(2024, 2, 29)),
     (D(2024, 1, 1), D(2024, 1, 31))),
    # 29 February 2024 vs 1-29 January, 1-29 December
    (D(2024, 2, 29), (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 1, 1), D(2024, 1, 29)),
     (D(2023, 12, 1), D(2023, 12, 29))),
    # 31 May vs 1-30 April (April has 30 days) vs 1-31 March
    (D(2026, 5, 31), (D(2026, 5, 1), D(2026, 5, 31)), (D(2026, 4, 1), D(2026, 4, 30)),
     (D(2026, 3, 1), D(2026, 3, 31))),
    # 1 January: one day vs 1 December of the year before
    (D(2026, 1, 1), (D(2026, 1, 1), D(2026, 1, 1)), (D(2025, 12, 1), D(2025, 12, 1)),
     (D(2025, 11, 1), D(2025, 11, 1))),
])
def test_month_to_date(today: date, current: tuple, previous: tuple, before: tuple) -> None:
    c = period_to_date("month", today)
    assert spans(c) == (current, previous, before)
    assert c.partial and c.basis == "to_date" and c.kind == "month"


def test_month_to_date_day_counts() -> None:
    c = period_to_date("month", D(2026, 12, 7))
    assert (c.current.days, c.previous.days, c.full_days) == (7, 7, 31)
    c = period_to_date("month", D(2025, 3, 31))
    assert (c.current.days, c.previous.days, c.full_days) == (31, 28, 31)
    assert period_to_date("month", D(2024, 2, 15)).full_days == 29


@pytest.mark.parametrize(("today", "current", "previous", "before"), [
    # 7 December: Q4 to date (68 days) vs 1 July-7 September (69) vs 1 April-7 June
    (D(2026, 12, 7), (D(2026, 10, 1), D(2026, 12, 7)), (D(2026, 7, 1), D(2026, 9, 7)),
     (D(2026, 4, 1), D(2026, 6, 7))),
    # 31 May (Q2, day 61) vs 1 January-28 February 2025 (59 days) vs 1 October-30 November 2024
    (D(2025, 5, 31), (D(2025, 4, 1), D(2025, 5, 31)), (D(2025, 1, 1), D(2025, 2, 28)),
     (D(2024, 10, 1), D(2024, 11, 30))),
    # the leap year: 31 May 2024 vs 1 January-29 February 2024
    (D(2024, 5, 31), (D(2024, 4, 1), D(2024, 5, 31)), (D(2024, 1, 1), D(2024, 2, 29)),
     (D(2023, 10, 1), D(2023, 11, 30))),
    # 31 March (last day of Q1) vs 1 October-31 December
    (D(2026, 3, 31), (D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 10, 1), D(2025, 12, 31)),
     (D(2025, 7, 1), D(2025, 9, 30))),
])
def test_quarter_to_date(today: date, current: tuple, previous: tuple, before: tuple) -> None:
    c = period_to_date("quarter", today)
    assert spans(c) == (current, previous, before)
    assert c.full_days == whole_period("quarter", today).days


def test_quarter_to_date_day_counts() -> None:
    c = period_to_date("quarter", D(2026, 12, 7))
    assert (c.current.days, c.previous.days, c.full_days) == (68, 69, 92)


@pytest.mark.parametrize(("today", "current", "previous", "before"), [
    (D(2026, 12, 7), (D(2026, 1, 1), D(2026, 12, 7)), (D(2025, 1, 1), D(2025, 12, 7)),
     (D(2024, 1, 1), D(2024, 12, 7))),
    # 29 February 2024 vs 1 January-28 February 2023 vs 1 January-28 February 2022
    (D(2024, 2, 29), (D(2024, 1, 1), D(2024, 2, 29)), (D(2023, 1, 1), D(2023, 2, 28)),
     (D(2022, 1, 1), D(2022, 2, 28))),
    # 28 February 2025 vs 1 January-28 February 2024 (the leap day left out: same dates)
    (D(2025, 2, 28), (D(2025, 1, 1), D(2025, 2, 28)), (D(2024, 1, 1), D(2024, 2, 28)),
     (D(2023, 1, 1), D(2023, 2, 28))),
    # 29 February 2028 looks back two years to 28 February 2026
    (D(2028, 2, 29), (D(2028, 1, 1), D(2028, 2, 29)), (D(2027, 1, 1), D(2027, 2, 28)),
     (D(2026, 1, 1), D(2026, 2, 28))),
])
def test_year_to_date(today: date, current: tuple, previous: tuple, before: tuple) -> None:
    c = period_to_date("year", today)
    assert spans(c) == (current, previous, before)


def test_year_to_date_day_counts() -> None:
    c = period_to_date("year", D(2024, 2, 29))
    assert (c.current.days, c.previous.days, c.full_days) == (60, 59, 366)


def test_last_complete_periods() -> None:
    c = last_complete("month", D(2024, 3, 15))
    assert spans(c) == ((D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 1, 1), D(2024, 1, 31)),
                        (D(2023, 12, 1), D(2023, 12, 31)))
    assert not c.partial and c.basis == "complete" and c.current.days == 29
    c = last_complete("quarter", D(2026, 12, 7))
    assert spans(c)[:2] == ((D(2026, 7, 1), D(2026, 9, 30)), (D(2026, 4, 1), D(2026, 6, 30)))
    c = last_complete("year", D(2025, 1, 1))
    assert spans(c) == ((D(2024, 1, 1), D(2024, 12, 31)), (D(2023, 1, 1), D(2023, 12, 31)),
                        (D(2022, 1, 1), D(2022, 12, 31)))
    assert c.current.days == 366


def test_custom_spans_and_partial() -> None:
    # whole months: the previous months; the year 2025 vs 2024, complete on 7 December 2026
    c = custom(D(2025, 1, 1), D(2025, 12, 31), D(2026, 12, 7))
    assert (c.previous.start, c.previous.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (c.before_previous.start, c.before_previous.end) == (D(2023, 1, 1), D(2023, 12, 31))
    assert not c.partial
    # the whole of December seen on the 7th is not over
    assert custom(D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 7)).partial
    # ten days: the ten days before
    c = custom(D(2026, 3, 1), D(2026, 3, 10), D(2026, 12, 7))
    assert (c.previous.start, c.previous.end) == (D(2026, 2, 19), D(2026, 2, 28))
    given = Span(D(2026, 1, 5), D(2026, 1, 9))
    assert custom(D(2026, 3, 1), D(2026, 3, 10), D(2026, 12, 7), given).previous == given


def test_previous_span_and_add_months_clamp() -> None:
    assert previous_span(Span(D(2024, 3, 1), D(2024, 3, 31))) == Span(D(2024, 2, 1), D(2024, 2, 29))
    assert previous_span(Span(D(2026, 1, 1), D(2026, 3, 31))) == Span(D(2025, 10, 1), D(2025, 12, 31))
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), -12) == D(2023, 2, 28)
    assert add_months(D(2026, 3, 31), -13) == D(2025, 2, 28)


def test_so_far_only_when_the_current_span_had_fewer_days() -> None:
    # the whole of December on the 7th: 7 days of data against 30 of November
    c = custom(D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 7))
    assert c.data_days == 7 and c.so_far
    # month to date compares equal days: never "so far", though partial
    assert not period_to_date("month", D(2026, 12, 7)).so_far
    assert not period_to_date("month", D(2025, 3, 31)).so_far  # 31 days vs 28
    assert not custom(D(2025, 1, 1), D(2025, 12, 31), D(2026, 12, 7)).so_far
