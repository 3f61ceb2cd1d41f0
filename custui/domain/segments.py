"""Built-in customer segments, RFM scoring, bands and segment summaries (pure).

Segment ids (stable, used by loyalty.yaml `segment:` and the screens); the bare
ones are those config.segments.Segments.segment_ids() lists:
  potential, current, loyal, lapsed (lifecycle); individual, business (kind);
  external, internal (scope); end_user, buyer, agent, supplier, department (role);
  the frequency and AOV band ids from segments.yaml; price_sensitive, top_spenders,
  high_value; custom segments under their own id. Prefixed, as their names could
  clash: tier.<tier id>, rfm.<group>, frequency.once (one-order customers).

RFM (over buyers, i.e. customers with at least one order):
  recency R = days since the last order (fewer is better), frequency F = orders in
  the RFM window, monetary M = spend in the window. Each is scored 1-5 by quintile:
  ``score = 1 + floor(5 * worse / n)`` where `worse` counts buyers with a strictly
  worse value and n is the number of buyers. Equal values always share a score,
  the worst value scores 1, and the order of customers never matters.
  Groups, first match wins (covers all 125 score triples):
    champions          R>=4, F>=4, M>=4   recent, frequent, big spenders
    loyal              R>=3, F>=4         buy often, recently enough
    cannot_lose        R<=2, F>=4, M>=4   used to buy big and often, gone quiet
    at_risk            R<=2, F>=3         used to buy often, gone quiet
    new                R>=4, F<=1         first purchases, recently
    potential_loyalist R>=3, F<=3         recent, not yet frequent
    hibernating        R=2,  F<=2         low, a while ago
    lost               R=1,  F<=2         low, long ago
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq
from typing import Protocol

from custui.domain.metrics import top_customers
from custui.domain.rules import RFM_GROUPS
from custui.i18n import catalog

BUILTIN_IDS = ("price_sensitive", "top_spenders", "high_value")
ONCE_BAND = "once"
ONCE_ID = "frequency.once"
TOP_SPENDERS_SHARE = 0.2


class BandLike(Protocol):
    """A band from segments.yaml: members have value < below (None: everyone else)."""

    @property
    def id(self) -> str: ...

    @property
    def below(self) -> float | None: ...


@dataclass(frozen=True)
class Segment:
    """A named set of customer ids; `group` says which list it belongs to on screen."""

    id: str
    group: str
    label_en: str
    label_vi: str
    members: frozenset[int]

    def label(self, locale: str = "en") -> str:
        return self.label_vi if locale == "vi" and self.label_vi else self.label_en


@dataclass(frozen=True)
class SegmentSummary:
    """The figures the Segments screen lists for one segment."""

    id: str
    group: str
    label_en: str
    label_vi: str
    count: int
    customer_share: float  # of all customers (0-1)
    revenue: int  # lifetime spend of the members, minor units
    revenue_share: float  # of all customers' revenue (0-1)
    avg_clv: float | None  # over members who bought; None when none did

    def label(self, locale: str = "en") -> str:
        return self.label_vi if locale == "vi" and self.label_vi else self.label_en


def text_pair(key: str) -> tuple[str, str]:
    """(English, Vietnamese) of an i18n key; the key itself when missing."""
    return catalog().get(key, (key, key))


def segment(seg_id: str, group: str, label: tuple[str, str], members: Iterable[int]) -> Segment:
    return Segment(seg_id, group, label[0], label[1], frozenset(members))


def group_by_value(
    group: str,
    values: Mapping[int, str | None],
    order: Sequence[str],
    labels: Mapping[str, tuple[str, str]],
    prefixed: bool = False,
    make: Callable[[str, str, tuple[str, str], Iterable[int]], Segment] | None = None,
) -> list[Segment]:
    """One segment per value in `order` (empty ones included); ids are the values
    themselves, or `group.value` when `prefixed`. One C-level pass per value: with the
    handful of values a group has, this beats bucketing customer by customer in Python.
    `make` builds each segment (default: `segment`)."""
    keys = list(values)
    column = list(values.values())
    build = make or segment
    return [
        build(
            f"{group}.{value}" if prefixed else value, group, labels.get(value, (value, value)),
            compress(keys, map(eq, column, repeat(value))),
        )
        for value in order
    ]


def band_of(value: float | None, bands: Sequence[BandLike]) -> str | None:
    """The id of the first band whose `below` exceeds `value` (a band with no `below` takes all)."""
    if value is None:
        return None
    for band in bands:
        if band.below is None or value < band.below:
            return band.id
    return None


def avg_days_between(first_ordinal: int, last_ordinal: int, orders: int) -> float | None:
    """Average gap in days between orders; None with fewer than two orders."""
    if orders < 2:
        return None
    return (last_ordinal - first_ordinal) / (orders - 1)


def frequency_band(gap: float | None, orders: int, bands: Sequence[BandLike]) -> str | None:
    """Band by average days between orders; `once` for one order, None for none."""
    if orders == 1:
        return ONCE_BAND
    return band_of(gap, bands)


def top_share(values: Mapping[int, float], share: float) -> frozenset[int]:
    """The top `share` of customers by value: ceil(share * n) of them, ties broken by lower id."""
    return frozenset(top_customers(values, share))  # type: ignore[arg-type]


def above_share(values: Mapping[int, float], threshold: float) -> frozenset[int]:
    """Customers whose value is strictly above `threshold` (price-sensitive: promo share)."""
    return frozenset(cid for cid, value in values.items() if value > threshold)


def quintile_scores(values: Mapping[int, float], higher_is_better: bool = True) -> dict[int, int]:
    """Scores 1-5: 1 + floor(5 * (customers with a strictly worse value) / n)."""
    n = len(values)
    if not n:
        return {}
    counts = Counter(values.values())
    score_of: dict[float, int] = {}
    worse = 0
    for value in sorted(counts, reverse=not higher_is_better):  # from the worst value to the best
        score_of[value] = min(5, 1 + (5 * worse) // n)
        worse += counts[value]
    return dict(zip(values.keys(), map(score_of.__getitem__, values.values()), strict=True))


def rfm_scores(
    recency_days: Mapping[int, int], frequency: Mapping[int, float], monetary: Mapping[int, float]
) -> dict[int, tuple[int, int, int]]:
    """(R, F, M) scores for every customer in `recency_days` (missing F/M count as 0)."""
    r = quintile_scores(recency_days, higher_is_better=False)
    f = quintile_scores({cid: frequency.get(cid, 0) for cid in recency_days})
    m = quintile_scores({cid: monetary.get(cid, 0) for cid in recency_days})
    return {cid: (r[cid], f[cid], m[cid]) for cid in recency_days}


def rfm_group(r: int, f: int, m: int) -> str:
    """The named RFM group of a score triple (see the module docstring for the table)."""
    if r >= 3:
        if f >= 4:
            return "champions" if r >= 4 and m >= 4 else "loyal"
        if r >= 4 and f <= 1:
            return "new"
        return "potential_loyalist"
    if f >= 4 and m >= 4:
        return "cannot_lose"
    if f >= 3:
        return "at_risk"
    return "hibernating" if r == 2 else "lost"


def rfm_labels() -> dict[str, tuple[str, str]]:
    return {group: text_pair(f"segments.rfm.{group}") for group in RFM_GROUPS}


def summarize(
    seg: Segment,
    total_customers: int,
    spend: Mapping[int, int],
    total_revenue: int,
    clv: Mapping[int, float],
) -> SegmentSummary:
    """Count, shares, revenue and average CLV of one segment."""
    revenue = 0
    clv_sum = 0.0
    clv_count = 0
    spend_get = spend.get
    clv_get = clv.get
    for cid in seg.members:
        revenue += spend_get(cid, 0)
        value = clv_get(cid)
        if value is not None:
            clv_sum += value
            clv_count += 1
    count = len(seg.members)
    return SegmentSummary(
        id=seg.id,
        group=seg.group,
        label_en=seg.label_en,
        label_vi=seg.label_vi,
        count=count,
        customer_share=count / total_customers if total_customers else 0.0,
        revenue=revenue,
        revenue_share=revenue / total_revenue if total_revenue else 0.0,
        avg_clv=clv_sum / clv_count if clv_count else None,
    )
