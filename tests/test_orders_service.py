"""Recording, correcting and voiding purchases against a MemoryStore, asserting the stored records."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from custui.config.loader import AppConfig, load_config
from custui.domain.models.loyalty import Loyalty
from custui.domain.money import parse_money
from custui.domain.purchase import OrderDraft
from custui.errors import BadInput
from custui.i18n import set_locale
from custui.services.loyalty import (
    customer_loyalty,
    preview_purchase,
    progress_text,
    usable_vouchers,
)
from custui.services.orders import correct_order, record_order, void_order
from custui.store.memory import MemoryStore

TODAY = date(2026, 11, 28)
NOW = "2026-11-28T09:15:00"

LOYALTY = Loyalty.model_validate({
    "earn": {"per_amount": 10_000, "points": 1},
    "point_value": 100,
    "tier_window_days": 365,
    "tier_match": "all",
    "tiers": [
        {"id": "member", "name": {"en": "Member", "vi": "Thành viên"}},
        {"id": "silver", "name": {"en": "Silver", "vi": "Bạc"}, "min_spend": 5_000_000, "min_orders": 2, "multiplier": 1.5},
        {"id": "gold", "name": {"en": "Gold", "vi": "Vàng"}, "min_spend": 20_000_000, "min_orders": 4, "multiplier": 2.0},
    ],
    "vouchers": [
        {"id": "big", "name": "High value, big invoice", "when": {"segment": "high_value", "min_order_total": 1_000_000}, "amount": 100_000, "valid_days": 90},
        {"id": "first", "name": "First purchase", "when": {"first_purchase": True}, "amount": 50_000, "valid_days": 60},
    ],
    "referral": {"reward_points": 200, "reward_amount": 50_000, "valid_days": 90},
})


class CountingStore(MemoryStore):
    """Records what each durable write (one per batch) contained."""

    def __init__(self) -> None:
        super().__init__()
        self.flushes: list[list[str]] = []

    def _persist(self, pending: list[tuple[str, dict[str, Any]]]) -> None:
        self.flushes.append([table for table, _ in pending])


@pytest.fixture(scope="module")
def config() -> AppConfig:
    base = load_config(None)
    segments = base.segments.model_copy(update={"high_value_top_share": 0.5})
    return dataclasses.replace(base, loyalty=LOYALTY, segments=segments)


@pytest.fixture
def store() -> CountingStore:
    store = CountingStore()
    for name, extra in [
        ("Nguyễn Thị Lan", {"birthday": "11-02"}),  # 1
        ("Trần Văn Minh", {"referred_by": 1}),  # 2
        ("[b]Eve[/]", {"archived": True}),  # 3
        ("Lê Hoa", {}),  # 4
    ]:
        store.insert("customers", {"name": name, "archived": False, **extra})
    store.flushes.clear()
    return store


def draft(day: str, amount: str, **kw: Any) -> OrderDraft:
    return OrderDraft(date=date.fromisoformat(day), total=parse_money(amount, "VND"), **kw)


def rec(store: MemoryStore, config: AppConfig, cid: int, day: str, amount: str, **kw: Any) -> Any:
    return record_order(store, config, cid, draft(day, amount, **kw), TODAY, now=NOW)


def vouchers(store: MemoryStore, cid: int) -> list[tuple[str, str, bool]]:
    """(rule, state-ish, void) of a customer's stored vouchers."""
    return [
        (v["rule"], "used" if v.get("used_at") else "unused", bool(v.get("void")))
        for v in store.children("vouchers", cid)
    ]


# -- record / void round trip -----------------------------------------------------------
def test_record_then_void_round_trip(store: CountingStore, config: AppConfig) -> None:
    result = rec(store, config, 1, "2026-11-26", "1.250.000", items="Áo dài", channel="store")
    order = store.get("orders", result.order["id"])
    assert order is not None
    assert (order["total"], order["date"], order["items"], order["void"]) == (1_250_000, "2026-11-26", "Áo dài", False)
    assert order["created_at"] == NOW and order["points_redeemed"] == 0
    # one durable write holding the order and the first-purchase voucher
    assert store.flushes == [["orders", "vouchers"]]
    assert result.preview is not None and result.preview.points_earned == 125
    (voucher,) = store.children("vouchers", 1)
    assert (voucher["rule"], voucher["amount"], voucher["source_order_id"]) == ("first", 50_000, order["id"])
    assert (voucher["issued_at"], voucher["expires_at"]) == ("2026-11-26", "2027-01-24")

    summary = customer_loyalty(store, config, 1, TODAY)
    assert summary.balance == 125 and summary.tier.id == "member"
    assert [(v.rule, v.state) for v in summary.vouchers] == [("first", "active")]

    voided = void_order(store, config, order["id"], "entered twice", TODAY, now=NOW)
    stored = store.get("orders", order["id"])
    assert stored["void"] is True and stored["void_reason"] == "entered twice"
    assert stored["total"] == 1_250_000  # the record stays
    assert [v["rule"] for v in voided.vouchers_revoked] == ["first"]
    summary = customer_loyalty(store, config, 1, TODAY)
    assert summary.balance == 0
    assert [(v.rule, v.state) for v in summary.vouchers] == [("first", "void")]
    assert "entered twice" in summary.vouchers[0].void_reason


