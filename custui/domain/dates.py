"""The calendar custui computes with: years MIN_YEAR..MAX_YEAR, nothing outside.

Every date a person types or a file brings (order dates, birthdays, follow-ups,
report and dashboard periods, `--as-of`) is checked here once, so a stray
`0001-01-01` or `9999-12-31` is refused where it was typed, never stored to make
date arithmetic (windows, ages, expiries) overflow later.
"""

from __future__ import annotations

from datetime import date

MIN_YEAR = 1900
MAX_YEAR = 2100


class DateOutOfRange(ValueError):
    """A real calendar date custui does not compute with (before MIN_YEAR or after MAX_YEAR)."""

    def __init__(self, day: date) -> None:
        super().__init__(f"outside the years {MIN_YEAR} to {MAX_YEAR}")
        self.day = day


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def check_day(day: date) -> date:
    """`day` itself, or DateOutOfRange when its year is outside MIN_YEAR..MAX_YEAR."""
    if not year_in_range(day.year):
        raise DateOutOfRange(day)
    return day
