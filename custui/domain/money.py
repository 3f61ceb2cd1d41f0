"""Money as integer minor units of an ISO 4217 currency; parsing what staff type."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    get_currency_precision,
)


def decimals(currency: str) -> int:
    """Number of minor-unit digits (VND 0, USD 2)."""
    return int(get_currency_precision(currency))


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-decimals(currency))


def format_money(minor: int, currency: str = "VND", locale: str = "en") -> str:
    """Format for display: `1.250.000 ₫` in vi, `₫1,250,000` in en."""
    babel_locale = "vi_VN" if locale == "vi" else "en_US"
    return format_currency(to_major(minor, currency), currency, locale=babel_locale)


def format_money_compact(minor: int, currency: str = "VND", locale: str = "en") -> str:
    """A short amount for a narrow column, in the locale's own words: `₫563.87B` in en,
    `563,87 T ₫` in vi (CLDR's compact forms); small amounts stay whole."""
    babel_locale = "vi_VN" if locale == "vi" else "en_US"
    return format_compact_currency(to_major(minor, currency), currency, locale=babel_locale,
                                   fraction_digits=2)


def format_amount(minor: int, currency: str = "VND", locale: str = "en") -> str:
    """Digits only, grouped the locale's way, with the currency's decimals."""
    babel_locale = "vi_VN" if locale == "vi" else "en_US"
    places = decimals(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(to_major(minor, currency), format=pattern, locale=babel_locale)


def plain_amount(minor: int, currency: str = "VND") -> str:
    """Major units with the currency's decimals and no grouping: for CSV export."""
    places = decimals(currency)
    return f"{to_major(minor, currency):.{places}f}"


# The largest amount custui stores, in minor units (10 000 billion đồng; 100 billion dollars).
# Sums stay exact in a signed 64-bit integer (PostgreSQL bigint) for 900,000 such orders.
MAX_AMOUNT = 10**13

_NUMBER = re.compile(r"[0-9.,]+")
_SHORTHAND = re.compile(r"^(?P<num>[0-9.,]+)\s*(?P<unit>tr|triệu|m|k|ng|nghìn)$", re.IGNORECASE)
_UNITS = {"tr": 1_000_000, "triệu": 1_000_000, "m": 1_000_000, "k": 1_000, "ng": 1_000, "nghìn": 1_000}


class MoneyParseError(ValueError):
    pass


class AmountTooLarge(MoneyParseError):
    """A well-formed amount above MAX_AMOUNT minor units."""


def _grouped(text: str, sep: str) -> bool:
    """1.250.000: a head of 1 to 3 digits, then groups of exactly 3."""
    groups = text.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _to_decimal(text: str, places: int) -> Decimal:
    """Read 1250000, 1.250.000, 1,250,000, 12.50, 12,50 or 1,25 (decimal comma).

    Separators that are neither thousands groups nor one decimal point (1.2.3, 1,2.5)
    are refused.
    """
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # the later separator is the decimal one and appears once; the other groups thousands
        point, group = (".", ",") if text.rfind(".") > text.rfind(",") else (",", ".")
        head, _, tail = text.rpartition(point)
        if point in head or not _grouped(head, group):
            raise MoneyParseError(text)
        text = head.replace(group, "") + "." + tail
    elif dots or commas:
        sep = "." if dots else ","
        head, _, tail = text.rpartition(sep)
        grouped = _grouped(text, sep)
        if (dots + commas) > 1:
            if not grouped:
                raise MoneyParseError(text)
            text = text.replace(sep, "")
        elif (grouped and places == 0) or (grouped and len(tail) == 3 and places < 3):
            text = text.replace(sep, "")
        else:
            text = head + "." + tail
    if not text.replace(".", "").isdigit():  # ASCII only: the callers' patterns are [0-9.,]
        raise MoneyParseError(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise MoneyParseError(text) from exc


def check_amount(minor: int) -> int:
    """`minor` itself, or AmountTooLarge above MAX_AMOUNT."""
    if minor > MAX_AMOUNT:
        raise AmountTooLarge(str(minor))
    return minor


def parse_money(raw: str, currency: str = "VND") -> int:
    """Parse an amount typed by staff into minor units; raises MoneyParseError.

    Accepts 1250000, 1.250.000, 1,250,000, "1,25tr", "1.25m", "500k", 12.50 (USD).
    Only ASCII digits; at most MAX_AMOUNT minor units (AmountTooLarge above).
    """
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    for symbol in ("₫", "đ", "VND", "vnd", "$", "USD", "usd"):
        text = text.replace(symbol, "")
    if not text:
        raise MoneyParseError(raw)
    places = decimals(currency)
    multiplier = 1
    match = _SHORTHAND.match(text)
    if match:
        text = match.group("num")
        multiplier = _UNITS[match.group("unit").lower()]
        value = _to_decimal(text, places=2)  # "1,25tr": the separator is a decimal one
    else:
        if not _NUMBER.fullmatch(text):
            raise MoneyParseError(raw)
        value = _to_decimal(text, places)
    if len(value.as_tuple().digits) > 30:
        raise AmountTooLarge(raw)
    minor = (value * multiplier).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if (value * multiplier).scaleb(places) != minor and places == 0 and not match:
        raise MoneyParseError(raw)
    return check_amount(int(minor))