def test_seeds_rule_listed_customer_big_invoice(store: CountingStore, config: AppConfig) -> None:
    rec(store, config, 1, "2026-06-01", "3.000.000")  # Lan: big spender
    rec(store, config, 4, "2026-06-02", "200.000")  # Hoa: small
    # top half by average order value: only Lan is on the special list
    big = rec(store, config, 1, "2026-11-26", "1,25tr")
    assert [v["rule"] for v in big.vouchers_issued] == ["big"]
    assert big.vouchers_issued[0]["amount"] == 100_000
    small = rec(store, config, 4, "2026-11-26", "1.250.000")
    assert small.vouchers_issued == ()  # not listed
    under = rec(store, config, 1, "2026-11-27", "999.000")
    assert under.vouchers_issued == ()  # listed but not over 1.000.000


def test_voucher_and_points_applied_then_released_by_void(store: CountingStore, config: AppConfig) -> None:
    first = rec(store, config, 1, "2026-10-01", "2.000.000")  # +200 points, "first" voucher 50.000
    voucher_id = first.vouchers_issued[0]["id"]
    assert [v.id for v in usable_vouchers(store, config, 1, TODAY)] == [voucher_id]
    preview = preview_purchase(store, config, 1, draft("2026-11-26", "500.000", voucher_id=voucher_id, points_redeemed=150), TODAY)
    assert (preview.voucher_discount, preview.redeem_value, preview.amount_due) == (50_000, 15_000, 435_000)
    second = rec(store, config, 1, "2026-11-26", "500.000", voucher_id=voucher_id, points_redeemed=150)
    used = store.get("vouchers", voucher_id)
    assert used["used_at"] == "2026-11-26" and used["used_order_id"] == second.order["id"]
    assert usable_vouchers(store, config, 1, TODAY) == []
    # 200 - 150 redeemed + 43 earned on the 435.000 paid (earn_on: paid; still member)
    assert second.order["paid"] == 435_000
    assert customer_loyalty(store, config, 1, TODAY).balance == 200 - 150 + 43

    released = void_order(store, config, second.order["id"], "returned", TODAY, now=NOW)
    assert released.voucher_released is not None and released.voucher_released["id"] == voucher_id
    again = store.get("vouchers", voucher_id)
    assert again["used_at"] is None and again["used_order_id"] is None and not again.get("void")
    assert customer_loyalty(store, config, 1, TODAY).balance == 200


# -- validation -----------------------------------------------------------------------------
def test_invalid_purchases_are_refused_with_clear_messages(store: CountingStore, config: AppConfig) -> None:
    set_locale("en")
    rec(store, config, 1, "2026-10-01", "1.000.000")  # 100 points, voucher "first"
    lan_voucher = store.children("vouchers", 1)[0]["id"]
    cases: list[tuple[int, OrderDraft, str]] = [
        (99, draft("2026-11-01", "100.000"), "no customer #99"),
        (3, draft("2026-11-01", "100.000"), "[b]Eve[/] is archived"),
        (1, OrderDraft(date=TODAY, total=0), "more than zero"),
        (1, draft("2026-11-29", "100.000"), "2026-11-29 is after today"),
        (1, draft("2026-11-01", "100.000", points_redeemed=101), "Only 100 points"),
        (1, draft("2026-11-01", "5.000", points_redeemed=60), "Only 50 points"),  # worth the total
        (1, draft("2026-11-01", "100.000", points_redeemed=-1), "cannot be negative"),
        (4, draft("2026-11-01", "100.000", voucher_id=lan_voucher), "belongs to another customer"),
        (1, draft("2026-11-01", "100.000", voucher_id=999), "no voucher #999"),
        (1, draft("2026-12-01", "100.000", voucher_id=lan_voucher), "after today"),
    ]
    for cid, bad, message in cases:
        with pytest.raises(BadInput, match=message.replace("[", r"\[").replace("]", r"\]")):
            record_order(store, config, cid, bad, TODAY, now=NOW)
    assert store.count("orders") == 1 and store.flushes[-1] == ["orders", "vouchers"]

    expired_on = date(2026, 12, 1)  # voucher issued 01/10 for 60 days: last day 29/11
    with pytest.raises(BadInput, match="expired on 2026-11-29"):
        record_order(store, config, 1, draft("2026-11-30", "100.000", voucher_id=lan_voucher), expired_on)
    rec(store, config, 1, "2026-11-02", "100.000", voucher_id=lan_voucher)
    with pytest.raises(BadInput, match="already used"):
        rec(store, config, 1, "2026-11-03", "100.000", voucher_id=lan_voucher)


