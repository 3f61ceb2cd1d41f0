"""Properties of the derived ledger: never negative, idempotent, redemptions within the balance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from custui.domain.loyalty import (
    active_orders,
    order_day,
    order_key,
    orders_before,
    tier_for,
    tier_holds_until,
    tier_rank,
    tier_timeline,
)
from custui.domain.models.loyalty import Loyalty
from custui.domain.points import points_ledger

START = date(2025, 1, 1)

orders_st = st.lists(
    st.fixed_dictionaries({
        "day": st.integers(0, 800),
        "total": st.integers(0, 30_000_000),
        "points_redeemed": st.one_of(st.just(0), st.integers(0, 5_000)),
        "void": st.booleans(),
    }),
    max_size=25,
)
rules_st = st.fixed_dictionaries({
    "per_amount": st.sampled_from([1_000, 10_000, 100_000]),
    "point_value": st.sampled_from([1, 100, 1_000]),
    "expiry": st.one_of(st.none(), st.integers(1, 400)),
    "window": st.integers(1, 400),
    "match": st.sampled_from(["any", "all"]),
    "referral_points": st.integers(0, 500),
})


def build(raw: list[dict[str, Any]], knobs: dict[str, Any]) -> tuple[list[dict[str, Any]], Loyalty]:
    orders = [
        {
            "id": index + 1,
            "customer_id": 1,
            "date": (START + timedelta(days=item["day"])).isoformat(),
            "total": item["total"],
            "points_redeemed": item["points_redeemed"],
            "void": item["void"],
        }
        for index, item in enumerate(raw)
    ]
    loyalty = Loyalty.model_validate({
        "earn": {"per_amount": knobs["per_amount"], "points": 1},
        "point_value": knobs["point_value"],
        "points_expiry_days": knobs["expiry"],
        "tier_window_days": knobs["window"],
        "tier_match": knobs["match"],
        "tiers": [
            {"id": "member", "name": "Member"},
            {"id": "silver", "name": "Silver", "min_spend": 5_000_000, "min_orders": 3, "multiplier": 1.3},
            {"id": "gold", "name": "Gold", "min_spend": 20_000_000, "min_orders": 6, "multiplier": 2.0},
        ],
        "referral": {"reward_points": knobs["referral_points"]},
    })
    return orders, loyalty


referrals_st = st.lists(st.tuples(st.integers(0, 800), st.integers(2, 50)), max_size=4)


@settings(max_examples=150, deadline=None)
@given(orders_st, rules_st, referrals_st, st.integers(0, 1_200))
def test_ledger_invariants(raw: list[dict[str, Any]], knobs: dict[str, Any], refs: list[tuple[int, int]], today_offset: int) -> None:
    orders, loyalty = build(raw, knobs)
    today = START + timedelta(days=today_offset)
    referrals = [(START + timedelta(days=d), cid) for d, cid in refs]
    ledger = points_ledger(orders, loyalty, today, referrals)

    # never negative, at any point of the replay
    assert ledger.balance >= 0
    assert all(entry.balance >= 0 for entry in ledger.entries)
    # the totals add up
    assert ledger.balance == ledger.earned - ledger.redeemed - ledger.expired
    # each redemption fits the balance just before it and the order's total
    previous = 0
    by_id = {o["id"]: o for o in orders}
    for entry in ledger.entries:
        if entry.kind == "redeem":
            assert -entry.points <= previous
            assert -entry.points * loyalty.point_value <= by_id[entry.order_id]["total"]
            assert -entry.points <= by_id[entry.order_id]["points_redeemed"]
            assert not by_id[entry.order_id]["void"]
        previous = entry.balance
    # re-deriving gives the same ledger, whatever order the records come in
    assert points_ledger(list(reversed(orders)), loyalty, today, referrals) == ledger
    assert points_ledger(orders, loyalty, today, referrals) == ledger


@settings(max_examples=60, deadline=None)
@given(orders_st, rules_st)
def test_voiding_everything_leaves_nothing(raw: list[dict[str, Any]], knobs: dict[str, Any]) -> None:
    orders, loyalty = build(raw, knobs)
    voided = [{**o, "void": True} for o in orders]
    ledger = points_ledger(voided, loyalty, START + timedelta(days=900))
    assert (ledger.balance, ledger.earned, ledger.entries) == (0, 0, ())


@settings(max_examples=100, deadline=None)
@given(orders_st, rules_st, st.integers(0, 900))
def test_tier_shortcuts_agree_with_tier_for(raw: list[dict[str, Any]], knobs: dict[str, Any], judged: int) -> None:
    orders, loyalty = build(raw, knobs)
    on_date = START + timedelta(days=judged)
    # the O(n) multiplier timeline equals judging each order from the orders before it
    active = active_orders(orders)
    expected = [tier_for(orders_before(orders, order_key(o)), loyalty, order_day(o)) for o in active]
    assert tier_timeline(orders, loyalty) == expected
    # the tier holds through holds_until and drops the day after (buying nothing more)
    past = [o for o in orders if order_day(o) <= on_date]
    rank = tier_rank(loyalty, tier_for(past, loyalty, on_date))
    until = tier_holds_until(past, loyalty, on_date)
    if until is not None:
        assert tier_rank(loyalty, tier_for(past, loyalty, until)) == rank
        assert tier_rank(loyalty, tier_for(past, loyalty, until + timedelta(days=1))) < rank
