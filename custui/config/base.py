"""The strict base every config model uses: unknown keys and wrong types are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Localized(StrictModel):
    """A label in English with an optional Vietnamese version."""

    en: str
    vi: str = ""

    def get(self, locale: str) -> str:
        return self.vi if locale == "vi" and self.vi else self.en
