"""Messages for values outside what custui computes with (the limits live in the domain)."""

from __future__ import annotations

from custui.domain.dates import MAX_YEAR, MIN_YEAR
from custui.i18n import t


def date_range_error(value: str) -> str:
    """A date outside the years MIN_YEAR..MAX_YEAR, shown next to the field that holds it."""
    return t("input.err.date_range", value=value, low=MIN_YEAR, high=MAX_YEAR)


def too_large_error(largest: str) -> str:
    """An amount or count above the largest custui stores (`largest` already formatted)."""
    return t("input.err.amount_too_large", largest=largest)
