"""segments.yaml: lifecycle thresholds, bands, RFM and custom segment rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field

from custui.domain.enums import KINDS, LIFECYCLES, ROLES, SCOPES
from custui.domain.models.base import Loc, Localized, Money, StrictModel
from custui.domain.rules import split_path, validate_rule

# Segment ids the app computes itself; custom segments may not reuse them, and
# loyalty.yaml voucher rules may name them (`segment: high_value`).
BUILTIN_SEGMENT_IDS: frozenset[str] = frozenset(
    (*LIFECYCLES, *KINDS, *SCOPES, *ROLES, "high_value", "price_sensitive", "top_spenders", "at_risk")
)


class Lifecycle(StrictModel):
    loyal_min_orders: int = Field(default=5, gt=0)
    loyal_window_days: int = Field(default=365, gt=0)
    lapsed_after_days: int = Field(default=180, gt=0)
    expected_lifespan_years: float = Field(default=3.0, gt=0)


class Alive(StrictModel):
    """The BG/NBD model of who is still a customer, and the "at risk" segment built on it."""

    # fewer repeat customers than this: no fit, the lifecycle recency rule is used instead
    min_repeat_customers: int = Field(default=200, ge=10)
    # "at risk": P(alive) below this, with more than one purchase so far
    at_risk_below: float = Field(default=0.3, gt=0, lt=1)
    # expected purchases are counted over this many days
    horizon_days: int = Field(default=90, gt=0)


class Band(StrictModel):
    """A named band over a number: members have value < `below` (the last band has none)."""

    id: str
    name: Localized
    below: float | None = None


class MoneyBand(Band):
    """A band over an amount: `below` is written in major units, held in minor units."""

    below: Money | None = None


class Rfm(StrictModel):
    """RFM scores 1-5 by quintile; groups name score patterns."""

    window_days: int = Field(default=365, gt=0)


class CustomSegment(StrictModel):
    id: str
    name: Localized
    rule: dict[str, Any]


def _band_problems(bands: list[Band] | list[MoneyBand], where: str) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    last = len(bands) - 1
    for index, band in enumerate(bands):
        if band.below is None and index != last:
            found.append(((where, index), "only the last band may leave out `below`"))
        if band.below is not None and index == last:
            found.append(((where, index, "below"), "the last band takes everyone else: remove `below`"))
        if index and band.below is not None:
            prev = bands[index - 1].below
            if prev is not None and band.below <= prev:
                found.append((
                    (where, index, "below"),
                    f"must be greater than the band before ({prev}); list bands from lowest up",
                ))
    return found


class Segments(StrictModel):
    lifecycle: Lifecycle = Lifecycle()
    alive: Alive = Alive()
    # days between orders
    frequency_bands: list[Band] = Field(default_factory=list)
    # average order value, minor units
    aov_bands: list[MoneyBand] = Field(default_factory=list)
    price_sensitive_share: float = Field(default=0.5, gt=0, le=1)
    # the "special list" of high spenders: top share of customers by average order value
    high_value_top_share: float = Field(default=0.2, gt=0, le=1)
    rfm: Rfm = Rfm()
    custom: list[CustomSegment] = Field(default_factory=list)

    def segment_ids(self) -> set[str]:
        """Every segment id a rule elsewhere may name: built-ins, bands and custom segments."""
        return {
            *BUILTIN_SEGMENT_IDS,
            *(band.id for band in self.frequency_bands),
            *(band.id for band in self.aov_bands),
            *(segment.id for segment in self.custom),
        }

    def problems(self) -> list[tuple[Loc, str]]:
        """Band order and segment ids clashing across lists or with built-in segments."""
        found = _band_problems(self.frequency_bands, "frequency_bands")
        found += _band_problems(self.aov_bands, "aov_bands")
        owner: dict[str, str] = {name: "a built-in segment" for name in BUILTIN_SEGMENT_IDS}
        lists: tuple[tuple[str, Sequence[Band | CustomSegment]], ...] = (
            ("frequency_bands", self.frequency_bands),
            ("aov_bands", self.aov_bands),
            ("custom", self.custom),
        )
        for where, items in lists:
            seen_here: set[str] = set()
            for index, item in enumerate(items):
                if item.id in owner and item.id not in seen_here:
                    found.append(((where, index, "id"), f"id {item.id!r} is already {owner[item.id]}"))
                seen_here.add(item.id)
            for index, item in enumerate(items):
                owner.setdefault(item.id, f"used by {where}[{index}]")
        found += self.rule_problems()
        return found

    def rule_problems(self) -> list[tuple[Loc, str]]:
        """Every problem in the custom segment rules, located down to the wrong key."""
        choices = {
            "frequency_band": ["once", *(band.id for band in self.frequency_bands)],
            "aov_band": [band.id for band in self.aov_bands],
        }
        found: list[tuple[Loc, str]] = []
        for index, custom in enumerate(self.custom):
            for path, message in validate_rule(custom.rule, choices=choices):
                found.append((("custom", index, "rule", *split_path(path)), message))
        return found
