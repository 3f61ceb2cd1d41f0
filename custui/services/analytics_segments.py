"""Every segment of one snapshot: built-in ones, derived values, and custom rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import compress
from math import ceil
from typing import Any

import numpy as np
import numpy.typing as npt

from custui.domain.enums import KINDS, LIFECYCLES, ROLES, SCOPES
from custui.domain.models.segments import CustomSegment
from custui.domain.rule_tree import AllOf, AnyOf, Compare, Not
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
from custui.services.analytics_columns import NO_DAYS, BoolArray, Coded, CustomerColumns


@dataclass
class Made:
    """A segment's members as built: listed (in a fixed order; None when made from `rows`), as a
    set, and as an array of ids; `sums`: its summary's (revenue, CLV sum, CLV count) as of
    snapshot revision `sums_revision` (analytics.summaries keeps them while no member changes)."""

    listed: list[int] | None
    members: frozenset[int]
    rows: IntArray | None = None
    sums: tuple[int, float, int] | None = None
    sums_revision: int = -1


EMPTY_ROWS: IntArray = np.zeros(0, dtype=np.int64)


class SegmentSet:
    """Derived per-customer values and the segments made from them, for one snapshot.

    With the base's customer columns (`base.cols`) every segment is a numpy mask over ids, and
    custom rules run on Coded columns; without (the pure-Python reference, or ids numpy cannot
    index by) the same segments come from dicts and lists."""

    def __init__(self, base: Base, custom: Sequence[tuple[CustomSegment, Rule]],
                 previous: SegmentSet | None = None) -> None:
        self.base = base
        self.custom = custom
        self.seg = base.config.segments
        self._columns: dict[str, list[Any]] = {}
        self._coded: dict[str, Coded | None] = {}
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
    def rfm_columns(self) -> tuple[IntArray, IntArray] | None:
        """(buyer ids ascending, R*36 + F*6 + M of each) on the customer columns (None without)."""
        cols = self.base.cols
        if cols is None:
            return None
        ids = np.flatnonzero(cols.buyers)
        if not len(ids):
            return ids, ids
        slot = self.base.window_slots[self.seg.rfm.window_days]
        r, f, m = cols.recency[ids], cols.window_orders[slot, ids], cols.window_spend[slot, ids]
        return ids, quintiles(r, False) * 36 + quintiles(f) * 6 + quintiles(m)

    @cached_property
    def rfm(self) -> dict[int, tuple[int, int, int]]:
        columns = self.rfm_columns
        if columns is not None:
            ids, codes = columns
            return dict(zip(ids.tolist(), map(_TRIPLES.__getitem__, codes.tolist()), strict=True))
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
            return dict(zip(ids.tolist(), map(_GROUPS.__getitem__, codes.tolist()), strict=True))
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
        rows = self.value_rows.get("price_sensitive")
        if rows is not None:
            return frozenset(rows.tolist())
        threshold = self.seg.price_sensitive_share
        return frozenset(cid for cid, value in self.promo_share.items() if value > threshold)

    @cached_property
    def top_spenders(self) -> frozenset[int]:
        rows = self.value_rows.get("top_spenders")
        if rows is not None:
            return frozenset(rows.tolist())
        return fast_top_share(self.base.total_spend, TOP_SPENDERS_SHARE)

    @cached_property
    def high_value(self) -> frozenset[int]:
        rows = self.value_rows.get("high_value")
        if rows is not None:
            return frozenset(rows.tolist())
        return fast_top_share(self.aov, self.seg.high_value_top_share)

    @cached_property
    def value_rows(self) -> dict[str, IntArray]:
        """price_sensitive, top_spenders and high_value as sorted id arrays, on the customer
        columns (those numpy cannot rank exactly left out; empty without columns)."""
        cols = self.base.cols
        if cols is None:
            return {}
        ids = np.flatnonzero(cols.buyers)
        found = {"price_sensitive": ids[cols.floats["promo_share"][ids] > self.seg.price_sensitive_share]}
        for name, amounts, share in (("top_spenders", cols.total_spend[ids], TOP_SPENDERS_SHARE),
                                     ("high_value", cols.floats["aov"][ids], self.seg.high_value_top_share)):
            rows = top_rows(ids, amounts, share)
            if rows is not None:
                found[name] = rows
        return found

    @cached_property
    def at_risk(self) -> frozenset[int]:
        """P(alive) below segments.yaml alive.at_risk_below after more than one purchase; with too
        little data to fit, the recency rule: two orders or more, within the win-back band before
        lapsing (care.yaml winback_days_before_lapse)."""
        base = self.base
        fit = fit_snapshot(base.store, base.snapshot, self.seg.alive)
        self.alive_version = version(base.store)
        cols = base.cols
        if fit.fitted:
            below = self.seg.alive.at_risk_below
            found = members(at_risk(fit.p_alive(below), base.stats, below, base.today))
            if cols is None:
                return frozenset(cid for cid in found if cid in base.position)
            listed = cols.listed
            return frozenset(cid for cid in found if 0 <= cid < len(listed) and listed[cid])
        lapse = self.seg.lifecycle.lapsed_after_days
        start = lapse - (base.config.care.follow_ups.winback_days_before_lapse or 30)
        today = base.today.toordinal()
        if cols is not None:
            since = today - cols.last_day
            return frozenset(np.flatnonzero(cols.buyers & (cols.orders >= 2) & (since >= start)
                                            & (since < lapse)).tolist())
        return frozenset(cid for cid, one in base.stats.items() if cid in base.position
                         and one.orders >= 2 and start <= today - one.order_days[-1] < lapse)

    # -- segments ---------------------------------------------------------------------------
    @cached_property
    def segments(self) -> list[Segment]:
        base = self.base
        loyalty = base.config.loyalty
        cols = base.cols

        def labels(prefix: str, values: Sequence[str]) -> dict[str, tuple[str, str]]:
            return {v: text_pair(f"{prefix}.{v}") for v in values}

        tiers = [t.id for t in loyalty.tiers], {t.id: (t.name.en, t.name.vi) for t in loyalty.tiers}
        bands = [b.id for b in self.seg.frequency_bands], {b.id: (b.name.en, b.name.vi) for b in self.seg.frequency_bands}
        aovs = [b.id for b in self.seg.aov_bands], {b.id: (b.name.en, b.name.vi) for b in self.seg.aov_bands}
        once_label = text_pair("segments.frequency.once")
        value_labels = {name: text_pair(f"segments.{name}") for name in ("price_sensitive", "top_spenders",
                                                                         "high_value", "at_risk")}
        if cols is not None:
            result = self._column_segments(cols, labels, tiers, bands, aovs, once_label, value_labels)
        else:
            attribute = base.attribute
            make = self._segment
            freq_bands = self.frequency_bands
            once = (cid for cid, band in freq_bands.items() if band == ONCE_BAND)
            result = [
                *self._groups("lifecycle", base.lifecycle, LIFECYCLES, labels("lifecycle", LIFECYCLES)),
                *self._groups("kind", attribute("kind"), KINDS, labels("kind", KINDS)),
                *self._groups("scope", attribute("scope"), SCOPES, labels("scope", SCOPES)),
                *self._groups("role", attribute("role"), ROLES, labels("role", ROLES)),
                *self._groups("tier", base.tiers, *tiers, prefixed=True),
                make(ONCE_ID, "frequency", once_label, once),
                *self._groups("frequency", freq_bands, *bands),
                *self._groups("aov", self.aov_bands, *aovs),
                make("price_sensitive", "price", value_labels["price_sensitive"], sorted(self.price_sensitive)),
                *self._groups("rfm", self.rfm_groups, RFM_GROUPS, rfm_labels(), prefixed=True),
                make("top_spenders", "value", value_labels["top_spenders"], sorted(self.top_spenders)),
                make("high_value", "value", value_labels["high_value"], sorted(self.high_value)),
                make("at_risk", "value", value_labels["at_risk"], sorted(self.at_risk)),
            ]
        for spec, rule in self.custom:
            label = (spec.name.en, spec.name.vi)
            mask = rule_mask(rule, self.coded, cols.listed) if cols is not None else None
            if mask is not None:
                result.append(self._from_rows(spec.id, "custom", label, np.flatnonzero(mask)))
                continue
            rows = rule.select(self.columns(rule.fields()), len(base.ids))
            result.append(self._segment(spec.id, "custom", label, map(base.ids.__getitem__, sorted(rows))))
        self._previous = {}
        return result

    def _column_segments(self, cols: CustomerColumns, labels: Callable[[str, Sequence[str]], dict[str, tuple[str, str]]],
                         tiers: tuple[list[str], dict[str, tuple[str, str]]],
                         bands: tuple[list[str], dict[str, tuple[str, str]]],
                         aovs: tuple[list[str], dict[str, tuple[str, str]]], once_label: tuple[str, str],
                         value_labels: dict[str, tuple[str, str]]) -> list[Segment]:
        """The built-in segments as masks over the customer columns."""
        listed, buyers = cols.listed, cols.buyers
        coded = cols.coded
        groups = self._coded_groups
        once = coded["frequency_band"].code(ONCE_BAND)
        once_rows = np.flatnonzero(buyers & (coded["frequency_band"].codes == once)) if once >= 0 else EMPTY_ROWS
        rfm_ids, rfm_codes = self.rfm_columns or (EMPTY_ROWS, EMPTY_ROWS)
        rfm_group_codes = _GROUP_CODES[rfm_codes]
        value_rows = self.value_rows
        rfm_names = rfm_labels()

        def valued(name: str, group: str, fallback: Callable[[], frozenset[int]]) -> Segment:
            rows = value_rows.get(name)
            if rows is None:
                rows = np.array(sorted(fallback()), dtype=np.int64)
            return self._from_rows(name, group, value_labels[name], rows)

        return [
            *groups("lifecycle", coded["lifecycle"], listed, LIFECYCLES, labels("lifecycle", LIFECYCLES)),
            *groups("kind", coded["kind"], listed, KINDS, labels("kind", KINDS)),
            *groups("scope", coded["scope"], listed, SCOPES, labels("scope", SCOPES)),
            *groups("role", coded["role"], listed, ROLES, labels("role", ROLES)),
            *groups("tier", coded["tier"], listed, *tiers, prefixed=True),
            self._from_rows(ONCE_ID, "frequency", once_label, once_rows),
            *groups("frequency", coded["frequency_band"], buyers, *bands),
            *groups("aov", coded["aov_band"], buyers, *aovs),
            valued("price_sensitive", "price", lambda: self.price_sensitive),
            *(self._from_rows(f"rfm.{group}", "rfm", rfm_names.get(group, (group, group)),
                              rfm_ids[rfm_group_codes == i]) for i, group in enumerate(RFM_GROUPS)),
            valued("top_spenders", "value", lambda: self.top_spenders),
            valued("high_value", "value", lambda: self.high_value),
            self._from_rows("at_risk", "value", value_labels["at_risk"],
                            np.array(sorted(self.at_risk), dtype=np.int64)),
        ]

    def _coded_groups(self, group: str, column: Coded, mask: BoolArray, order: Sequence[str],
                      labels: Mapping[str, tuple[str, str]], prefixed: bool = False) -> list[Segment]:
        """domain.segments.group_by_value over a Coded column, the ids in `mask` only."""
        found = []
        for value in order:
            code = column.code(value)
            rows = np.flatnonzero(mask & (column.codes == code)) if code >= 0 else EMPTY_ROWS
            found.append(self._from_rows(f"{group}.{value}" if prefixed else value, group,
                                         labels.get(value, (value, value)), rows))
        return found

    def _groups(self, group: str, values: Mapping[int, str | None], order: Sequence[str],
                labels: Mapping[str, tuple[str, str]], prefixed: bool = False) -> list[Segment]:
        return group_by_value(group, values, order, labels, prefixed, make=self._segment)

    def _segment(self, seg_id: str, group: str, label: tuple[str, str], members: Iterable[int]) -> Segment:
        """domain.segments.segment, keeping the previous revision's member set when the members,
        listed in the same order, are the same."""
        listed = list(members)
        before = self._previous.get(seg_id)
        if before is not None and before.listed == listed:
            made = before
        else:
            made = Made(listed, frozenset(listed))
        self._made[seg_id] = made
        return Segment(seg_id, group, label[0], label[1], made.members)

    def _from_rows(self, seg_id: str, group: str, label: tuple[str, str], rows: IntArray) -> Segment:
        """A segment from its member ids (ascending), keeping the previous revision's member set
        when they are the same, or editing a copy of it when few differ."""
        before = self._previous.get(seg_id)
        before_rows = before.rows if before is not None else None
        if before is None or before_rows is None:
            made = Made(None, frozenset(rows.tolist()), rows)
        elif np.array_equal(before_rows, rows):
            made = before
        else:
            gone = np.setdiff1d(before_rows, rows, assume_unique=True)
            added = np.setdiff1d(rows, before_rows, assume_unique=True)
            if 8 * (len(gone) + len(added)) < len(rows):
                made = Made(None, before.members.difference(gone.tolist()).union(added.tolist()), rows)
            else:
                made = Made(None, frozenset(rows.tolist()), rows)
        self._made[seg_id] = made
        return Segment(seg_id, group, label[0], label[1], made.members)

    def made(self, seg_id: str) -> Made | None:
        return self._made.get(seg_id)

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

    # -- rule fields as Coded columns over ids ------------------------------------------------
    def coded(self, name: str) -> Coded | None:
        """A rule field as a Coded column over customer ids (None: not one the customer columns
        give; the rule then runs on lists)."""
        if name not in self._coded:
            self._coded[name] = self._coded_column(name)
        return self._coded[name]

    def _coded_column(self, name: str) -> Coded | None:
        base = self.base
        cols = base.cols
        assert cols is not None
        listed = cols.listed
        if name in cols.coded:
            return cols.coded[name]
        if name.startswith(("orders_last_", "spend_last_")):
            slot = base.window_slots.get(_window_days(name))
            if slot is None:
                return None
            table = cols.window_orders if name.startswith("orders") else cols.window_spend
            return Coded.of_numbers(table[slot], listed)
        numbers = {
            "orders": cols.orders, "total_spend": cols.total_spend, "promo_orders": cols.promo_orders,
        }
        if name in numbers:
            return Coded.of_numbers(numbers[name], listed)
        floats = {"avg_order_value": "aov", "promo_share": "promo_share", "avg_days_between_orders": "avg_gap"}
        if name in floats:
            values = cols.floats[floats[name]]
            return Coded.of_numbers(values, listed, np.isnan(values))
        if name == "days_since_last_order":
            return Coded.of_numbers(cols.recency, listed, cols.recency == NO_DAYS)
        if name == "days_since_first_order":
            return Coded.of_numbers(base.today.toordinal() - cols.first_day, listed, ~cols.buyer)
        flags = {"price_sensitive": "price_sensitive", "high_value": "high_value", "top_spender": "top_spenders"}
        if name in flags:
            rows = self.value_rows.get(flags[name])
            if rows is None:
                rows = np.array(sorted(getattr(self, flags[name])), dtype=np.int64)
            mask = np.zeros(cols.size, dtype=bool)
            mask[rows] = True
            return Coded(np.where(listed, mask.astype(np.int32), -1).astype(np.int32), [False, True], {})
        return None

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
# R*36 + F*6 + M -> index of its group in RFM_GROUPS (-1: none)
_GROUP_CODES = np.array([RFM_GROUPS.index(g) if g in RFM_GROUPS else -1 for g in _GROUPS], dtype=np.int64)


def _window_days(name: str) -> int:
    return int(name.rsplit("_", 1)[1].rstrip("d"))


def top_rows(ids: IntArray, amounts: npt.NDArray[Any], share: float) -> IntArray | None:
    """fast_top_share over aligned arrays (`ids` ascending), as sorted ids: the ceil(share * n)
    largest amounts, ties at the cut to the lower ids (None when an amount is NaN)."""
    n = len(ids)
    if not n:
        return EMPTY_ROWS
    if np.issubdtype(amounts.dtype, np.floating) and np.isnan(amounts).any():
        return None
    count = max(1, ceil(Fraction(str(share)) * n))
    cut = np.partition(amounts, n - count)[n - count]  # the count-th largest amount
    above = amounts > cut
    ties = np.flatnonzero(amounts == cut)[: count - int(np.count_nonzero(above))]
    above[ties] = True
    found: IntArray = ids[above]
    return found


def rule_mask(rule: Rule, column: Callable[[str], Coded | None], listed: BoolArray) -> BoolArray | None:
    """Rule.select over Coded columns: the listed ids matching (None when a field has no Coded
    column, a node is of an unknown kind, or a test fails on a value)."""
    if isinstance(rule, Compare):
        coded = column(rule.field)
        if coded is None:
            return None
        try:
            return coded.matching(rule.test) & listed
        except Exception:  # noqa: BLE001 (a test that fails on some value: the list path decides)
            return None
    parts = [rule_mask(sub, column, listed) for sub in
             (rule.rules if isinstance(rule, AllOf | AnyOf) else (rule.rule,) if isinstance(rule, Not) else ())]
    if not parts or any(part is None for part in parts):
        return None
    masks = [part for part in parts if part is not None]
    found: BoolArray
    if isinstance(rule, AllOf):
        found = np.logical_and.reduce([listed, *masks])
    elif isinstance(rule, AnyOf):
        found = np.logical_or.reduce(masks) & listed
    else:
        found = listed & ~masks[0]
    return found


def quintiles(values: npt.NDArray[np.int64], higher_is_better: bool = True) -> npt.NDArray[np.int64]:
    """domain.segments.quintile_scores over an array: 1 + floor(5 * strictly worse / n), at most 5
    (the counts of each value by bincount when the values span a small range, else np.unique)."""
    n = len(values)
    if not n:
        return values
    low = int(values.min())
    if int(values.max()) - low <= 4 * n:
        offsets = values - low
        counts = np.bincount(offsets)
        below = np.cumsum(counts) - counts  # values strictly less than each
        inverse = offsets
    else:
        _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
        below = np.cumsum(counts) - counts
    worse = below[inverse] if higher_is_better else n - (below + counts)[inverse]
    scores: npt.NDArray[np.int64] = np.minimum(5, 1 + (5 * worse) // n)
    return scores


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

