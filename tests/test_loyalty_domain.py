"""Worked numbers for earning, redeeming, expiry and tiers over time (pure domain)."""

from __future__ import annotations

from datetime import date
from typing import Any

from custui.domain.loyalty import tier_for, tier_holds_until, tier_progress, tier_timeline
from custui.domain.models.loyalty import Loyalty
from custui.domain.points import earn_points, points_ledger


def rules(**over: Any) -> Loyalty:
    base: dict[str, Any] = {
        "earn": {"per_amount": 10_000, "points": 1},  # 1 point per 10.000 ₫
        "point_value": 100,  # 1 point = 100 ₫
        "tier_window_days": 365,
        "tier_match": "all",
        "tiers": [
            {"id": "member", "name": "Member"},
            {"id": "silver", "name": "Silver", "min_spend": 5_000_000, "min_orders": 2, "multiplier": 1.5},
            {"id": "gold", "name": "Gold", "min_spend": 20_000_000, "min_orders": 4, "multiplier": 2.0},
        ],
    }
    base.update(over)
    return Loyalty.model_validate(base)


def order(oid: int, day: str, total: int, **extra: Any) -> dict[str, Any]:
    return {"id": oid, "customer_id": 1, "date": day, "total": total, **extra}


# -- earning ---------------------------------------------------------------------------
def test_points_are_floored_per_whole_earn_amount() -> None:
    loyalty = rules(tiers=[])
    assert earn_points(1_259_000, loyalty) == 125
    assert earn_points(9_999, loyalty) == 0
    two_per = rules(tiers=[], earn={"per_amount": 50_000, "points": 2})
    assert earn_points(1_259_000, two_per) == 50  # 25 whole 50.000s x 2


def test_multiplier_of_the_tier_at_the_time_of_the_order() -> None:
    loyalty = rules()
    orders = [
        order(1, "2026-01-10", 3_000_000),  # member: 300
        order(2, "2026-02-10", 2_000_000),  # still member before it (1 order): 200
        order(3, "2026-03-10", 1_000_000),  # silver now (5M, 2 orders): 100 x 1.5 = 150
    ]
    ledger = points_ledger(orders, loyalty, date(2026, 4, 1))
    assert ledger.earned_by_order() == {1: 300, 2: 200, 3: 150}
    assert ledger.balance == 650
    assert [t.id if t else None for t in tier_timeline(orders, loyalty)] == ["member", "member", "silver"]


def test_multiplier_floor_is_exact_decimal() -> None:
    loyalty = rules(tiers=[{"id": "x", "name": "X", "multiplier": 1.15}])
    # 20 x 1.15 = 23 exactly (binary floats would give 22.999...)
    assert earn_points(200_000, loyalty, loyalty.tiers[0]) == 23


def test_void_orders_count_for_nothing() -> None:
    loyalty = rules(tiers=[])
    orders = [
        order(1, "2026-01-10", 1_000_000),
        order(2, "2026-01-11", 5_000_000, void=True, void_reason="typo", points_redeemed=50),
    ]
    ledger = points_ledger(orders, loyalty, date(2026, 2, 1))
    assert (ledger.balance, ledger.earned, ledger.redeemed) == (100, 100, 0)
    assert tier_for(orders, rules(), date(2026, 2, 1)).id == "member"


def test_orders_after_today_are_not_counted_yet() -> None:
    ledger = points_ledger([order(1, "2026-05-01", 1_000_000)], rules(tiers=[]), date(2026, 4, 30))
    assert ledger.balance == 0


# -- redeeming -------------------------------------------------------------------------
def test_redeem_before_earning_on_the_same_order() -> None:
    loyalty = rules(tiers=[])
    orders = [
        order(1, "2026-01-10", 2_000_000),  # +200
        order(2, "2026-01-20", 300_000, points_redeemed=150),  # -150 then +30
    ]
    ledger = points_ledger(orders, loyalty, date(2026, 2, 1))
    assert [(e.kind, e.points, e.balance) for e in ledger.entries] == [
        ("earn", 200, 200), ("redeem", -150, 50), ("earn", 30, 80),
    ]
    assert (ledger.earned, ledger.redeemed, ledger.balance) == (230, 150, 80)


def test_redeem_is_capped_by_balance_and_by_order_total() -> None:
    loyalty = rules(tiers=[])
    orders = [
        order(1, "2026-01-10", 2_000_000),  # +200
        order(2, "2026-01-11", 5_000_000, points_redeemed=999),  # only 200 available
        order(3, "2026-01-12", 2_000_000),  # +200
        order(4, "2026-01-13", 15_000, points_redeemed=200),  # 15.000 ₫ is worth 150 points
    ]
    ledger = points_ledger(orders, loyalty, date(2026, 2, 1))
    redeems = [(e.order_id, e.points, e.requested) for e in ledger.entries if e.kind == "redeem"]
    assert redeems == [(2, -200, 999), (4, -150, 200)]
    # 200 + 500 + 200 + 1 earned; 350 redeemed
    assert ledger.balance == 200 + 500 + 200 + 1 - 350 == 551


