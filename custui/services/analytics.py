"""Segments and dashboard figures over the whole store, cached until the store changes.

Screens call this from a thread worker. Per-customer stats, facts and day buckets
come from the shared `Derived` cache (services.derived), which folds the orders
once and then follows writes customer by customer; this module only re-ranks and
regroups per revision. Results are keyed by (derived revision, today), so a
write or a new day recomputes them without another pass over the orders; after a write
only the customers it touched are redone (customer columns, member sets, summaries).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from math import fsum
from typing import Any

import numpy as np

from custui.config.loader import AppConfig
from custui.domain.models.segments import CustomSegment
from custui.domain.money import decimals
from custui.domain.periods import Span
from custui.domain.rules import Rule, RuleError, parse_rule
from custui.domain.segments import ONCE_BAND, Segment, SegmentSummary
from custui.domain.stats import gc_paused
from custui.services.alive import version as alive_version
from custui.services.analytics_base import Base
from custui.services.analytics_columns import CustomerColumns
from custui.services.analytics_dashboard import Dashboard, DashboardFigures, Records
from custui.services.analytics_segments import SegmentSet
from custui.services.derived import Derived
from custui.store.base import Store

__all__ = ["Analytics", "DashboardFigures", "SegmentSummary"]


def rule_choices(config: AppConfig) -> dict[str, list[str]]:
    """Allowed values of the choice fields whose values come from config."""
    seg = config.segments
    return {
        "tier": [tier.id for tier in config.loyalty.tiers],
        "frequency_band": [ONCE_BAND, *(band.id for band in seg.frequency_bands)],
        "aov_band": [band.id for band in seg.aov_bands],
    }


def parse_custom(config: AppConfig) -> tuple[list[tuple[CustomSegment, Rule]], list[str]]:
    """Parsed custom segments, and the problems of those that do not parse (left out)."""
    scale = 10 ** decimals(config.settings.currency)
    choices = rule_choices(config)
    parsed: list[tuple[CustomSegment, Rule]] = []
    problems: list[str] = []
    for spec in config.segments.custom:
        try:
            parsed.append((spec, parse_rule(spec.rule, choices=choices, money_scale=scale)))
        except RuleError as exc:
            problems.append(f"{spec.id}: {exc}")
    return parsed, problems


class Analytics:
    """All segments and the dashboard for one store and config.

    `today_fn` returns today's date, or the current datetime (then SLA breaches of
    still-open complaints are judged to the minute rather than to the day).
    Thread-safe: calls are serialized, and the cache is shared. Pass the app's
    shared `derived` (same store, config and clock); without one a private Derived
    is made (it folds the orders on the first call).
    """

    def __init__(
        self,
        store: Store,
        config: AppConfig,
        today_fn: Callable[[], date] = date.today,
        derived: Derived | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.today_fn = today_fn
        self.derived = derived if derived is not None else Derived(store, config, today_fn)
        self.custom, self.rule_problems = parse_custom(config)
        self._lock = threading.RLock()
        self._key: tuple[int, date] | None = None
        self._base: Base | None = None
        self._sets: SegmentSet | None = None
        self._summaries: list[SegmentSummary] | None = None
        self._by_id: dict[str, Segment] = {}
        self._dashboards: dict[tuple[date, date, Span | None, Span | None], DashboardFigures] = {}
        self._dashboard: Dashboard | None = None
        # feedback and complaints sorted, answers and detractors per period: kept while only
        # orders and customers change
        self._records: Records | None = None
        self._records_key: tuple[int | None, int | None] = (None, None)

    # -- cache ----------------------------------------------------------------------
    def _now(self) -> tuple[date, str]:
        now = self.today_fn()
        if isinstance(now, datetime):
            return now.date(), now.isoformat(timespec="minutes")
        return now, f"{now.isoformat()}T23:59"

    def _fresh(self) -> Base:
        """The snapshot for the current revision and day, rebuilding it when stale."""
        _, now_iso = self._now()
        snapshot = self.derived.snapshot()
        key = (snapshot.revision, snapshot.today)
        if self._base is None or key != self._key:
            self._base = Base(self.store, self.config, snapshot=snapshot, previous=self._base)
            self._key = key
            self._sets = SegmentSet(self._base, self.custom, previous=self._sets)
            self._summaries = None
            self._by_id = {}
            self._dashboards = {}
            self._dashboard = None
        interactions = self.derived.interaction_writes  # the call-backs read them
        if self._dashboard is None or self._dashboard.now_iso != now_iso or self._dashboard.interactions != interactions:
            versions = snapshot.versions
            records_key = (versions.get("feedback"), versions.get("complaints"))
            if self._records is None or self._records_key != records_key:
                self._records, self._records_key = Records(self._base), records_key
            self._dashboard = Dashboard(self._base, now_iso, self._records, interactions)
            self._dashboards = {}
        return self._base

    def invalidate(self) -> None:
        """Drop every cached result (the next call recomputes)."""
        with self._lock:
            self._base = None
            self._records = None

    def _segment_set(self) -> SegmentSet:
        base = self._fresh()
        assert self._sets is not None
        if self._sets.alive_version not in (None, alive_version(self.store)):
            # the model was refitted (in the background) since "at risk" was scored: same data,
            # new segments
            self._sets = SegmentSet(base, self.custom, previous=self._sets)
            self._summaries = None
            self._by_id = {}
        if not self._by_id:
            self._by_id = {seg.id: seg for seg in self._sets.segments}
        return self._sets

    # -- segments --------------------------------------------------------------------
    def segment_list(self) -> list[Segment]:
        """Every segment with its members, in screen order."""
        with self._lock, gc_paused():
            return list(self._segment_set().segments)

    def segments(self) -> list[SegmentSummary]:
        """Count, shares, revenue and average CLV of every segment, in screen order."""
        with self._lock, gc_paused():
            sets = self._segment_set()
            if self._summaries is None:
                self._summaries = summaries(sets)
            return list(self._summaries)

    def segment(self, segment_id: str) -> Segment:
        """One segment by id; KeyError when there is none."""
        with self._lock, gc_paused():
            self._segment_set()
            return self._by_id[segment_id]

    def members(self, segment_id: str) -> list[int]:
        """Customer ids in a segment, ascending; KeyError for an unknown segment."""
        return sorted(self.segment(segment_id).members)

    def in_segment(self, customer_id: int, segment_id: str) -> bool:
        """Whether a customer is in a segment (False for an unknown segment)."""
        with self._lock:
            self._segment_set()
            found = self._by_id.get(segment_id)
            return found is not None and customer_id in found.members

    def segment_ids_for(self, customer_id: int) -> list[str]:
        """Ids of every segment the customer is in, in screen order."""
        with self._lock:
            sets = self._segment_set()
            return [seg.id for seg in sets.segments if customer_id in seg.members]

    def facts(self, customer_id: int) -> dict[str, Any]:
        """Every rule field's value for one customer (for previews and the profile)."""
        from custui.domain.rules import FIELDS

        with self._lock:
            sets = self._segment_set()
            row = sets.base.position.get(customer_id)
            if row is None:
                raise KeyError(customer_id)
            columns = sets.columns(set(FIELDS))
            return {name: columns[name][row] for name in FIELDS}

    # -- dashboard -------------------------------------------------------------------
    def dashboard(self, period_start: date, period_end: date, vs: Span | None = None,
                  vs_before: Span | None = None) -> DashboardFigures:
        """Figures for [period_start, period_end] against `vs` (default: the period of
        equal length before it; see Dashboard.figures)."""
        if period_end < period_start:
            raise ValueError("the period ends before it starts")
        with self._lock, gc_paused():
            self._fresh()
            assert self._dashboard is not None
            key = (period_start, period_end, vs, vs_before)
            if key not in self._dashboards:
                self._dashboards[key] = self._dashboard.figures(period_start, period_end, vs, vs_before)
            return self._dashboards[key]


