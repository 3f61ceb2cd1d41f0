"""earn_on (loyalty.yaml): points and voucher rules on what the customer paid, or on the total.

The issue's case: a ₫1,500,000 order paid with 14,826 points (worth ₫1,482,600 at
₫100 a point) leaves ₫17,400 to pay. Under `earn_on: paid` it earns
floor(17,400 / 10,000) = 1 point and does not reach the ₫1,000,000 "big invoice"
voucher; under `earn_on: total` it earns 150 points and triggers the voucher.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from loyalty_helpers import BIG_INVOICE, loyalty_rules

from custui.config.loader import load_config
from custui.domain.loyalty import earn_base
from custui.domain.models.loyalty import Loyalty
from custui.domain.points import points_ledger
from custui.domain.purchase import OrderDraft, preview_order
from custui.services.loyalty import customer_loyalty
from custui.services.orders import record_order
from custui.store.memory import MemoryStore

DAY = date(2026, 3, 10)
# one earlier order of ₫148,260,000 earned exactly 14,826 points (member, x1)
EARLIER = {"id": 1, "customer_id": 1, "date": "2026-01-05", "total": 148_260_000}
CUSTOMER = {"id": 1, "name": "Nguyễn Văn Đức"}


def rules(**over: Any) -> Loyalty:
    """Silver needs 5 orders: the earlier order and this one leave the customer a member (x1)."""
    return loyalty_rules(BIG_INVOICE, silver_orders=5, **over)


def preview(loyalty: Loyalty) -> Any:
    draft = OrderDraft(date=DAY, total=1_500_000, points_redeemed=14_826)
    return preview_order(draft, CUSTOMER, [EARLIER], loyalty, DAY, segments={"high_value"})


def test_paid_is_the_default_and_the_issue_order_earns_on_17_400() -> None:
    loyalty = rules()
    assert loyalty.earn_on == "paid"
    seen = preview(loyalty)
    assert seen.balance_before == 14_826
    assert seen.redeem_value == 1_482_600 and seen.amount_due == 17_400
    assert seen.earn_base == 17_400
    assert seen.points_earned == 1  # floor(17,400 / 10,000)
    assert seen.balance_after == 14_826 - 14_826 + 1
    assert seen.vouchers == ()  # 17,400 paid is under the 1,000,000 rule


def test_total_earns_on_the_order_total_and_triggers_the_voucher() -> None:
    seen = preview(rules(earn_on="total"))
    assert seen.earn_on == "total" and seen.earn_base == 1_500_000
    assert seen.points_earned == 150
    assert seen.balance_after == 150
    assert [g.rule for g in seen.vouchers] == ["big"]


def test_voucher_and_points_both_come_off_the_base() -> None:
    voucher = {"id": 5, "customer_id": 1, "amount": 100_000, "issued_at": "2026-01-05", "expires_at": "2026-04-04"}
    draft = OrderDraft(date=DAY, total=1_050_000, voucher_id=5, points_redeemed=100)
    seen = preview_order(draft, CUSTOMER, [EARLIER], rules(), DAY, segments={"high_value"}, voucher=voucher)
    # 1,050,000 - 100,000 voucher - 100 points x 100 = 940,000 paid: 94 points, no big-invoice voucher
    assert seen.amount_due == 940_000 and seen.earn_base == 940_000
    assert seen.points_earned == 94 and seen.vouchers == ()


def test_earn_base_keeps_orders_stored_without_paid_on_their_total() -> None:
    loyalty = rules()
    legacy = {"id": 2, "customer_id": 1, "date": "2026-02-01", "total": 1_500_000, "points_redeemed": 14_826}
    assert earn_base(legacy, loyalty) == 1_500_000  # recorded before `paid` was stored
    assert earn_base({**legacy, "paid": 17_400}, loyalty) == 17_400
    assert earn_base({**legacy, "paid": 17_400}, rules(earn_on="total")) == 1_500_000
    assert earn_base({**legacy, "paid": 9_999_999}, loyalty) == 1_500_000  # never above the total
    ledger = points_ledger([EARLIER, legacy], loyalty, DAY)
    assert ledger.earned_by_order() == {1: 14_826, 2: 150}  # as it was credited when recorded


def test_earn_on_is_validated_strictly() -> None:
    with pytest.raises(ValueError, match="earn_on"):
        rules(earn_on="gross")


def test_recorded_order_stores_paid_and_earns_on_it() -> None:
    base = load_config(None)
    config = dataclasses.replace(base, loyalty=rules(vouchers=[]))
    store = MemoryStore()
    store.insert("customers", {"name": "Nguyễn Văn Đức", "archived": False})
    store.insert("orders", {k: v for k, v in EARLIER.items() if k != "id"})
    result = record_order(store, config, 1, OrderDraft(date=DAY, total=1_500_000, points_redeemed=14_826), DAY,
                          now="2026-03-10T09:00:00")
    assert result.order["paid"] == 17_400
    view = customer_loyalty(store, config, 1, DAY)
    assert view.ledger.earned_by_order()[result.order["id"]] == 1
    assert view.ledger.balance == 1
