"""loyalty.yaml: points, tiers, voucher rules, referral reward.

Amounts in YAML are in the currency's major unit (VND: dong); the loader
turns them into integer minor units so the domain only sees integers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from custui.config.base import Localized, StrictModel


class Earn(StrictModel):
    per_amount: int = Field(default=10_000, gt=0, description="minor units spent per point")
    points: int = Field(default=1, gt=0)


class Tier(StrictModel):
    id: str
    name: Localized
    min_spend: int = Field(default=0, ge=0, description="minor units within the window")
    min_orders: int = Field(default=0, ge=0)
    multiplier: float = Field(default=1.0, gt=0)
    benefits: Localized | None = None


class VoucherCondition(StrictModel):
    """All conditions given must hold."""

    min_order_total: int | None = Field(default=None, gt=0)
    segment: str | None = None
    tier: str | None = None
    first_purchase: bool | None = None
    birthday_month: bool | None = None


class VoucherRule(StrictModel):
    id: str
    name: Localized
    when: VoucherCondition
    amount: int | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    valid_days: int = Field(default=90, gt=0)

    @model_validator(mode="after")
    def _amount_or_percent(self) -> VoucherRule:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give exactly one of amount or percent")
        return self


class Referral(StrictModel):
    reward_points: int = Field(default=0, ge=0)
    reward_amount: int | None = Field(default=None, gt=0, description="voucher for the referrer")
    valid_days: int = Field(default=90, gt=0)


class Loyalty(StrictModel):
    earn: Earn = Earn()
    point_value: int = Field(default=100, gt=0, description="minor units one point is worth")
    points_expiry_days: int | None = Field(default=None, gt=0)
    tier_window_days: int = Field(default=365, gt=0)
    # any: meeting min_spend OR min_orders reaches a tier; all: both (0 = threshold unused)
    tier_match: Literal["any", "all"] = "any"
    tiers: list[Tier] = Field(default_factory=list)
    vouchers: list[VoucherRule] = Field(default_factory=list)
    referral: Referral = Referral()