def summaries(sets: SegmentSet) -> list[SegmentSummary]:
    """domain.segments.summarize for every segment, with the sums done at C speed on the
    customer columns. A segment keeps its sums from an earlier revision while its members are
    the same and none of them was written since (their spend and CLV are the same)."""
    base = sets.base
    cols = base.cols
    by_id = _by_id_arrays(cols) if cols is not None else None
    if cols is None or by_id is None:
        return _summaries(sets)
    spent, flags, clv, total = by_id
    count = base.customer_count
    snapshot = base.snapshot
    result = []
    for seg in sets.segments:
        made = sets.made(seg.id)
        rows = sets.member_rows(seg.id)
        if made is None or rows is None:
            rows = np.fromiter(seg.members, dtype=np.int64, count=len(seg.members))
        elif made.sums is not None:
            changed = snapshot.changed_since(made.sums_revision)
            if changed is not None and made.members.isdisjoint(changed):
                result.append(_summary(seg, count, made.sums[0], total, made.sums[1], made.sums[2]))
                continue
        revenue = int(spent[rows].sum())
        clv_count = int(flags[rows].sum())
        # exactly rounded, so in any order the same float as _summaries gives
        clv_sum = fsum(clv[rows][flags[rows]].tolist()) if clv_count else 0.0
        if made is not None:
            made.sums, made.sums_revision = (revenue, clv_sum, clv_count), snapshot.revision
        result.append(_summary(seg, count, revenue, total, clv_sum, clv_count))
    return result


def _summary(seg: Segment, count: int, revenue: int, total: int, clv_sum: float, clv_count: int) -> SegmentSummary:
    size = len(seg.members)
    return SegmentSummary(
        id=seg.id, group=seg.group, label_en=seg.label_en, label_vi=seg.label_vi,
        count=size,
        customer_share=size / count if count else 0.0,
        revenue=revenue,
        revenue_share=revenue / total if total else 0.0,
        avg_clv=clv_sum / clv_count if clv_count else None,
    )


def _summaries(sets: SegmentSet) -> list[SegmentSummary]:
    """The pure-Python summaries (the reference, and the path for ids numpy cannot index by)."""
    base = sets.base
    spend = dict.fromkeys(base.ids, 0)
    spend.update(base.total_spend)
    clv = dict.fromkeys(base.ids, 0.0)
    clv.update(base.clv)
    has_clv = dict.fromkeys(base.ids, 0)
    has_clv.update(dict.fromkeys(base.clv, 1))
    total = sum(spend.values())
    count = len(base.ids)
    result = []
    for seg in sets.segments:
        members = seg.members
        revenue = sum(map(spend.__getitem__, members))
        clv_count = sum(map(has_clv.__getitem__, members))
        clv_sum = fsum(map(clv.__getitem__, members)) if clv_count else 0.0
        result.append(_summary(seg, count, revenue, total, clv_sum, clv_count))
    return result


def _by_id_arrays(cols: CustomerColumns) -> tuple[Any, Any, Any, int] | None:
    """Lifetime spend, has-CLV flags and CLV indexed by customer id (listed buyers only: every
    member is listed), and the total spend (None when the sums could overflow)."""
    buyers = cols.buyers
    spent = np.where(buyers, cols.total_spend, 0)
    if len(spent) and int(np.abs(spent).max()) * len(spent) >= 2**62:
        return None
    clv = np.where(buyers, cols.floats["clv"], np.nan)
    return spent, ~np.isnan(clv), clv, int(spent.sum())
