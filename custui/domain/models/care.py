"""care.yaml: complaint categories, severities, SLAs, goodwill and follow-up rules."""

from __future__ import annotations

from pydantic import Field

from custui.domain.models.base import Loc, Localized, Money, StrictModel


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
    voucher_amount: Money | None = Field(default=None, gt=0)
    voucher_valid_days: int = Field(default=60, gt=0)


class FollowUps(StrictModel):
    thank_you_days: int | None = Field(default=1, ge=0)
    feedback_request_days: int | None = Field(default=3, ge=0)
    feedback_survey: str = "after_purchase"
    complaint_survey: str | None = "complaint_follow_up"
    winback_days_before_lapse: int | None = Field(default=30, gt=0)
    # with the P(alive) model: at most this many win-back rows a day, most value at risk first
    winback_max_rows: int = Field(default=20, gt=0)
    birthday_days_ahead: int | None = Field(default=7, ge=0)
    snooze_days: int = Field(default=1, gt=0)
    # a thank-you or feedback request not done stays in the queue this many days after it is due
    keep_days: int = Field(default=7, ge=0)


class Detractors(StrictModel):
    """Which survey answers get a call-back, and how soon (null turns a threshold off)."""

    nps_max: int | None = Field(default=6, ge=0, le=10)
    rating_max: int | None = Field(default=2, ge=1, le=5)
    call_back_hours: int = Field(default=24, gt=0)
    keep_days: int = Field(default=30, gt=0)


class Care(StrictModel):
    complaint_categories: list[Category] = Field(min_length=1)
    severities: list[Severity] = Field(min_length=1)
    sla_overrides: list[SlaOverride] = Field(default_factory=list)
    goodwill: Goodwill = Goodwill()
    follow_ups: FollowUps = FollowUps()
    detractors: Detractors = Detractors()

    def problems(self) -> list[tuple[Loc, str]]:
        """SLA overrides must name known categories and severities, once each."""
        found: list[tuple[Loc, str]] = []
        categories = [category.id for category in self.complaint_categories]
        severities = [severity.id for severity in self.severities]
        seen: dict[tuple[str, str | None], int] = {}
        for index, override in enumerate(self.sla_overrides):
            if override.category not in categories:
                found.append((
                    ("sla_overrides", index, "category"),
                    f"unknown category {override.category!r} (categories: {', '.join(categories)})",
                ))
            if override.severity is not None and override.severity not in severities:
                found.append((
                    ("sla_overrides", index, "severity"),
                    f"unknown severity {override.severity!r} (severities: {', '.join(severities)})",
                ))
            first = seen.setdefault((override.category, override.severity), index)
            if first != index:
                found.append((
                    ("sla_overrides", index),
                    f"same category and severity as sla_overrides[{first}]",
                ))
        return found

    def sla_hours(self, category: str, severity: str) -> int:
        """Hours allowed for a complaint: the most specific override, else the severity's."""
        general: int | None = None
        for override in self.sla_overrides:
            if override.category == category and override.severity == severity:
                return override.sla_hours
            if override.category == category and override.severity is None:
                general = override.sla_hours
        if general is not None:
            return general
        for level in self.severities:
            if level.id == severity:
                return level.sla_hours
        raise KeyError(severity)
