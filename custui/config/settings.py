"""settings.yaml: database path, locale, currency, backups, keymap."""

from __future__ import annotations

from typing import Literal

from babel.numbers import is_currency
from pydantic import Field, field_validator

from custui.domain.models.base import Loc, StrictModel
from custui.keymap import keymap_problems


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
        """Operator ids are unique; keymap ids are registered bindings and keys Textual key
        names (custui.keymap)."""
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for index, operator in enumerate(self.operators):
            if operator.id in seen:
                found.append((("operators", index, "id"), f"duplicate operator id {operator.id!r}"))
            seen.add(operator.id)
        found += [(("keymap", binding_id), message)
                  for binding_id, message in keymap_problems(self.keymap)]
        return found
