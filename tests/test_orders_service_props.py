"""Random sequences of purchases and voids keep the stored vouchers and derived points consistent."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from custui.config.loader import load_config
from custui.domain.purchase import OrderDraft
from custui.services.loyalty import customer_loyalty, preview_purchase, usable_vouchers
from custui.services.orders import record_order, void_order
from custui.store.memory import MemoryStore

TODAY = date(2026, 11, 28)
CONFIG = load_config(None)
CONFIG = dataclasses.replace(
    CONFIG, loyalty=CONFIG.loyalty.model_copy(update={"points_expiry_days": 120})
)

ops_st = st.lists(
    st.one_of(
        st.tuples(
            st.just("buy"), st.integers(1, 3), st.integers(0, 300),
            st.integers(1, 3_000) .map(lambda k: k * 1_000), st.floats(0, 1), st.booleans(),
        ),
        st.tuples(st.just("void"), st.integers(0, 40)),
    ),
    max_size=30,
)


def setup() -> MemoryStore:
    store = MemoryStore()
    store.insert("customers", {"name": "Lan", "birthday": "11-02", "archived": False})
    store.insert("customers", {"name": "Minh", "referred_by": 1, "archived": False})
    store.insert("customers", {"name": "Hoa", "referred_by": 1, "archived": False})
    return store


def apply(store: MemoryStore, op: tuple[Any, ...]) -> None:
    if op[0] == "void":
        orders = [o for o in store.all("orders") if not o.get("void")]
        if orders:
            void_order(store, CONFIG, orders[op[1] % len(orders)]["id"], "test", TODAY)
        return
    _, cid, offset, total, redeem_share, use_voucher = op
    day = TODAY - timedelta(days=offset)
    usable = usable_vouchers(store, CONFIG, cid, day) if use_voucher else []
    draft = OrderDraft(date=day, total=total, voucher_id=usable[0].id if usable else None)
    room = preview_purchase(store, CONFIG, cid, draft, TODAY).max_redeemable
    draft = dataclasses.replace(draft, points_redeemed=int(room * redeem_share))
    record_order(store, CONFIG, cid, draft, TODAY)


@settings(max_examples=40, deadline=None)
@given(ops_st)
def test_random_purchases_and_voids_stay_consistent(ops: list[tuple[Any, ...]]) -> None:
    store = setup()
    for op in ops:
        apply(store, op)  # every draft is built from the preview, so none is refused
    orders = {o["id"]: o for o in store.all("orders")}
    vouchers = store.all("vouchers")
    # a voucher pays for at most one order, a live one, of its own customer
    used = [v for v in vouchers if v.get("used_order_id") is not None]
    assert not [k for k, n in Counter(v["used_order_id"] for v in used).items() if n > 1]
    for voucher in used:
        order = orders[voucher["used_order_id"]]
        assert not order.get("void") and order["customer_id"] == voucher["customer_id"]
        assert order["voucher_id"] == voucher["id"]
    # a voided order's unused vouchers are revoked
    for voucher in vouchers:
        source = orders.get(voucher.get("source_order_id"))
        if source is not None and source.get("void") and not voucher.get("used_at"):
            assert voucher.get("void")
    # at most one live referral reward per referred customer
    live_referrals = Counter(
        orders[v["source_order_id"]]["customer_id"]
        for v in vouchers if v["rule"] == "referral" and not v.get("void")
    )
    assert all(n == 1 for n in live_referrals.values())
    for cid in (1, 2, 3):
        summary = customer_loyalty(store, CONFIG, cid, TODAY)
        assert summary.balance >= 0
        assert customer_loyalty(store, CONFIG, cid, TODAY) == summary
