"""Built-in segment helpers and RFM scoring, against hand-computed expectations."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from custui.domain.rules import RFM_GROUPS
from custui.domain.segments import (
    Segment,
    above_share,
    avg_days_between,
    band_of,
    frequency_band,
    group_by_value,
    quintile_scores,
    rfm_group,
    rfm_scores,
    summarize,
    top_share,
)


@dataclass
class B:
    id: str
    below: float | None


BANDS = [B("weekly", 10), B("monthly", 45), B("quarterly", 120), B("occasional", None)]


def test_bands_take_the_first_band_above_the_value() -> None:
    assert band_of(0, BANDS) == "weekly"
    assert band_of(9.9, BANDS) == "weekly"
    assert band_of(10, BANDS) == "monthly"  # `below` is exclusive
    assert band_of(119, BANDS) == "quarterly"
    assert band_of(400, BANDS) == "occasional"
    assert band_of(None, BANDS) is None
    assert band_of(500, BANDS[:3]) is None  # no catch-all band


def test_frequency_by_average_days_between_orders() -> None:
    # orders on day 0, 20, 40 -> gaps of 20 days -> monthly
    gap = avg_days_between(0, 40, 3)
    assert gap == 20
    assert frequency_band(gap, 3, BANDS) == "monthly"
    assert avg_days_between(5, 5, 1) is None
    assert frequency_band(None, 1, BANDS) == "once"
    assert frequency_band(None, 0, BANDS) is None


def test_top_share_rounds_up_and_breaks_ties_by_id() -> None:
    spend = {1: 100, 2: 500, 3: 300, 4: 500, 5: 50, 6: 10, 7: 0}
    # 20 % of 7 = 1.4 -> 2 customers: the two 500s
    assert top_share(spend, 0.2) == {2, 4}
    # 10 % of 7 = 0.7 -> 1 customer: of the tied 500s, the lower id
    assert top_share(spend, 0.1) == {2}
    assert top_share({i: 1 for i in range(1, 11)}, 0.2) == {1, 2}  # exactly 2 of 10
    assert top_share({}, 0.2) == frozenset()


def test_price_sensitive_is_strictly_above_the_threshold() -> None:
    assert above_share({1: 0.5, 2: 0.51, 3: 1.0, 4: 0.0}, 0.5) == {2, 3}


def test_quintile_scores_by_hand() -> None:
    # ten distinct values: two per quintile
    values = {cid: cid * 10 for cid in range(1, 11)}
    assert quintile_scores(values) == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5}
    # lower is better (recency): the smallest value scores 5
    assert quintile_scores(values, higher_is_better=False) == {
        1: 5, 2: 5, 3: 4, 4: 4, 5: 3, 6: 3, 7: 2, 8: 2, 9: 1, 10: 1,
    }


def test_quintile_ties_share_a_score() -> None:
    # five customers: three bought once, one twice, one ten times
    scores = quintile_scores({1: 1, 2: 1, 3: 1, 4: 2, 5: 10})
    # worse counts: 0, 0, 0, 3, 4 -> 1 + 5*worse//5
    assert scores == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}
    assert set(quintile_scores({1: 7, 2: 7}).values()) == {1}


@given(st.dictionaries(st.integers(1, 500), st.integers(0, 20), min_size=1, max_size=60))
def test_quintile_scores_are_monotone_and_fair(values: dict[int, int]) -> None:
    scores = quintile_scores(values)
    assert set(scores.values()) <= {1, 2, 3, 4, 5}
    assert min(scores.values()) == 1  # the worst value always scores 1
    for a, b in product(values, repeat=2):
        if values[a] == values[b]:
            assert scores[a] == scores[b]
        elif values[a] < values[b]:
            assert scores[a] <= scores[b]


def test_rfm_scores_by_hand() -> None:
    recency = {1: 3, 2: 40, 3: 200, 4: 10, 5: 400}  # days since last order
    frequency = {1: 12, 2: 4, 3: 1, 4: 1}  # customer 5 bought nothing in the window
    monetary = {1: 9_000, 2: 2_000, 3: 500, 4: 300}
    assert rfm_scores(recency, frequency, monetary) == {
        1: (5, 5, 5),  # most recent, most frequent, most spend
        2: (3, 4, 4),
        3: (2, 2, 3),  # frequency 1 ties with customer 4: worse = 1 -> 2
        4: (4, 2, 2),
        5: (1, 1, 1),
    }


def test_rfm_groups_table() -> None:
    assert rfm_group(5, 5, 5) == "champions"
    assert rfm_group(4, 4, 4) == "champions"
    assert rfm_group(3, 5, 5) == "loyal"
    assert rfm_group(5, 4, 2) == "loyal"
    assert rfm_group(2, 5, 5) == "cannot_lose"
    assert rfm_group(1, 4, 4) == "cannot_lose"
    assert rfm_group(2, 4, 2) == "at_risk"
    assert rfm_group(1, 3, 1) == "at_risk"
    assert rfm_group(5, 1, 5) == "new"
    assert rfm_group(4, 1, 1) == "new"
    assert rfm_group(3, 1, 1) == "potential_loyalist"
    assert rfm_group(5, 3, 2) == "potential_loyalist"
    assert rfm_group(2, 2, 5) == "hibernating"
    assert rfm_group(1, 2, 5) == "lost"
    assert rfm_group(1, 1, 1) == "lost"


def test_every_score_triple_has_a_group() -> None:
    groups = {rfm_group(r, f, m) for r, f, m in product(range(1, 6), repeat=3)}
    assert groups == set(RFM_GROUPS)


def test_group_by_value_keeps_empty_segments_in_order() -> None:
    values = {1: "loyal", 2: "current", 3: "loyal", 4: None}
    segs = group_by_value("lifecycle", values, ["potential", "current", "loyal"], {"loyal": ("Loyal", "Trung thành")})
    assert [(s.id, sorted(s.members)) for s in segs] == [("potential", []), ("current", [2]), ("loyal", [1, 3])]
    assert segs[2].label("vi") == "Trung thành"
    prefixed = group_by_value("rfm", {1: "lost"}, ["lost"], {}, prefixed=True)
    assert prefixed[0].id == "rfm.lost"


def test_summary_counts_shares_revenue_and_clv() -> None:
    seg = Segment("x", "custom", "X", "", frozenset({1, 2, 3}))
    spend = {1: 600, 2: 200, 4: 1200}  # customer 3 never bought
    clv = {1: 1800.0, 2: 600.0, 4: 3600.0}
    summary = summarize(seg, total_customers=6, spend=spend, total_revenue=2000, clv=clv)
    assert summary.count == 3
    assert summary.customer_share == 0.5
    assert summary.revenue == 800
    assert summary.revenue_share == 0.4
    assert summary.avg_clv == 1200.0  # over the members who bought
    assert summary.label("vi") == "X"  # no Vietnamese: English
    empty = summarize(Segment("e", "custom", "E", "", frozenset()), 0, {}, 0, {})
    assert (empty.customer_share, empty.revenue_share, empty.avg_clv) == (0.0, 0.0, None)
