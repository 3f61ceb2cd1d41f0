"""Invariants of the customer formulas, for any data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custui.domain.enums import LIFECYCLES
from custui.domain.lifecycle import lifecycle
from custui.domain.metrics import pareto_share, retention, revenue_share_by_group, top_customers
from custui.domain.models.segments import Lifecycle
from custui.domain.stats import compute_stats, stats_by_customer

TODAY = date(2026, 6, 30)
ids = st.sets(st.integers(min_value=1, max_value=60))
spends = st.dictionaries(st.integers(1, 500), st.integers(min_value=0, max_value=10**12), min_size=1)
orders_st = st.lists(
    st.fixed_dictionaries({
        "customer_id": st.integers(1, 5),
        "date": st.integers(0, 900).map(lambda d: (TODAY - timedelta(days=d)).isoformat()),
        "total": st.integers(0, 10**9),
        "promo": st.booleans(),
        "void": st.booleans(),
    }),
    max_size=40,
)
rules_st = st.builds(
    Lifecycle, loyal_min_orders=st.integers(1, 10), loyal_window_days=st.integers(1, 800),
    lapsed_after_days=st.integers(1, 800),
)


@given(ids, ids)
def test_retention_is_a_share_and_churn_its_complement(before: set[int], now: set[int]) -> None:
    result = retention(before, now)
    if not before:
        assert result.rate is None
        return
    assert result.rate is not None and result.churn is not None
    assert 0.0 <= result.rate <= 1.0
    assert result.churn == 1.0 - result.rate


@given(spends)
def test_pareto_share_is_at_least_the_top_share_and_at_most_one(spend: dict[int, int]) -> None:
    share = pareto_share(spend)
    if sum(spend.values()) == 0:
        assert share == 0.0
    else:
        assert 0.2 <= share <= 1.0
    assert top_customers(spend) == top_customers(dict(reversed(list(spend.items()))))


@given(spends, st.dictionaries(st.integers(1, 500), st.sampled_from(LIFECYCLES)))
def test_revenue_shares_sum_to_one(spend: dict[int, int], groups: dict[int, str]) -> None:
    shares = revenue_share_by_group(spend, groups)
    assert all(0.0 <= s <= 1.0 for s in shares.values())
    if sum(spend.values()) > 0:
        assert abs(sum(shares.values()) - 1.0) < 1e-9


@given(orders_st, rules_st)
def test_potential_exactly_when_no_orders(orders: list[dict], rules: Lifecycle) -> None:
    stats = compute_stats(orders)
    group = lifecycle(stats, TODAY, rules)
    assert group in LIFECYCLES
    has_orders = any(not o["void"] for o in orders)
    assert (group == "potential") == (not has_orders)


@given(orders_st)
def test_grouped_stats_equal_per_customer_stats(orders: list[dict]) -> None:
    grouped = stats_by_customer(orders)
    for cid in {o["customer_id"] for o in orders}:
        mine = compute_stats([o for o in orders if o["customer_id"] == cid])
        assert grouped.get(cid, mine) == mine
        assert mine.total_spend == sum(o["total"] for o in orders if o["customer_id"] == cid and not o["void"])