# -- expiry (FIFO) ---------------------------------------------------------------------
def test_expiry_consumes_oldest_points_first() -> None:
    loyalty = rules(tiers=[], points_expiry_days=30)
    orders = [
        order(1, "2026-01-01", 1_000_000),  # +100, expires 31/01
        order(2, "2026-01-20", 500_000),  # +50, expires 19/02
        order(3, "2026-01-25", 100_000, points_redeemed=120),  # -120 (100 old + 20), +10 (exp 24/02)
    ]
    on_18_feb = points_ledger(orders, loyalty, date(2026, 2, 18))
    assert on_18_feb.balance == 40 and on_18_feb.expired == 0
    assert on_18_feb.next_expiry == (date(2026, 2, 19), 30)

    on_19_feb = points_ledger(orders, loyalty, date(2026, 2, 19))
    assert on_19_feb.balance == 10 and on_19_feb.expired == 30
    assert on_19_feb.entries[-1].kind == "expire" and on_19_feb.entries[-1].day == date(2026, 2, 19)

    on_24_feb = points_ledger(orders, loyalty, date(2026, 2, 24))
    assert (on_24_feb.balance, on_24_feb.expired, on_24_feb.next_expiry) == (0, 40, None)
    assert on_24_feb.earned - on_24_feb.redeemed - on_24_feb.expired == on_24_feb.balance


def test_expired_points_cannot_be_redeemed() -> None:
    loyalty = rules(tiers=[], points_expiry_days=30)
    orders = [
        order(1, "2026-01-01", 1_000_000),  # +100 expires 31/01
        order(2, "2026-01-31", 500_000, points_redeemed=100),  # on the expiry day: nothing left
    ]
    ledger = points_ledger(orders, loyalty, date(2026, 2, 1))
    assert ledger.redeemed == 0 and ledger.expired == 100 and ledger.balance == 50


def test_referral_bonus_enters_the_ledger_and_expires_like_points() -> None:
    loyalty = rules(tiers=[], points_expiry_days=60, referral={"reward_points": 200})
    ledger = points_ledger([], loyalty, date(2026, 3, 1), referrals=[(date(2026, 2, 1), 7)])
    assert ledger.balance == 200
    assert ledger.entries[0].kind == "referral" and ledger.entries[0].referred_id == 7
    assert points_ledger([], loyalty, date(2026, 4, 2), referrals=[(date(2026, 2, 1), 7)]).balance == 0


# -- tiers over time -------------------------------------------------------------------
def test_tier_up_then_down_when_the_window_moves_on() -> None:
    loyalty = rules()
    orders = [order(1, "2026-01-10", 3_000_000), order(2, "2026-03-01", 3_000_000)]
    assert tier_for(orders, loyalty, date(2026, 2, 1)).id == "member"
    assert tier_for(orders, loyalty, date(2026, 3, 1)).id == "silver"
    # the January order is in the window through 09/01/2027 (365 days including its own)
    assert tier_for(orders, loyalty, date(2027, 1, 9)).id == "silver"
    assert tier_for(orders, loyalty, date(2027, 1, 10)).id == "member"
    assert tier_holds_until(orders, loyalty, date(2026, 6, 1)) == date(2027, 1, 9)
    assert tier_holds_until(orders, loyalty, date(2027, 1, 10)) is None  # member never drops


def test_tier_needs_all_thresholds_or_any() -> None:
    big_single = [order(1, "2026-01-10", 6_000_000)]
    assert tier_for(big_single, rules(), date(2026, 1, 10)).id == "member"  # 1 order < 2
    assert tier_for(big_single, rules(tier_match="any"), date(2026, 1, 10)).id == "silver"
    assert tier_for([], rules(tiers=[]), date(2026, 1, 10)) is None


def test_tier_progress_amount_and_by_date() -> None:
    loyalty = rules()
    orders = [order(1, "2026-01-10", 3_000_000), order(2, "2026-03-01", 3_700_000)]
    progress = tier_progress(orders, loyalty, date(2026, 6, 1))
    assert progress is not None
    assert (progress.current.id, progress.next.id) == ("silver", "gold")
    assert progress.spend == 6_700_000 and progress.orders == 2
    assert progress.spend_needed == 13_300_000 and progress.orders_needed == 2
    # the 10/01 order leaves the window on 10/01/2027: the amounts hold through 09/01/2027
    assert progress.by == date(2027, 1, 9)
    assert progress.holds_until == date(2027, 1, 9)


def test_tier_progress_with_no_orders_and_at_the_top() -> None:
    loyalty = rules()
    fresh = tier_progress([], loyalty, date(2026, 6, 1))
    assert fresh is not None and fresh.current.id == "member" and fresh.next.id == "silver"
    assert (fresh.spend_needed, fresh.orders_needed) == (5_000_000, 2)
    assert fresh.by == date(2027, 5, 31)  # a window starting today
    top = [order(i, f"2026-0{i}-01", 6_000_000) for i in range(1, 5)]
    assert tier_for(top, loyalty, date(2026, 5, 1)).id == "gold"
    assert tier_progress(top, loyalty, date(2026, 5, 1)) is None


def test_unused_threshold_is_reported_as_none() -> None:
    loyalty = rules(tiers=[
        {"id": "member", "name": "Member"},
        {"id": "vip", "name": "VIP", "min_orders": 3},
    ])
    progress = tier_progress([order(1, "2026-01-01", 100)], loyalty, date(2026, 1, 2))
    assert progress is not None and progress.spend_needed is None and progress.orders_needed == 2