def test_vietnamese_messages(store: CountingStore, config: AppConfig) -> None:
    set_locale("vi")
    try:
        with pytest.raises(BadInput, match="Tổng tiền phải lớn hơn 0"):
            record_order(store, config, 1, OrderDraft(date=TODAY, total=0), TODAY)
    finally:
        set_locale("en")


def test_void_needs_a_reason_and_happens_once(store: CountingStore, config: AppConfig) -> None:
    order_id = rec(store, config, 1, "2026-10-01", "1.000.000").order["id"]
    with pytest.raises(BadInput, match="reason"):
        void_order(store, config, order_id, "  ", TODAY)
    void_order(store, config, order_id, "wrong customer", TODAY)
    with pytest.raises(BadInput, match="is void"):
        void_order(store, config, order_id, "again", TODAY)
    with pytest.raises(BadInput, match="is void"):
        correct_order(store, config, order_id, draft("2026-10-01", "1"), TODAY)
    with pytest.raises(BadInput, match="no order #42"):
        void_order(store, config, 42, "x", TODAY)


# -- referral -----------------------------------------------------------------------------
def test_referrer_rewarded_when_the_referred_customer_first_buys(store: CountingStore, config: AppConfig) -> None:
    first = rec(store, config, 2, "2026-11-01", "300.000")  # Minh was referred by Lan
    (reward,) = first.referral_vouchers
    assert (reward["customer_id"], reward["rule"], reward["amount"]) == (1, "referral", 50_000)
    assert reward["source_order_id"] == first.order["id"]
    lan = customer_loyalty(store, config, 1, TODAY)
    assert lan.balance == 200 and lan.referrals == 1
    assert [(e.kind, e.referred_id) for e in lan.ledger.entries] == [("referral", 2)]
    assert lan.vouchers[0].name() == "Referral reward"

    second = rec(store, config, 2, "2026-11-10", "300.000")
    assert second.referral_vouchers == ()  # only the first purchase rewards
    assert customer_loyalty(store, config, 1, TODAY).balance == 200

    # voiding the first purchase moves the reward to the one that is now first
    moved = void_order(store, config, first.order["id"], "cancelled", TODAY)
    assert [v["id"] for v in moved.vouchers_revoked if v["rule"] == "referral"] == [reward["id"]]
    (new_reward,) = moved.referral_vouchers
    assert new_reward["source_order_id"] == second.order["id"] and new_reward["issued_at"] == "2026-11-10"
    lan = customer_loyalty(store, config, 1, TODAY)
    assert [(e.kind, e.day) for e in lan.ledger.entries] == [("referral", date(2026, 11, 10))]

    void_order(store, config, second.order["id"], "cancelled", TODAY)
    lan = customer_loyalty(store, config, 1, TODAY)
    assert lan.balance == 0 and lan.referrals == 0
    assert [v.state for v in lan.vouchers] == ["void", "void"]


def test_used_referral_reward_is_never_taken_back(store: CountingStore, config: AppConfig) -> None:
    first = rec(store, config, 2, "2026-11-01", "300.000")
    reward_id = first.referral_vouchers[0]["id"]
    rec(store, config, 1, "2026-11-05", "400.000", voucher_id=reward_id)
    void_order(store, config, first.order["id"], "cancelled", TODAY)
    assert store.get("vouchers", reward_id)["used_at"] == "2026-11-05"
    assert not store.get("vouchers", reward_id).get("void")


