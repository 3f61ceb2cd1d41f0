"""Every segment of one snapshot: built-in ones, derived values, and custom rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import compress, repeat
from math import ceil
from operator import attrgetter, itemgetter
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
    group_by_value,
    rfm_group,
    rfm_labels,
    rfm_scores,
    text_pair,
)
from custui.domain.winback import at_risk, members
from custui.services.alive import fit_snapshot, version
from custui.services.analytics_base import EXACT_FLOAT, Base, IntArray, days_since


@dataclass
class Made:
    """A segment's members as built: listed (in a fixed order), as a set, and as an array."""

    listed: list[int]
    members: frozenset[int]
    rows: IntArray | None = None


class SegmentSet:
    """Derived per-customer values and the segments made from them, for one snapshot."""

    def __init__(self, base: Base, custom: Sequence[tuple[CustomSegment, Rule]],
                 previous: SegmentSet | None = None) -> None:
        self.base = base
        self.custom = custom
        self.seg = base.config.segments
        self._columns: dict[str, list[Any]] = {}
        # members of the previous revision's segments, as listed and as a set: a segment whose
        # list did not change keeps its set (most of them after one write), no rebuild
        self._previous: dict[str, Made] = previous._made if previous else {}
        self._made: dict[str, Made] = {}
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
    def rfm_columns(self) -> tuple[list[int], npt.NDArray[np.int64]] | None:
        """(buyer ids, R*36 + F*6 + M per buyer) with numpy sorts; None without columnar sums
        or when a value is not an integer."""
        base = self.base
        if not base.columnar:
            return None
        slot = base.window_slots[self.seg.rfm.window_days]
        flags = base.buyer_flags
        rows = list(compress(base.rows, flags))
        try:
            r = np.fromiter(map(attrgetter("recency"), rows), dtype=np.int64, count=len(rows))
            f = np.fromiter(map(itemgetter(slot), map(attrgetter("window_orders"), rows)),
                            dtype=np.int64, count=len(rows))
            m = np.fromiter(map(itemgetter(slot), map(attrgetter("window_spend"), rows)),
                            dtype=np.int64, count=len(rows))
        except (TypeError, ValueError, OverflowError):
            return None
        if not len(rows):
            return [], r
        codes = quintiles(r, False) * 36 + quintiles(f) * 6 + quintiles(m)
        return list(compress(base.ids, flags)), codes

    @cached_property
    def rfm(self) -> dict[int, tuple[int, int, int]]:
        columns = self.rfm_columns
        if columns is not None:
            ids, codes = columns
            return dict(zip(ids, map(_TRIPLES.__getitem__, codes.tolist()), strict=True))
        base = self.base
        flags = base.buyer_flags
        counts, spend = base.window(self.seg.rfm.window_days)
        recency = base.over_buyers("recency")
        frequency = dict(compress(zip(base.ids, counts, strict=True), flags))
        monetary = dict(compress(zip(base.ids, spend, strict=True), flags))
        return rfm_scores(recency, frequency, monetary)

    @cached_property
    def rfm_groups(self) -> dict[int, str]:
        columns = self.rfm_columns
        if columns is not None:
            ids, codes = columns
            return dict(zip(ids, map(_GROUPS.__getitem__, codes.tolist()), strict=True))
        memo: dict[tuple[int, int, int], str] = {}
        result: dict[int, str] = {}
        for cid, triple in self.rfm.items():
            group = memo.get(triple)
            if group is None:
                group = memo[triple] = rfm_group(*triple)
            result[cid] = group
        return result

    @cached_property
    def price_sensitive_ids(self) -> list[int]:
        """Buyers whose promo share is above segments.yaml price_sensitive_share, ids in order."""
        threshold = self.seg.price_sensitive_share
        base = self.base
        if base.columnar:
            rows = list(compress(base.rows, base.buyer_flags))
            try:
                shares = np.fromiter(map(attrgetter("promo_share"), rows), dtype=np.float64, count=len(rows))
            except (TypeError, ValueError):
                pass
            else:
                ids = compress(base.ids, base.buyer_flags)
                return list(compress(ids, (shares > threshold).tolist()))
        return [cid for cid, value in self.promo_share.items() if value > threshold]

    @cached_property
    def price_sensitive(self) -> frozenset[int]:
        return frozenset(self.price_sensitive_ids)

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
        attribute = base.attribute

        def labels(prefix: str, values: Sequence[str]) -> dict[str, tuple[str, str]]:
            return {v: text_pair(f"{prefix}.{v}") for v in values}

        make = self._segment
        freq_bands = self.frequency_bands
        once = (cid for cid, band in freq_bands.items() if band == ONCE_BAND)
        result = [
            *self._groups("lifecycle", base.lifecycle, LIFECYCLES, labels("lifecycle", LIFECYCLES)),
            *self._groups("kind", attribute("kind"), KINDS, labels("kind", KINDS)),
            *self._groups("scope", attribute("scope"), SCOPES, labels("scope", SCOPES)),
            *self._groups("role", attribute("role"), ROLES, labels("role", ROLES)),
            *self._groups(
                "tier", base.tiers, [t.id for t in loyalty.tiers],
                {t.id: (t.name.en, t.name.vi) for t in loyalty.tiers}, prefixed=True),
            make(ONCE_ID, "frequency", text_pair("segments.frequency.once"), once),
            *self._groups(
                "frequency", freq_bands, [b.id for b in self.seg.frequency_bands],
                {b.id: (b.name.en, b.name.vi) for b in self.seg.frequency_bands}),
            *self._groups(
                "aov", self.aov_bands, [b.id for b in self.seg.aov_bands],
                {b.id: (b.name.en, b.name.vi) for b in self.seg.aov_bands}),
            make("price_sensitive", "price", text_pair("segments.price_sensitive"), self.price_sensitive_ids),
            *self._groups("rfm", self.rfm_groups, RFM_GROUPS, rfm_labels(), prefixed=True),
            make("top_spenders", "value", text_pair("segments.top_spenders"), sorted(self.top_spenders)),
            make("high_value", "value", text_pair("segments.high_value"), sorted(self.high_value)),
            make("at_risk", "value", text_pair("segments.at_risk"), sorted(self.at_risk)),
        ]
        for spec, rule in self.custom:
            rows = rule.select(self.columns(rule.fields()), len(base.ids))
            listed = map(base.ids.__getitem__, sorted(rows))
            result.append(make(spec.id, "custom", (spec.name.en, spec.name.vi), listed))
        self._previous = {}
        return result

    def _groups(self, group: str, values: Mapping[int, str | None], order: Sequence[str],
                labels: Mapping[str, tuple[str, str]], prefixed: bool = False) -> list[Segment]:
        """domain.segments.group_by_value with one pass to code the values and numpy masks."""
        code: dict[str | None, int] = {value: i for i, value in enumerate(order)}
        if len(code) == len(order) and self.base.columnar:
            try:
                codes = np.fromiter(map(code.get, values.values(), repeat(-1)), dtype=np.int64, count=len(values))
                ids = np.fromiter(values, dtype=np.int64, count=len(values))
            except (TypeError, ValueError, OverflowError):  # unhashable values, ids beyond int64
                pass
            else:
                found = []
                for i, value in enumerate(order):
                    rows = ids[codes == i]
                    found.append(self._segment(f"{group}.{value}" if prefixed else value, group,
                                               labels.get(value, (value, value)), rows.tolist(), rows))
                return found
        return group_by_value(group, values, order, labels, prefixed, make=self._segment)

    def _segment(self, seg_id: str, group: str, label: tuple[str, str], members: Iterable[int],
                 rows: IntArray | None = None) -> Segment:
        """domain.segments.segment, keeping the previous revision's member set (and id array) when
        the members, listed in the same order, are the same."""
        listed = list(members)
        before = self._previous.get(seg_id)
        if before is not None and before.listed == listed:
            made = before
        else:
            made = Made(listed, frozenset(listed), rows)
        self._made[seg_id] = made
        return Segment(seg_id, group, label[0], label[1], made.members)

    def member_rows(self, seg_id: str) -> IntArray | None:
        """A segment's member ids as an array (made once; None when they are not int64s)."""
        made = self._made.get(seg_id)
        if made is None:
            return None
        if made.rows is None:
            try:
                made.rows = np.array(made.listed, dtype=np.int64)
            except (TypeError, ValueError, OverflowError):
                return None
        return made.rows

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


_TRIPLES = [(code // 36, code // 6 % 6, code % 6) for code in range(216)]  # R*36 + F*6 + M -> (R, F, M)
_GROUPS = [rfm_group(*triple) for triple in _TRIPLES]


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
    try:
        ids = np.fromiter(values, dtype=np.int64, count=len(values))
        amounts = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        exact = bool(np.all(np.abs(amounts) < EXACT_FLOAT)) and not np.isnan(amounts).any()
    except (TypeError, ValueError, OverflowError):
        exact = False
    if exact:  # by value descending, then id ascending (float64 holds these values exactly)
        return frozenset(ids[np.lexsort((ids, -amounts))][:count].tolist())
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
    "days_since_last_order": lambda s: s.base.column("recency"),  # today - last order day
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

