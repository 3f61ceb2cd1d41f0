"""loyalty.yaml: points, tiers, voucher rules, referral reward.

Amounts in YAML are in the currency's major unit (VND: dong); the loader
turns them into integer minor units (`Money`) so the domain only sees integers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from custui.domain.models.base import Loc, Localized, Money, StrictModel


class Earn(StrictModel):
    per_amount: Money = Field(default=10_000, gt=0, description="minor units spent per point")
    points: int = Field(default=1, gt=0)


class Tier(StrictModel):
    id: str
    name: Localized
    min_spend: Money = Field(default=0, ge=0, description="minor units within the window")
    min_orders: int = Field(default=0, ge=0)
    multiplier: float = Field(default=1.0, gt=0)
    benefits: Localized | None = None


class VoucherCondition(StrictModel):
    """All conditions given must hold."""

    min_order_total: Money | None = Field(default=None, gt=0)
    segment: str | None = None
    tier: str | None = None
    first_purchase: bool | None = None
    birthday_month: bool | None = None

    def is_empty(self) -> bool:
        return not any(
            (self.min_order_total, self.segment, self.tier, self.first_purchase, self.birthday_month)
        )


class VoucherRule(StrictModel):
    id: str
    name: Localized
    when: VoucherCondition
    amount: Money | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    valid_days: int = Field(default=90, gt=0)

    @model_validator(mode="after")
    def _amount_or_percent(self) -> VoucherRule:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give exactly one of amount or percent")
        return self


class Referral(StrictModel):
    reward_points: int = Field(default=0, ge=0)
    reward_amount: Money | None = Field(default=None, gt=0, description="voucher for the referrer")
    valid_days: int = Field(default=90, gt=0)


class Channel(StrictModel):
    """Where a purchase was made (the purchase form's channel list)."""

    id: str = Field(min_length=1)
    name: Localized


DEFAULT_CHANNELS: tuple[tuple[str, str, str], ...] = (
    ("store", "In store", "Cửa hàng"),
    ("phone", "By phone", "Điện thoại"),
    ("online", "Online", "Trực tuyến"),
    ("other", "Other", "Khác"),
)


def _default_channels() -> list[Channel]:
    return [Channel(id=cid, name=Localized(en=en, vi=vi)) for cid, en, vi in DEFAULT_CHANNELS]


class Loyalty(StrictModel):
    earn: Earn = Earn()
    # the amount points (and voucher rules' min_order_total) are judged on: what the
    # customer paid (total - voucher - points) or the order total before them
    earn_on: Literal["paid", "total"] = "paid"
    point_value: Money = Field(default=100, gt=0, description="minor units one point is worth")
    points_expiry_days: int | None = Field(default=None, gt=0)
    tier_window_days: int = Field(default=365, gt=0)
    # any: meeting min_spend OR min_orders reaches a tier; all: both (0 = threshold unused)
    tier_match: Literal["any", "all"] = "any"
    tiers: list[Tier] = Field(default_factory=list)
    vouchers: list[VoucherRule] = Field(default_factory=list)
    referral: Referral = Referral()
    # purchase channels, in the order the form lists them (the first is the default)
    channels: list[Channel] = Field(default_factory=_default_channels, min_length=1)
    # the purchase form asks before saving a total above this many times the shop's
    # 99th-percentile order total (and the customer's largest order); null: never asks
    unusual_amount_factor: int | None = Field(default=100, gt=1, le=1_000_000)
    # ... and before saving a second order of the same customer and total recorded within
    # this many minutes of the first (a likely double entry); 0: never asks
    double_entry_minutes: int = Field(default=10, ge=0, le=24 * 60)

    def channel_name(self, channel_id: str, locale: str) -> str:
        """The label of a channel id (the id itself when the list does not have it)."""
        for channel in self.channels:
            if channel.id == channel_id:
                return channel.name.get(locale)
        return channel_id

    def problems(self) -> list[tuple[Loc, str]]:
        """Rule problems pydantic cannot see: tier order and references to tiers."""
        found: list[tuple[Loc, str]] = []
        for index in range(1, len(self.tiers)):
            prev, tier = self.tiers[index - 1], self.tiers[index]
            for field in ("min_spend", "min_orders"):
                if getattr(tier, field) < getattr(prev, field):
                    found.append((
                        ("tiers", index, field),
                        f"must not be lower than the tier before ({prev.id!r}: "
                        f"{getattr(prev, field)}); list tiers from lowest to highest",
                    ))
            if (tier.min_spend, tier.min_orders) == (prev.min_spend, prev.min_orders):
                found.append((
                    ("tiers", index),
                    f"same min_spend and min_orders as tier {prev.id!r}; raise one of them",
                ))
        seen_channels: set[str] = set()
        for index, channel in enumerate(self.channels):
            if channel.id in seen_channels:
                found.append((("channels", index, "id"), f"channel {channel.id!r} is listed twice"))
            seen_channels.add(channel.id)
        tier_ids = {tier.id for tier in self.tiers}
        for index, rule in enumerate(self.vouchers):
            if rule.when.is_empty():
                found.append((("vouchers", index, "when"), "give at least one condition"))
            if rule.when.tier is not None and rule.when.tier not in tier_ids:
                found.append((
                    ("vouchers", index, "when", "tier"),
                    f"unknown tier {rule.when.tier!r} (tiers: {', '.join(sorted(tier_ids)) or 'none'})",
                ))
        return found
