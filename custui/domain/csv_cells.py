"""One CSV cell into a value: dates, amounts, yes/no, choices; spreadsheet-formula guarding."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from custui.domain.dates import DateOutOfRange, check_day
from custui.domain.enums import GENDERS, KINDS, LIFECYCLES, ROLES, SCOPES, SOURCES
from custui.domain.money import (
    MAX_AMOUNT,
    AmountTooLarge,
    MoneyParseError,
    check_amount,
    decimals,
    parse_money,
    plain_amount,
)
from custui.domain.text import fold, is_ascii_digits


class RowError(ValueError):
    """One field of one row is unusable; the message is the reason shown to the user."""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a quote."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` so exported files import back unchanged."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


_DMY = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$")


def parse_date(raw: str, date_format: str | None = None) -> str:
    """ISO (1997-01-12, with or without a time), dd/mm/yyyy, or `date_format`; returns ISO.

    Years outside MIN_YEAR..MAX_YEAR (custui.domain.dates) are refused.
    """
    text = raw.strip()
    if not text:
        raise RowError("the date is empty")
    day = _read_date(text, date_format)
    try:
        return check_day(day).isoformat()
    except DateOutOfRange as exc:
        raise RowError(f"bad date {text!r}: {exc}") from None


def _read_date(text: str, date_format: str | None) -> date:
    if date_format:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            pass
    if text.isascii():
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            if len(text) > 10 and text[10] in "T ":
                return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise RowError(f"bad date {text!r}: {exc}") from None
    hint = f" or {date_format}" if date_format else "; use --date-format for others"
    raise RowError(f"bad date {text!r}: expected YYYY-MM-DD or DD/MM/YYYY{hint}")


@cache
def _places(currency: str) -> int:
    return decimals(currency)


def parse_amount(raw: str, currency: str) -> int:
    """An amount in the currency's major unit into minor units (no negatives, ASCII digits,
    at most MAX_AMOUNT minor units)."""
    text = raw.strip()
    try:
        if is_ascii_digits(text):
            return check_amount(int(text) * 10 ** _places(currency))
        return parse_money(text, currency)
    except AmountTooLarge:
        largest = plain_amount(MAX_AMOUNT, currency)
        raise RowError(f"bad amount {_cut(text)!r}: more than {largest} {currency}") from None
    except MoneyParseError:
        places = _places(currency)
        expected = "a whole number" if places == 0 else f"a number with up to {places} decimals"
        raise RowError(f"bad amount {_cut(text)!r}: expected {expected} in {currency}") from None


def parse_count(raw: str, name: str) -> int:
    """A whole number of things (points): ASCII digits, at most MAX_AMOUNT."""
    text = raw.strip()
    if not is_ascii_digits(text):
        raise RowError(f"bad {name} {_cut(text)!r}: expected a whole number")
    if len(text) > 15 or int(text) > MAX_AMOUNT:
        raise RowError(f"bad {name} {_cut(text)!r}: more than {MAX_AMOUNT:,}")
    return int(text)


def _cut(text: str, limit: int = 40) -> str:
    """A cell quoted in a message: long ones shortened so the message stays readable."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TRUE = {"1", "true", "yes", "y", "x", "co", "c", "dung", "t"}
_FALSE = {"0", "false", "no", "n", "khong", "k", "sai", "f", ""}


def parse_bool(raw: str, name: str) -> bool:
    value = fold(raw)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowError(f"bad {name} {raw.strip()!r}: expected yes or no")


_CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "kind": {"ca nhan": "individual", "person": "individual", "doanh nghiep": "business",
             "company": "business", "organisation": "business", "organization": "business",
             "to chuc": "business", "cong ty": "business"},
    "scope": {"ben ngoai": "external", "noi bo": "internal"},
    "role": {"end user": "end_user", "user": "end_user", "nguoi dung": "end_user",
             "nguoi mua": "buyer", "dai ly": "agent", "reseller": "agent",
             "nha cung cap": "supplier", "phong ban": "department"},
    "gender": {"f": "female", "nu": "female", "m": "male", "nam": "male", "khac": "other"},
    "source": {"walk in": "walk_in", "bought data": "bought_data", "gioi thieu": "referral"},
}
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": KINDS, "scope": SCOPES, "role": ROLES, "gender": GENDERS, "source": SOURCES,
    "status_override": LIFECYCLES,
}


def parse_choice(raw: str, name: str) -> str:
    value = fold(raw)
    choices = CHOICES[name]
    if value.replace(" ", "_") in choices:
        return value.replace(" ", "_")
    mapped = _CHOICE_ALIASES.get(name, {}).get(value)
    if mapped:
        return mapped
    raise RowError(f"bad {name} {raw.strip()!r}: expected one of {', '.join(c for c in choices if c)}")
