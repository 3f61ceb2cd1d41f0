"""The calendar custui computes with: years MIN_YEAR..MAX_YEAR, nothing outside.

Every date a person types or a file brings (order dates, birthdays, follow-ups,
report and dashboard periods, `--as-of`) is checked here once, so a stray
`0001-01-01` or `9999-12-31` is refused where it was typed, never stored to make
date arithmetic (windows, ages, expiries) overflow later.
"""

from __future__ import annotations

import re
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


_DMY = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})(?:[/.\-]([0-9]{2}|[0-9]{4}))?$")
_YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


def read_typed_day(raw: str, today: date) -> date:
    """A day as staff type it in any date box: 2026-11-26, 26/11/2026, 26.11.2026, 26/11/26 or
    26/11 (this year); blank is today. The one reader for every form and period box, so a box
    never refuses the format another one accepts.

    Raises ValueError for anything else, DateOutOfRange (a ValueError) for a year outside
    MIN_YEAR..MAX_YEAR.
    """
    text = raw.strip()
    if not text:
        return today
    match = _YMD.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return check_day(date(year, month, day))
    match = _DMY.match(text)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        year = today.year if year_text is None else int(year_text)
        if year_text is not None and len(year_text) == 2:
            year += 2000
        return check_day(date(year, month, day))
    raise ValueError(raw)
