"""Each voucher condition, voucher state and discount, referral grants and the order preview."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from loyalty_helpers import BIG_INVOICE, loyalty_rules

from custui.domain.purchase import OrderDraft, preview_order
from custui.domain.vouchers import (
    referral_grant,
    voucher_discount,
    voucher_problem,
    voucher_state,
    vouchers_triggered,
)

CUSTOMER = {"id": 1, "name": "Nguyễn Văn Đức", "birthday": "11-02"}
PRIOR = [{"id": 1, "customer_id": 1, "date": "2026-01-05", "total": 200_000}]


def order(day: str = "2026-03-10", total: int = 1_250_000, oid: int = 9) -> dict[str, Any]:
    return {"id": oid, "customer_id": 1, "date": day, "total": total}


def fired(rule: dict[str, Any], **kw: Any) -> list[str]:
    args: dict[str, Any] = {
        "order": order(), "customer": CUSTOMER, "prior_orders": PRIOR,
        "segments": frozenset(), "tier": None,
    }
    args.update(kw)
    return [g.rule for g in vouchers_triggered(loyalty=loyalty_rules(rule), **args)]


def test_seeds_rule_needs_the_special_list_and_the_amount() -> None:
    listed = frozenset({"high_value"})
    assert fired(BIG_INVOICE, segments=listed) == ["big"]
    assert fired(BIG_INVOICE, segments=frozenset()) == []  # not listed
    assert fired(BIG_INVOICE, segments=listed, order=order(total=999_999)) == []
    assert fired(BIG_INVOICE, segments=listed, order=order(total=1_000_000)) == ["big"]  # at least


def test_seeds_rule_grant_amount_and_validity() -> None:
    grants = vouchers_triggered(order(), CUSTOMER, PRIOR, {"high_value"}, None, loyalty_rules(BIG_INVOICE))
    grant = grants[0]
    assert (grant.amount, grant.percent, grant.source_order_id) == (100_000, None, 9)
    assert grant.issued_at == date(2026, 3, 10)
    assert grant.expires_at == date(2026, 6, 7)  # 90 days including 10/03
    rec = grant.to_record(1)
    assert rec["rule"] == "big" and rec["expires_at"] == "2026-06-07" and rec["used_at"] is None


def test_tier_condition_uses_the_tier_given() -> None:
    rule = {"id": "s", "name": "S", "when": {"tier": "silver"}, "percent": 5}
    assert fired(rule, tier="silver") == ["s"]
    assert fired(rule, tier="member") == []
    assert fired(rule, tier=None) == []


def test_first_purchase_condition() -> None:
    rule = {"id": "first", "name": "F", "when": {"first_purchase": True}, "amount": 50_000}
    assert fired(rule, prior_orders=[]) == ["first"]
    assert fired(rule, prior_orders=PRIOR) == []
    voided = [{**PRIOR[0], "void": True}]
    assert fired(rule, prior_orders=voided) == ["first"]  # a voided order does not count
    repeat = {"id": "again", "name": "A", "when": {"first_purchase": False}, "amount": 1}
    assert fired(repeat, prior_orders=PRIOR) == ["again"]


def test_birthday_month_condition() -> None:
    rule = {"id": "bday", "name": "B", "when": {"birthday_month": True}, "percent": 10, "valid_days": 30}
    assert fired(rule, order=order("2026-11-28")) == ["bday"]
    assert fired(rule, order=order("2026-10-28")) == []
    assert fired(rule, customer={"id": 1, "birthday": None}, order=order("2026-11-28")) == []


def test_void_order_triggers_nothing() -> None:
    void = {**order(), "void": True}
    assert fired(BIG_INVOICE, segments={"high_value"}, order=void) == []


def test_voucher_state_and_use_checks() -> None:
    voucher = {"id": 3, "customer_id": 1, "amount": 100_000, "issued_at": "2026-03-10", "expires_at": "2026-06-07"}
    assert voucher_state(voucher, date(2026, 6, 7)) == "active"
    assert voucher_state(voucher, date(2026, 6, 8)) == "expired"
    assert voucher_state({**voucher, "used_at": "2026-04-01"}, date(2026, 4, 2)) == "used"
    assert voucher_state({**voucher, "void": True}, date(2026, 4, 2)) == "void"
    assert voucher_problem(voucher, 1, date(2026, 4, 1)) is None
    assert voucher_problem(voucher, 2, date(2026, 4, 1)) == "not_owner"
    assert voucher_problem(voucher, 1, date(2026, 6, 8)) == "expired"
    assert voucher_problem(voucher, 1, date(2026, 3, 9)) == "not_yet"
    assert voucher_problem({**voucher, "used_at": "2026-04-01"}, 1, date(2026, 4, 2)) == "used"


@pytest.mark.parametrize(
    ("voucher", "total", "off"),
    [
        ({"amount": 100_000}, 1_250_000, 100_000),
        ({"amount": 100_000}, 80_000, 80_000),  # capped at the total
        ({"percent": 10}, 1_250_000, 125_000),
        ({"percent": 12.5}, 99_999, 12_499),  # floored
    ],
)
def test_voucher_discount(voucher: dict[str, Any], total: int, off: int) -> None:
    assert voucher_discount(voucher, total) == off


def test_referral_grant() -> None:
    grant = referral_grant(order("2026-03-10"), loyalty_rules())
    assert grant is not None and grant.rule == "referral" and grant.amount == 50_000
    assert grant.expires_at == date(2026, 6, 7)
    assert referral_grant(order(), loyalty_rules(referral={"reward_points": 10})) is None


# -- preview ---------------------------------------------------------------------------
def test_preview_shows_points_vouchers_and_tier_change() -> None:
    loyalty = loyalty_rules(BIG_INVOICE)
    orders = [{"id": 1, "customer_id": 1, "date": "2026-01-05", "total": 4_000_000}]
    voucher = {"id": 5, "customer_id": 1, "amount": 100_000, "issued_at": "2026-01-05", "expires_at": "2026-04-04"}
    draft = OrderDraft(date=date(2026, 3, 10), total=1_250_000, voucher_id=5, points_redeemed=300)
    preview = preview_order(
        draft, CUSTOMER, orders, loyalty, date(2026, 3, 10), segments={"high_value"}, voucher=voucher,
    )
    assert preview.balance_before == 400
    assert preview.points_redeemed == 300 and preview.redeem_value == 30_000
    assert preview.voucher_discount == 100_000
    assert preview.amount_due == 1_250_000 - 100_000 - 30_000
    # earn_on paid (the default): on 1,120,000 paid, member at the time of the order: x1
    assert preview.earn_on == "paid" and preview.earn_base == 1_120_000
    assert preview.points_earned == 112
    assert preview.balance_after == 400 - 300 + 112
    assert (preview.tier_before.id, preview.tier_after.id) == ("member", "silver")
    assert preview.tier_changed and preview.tier_direction(loyalty) == 1
    assert [g.rule for g in preview.vouchers] == ["big"]
    assert not preview.referral


def test_preview_caps_redeem_at_balance_and_amount_due() -> None:
    orders = [{"id": 1, "customer_id": 1, "date": "2026-01-05", "total": 4_000_000}]  # 400 points
    draft = OrderDraft(date=date(2026, 3, 10), total=1_250_000, points_redeemed=900)
    preview = preview_order(draft, CUSTOMER, orders, loyalty_rules(), date(2026, 3, 10))
    assert preview.max_redeemable == 400 and preview.points_redeemed == 400
    small = OrderDraft(date=date(2026, 3, 10), total=20_000, points_redeemed=900)
    assert preview_order(small, CUSTOMER, orders, loyalty_rules(), date(2026, 3, 10)).max_redeemable == 200


def test_preview_of_a_referred_customers_first_order() -> None:
    referred = {"id": 2, "referred_by": 1}
    draft = OrderDraft(date=date(2026, 3, 10), total=500_000)
    assert preview_order(draft, referred, [], loyalty_rules(), date(2026, 3, 10)).referral
    again = [{"id": 4, "customer_id": 2, "date": "2026-03-01", "total": 10}]
    assert not preview_order(draft, referred, again, loyalty_rules(), date(2026, 3, 10)).referral
