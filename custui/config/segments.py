"""segments.yaml: lifecycle thresholds, bands, RFM and custom segment rules."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from custui.config.base import Localized, StrictModel


class Lifecycle(StrictModel):
    loyal_min_orders: int = Field(default=5, gt=0)
    loyal_window_days: int = Field(default=365, gt=0)
    lapsed_after_days: int = Field(default=180, gt=0)
    expected_lifespan_years: float = Field(default=3.0, gt=0)


class Band(StrictModel):
    """A named band over a number: members have value < `below` (the last band has none)."""

    id: str
    name: Localized
    below: float | None = None


class Rfm(StrictModel):
    """RFM scores 1-5 by quintile; groups name score patterns."""

    window_days: int = Field(default=365, gt=0)


class CustomSegment(StrictModel):
    id: str
    name: Localized
    rule: dict[str, Any]


class Segments(StrictModel):
    lifecycle: Lifecycle = Lifecycle()
    # days between orders
    frequency_bands: list[Band] = Field(default_factory=list)
    # average order value, minor units
    aov_bands: list[Band] = Field(default_factory=list)
    price_sensitive_share: float = Field(default=0.5, gt=0, le=1)
    # the "special list" of high spenders: top share of customers by average order value
    high_value_top_share: float = Field(default=0.2, gt=0, le=1)
    rfm: Rfm = Rfm()
    custom: list[CustomSegment] = Field(default_factory=list)
