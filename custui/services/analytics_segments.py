"""Every segment of one snapshot: built-in ones, derived values, and custom rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from itertools import compress, repeat
from math import ceil
from typing import Any

import numpy as np
import numpy.typing as npt

from custui.domain.enums import KINDS, LIFECYCLES, ROLES, SCOPES
from custui.domain.models.segments import CustomSegment
from custui.domain.rules import RFM_GROUPS, Rule
from custui.domain.segments import (
    ONCE_BAND,
    ONCE_ID,
    TOP_SPENDERS_SHARE,
    Segment,
    above_share,
    group_by_value,
    rfm_group,
    rfm_labels,
    rfm_scores,
    segment,
    text_pair,
)
from custui.domain.winback import at_risk, members
from custui.services.alive import fit_snapshot, version
from custui.services.analytics_base import Base, days_since


class SegmentSet:
    """Derived per-customer values and the segments made from them, for one snapshot."""

    def __init__(self, base: Base, custom: Sequence[tuple[CustomSegment, Rule]]) -> None:
        self.base = base
        self.custom = custom
        self.seg = base.config.segments
        self._columns: dict[str, list[Any]] = {}
        self.alive_version: int | None = None  # the model fit `at_risk` used (None: not yet computed)

    # -- derived values over buyers (read off the Facts) ---------------------------------
    def _over_buyers(self, name: str) -> dict[int, Any]:
        return self.base.over_buyers(name)

    @cached_property
    def aov(self) -> dict[int, float]:
        return self._over_buyers("aov")

    @cached_property
    def promo_share(self) -> dict[int, float]:
        return self._over_buyers("promo_share")

    @cached_property
    def avg_gap(self) -> dict[int, float | None]:
        return self._over_buyers("avg_gap")

    @cached_property
    def frequency_bands(self) -> dict[int, str | None]:
        return self._over_buyers("frequency_band")

    @cached_property
    def aov_bands(self) -> dict[int, str | None]:
        return self._over_buyers("aov_band")

    @cached_property
    def rfm(self) -> dict[int, tuple[int, int, int]]:
        base = self.base
        flags = base.buyer_flags
        counts, spend = base.window(self.seg.rfm.window_days)
        recency = base.over_buyers("recency")
        frequency = dict(compress(zip(base.ids, counts, strict=True), flags))
        monetary = dict(compress(zip(base.ids, spend, strict=True), flags))
        if base.columnar:
            scored = columnar_rfm(recency, frequency, monetary)
            if scored is not None:
                return scored
        return rfm_scores(recency, frequency, monetary)

    @cached_property
    def rfm_groups(self) -> dict[int, str]:
        rfm = self.rfm
        if self.base.columnar and rfm:
            names = [rfm_group(r, f, m) for r in range(6) for f in range(6) for m in range(6)]
            codes = [r * 36 + f * 6 + m for r, f, m in rfm.values()]
            return dict(zip(rfm, map(names.__getitem__, codes), strict=True))
        memo: dict[tuple[int, int, int], str] = {}
        result: dict[int, str] = {}
        for cid, triple in self.rfm.items():
            group = memo.get(triple)
            if group is None:
                group = memo[triple] = rfm_group(*triple)
            result[cid] = group
        return result

    @cached_property
    def price_sensitive(self) -> frozenset[int]:
        return above_share(self.promo_share, self.seg.price_sensitive_share)

    @cached_property
    def top_spenders(self) -> frozenset[int]:
        return fast_top_share(self.base.total_spend, TOP_SPENDERS_SHARE)

    @cached_property
    def high_value(self) -> frozenset[int]:
        return fast_top_share(self.aov, self.seg.high_value_top_share)

    @cached_property
    def at_risk(self) -> frozenset[int]:
        """P(alive) below segments.yaml alive.at_risk_below after more than one purchase; with too
        little data to fit, the recency rule: two orders or more, within the win-back band before
        lapsing (care.yaml winback_days_before_lapse)."""
        base = self.base
        fit = fit_snapshot(base.store, base.snapshot, self.seg.alive)
        self.alive_version = version(base.store)
        if fit.fitted:
            below = self.seg.alive.at_risk_below
            found = members(at_risk(fit.p_alive(below), base.stats, below, base.today))
            return frozenset(cid for cid in found if cid in base.position)
        lapse = self.seg.lifecycle.lapsed_after_days
        start = lapse - (base.config.care.follow_ups.winback_days_before_lapse or 30)
        today = base.today.toordinal()
        return frozenset(cid for cid, one in base.stats.items() if cid in base.position
                         and one.orders >= 2 and start <= today - one.order_days[-1] < lapse)

    # -- segments ---------------------------------------------------------------------------
    @cached_property
    def segments(self) -> list[Segment]:
        base = self.base
        loyalty = base.config.loyalty
        customers = base.customers

        def attribute(name: str) -> dict[int, str | None]:
            return dict(zip(base.ids, map(dict.get, customers, repeat(name)), strict=True))

        def labels(prefix: str, values: Sequence[str]) -> dict[str, tuple[str, str]]:
            return {v: text_pair(f"{prefix}.{v}") for v in values}

        freq_bands = self.frequency_bands
        once = (cid for cid, band in freq_bands.items() if band == ONCE_BAND)
        result = [
            *group_by_value("lifecycle", base.lifecycle, LIFECYCLES, labels("lifecycle", LIFECYCLES)),
            *group_by_value("kind", attribute("kind"), KINDS, labels("kind", KINDS)),
            *group_by_value("scope", attribute("scope"), SCOPES, labels("scope", SCOPES)),
            *group_by_value("role", attribute("role"), ROLES, labels("role", ROLES)),
            *group_by_value(
                "tier", base.tiers, [t.id for t in loyalty.tiers],
                {t.id: (t.name.en, t.name.vi) for t in loyalty.tiers}, prefixed=True,
            ),
            segment(ONCE_ID, "frequency", text_pair("segments.frequency.once"), once),
            *group_by_value(
                "frequency", freq_bands, [b.id for b in self.seg.frequency_bands],
                {b.id: (b.name.en, b.name.vi) for b in self.seg.frequency_bands},
            ),
            *group_by_value(
                "aov", self.aov_bands, [b.id for b in self.seg.aov_bands],
                {b.id: (b.name.en, b.name.vi) for b in self.seg.aov_bands},
            ),
            segment("price_sensitive", "price", text_pair("segments.price_sensitive"), self.price_sensitive),
            *group_by_value("rfm", self.rfm_groups, RFM_GROUPS, rfm_labels(), prefixed=True),
            segment("top_spenders", "value", text_pair("segments.top_spenders"), self.top_spenders),
            segment("high_value", "value", text_pair("segments.high_value"), self.high_value),
            segment("at_risk", "value", text_pair("segments.at_risk"), self.at_risk),
        ]
        for spec, rule in self.custom:
            rows = rule.select(self.columns(rule.fields()), len(base.ids))
            result.append(segment(spec.id, "custom", (spec.name.en, spec.name.vi), map(base.ids.__getitem__, rows)))
        return result

    # -- rule fields as columns aligned with base.ids -----------------------------------------
    def columns(self, names: set[str]) -> dict[str, list[Any]]:
        for name in names:
            if name not in self._columns:
                self._columns[name] = self.column(name)
        return {name: self._columns[name] for name in names}

    def column(self, name: str) -> list[Any]:
        base = self.base
        builder = _COLUMNS.get(name)
        if builder is not None:
            return builder(self)
        if name.startswith(("orders_last_", "spend_last_")):
            counts, spend = base.window(int(name.rsplit("_", 1)[1].rstrip("d")))
            return counts if name.startswith("orders") else spend
        return [c.get(name) for c in base.customers]

    def per_buyer(self, values: dict[int, Any]) -> list[Any]:
        return [values.get(cid) for cid in self.base.ids]

    def per_stats(self, read: Callable[[Any], Any], default: Any) -> list[Any]:
        stats = self.base.stats
        return [read(stats[cid]) if cid in stats else default for cid in self.base.ids]

    def member_flags(self, members: frozenset[int]) -> list[bool]:
        return [cid in members for cid in self.base.ids]


def _age(sets: SegmentSet) -> list[Any]:
    year = sets.base.today.year
    return [year - c["birth_year"] if c.get("birth_year") else None for c in sets.base.customers]


def _days(sets: SegmentSet, index: int) -> list[Any]:
    """Days from the first (index 0) or last (-1) order to today."""
    today = sets.base.today.toordinal()
    return sets.per_stats(lambda s: today - s.order_days[index], None)


def quintiles(values: npt.NDArray[np.int64], higher_is_better: bool = True) -> npt.NDArray[np.int64]:
    """domain.segments.quintile_scores over an array: 1 + floor(5 * strictly worse / n), at most 5."""
    n = len(values)
    ordered = np.sort(values)
    if higher_is_better:
        worse = np.searchsorted(ordered, values, side="left")
    else:
        worse = n - np.searchsorted(ordered, values, side="right")
    return np.minimum(5, 1 + (5 * worse) // n)


def columnar_rfm(
    recency: Mapping[int, int | None], frequency: Mapping[int, int], monetary: Mapping[int, int]
) -> dict[int, tuple[int, int, int]] | None:
    """domain.segments.rfm_scores with numpy sorts (None when a value is not an integer)."""
    if not recency:
        return {}
    try:
        r = np.fromiter(recency.values(), dtype=np.int64, count=len(recency))
        f = np.fromiter(map(frequency.get, recency, repeat(0)), dtype=np.int64, count=len(recency))
        m = np.fromiter(map(monetary.get, recency, repeat(0)), dtype=np.int64, count=len(recency))
    except (TypeError, ValueError, OverflowError):
        return None
    scores = zip(quintiles(r, False).tolist(), quintiles(f).tolist(), quintiles(m).tolist(), strict=True)
    return dict(zip(recency, scores, strict=True))


def fast_top_share(values: Mapping[int, float], share: float) -> frozenset[int]:
    """domain.segments.top_share with C-level sorts: ceil(share * n), ties to the lower id."""
    if not values:
        return frozenset()
    count = max(1, ceil(Fraction(str(share)) * len(values)))
    # stable sorts: ids ascending, then values descending (reverse keeps ties in id order)
    ranked = sorted(sorted(values), key=values.__getitem__, reverse=True)
    return frozenset(ranked[:count])


_COLUMNS: dict[str, Callable[[SegmentSet], list[Any]]] = {
    "lifecycle": lambda s: s.base.column("lifecycle"),
    "tier": lambda s: s.base.column("tier"),
    "tags": lambda s: [c.get("tags") or [] for c in s.base.customers],
    "age": _age,
    "referred": lambda s: [c.get("referred_by") is not None for c in s.base.customers],
    "days_since_created": lambda s: [days_since(c.get("created_at"), s.base.today) for c in s.base.customers],
    "consent_to_contact": lambda s: [bool(c.get("consent_to_contact")) for c in s.base.customers],
    "orders": lambda s: s.per_stats(lambda st: st.orders, 0),
    "total_spend": lambda s: s.per_stats(lambda st: st.total_spend, 0),
    "promo_orders": lambda s: s.per_stats(lambda st: st.promo_orders, 0),
    "avg_order_value": lambda s: s.per_buyer(s.aov),
    "promo_share": lambda s: s.per_buyer(s.promo_share),
    "avg_days_between_orders": lambda s: s.per_buyer(s.avg_gap),
    "days_since_last_order": lambda s: _days(s, -1),
    "days_since_first_order": lambda s: _days(s, 0),
    "frequency_band": lambda s: s.per_buyer(s.frequency_bands),
    "aov_band": lambda s: s.per_buyer(s.aov_bands),
    "rfm_group": lambda s: s.per_buyer(s.rfm_groups),
    "recency_score": lambda s: [t[0] if t else None for t in s.per_buyer(s.rfm)],
    "frequency_score": lambda s: [t[1] if t else None for t in s.per_buyer(s.rfm)],
    "monetary_score": lambda s: [t[2] if t else None for t in s.per_buyer(s.rfm)],
    "price_sensitive": lambda s: s.member_flags(s.price_sensitive),
    "high_value": lambda s: s.member_flags(s.high_value),
    "top_spender": lambda s: s.member_flags(s.top_spenders),
    "complaints": lambda s: [s.base.complaint_counts[0].get(cid, 0) for cid in s.base.ids],
    "open_complaints": lambda s: [s.base.complaint_counts[1].get(cid, 0) for cid in s.base.ids],
}

