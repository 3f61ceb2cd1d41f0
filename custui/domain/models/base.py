"""The strict base every config model uses: unknown keys and wrong types are errors.

Amounts: YAML holds money in the currency's major unit (VND dong, USD dollars);
the `Money` type turns it into integer minor units when the loader passes the
currency in the pydantic validation context (`{"currency": "USD"}`). Without a
context (models built in Python, e.g. in tests) the value must already be an int
in minor units and is kept as is.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from custui.domain.money import MAX_AMOUNT, decimals, plain_amount

# where in a config file something is: ("tiers", 2, "min_spend")
Loc = tuple[str | int, ...]


class StrictModel(BaseModel):
    # strict: "5" is not an int and "yes" is not a bool; YAML already gives real types
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    def problems(self) -> list[tuple[Loc, str]]:
        """Rule problems beyond field types (order, references); overridden per file model."""
        return []


class Localized(StrictModel):
    """A label in English with an optional Vietnamese version.

    A plain string is accepted as the English label.
    """

    en: str
    vi: str = ""

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, data: Any) -> Any:
        return {"en": data} if isinstance(data, str) else data

    def get(self, locale: str) -> str:
        return self.vi if locale == "vi" and self.vi else self.en


def _to_minor_units(value: Any, info: ValidationInfo) -> Any:
    """Scale a major-unit amount to integer minor units of the context currency."""
    currency = (info.context or {}).get("currency")
    if currency is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError(
            "money_type",
            "write an amount as a plain number without thousands separators, e.g. 1000000",
        )
    try:
        major = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - str(float) always parses
        raise PydanticCustomError("money_type", "not a number") from exc
    if not major.is_finite():
        raise PydanticCustomError("money_type", "an amount must be a finite number")
    places = decimals(currency)
    minor = major.scaleb(places)
    if minor != minor.to_integral_value():
        if places == 0:
            raise PydanticCustomError(
                "money_precision", "{currency} amounts are whole numbers", {"currency": currency}
            )
        raise PydanticCustomError(
            "money_precision",
            "{currency} amounts have at most {places} decimal places",
            {"currency": currency, "places": places},
        )
    if abs(minor) > MAX_AMOUNT:
        raise PydanticCustomError(
            "money_too_large", "an amount may be at most {largest} {currency}",
            {"largest": plain_amount(MAX_AMOUNT, currency), "currency": currency},
        )
    return int(minor)


# Integer minor units of the configured currency; written in major units in YAML.
Money = Annotated[int, BeforeValidator(_to_minor_units)]

