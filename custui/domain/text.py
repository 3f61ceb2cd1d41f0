"""Folding text for Vietnamese-aware search and normalising phone numbers."""

from __future__ import annotations

import re
import unicodedata

_NON_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ/Đ become d), collapse spaces.

    >>> fold("Nguyễn Thị Ánh  ĐẶNG")
    'nguyen thi anh dang'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize_phone(raw: str) -> str:
    """Digits only, with a Vietnamese +84/84 prefix turned into a leading 0.

    >>> normalize_phone("+84 90.123-4567")
    '0901234567'
    """
    digits = _NON_DIGIT.sub("", raw or "")
    if raw.strip().startswith("+84") or (digits.startswith("84") and len(digits) >= 11):
        digits = "0" + digits[2:]
    return digits


def is_ascii_digits(text: str) -> bool:
    """Only 0-9 (str.isdigit() also takes "²" and "٣", which int() then reads or rejects)."""
    return text.isascii() and text.isdigit()


PHONE_RE = re.compile(r"^\+?[\d\s().\-]{8,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_valid_phone(raw: str) -> bool:
    digits = normalize_phone(raw)
    return bool(PHONE_RE.match(raw.strip())) and 9 <= len(digits) <= 12


def is_valid_email(raw: str) -> bool:
    return bool(EMAIL_RE.match(raw.strip()))


def new_customer_prefill(query: str) -> dict[str, str]:
    """A search that found nobody, as the start of a new customer: a phone, an e-mail or a name.

    >>> new_customer_prefill(" 0909 111 222 ")
    {'phone': '0909 111 222'}
    >>> new_customer_prefill("Lý Thu Hà")
    {'name': 'Lý Thu Hà'}
    """
    text = query.strip()
    if not text:
        return {}
    if is_valid_phone(text):
        return {"phone": text}
    if is_valid_email(text):
        return {"email": text}
    if any(ch.isalpha() for ch in text) and "@" not in text:
        return {"name": text}
    return {}


def strip_control(text: str) -> str:
    """Remove control characters (escape codes and the like) for display; keeps the rest.

    Space separators (the no-break space babel puts in "1.250.000\u00a0₫") are kept:
    str.isprintable() calls them unprintable, but they are plain spaces on screen.
    """
    return "".join(ch if _shown(ch) else "\ufffd" for ch in text)


_LINE_BREAKS = re.compile(r"(\r\n|\n|\t)")


def terminal_text(text: str) -> str:
    """`strip_control` for a terminal that shows lines: keeps newlines (\n, \r\n) and tabs,
    replaces every other control character (ESC, BEL, C1, lone CR...)."""
    return "".join(part if i % 2 else strip_control(part) for i, part in enumerate(_LINE_BREAKS.split(text)))


# bidirectional overrides and isolates can make text read differently from what is stored
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> bool:
    """Printable, a space, or an invisible joiner that builds emoji and scripts (ZWJ, ZWNJ)."""
    if ch.isprintable() or ch == " ":
        return True
    category = unicodedata.category(ch)
    return category == "Zs" or (category == "Cf" and ch not in _BIDI_CONTROLS)
