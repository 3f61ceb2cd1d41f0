"""care.yaml: complaint categories, severities, SLAs, goodwill and follow-up rules."""

from __future__ import annotations

from pydantic import Field

from custui.config.base import Localized, StrictModel


class Category(StrictModel):
    id: str
    name: Localized


class Severity(StrictModel):
    id: str
    name: Localized
    sla_hours: int = Field(gt=0)


class SlaOverride(StrictModel):
    category: str
    severity: str | None = None
    sla_hours: int = Field(gt=0)


class Goodwill(StrictModel):
    points: int = Field(default=0, ge=0)
    voucher_amount: int | None = Field(default=None, gt=0)
    voucher_valid_days: int = Field(default=60, gt=0)


class FollowUps(StrictModel):
    thank_you_days: int | None = Field(default=1, ge=0)
    feedback_request_days: int | None = Field(default=3, ge=0)
    feedback_survey: str = "after_purchase"
    complaint_survey: str | None = "complaint_follow_up"
    winback_days_before_lapse: int | None = Field(default=30, gt=0)
    birthday_days_ahead: int | None = Field(default=7, ge=0)
    snooze_days: int = Field(default=1, gt=0)


class Care(StrictModel):
    complaint_categories: list[Category] = Field(min_length=1)
    severities: list[Severity] = Field(min_length=1)
    sla_overrides: list[SlaOverride] = Field(default_factory=list)
    goodwill: Goodwill = Goodwill()
    follow_ups: FollowUps = FollowUps()
