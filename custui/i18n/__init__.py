"""One catalog for every user-facing string, in English and Vietnamese.

Strings live in `custui/i18n/strings/*.py`, one module per area, each with a
`STRINGS: dict[str, tuple[str, str]]` mapping a key to (English, Vietnamese).
`t("key", name=...)` formats with `str.format`; user text passed as a keyword
stays plain text (the result is a str, render it with markup off).
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from datetime import date, datetime
from functools import cache

LOCALES = ("en", "vi")
_locale = "en"


@cache
def catalog() -> dict[str, tuple[str, str]]:
    from custui.i18n import strings

    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(strings.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{strings.__name__}.{info.name}")
        for key, pair in module.STRINGS.items():
            if key in merged:
                raise RuntimeError(f"i18n key {key!r} defined twice ({info.name})")
            merged[key] = pair
    return merged


def set_locale(locale: str) -> None:
    global _locale
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; use one of {', '.join(LOCALES)}")
    _locale = locale


def get_locale() -> str:
    return _locale


def t(key: str, /, **values: object) -> str:
    """Translate `key` into the current locale; unknown keys show as themselves."""
    pair = catalog().get(key)
    if pair is None:
        return key  # never formatted: a key built from data may hold "{0}"
    text = pair[1] if _locale == "vi" and pair[1] else pair[0]
    return _FORMATTER.format(text, **values) if values else text


class _CountFormatter(string.Formatter):
    """str.format plus counts with their noun: `{count:plural:order|orders}` gives "1 order",
    "5 orders" (English needs it; Vietnamese nouns do not change, so its texts use `{count}`).
    A count may be given as text ("15,076"); only 1 takes the singular."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "count":
            return grouped(value)
        if not format_spec.startswith("plural:"):
            return str(super().format_field(value, format_spec))
        one, _, many = format_spec[len("plural:"):].partition("|")
        singular = str(value).strip() == "1"
        return f"{grouped(value)} {one if singular else many or one}"


def count_text(number: int, locale: str | None = None) -> str:
    """A count grouped the language's way: 15,076 in en, 15.076 in vi."""
    return f"{number:,}".replace(",", "." if (locale or _locale) == "vi" else ",")


def grouped(value: object) -> str:
    """A catalog text's count (`{n:count}`, `{n:plural:…}`): a whole number as `count_text`
    writes it; a count already written as text stays as it is."""
    if not isinstance(value, int) or isinstance(value, bool):
        return str(value)
    return count_text(value)


_FORMATTER = _CountFormatter()


def format_day(value: date | str | None, locale: str | None = None) -> str:
    """A date as the language (the current one by default) writes it on screen: 26/11/2026 in
    vi, 2026-11-26 in en. Text that is not an ISO date shows as it is; no date shows as "—"."""
    if value is None or value == "":
        return "—"
    day: date
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value.date() if isinstance(value, datetime) else value
    return day.strftime("%d/%m/%Y") if (locale or _locale) == "vi" else day.isoformat()


def format_moment(value: str) -> str:
    """An ISO date and time ("2026-03-10 11:00" or with "T") as the language writes it:
    "10/03/2026 11:00" in vi; a date alone as `format_day`; other text as it is."""
    day_part, _, time_part = value.replace("T", " ").partition(" ")
    shown = format_day(day_part)
    if shown == day_part and value:
        return value  # not a date
    return f"{shown} {time_part[:5]}".rstrip()


def decimal_mark(locale: str | None = None) -> str:
    """The language's decimal mark: "." in en, "," in vi."""
    return "," if (locale or _locale) == "vi" else "."


def decimal_text(value: float, places: int = 1, sign: bool = False, locale: str | None = None) -> str:
    """A decimal number with the language's decimal mark: 12.6 in en, 12,6 in vi."""
    text = f"{value:+.{places}f}" if sign else f"{value:.{places}f}"
    return text.replace(".", decimal_mark(locale))


def percent_text(share: float | None, places: int = 1, gap: str = " ", locale: str | None = None) -> str:
    """A share (0.126) as a percentage: "12.6 %" in en, "12,6 %" in vi; None shows as "—"."""
    return "—" if share is None else f"{decimal_text(share * 100, places, locale=locale)}{gap}%"


def t_id(prefix: str, value: object) -> str:
    """The name of a configured id ("kind" + "business" -> "Business"); an id the catalog
    does not know (data from an older version or config) shows as itself, not as a key."""
    key = f"{prefix}.{value}"
    return t(key) if key in catalog() else str(value)
