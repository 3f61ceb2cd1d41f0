"""One catalog for every user-facing string, in English and Vietnamese.

Strings live in `custui/i18n/strings/*.py`, one module per area, each with a
`STRINGS: dict[str, tuple[str, str]]` mapping a key to (English, Vietnamese).
`t("key", name=...)` formats with `str.format`; user text passed as a keyword
stays plain text (the result is a str, render it with markup off).
"""

from __future__ import annotations

import importlib
import pkgutil
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
    return text.format(**values) if values else text


def t_id(prefix: str, value: object) -> str:
    """The name of a configured id ("kind" + "business" -> "Business"); an id the catalog
    does not know (data from an older version or config) shows as itself, not as a key."""
    key = f"{prefix}.{value}"
    return t(key) if key in catalog() else str(value)
