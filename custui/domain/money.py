"""Money as integer minor units of an ISO 4217 currency; parsing what staff type."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, get_currency_precision


def decimals(currency: str) -> int:
    """Number of minor-unit digits (VND 0, USD 2)."""
    return int(get_currency_precision(currency))


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-decimals(currency))


def format_money(minor: int, currency: str = "VND", locale: str = "en") -> str:
    """Format for display: `1.250.000 ₫` in vi, `₫1,250,000` in en."""
    babel_locale = "vi_VN" if locale == "vi" else "en_US"
    return format_currency(to_major(minor, currency), currency, locale=babel_locale)


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


_SHORTHAND = re.compile(r"^(?P<num>[\d.,]+)\s*(?P<unit>tr|triệu|m|k|ng|nghìn)$", re.IGNORECASE)
_UNITS = {"tr": 1_000_000, "triệu": 1_000_000, "m": 1_000_000, "k": 1_000, "ng": 1_000, "nghìn": 1_000}


class MoneyParseError(ValueError):
    pass


def _to_decimal(text: str, places: int) -> Decimal:
    """Read 1250000, 1.250.000, 1,250,000, 12.50, 12,50 or 1,25 (decimal comma)."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # the later separator is the decimal one
        if text.rfind(".") > text.rfind(","):
            text = text.replace(",", "")
        else:
            text = text.replace(".", "").replace(",", ".")
    elif dots or commas:
        sep = "." if dots else ","
        head, _, tail = text.rpartition(sep)
        groups = text.split(sep)
        grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if (dots + commas) > 1 or (grouped and places == 0) or (grouped and len(tail) == 3 and places < 3):
            text = text.replace(sep, "")
        else:
            text = head.replace(sep, "") + "." + tail
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise MoneyParseError(text) from exc


def parse_money(raw: str, currency: str = "VND") -> int:
    """Parse an amount typed by staff into minor units; raises MoneyParseError.

    Accepts 1250000, 1.250.000, 1,250,000, "1,25tr", "1.25m", "500k", 12.50 (USD).
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
        if not re.fullmatch(r"[\d.,]+", text):
            raise MoneyParseError(raw)
        value = _to_decimal(text, places)
    if value < 0:
        raise MoneyParseError(raw)
    minor = (value * multiplier).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if (value * multiplier).scaleb(places) != minor and places == 0 and not match:
        raise MoneyParseError(raw)
    return int(minor)