# -- corrections ----------------------------------------------------------------------------
def test_correction_re_evaluates_the_orders_vouchers(store: CountingStore, config: AppConfig) -> None:
    rec(store, config, 1, "2026-06-01", "3.000.000")
    rec(store, config, 4, "2026-06-02", "200.000")
    big = rec(store, config, 1, "2026-11-20", "1.500.000")
    (voucher,) = big.vouchers_issued
    assert voucher["rule"] == "big"

    moved = correct_order(store, config, big.order["id"], draft("2026-11-22", "1.600.000", items="fixed"), TODAY, now=NOW)
    assert moved.order["total"] == 1_600_000 and moved.order["items"] == "fixed"
    assert moved.vouchers_issued == () and moved.vouchers_revoked == ()
    kept = store.get("vouchers", voucher["id"])
    assert (kept["issued_at"], kept["expires_at"]) == ("2026-11-22", "2027-02-19")  # follows the date

    shrunk = correct_order(store, config, big.order["id"], draft("2026-11-22", "900.000"), TODAY, now=NOW)
    assert [v["id"] for v in shrunk.vouchers_revoked] == [voucher["id"]]
    assert store.get("vouchers", voucher["id"])["void"] is True

    grown = correct_order(store, config, big.order["id"], draft("2026-11-22", "1.100.000"), TODAY, now=NOW)
    assert [v["rule"] for v in grown.vouchers_issued] == ["big"]


def test_correction_swaps_the_applied_voucher(store: CountingStore, config: AppConfig) -> None:
    first = rec(store, config, 1, "2026-10-01", "500.000")
    welcome = first.vouchers_issued[0]["id"]
    later = rec(store, config, 1, "2026-11-01", "400.000", voucher_id=welcome)
    assert store.get("vouchers", welcome)["used_order_id"] == later.order["id"]
    # keeping the same voucher on a corrected order is allowed
    correct_order(store, config, later.order["id"], draft("2026-11-02", "400.000", voucher_id=welcome), TODAY)
    assert store.get("vouchers", welcome)["used_at"] == "2026-11-02"
    # dropping it releases it
    dropped = correct_order(store, config, later.order["id"], draft("2026-11-02", "400.000"), TODAY)
    assert dropped.voucher_released is not None and store.get("vouchers", welcome)["used_at"] is None


# -- tiers through the profile summary ------------------------------------------------------
def test_tier_up_and_down_over_time_with_progress_text(store: CountingStore, config: AppConfig) -> None:
    rec(store, config, 4, "2026-01-10", "3.000.000")
    summary = customer_loyalty(store, config, 4, date(2026, 2, 1))
    assert summary.tier.id == "member"
    set_locale("vi")
    try:
        assert progress_text(summary.progress, "VND") == "Thêm 2.000.000\u00a0₫ và 1 đơn để lên Bạc trước 09/01/2027"
    finally:
        set_locale("en")
    rec(store, config, 4, "2026-03-01", "3.700.000")
    up = customer_loyalty(store, config, 4, date(2026, 3, 1))
    assert up.tier.id == "silver" and up.tier_holds_until == date(2027, 1, 9)
    assert progress_text(up.progress, "VND", "en") == "₫13,300,000 and 2 more orders to Gold by 2027-01-09"
    assert customer_loyalty(store, config, 4, date(2027, 1, 10)).tier.id == "member"


def test_preview_for_the_form_shows_tier_change_and_vouchers(store: CountingStore, config: AppConfig) -> None:
    rec(store, config, 1, "2026-06-01", "3.000.000")
    rec(store, config, 4, "2026-06-02", "200.000")
    preview = preview_purchase(store, config, 1, draft("2026-11-26", "2.500.000"), TODAY)
    assert (preview.tier_before.id, preview.tier_after.id) == ("member", "silver")
    assert preview.points_earned == 250 and preview.balance_after == 300 + 250
    assert [g.rule for g in preview.vouchers] == ["big"]
    assert store.count("orders") == 2  # nothing saved


def test_shipped_rules_give_the_seeds_voucher_to_a_listed_customer() -> None:
    """The default loyalty.yaml: a listed customer whose invoice is over 1.000.000 ₫ gets 100.000 ₫."""
    shipped = load_config(None)
    store = MemoryStore()
    lan = store.insert("customers", {"name": "Nguyễn Thị Lan", "archived": False})["id"]
    hoa = store.insert("customers", {"name": "Lê Hoa", "archived": False})["id"]
    record_order(store, shipped, lan, draft("2026-06-01", "5.000.000"), TODAY)
    record_order(store, shipped, hoa, draft("2026-06-01", "150.000"), TODAY)
    result = record_order(store, shipped, lan, draft("2026-11-26", "1.250.000"), TODAY)
    seeds = [
        v for v in result.vouchers_issued
        if next(r for r in shipped.loyalty.vouchers if r.id == v["rule"]).when.segment == "high_value"
    ]
    assert [v["amount"] for v in seeds] == [100_000]
    assert customer_loyalty(store, shipped, lan, TODAY).balance > 0
