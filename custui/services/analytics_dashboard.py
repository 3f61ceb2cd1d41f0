"""Dashboard figures for a period and the one before it, plus monthly series for charts.

Definitions (periods are inclusive date ranges):
- active customers: customers with a non-void order in the period;
- new customers: customers whose first ever order falls in the period;
- retention: of the customers active in the previous period (same number of
  calendar months, else of days), the
  share also active in this one (1000 active before, 700 of them again -> 70 %);
  churn = 1 - retention; None when nobody was active before;
- revenue, orders, AOV: over non-void orders dated in the period;
- revenue by lifecycle: period revenue by each customer's lifecycle group today;
  new-customer revenue: from customers whose first order is in the period;
- pareto share: share of period revenue from the top 20 % of active customers;
- average CLV: over the period's active customers;
- NPS (promoters 9-10 minus detractors 0-6, in points) and average rating (1-5)
  from the feedback given in the period, read by the question types in surveys.yaml;
- complaints: opened in the period, by category; SLA breaches: those whose
  due_at passed before they were resolved (or is past now while still open);
- detractors called back: of the period's detractor responses (care.yaml thresholds)
  whose call-back is due or done, the share called back by the due time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cached_property
from math import ceil, fsum
from typing import Any, NamedTuple

import numpy as np

from custui.domain import metrics
from custui.domain.detractors import (
    CallBackShare,
    Detractor,
    DetractorRule,
    called_back_in_time,
    detractors,
    done_times,
)
from custui.domain.enums import LIFECYCLES
from custui.domain.periods import Span, previous_span
from custui.domain.segments import TOP_SPENDERS_SHARE
from custui.domain.survey import nps_score
from custui.services.analytics_base import Base, IntArray
from custui.services.analytics_columns import BoolArray
from custui.store.base import records_with

SERIES_MONTHS = 12


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    active_customers: int
    new_customers: int
    retention: float | None  # 0-1, versus the period before
    churn: float | None
    revenue: int  # minor units
    orders: int
    aov: float | None
    revenue_by_lifecycle: dict[str, int]
    revenue_share_by_lifecycle: dict[str, float]
    new_customer_revenue: int
    returning_revenue_share: float | None  # revenue from customers who had bought before
    pareto_share: float | None  # share of revenue from the top 20 % of active customers
    avg_clv: float | None
    nps: float | None  # -100..100
    nps_responses: int
    avg_rating: float | None  # 1-5
    rating_responses: int
    complaints: int
    complaints_by_category: dict[str, int]
    sla_breaches: int
    detractors: int = 0  # detractor responses in the period whose call-back is due or done
    called_back: float | None = None  # share of them called back by the due time


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "2026-11"
    revenue: int
    orders: int
    active_customers: int
    new_customers: int
    retention: float | None  # of the customers active the month before
    complaints_by_category: dict[str, int]


@dataclass(frozen=True)
class DashboardFigures:
    current: PeriodFigures
    previous: PeriodFigures
    months: tuple[MonthFigures, ...]  # oldest first, at least 12, ending with `current.end`'s month
    lifecycle_counts: dict[str, int]  # customers per lifecycle group today
    customers: int  # customers on file (not archived)
    categories: tuple[str, ...] = field(default=())  # complaint categories, care.yaml order

    def change(self, name: str) -> float | None:
        """Relative change of a numeric figure from the previous period (0.1 = +10 %)."""
        now: float | None = getattr(self.current, name)
        before: float | None = getattr(self.previous, name)
        if now is None or before is None or before == 0:
            return None
        return (now - before) / abs(before)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period before [start, end]: the previous month/quarter/year for whole calendar
    months, else the same number of days (domain.periods.previous_span)."""
    before = previous_span(Span(start, end))
    return before.start, before.end


