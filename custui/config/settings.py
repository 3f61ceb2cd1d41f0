"""settings.yaml: database path, locale, currency, backups, keymap."""

from __future__ import annotations

from typing import Literal

from babel.numbers import get_currency_precision
from pydantic import Field, field_validator

from custui.config.base import StrictModel


class Settings(StrictModel):
    db: str | None = None
    locale: Literal["en", "vi"] = "en"
    currency: str = "VND"
    backups_kept: int = Field(default=10, ge=0, le=1000)
    theme: str = "textual-dark"
    # binding id (e.g. "lookup.new-customer") -> key (e.g. "ctrl+n")
    keymap: dict[str, str] = Field(default_factory=dict)
    # compact the journal into the database file once it is this big
    journal_compact_mb: int = Field(default=64, ge=1)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        get_currency_precision(code)
        return code
