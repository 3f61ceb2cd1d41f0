"""settings.yaml: database path, locale, currency, backups, keymap."""

from __future__ import annotations

import difflib
import importlib
import unicodedata
from typing import Literal

from babel.numbers import is_currency
from pydantic import Field, field_validator

from custui.config.base import Loc, StrictModel

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# named keys as Textual spells them (textual.keys.Keys, without modifiers)
NAMED_KEYS = frozenset(
    (
        "escape", "enter", "return", "tab", "backspace", "delete", "insert", "home", "end",
        "up", "down", "left", "right", "pageup", "pagedown", "space",
        "slash", "backslash", "at", "minus", "plus", "underscore",
        *(f"f{number}" for number in range(1, 25)),
    )
)


def key_problem(keys: str) -> str | None:
    """Why `keys` is not a Textual key spec ("ctrl+n", "f2", "n", "ctrl+n,f2"), or None.

    Kept free of Textual so the config layer does not import it; mirrors
    textual.keys: modifiers joined by "+", then a named key, one character,
    or a Unicode character name with underscores ("question_mark").
    """
    if not keys.strip():
        return "empty key"
    for key in keys.split(","):
        key = key.strip()
        problem = _one_key_problem(key)
        if problem:
            lower = key.lower()
            if lower != key and _one_key_problem(lower) is None:
                problem += f"; did you mean {lower!r}?"
            return f"{key!r}: {problem}"
    return None


def _one_key_problem(key: str) -> str | None:
    *modifiers, base = key.split("+")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"unknown modifier {modifier!r} (use {', '.join(MODIFIERS)})"
    if len(set(modifiers)) != len(modifiers):
        return "a modifier is repeated"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        if modifiers and not base.isalnum():
            return f"with a modifier, write the key's name (e.g. ctrl+question_mark), not {base!r}"
        return None
    if base in NAMED_KEYS or (base == base.lower() and _unicode_name(base)):
        return None
    return f"unknown key {base!r} (e.g. ctrl+n, f2, n, escape, question_mark)"


def _unicode_name(name: str) -> bool:
    try:
        return len(unicodedata.lookup(name.replace("_", " ").upper())) == 1
    except KeyError:
        return False


def known_binding_ids() -> frozenset[str] | None:
    """Binding ids from custui.keymap.KNOWN_BINDING_IDS, or None when there is no registry."""
    try:
        module = importlib.import_module("custui.keymap")
    except ImportError:
        return None
    ids = getattr(module, "KNOWN_BINDING_IDS", None)
    return frozenset(ids) if ids is not None else None


class Operator(StrictModel):
    """A member of staff: `custui --operator ID` (or $CUSTUI_OPERATOR, or the OS user)."""

    id: str = Field(min_length=1)
    role: Literal["clerk", "manager"]
    # a salted scrypt hash written by `custui config set-pin ID`; never the PIN itself
    pin_hash: str | None = None

    @field_validator("pin_hash")
    @classmethod
    def _hash_only(cls, value: str | None) -> str | None:
        from custui.domain.pins import looks_like_pin_hash

        if value is not None and not looks_like_pin_hash(value):
            raise ValueError("not a PIN hash: write it with `custui config set-pin ID`, never the PIN itself")
        return value


class Settings(StrictModel):
    db: str | None = None
    locale: Literal["en", "vi"] = "en"
    currency: str = "VND"
    backups_kept: int = Field(default=10, ge=0, le=1000)
    # backups older than this many days are deleted when the database opens (None: kept)
    backup_retention_days: int | None = Field(default=30, ge=1, le=3650)
    theme: str = "textual-dark"
    # binding id (e.g. "lookup.new-customer") -> key (e.g. "ctrl+n")
    keymap: dict[str, str] = Field(default_factory=dict)
    # compact the journal into the database file once it is this big
    journal_compact_mb: int = Field(default=64, ge=1)
    # staff and their roles; none: the one user of a single-user shop has every right
    operators: list[Operator] = Field(default_factory=list)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.upper()
        if len(code) != 3 or not code.isalpha() or not is_currency(code):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code (e.g. VND, USD)")
        return code

    def problems(self) -> list[tuple[Loc, str]]:
        """Keymap keys must be Textual key names and ids known bindings (when registered);
        operator ids are unique."""
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for index, operator in enumerate(self.operators):
            if operator.id in seen:
                found.append((("operators", index, "id"), f"duplicate operator id {operator.id!r}"))
            seen.add(operator.id)
        known = known_binding_ids() if self.keymap else None
        for binding_id, keys in self.keymap.items():
            if known is not None and binding_id not in known:
                close = difflib.get_close_matches(binding_id, sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                found.append((
                    ("keymap", binding_id),
                    f"unknown binding id {binding_id!r} (F1 lists them){hint}",
                ))
            problem = key_problem(keys)
            if problem:
                found.append((("keymap", binding_id), problem))
        return found