def month_start(day: date, back: int = 0) -> date:
    """First day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return month_start(first, -1) - timedelta(days=1)


class Records:
    """Feedback and complaints by date, and what a period reads from them (answers, detractors),
    for one state of those tables: kept across revisions while only orders or customers change
    (Analytics keys it on the derived snapshot's feedback and complaints versions)."""

    def __init__(self, base: Base) -> None:
        self.base = base
        surveys = base.config.surveys.surveys
        self.question_types = {(s.id, q.id): q.type for s in surveys for q in s.questions}
        self.survey_types = {s.id: {q.id: q.type for q in s.questions} for s in surveys}
        rule = base.config.care.detractors
        self.detractor_rule = DetractorRule(rule.nps_max, rule.rating_max, rule.call_back_hours, rule.keep_days)
        self._answers: dict[tuple[date, date], tuple[list[int], list[int]]] = {}
        self._detractors: dict[tuple[date, date], list[Detractor]] = {}
        self._nps: dict[tuple[date, date], float | None] = {}
        self._by_month: dict[tuple[date, date, tuple[str, ...]], dict[str, dict[str, int]]] = {}
        self._care_done: tuple[int, dict[str, str]] | None = None
        self._called: dict[tuple[date, date, str, int], CallBackShare] = {}
        self._complaints: dict[tuple[date, date, str], ComplaintFigures] = {}

    @cached_property
    def feedback(self) -> tuple[list[str], list[dict[str, Any]]]:
        docs = sorted(self.base.feedback, key=lambda d: d.get("created_at") or "")
        return [d.get("created_at") or "" for d in docs], docs

    @cached_property
    def complaints(self) -> tuple[list[str], list[dict[str, Any]]]:
        docs = sorted(self.base.complaints, key=lambda d: d.get("opened_at") or "")
        return [d.get("opened_at") or "" for d in docs], docs

    def answers(self, start: date, end: date) -> tuple[list[int], list[int]]:
        """NPS scores and ratings answered in [start, end]."""
        found = self._answers.get((start, end))
        if found is None:
            found = self._answers[(start, end)] = self._read_answers(start, end)
        return found

    def _read_answers(self, start: date, end: date) -> tuple[list[int], list[int]]:
        nps: list[int] = []
        ratings: list[int] = []
        types = self.question_types
        for doc in slice_by_date(*self.feedback, start, end):
            survey = doc.get("survey_id")
            if not isinstance(survey, str):
                continue
            for question, value in (doc.get("answers") or {}).items():
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                kind = types.get((survey, question))
                if kind == "nps" and 0 <= value <= 10:
                    nps.append(value)
                elif kind == "rating" and 1 <= value <= 5:
                    ratings.append(value)
        return nps, ratings

    def complaints_by_month(self, first: date, after: date, categories: tuple[str, ...]
                            ) -> dict[str, dict[str, int]]:
        """"YYYY-MM" -> complaints opened that month by category, from `first` up to `after`
        (excluded); months without complaints left out."""
        key = (first, after, categories)
        found = self._by_month.get(key)
        if found is None:
            keys, docs = self.complaints
            found = self._by_month[key] = {}
            for complaint in docs[bisect_left(keys, first.isoformat()):bisect_left(keys, after.isoformat())]:
                month = complaint["opened_at"][:7]
                bucket = found.get(month)
                if bucket is None:
                    bucket = found[month] = dict.fromkeys(categories, 0)
                category = complaint.get("category") or ""
                bucket[category] = bucket.get(category, 0) + 1
        return found

    def nps(self, start: date, end: date) -> float | None:
        """The NPS of the answers given in [start, end]."""
        key = (start, end)
        if key not in self._nps:
            self._nps[key] = nps_score(self.answers(start, end)[0])
        return self._nps[key]

    def care_done(self, interactions: int) -> dict[str, str]:
        """care_key -> when the care-queue item was first marked done, read again when
        `interactions` (the count of interaction writes seen) moves."""
        found = self._care_done
        if found is None or found[0] != interactions:
            # only the marks (with a care_key) are read, not every interaction
            marks = records_with(self.base.store, "interactions", ("care_key",))
            found = self._care_done = (interactions, done_times(marks))
        return found[1]

    def called_back(self, start: date, end: date, now_iso: str, interactions: int) -> CallBackShare:
        """Of the period's detractors whose call-back is due or done, those called back in time."""
        key = (start, end, now_iso, interactions)
        found = self._called.get(key)
        if found is None:
            found = self._called[key] = called_back_in_time(
                self.detractors(start, end), self.care_done(interactions), datetime.fromisoformat(now_iso))
        return found

    def complaint_figures(self, start: date, end: date, now_iso: str, categories: tuple[str, ...]
                          ) -> ComplaintFigures:
        """Complaints opened in the period: how many, by category, and SLA breaches by `now_iso`."""
        key = (start, end, now_iso)
        found = self._complaints.get(key)
        if found is None:
            complaints = slice_by_date(*self.complaints, start, end)
            by_category = dict.fromkeys(categories, 0)
            for complaint in complaints:
                category = complaint.get("category") or ""
                by_category[category] = by_category.get(category, 0) + 1
            breaches = sum(1 for c in complaints if breached(c, now_iso))
            found = self._complaints[key] = ComplaintFigures(len(complaints), by_category, breaches)
        return found

    def detractors(self, start: date, end: date) -> list[Detractor]:
        """The detractor responses given in [start, end]."""
        found = self._detractors.get((start, end))
        if found is None:
            found = self._detractors[(start, end)] = detractors(
                slice_by_date(*self.feedback, start, end), self.survey_types, self.detractor_rule)
        return found


class ComplaintFigures(NamedTuple):
    opened: int
    by_category: dict[str, int]
    breaches: int


def breached(complaint: dict[str, Any], now_iso: str) -> bool:
    """Whether a complaint's due time passed before it was resolved (or by `now_iso`, still open)."""
    due = complaint.get("due_at")
    if not due:
        return False
    resolved = complaint.get("resolved_at")
    if resolved:
        return bool(resolved > due)
    return complaint.get("status") in ("open", "in_progress") and bool(now_iso > due)


Active = set[int] | BoolArray  # a period's active customers: ids, or a flag per id


def retention_of(before: Active, now: Active) -> metrics.Retention:
    """metrics.retention over sets or flags per id."""
    if isinstance(before, np.ndarray) and isinstance(now, np.ndarray):
        return metrics.Retention(base=int(np.count_nonzero(before)), retained=int(np.count_nonzero(before & now)))
    return metrics.retention(_as_set(before), _as_set(now))


def _as_set(active: Active) -> set[int]:
    return set(np.flatnonzero(active).tolist()) if isinstance(active, np.ndarray) else active


def _count(active: Active) -> int:
    return int(np.count_nonzero(active)) if isinstance(active, np.ndarray) else len(active)


def slice_by_date(keys: list[str], docs: list[dict[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
    """The docs whose (sorted) ISO date keys fall in [start, end]."""
    lo = bisect_left(keys, start.isoformat())
    hi = bisect_left(keys, (end + timedelta(days=1)).isoformat())
    return docs[lo:hi]


class Dashboard:
    """Period figures over one snapshot (`records`: the feedback and complaints views to reuse,
    when those tables did not change since they were made)."""

    def __init__(self, base: Base, now_iso: str, records: Records | None = None, interactions: int = 0) -> None:
        self.base = base
        self.now_iso = now_iso
        self.interactions = interactions  # interaction writes seen (when the call-backs are re-read)
        self.records = records if records is not None else Records(base)
        self.question_types = self.records.question_types
        self.survey_types = self.records.survey_types
        self.detractor_rule = self.records.detractor_rule
        self.categories = tuple(c.id for c in base.config.care.complaint_categories)

    @cached_property
    def first_orders(self) -> list[int] | IntArray:
        """Sorted day ordinals of every customer's first order."""
        cols = self.base.cols
        if cols is not None:
            return np.sort(cols.first_day[cols.buyer])
        return sorted(s.order_days[0] for s in self.base.stats.values() if s.order_days)

    @property
    def feedback(self) -> tuple[list[str], list[dict[str, Any]]]:
        return self.records.feedback

    @property
    def complaints(self) -> tuple[list[str], list[dict[str, Any]]]:
        return self.records.complaints

    def _slice(self, keys: list[str], docs: list[dict[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
        return slice_by_date(keys, docs, start, end)

    def new_customers(self, start: date, end: date) -> int:
        keys = self.first_orders
        if isinstance(keys, np.ndarray):
            return int(np.searchsorted(keys, end.toordinal(), "right") - np.searchsorted(keys, start.toordinal()))
        return bisect_right(keys, end.toordinal()) - bisect_left(keys, start.toordinal())

    def breached(self, complaint: dict[str, Any]) -> bool:
        return breached(complaint, self.now_iso)

    def period(self, start: date, end: date, before: Active | None = None) -> tuple[PeriodFigures, Active]:
        """Figures for [start, end] and its active customers."""
        base = self.base
        if before is None:
            before = base.active(*previous_period(start, end))
        days = base.day_range(start, end)
        revenue = sum(base.day_revenue[k] for k in days)
        orders = sum(len(base.day_cids[k]) for k in days)
        columns = base.spend_columns(start, end)
        active: Active
        if columns is None:
            spend = base.spend_by_customer(start, end)
            active = set(spend)
            by_lifecycle, new_revenue = self._by_lifecycle(spend, start, end)
            clv = [base.clv[cid] for cid in active if cid in base.clv]
            top_share = pareto_share(spend, TOP_SPENDERS_SHARE) if revenue else None
        else:
            ids, sums = columns
            active = base.flags(ids)
            by_lifecycle, new_revenue, clv = self._sums(ids, sums, start, end)
            top_share = pareto_share_of(sums, TOP_SPENDERS_SHARE) if revenue else None
        nps, ratings = self._answers(start, end)
        complaints = self.records.complaint_figures(start, end, self.now_iso, self.categories)
        kept = retention_of(before, active)
        called = self.records.called_back(start, end, self.now_iso, self.interactions)
        figures = PeriodFigures(
            start=start,
            end=end,
            active_customers=_count(active),
            new_customers=self.new_customers(start, end),
            retention=kept.rate,
            churn=kept.churn,
            revenue=revenue,
            orders=orders,
            aov=revenue / orders if orders else None,
            revenue_by_lifecycle=by_lifecycle,
            revenue_share_by_lifecycle={k: v / revenue if revenue else 0.0 for k, v in by_lifecycle.items()},
            new_customer_revenue=new_revenue,
            returning_revenue_share=(revenue - new_revenue) / revenue if revenue else None,
            pareto_share=top_share,
            avg_clv=fsum(clv) / len(clv) if clv else None,  # exactly rounded: in any order the same
            nps=self.records.nps(start, end),
            nps_responses=len(nps),
            avg_rating=sum(ratings) / len(ratings) if ratings else None,
            rating_responses=len(ratings),
            complaints=complaints.opened,
            complaints_by_category=dict(complaints.by_category),
            sla_breaches=complaints.breaches,
            detractors=called.detractors,
            called_back=called.share,
        )
        return figures, active

    def _by_lifecycle(self, spend: dict[int, int], start: date, end: date) -> tuple[dict[str, int], int]:
        """Period revenue by lifecycle group today, and the part from customers new in the period."""
        base = self.base
        by_lifecycle = dict.fromkeys(LIFECYCLES, 0)
        lifecycle = base.lifecycle
        first_day, last_day = start.toordinal(), end.toordinal()
        new_revenue = 0
        for cid, amount in spend.items():
            group = lifecycle.get(cid)
            if group is not None:
                by_lifecycle[group] = by_lifecycle.get(group, 0) + amount
            stats = base.stats.get(cid)
            if stats is not None and first_day <= stats.order_days[0] <= last_day:
                new_revenue += amount
        return by_lifecycle, new_revenue

    def _sums(self, ids: IntArray, sums: IntArray, start: date, end: date
              ) -> tuple[dict[str, int], int, list[float]]:
        """_by_lifecycle and the active customers' CLVs on the per-id columns (the same integers;
        the CLVs are summed exactly rounded, so their order does not matter)."""
        by_cid = self.base.by_cid
        assert by_cid is not None
        codes = by_cid.lifecycle[ids]
        by_lifecycle = {name: int(sums[codes == i].sum()) for i, name in enumerate(LIFECYCLES)}
        first = by_cid.first_day[ids]
        new_revenue = int(sums[(first >= start.toordinal()) & (first <= end.toordinal())].sum())
        clv = by_cid.clv[ids]
        return by_lifecycle, new_revenue, clv[~np.isnan(clv)].tolist()

    def _answers(self, start: date, end: date) -> tuple[list[int], list[int]]:
        """NPS scores and ratings answered in the period."""
        return self.records.answers(start, end)

    def months(self, start: date, end: date) -> tuple[MonthFigures, ...]:
        """One point per month from the period's first month (at least 12 months back)."""
        base = self.base
        first = min(month_start(start), month_start(end, SERIES_MONTHS - 1))
        count = (end.year * 12 + end.month) - (first.year * 12 + first.month) + 1
        per_month = self.records.complaints_by_month(first, month_start(end, -1), self.categories)
        points: list[MonthFigures] = []
        before = base.active(month_start(first, 1), first - timedelta(days=1))
        for back in range(count - 1, -1, -1):
            m_start = month_start(end, back)
            m_end = month_end(m_start)
            days = base.day_range(m_start, m_end)
            active = base.active(m_start, m_end)
            key = m_start.isoformat()[:7]
            points.append(MonthFigures(
                month=key,
                revenue=sum(base.day_revenue[k] for k in days),
                orders=sum(len(base.day_cids[k]) for k in days),
                active_customers=_count(active),
                new_customers=self.new_customers(m_start, m_end),
                retention=retention_of(before, active).rate,
                complaints_by_category=dict(per_month.get(key) or dict.fromkeys(self.categories, 0)),
            ))
            before = active
        return tuple(points)

    def lifecycle_counts(self) -> dict[str, int]:
        return lifecycle_counts_of(self.base)

    def figures(self, start: date, end: date, vs: Span | None = None,
                vs_before: Span | None = None) -> DashboardFigures:
        """[start, end] against `vs` (default: previous_period), whose own retention is
        judged against `vs_before` (default: the period before `vs`)."""
        prev_start, prev_end = (vs.start, vs.end) if vs is not None else previous_period(start, end)
        if vs_before is None:
            vs_before = Span(*previous_period(prev_start, prev_end))
        before_previous = self.base.active(vs_before.start, vs_before.end)
        previous, previous_active = self.period(prev_start, prev_end, before_previous)
        current, _ = self.period(start, end, previous_active)
        counts = self.lifecycle_counts()
        return DashboardFigures(
            current=current,
            previous=previous,
            months=self.months(start, end),
            lifecycle_counts=counts,
            customers=self.base.customer_count,
            categories=self.categories,
        )


def lifecycle_counts_of(base: Base) -> dict[str, int]:
    """Customers per lifecycle group today (every group, empty ones too)."""
    counts = dict.fromkeys(LIFECYCLES, 0)
    cols = base.cols
    if cols is not None:
        lifecycle = cols.coded["lifecycle"]
        found = np.bincount(lifecycle.codes[cols.listed], minlength=len(lifecycle.values))
        for value, count in zip(lifecycle.values, found.tolist(), strict=False):
            if count:
                counts[value] = count
        return counts
    for group in base.lifecycle.values():
        counts[group] = counts.get(group, 0) + 1
    return counts


def pareto_share_of(sums: IntArray, share: float) -> float:
    """pareto_share over an array of amounts (integers: the same sums, so the same share)."""
    total = int(sums.sum())
    if total <= 0:
        return 0.0
    count = max(1, ceil(Fraction(str(share)) * len(sums)))
    return int(np.sort(sums)[::-1][:count].sum()) / total


def pareto_share(spend: dict[int, int], share: float) -> float:
    """metrics.pareto_share with a C-level sort of the amounts (ties do not change the sum)."""
    total = sum(spend.values())
    if total <= 0:
        return 0.0
    count = max(1, ceil(Fraction(str(share)) * len(spend)))
    return sum(sorted(spend.values(), reverse=True)[:count]) / total
