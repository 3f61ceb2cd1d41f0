"""A draft purchase and what saving it would do: points, vouchers, tier change (pure).

The purchase form shows `preview_order(...)` before saving; the order service
validates with the same numbers, so what the operator sees is what is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from custui.domain.loyalty import Order, earn_base, order_key, orders_before, tier_for, tier_rank
from custui.domain.models.loyalty import Loyalty, Tier
from custui.domain.points import BonusEvent, ReferralEvent, points_for_amount, points_ledger
from custui.domain.vouchers import Voucher, VoucherGrant, voucher_discount, vouchers_triggered

# sorts after every real order id on the same day: a new order is recorded last
DRAFT_ID = 2**62


@dataclass(frozen=True)
class OrderDraft:
    """What the operator typed for a purchase (money already parsed into minor units)."""

    date: date
    total: int
    items: str = ""
    channel: str = ""
    promo: bool = False
    voucher_id: int | None = None
    points_redeemed: int = 0

    def as_order(self, customer_id: int, order_id: int = DRAFT_ID, paid: int | None = None) -> dict[str, Any]:
        """The order record fields (no timestamps) for this draft.

        `paid`: what the customer paid (total less voucher and points), stored so the
        points it earns stay what the preview showed (domain.points.earn_base).
        """
        extra: dict[str, Any] = {} if paid is None else {"paid": int(paid)}
        return {
            "id": order_id,
            "customer_id": customer_id,
            "date": self.date.isoformat(),
            "total": int(self.total),
            "items": self.items,
            "promo": bool(self.promo),
            "channel": self.channel,
            "voucher_id": self.voucher_id,
            "points_redeemed": int(self.points_redeemed),
            "void": False,
            **extra,
        }


@dataclass(frozen=True)
class OrderPreview:
    points_earned: int
    points_redeemed: int  # what will actually be redeemed (never more than allowed)
    points_requested: int
    max_redeemable: int  # most points this order may redeem (balance then, amount due)
    redeem_value: int  # minor units the redeemed points take off
    voucher_discount: int  # minor units the applied voucher takes off
    amount_due: int  # total - voucher - points, never negative: what the customer pays
    balance_before: int  # today, without the order
    balance_after: int  # today, with the order
    tier_before: Tier | None  # today, without the order
    tier_after: Tier | None  # today, with the order
    vouchers: tuple[VoucherGrant, ...] = ()  # vouchers the order triggers for the customer
    referral: bool = False  # first order of a referred customer: the referrer is rewarded
    tier_at_order: Tier | None = None  # tier in force at the order (multiplier, voucher rules)
    segments: frozenset[str] = field(default_factory=frozenset)
    earn_on: str = "total"  # loyalty.yaml earn_on: which amount points and voucher rules used
    earn_base: int = 0  # that amount (amount_due with earn_on paid, else the total)

    @property
    def tier_changed(self) -> bool:
        return (self.tier_before.id if self.tier_before else None) != (
            self.tier_after.id if self.tier_after else None
        )

    def tier_direction(self, loyalty: Loyalty) -> int:
        """+1 up, -1 down, 0 unchanged."""
        before, after = tier_rank(loyalty, self.tier_before), tier_rank(loyalty, self.tier_after)
        return (after > before) - (after < before)


def preview_order(
    draft: OrderDraft,
    customer: Mapping[str, Any],
    orders: Sequence[Order],
    loyalty: Loyalty,
    today: date,
    segments: frozenset[str] | set[str] = frozenset(),
    voucher: Voucher | None = None,
    referrals: Sequence[ReferralEvent] = (),
    order_id: int | None = None,
    bonuses: Sequence[BonusEvent] = (),
) -> OrderPreview:
    """What saving `draft` for `customer` would do.

    `orders`: the customer's other orders (when correcting order `order_id`, leave it
    out and pass its id so it keeps its place); `voucher`: the voucher record to apply;
    `referrals` / `bonuses`: the customer's referral and goodwill bonuses (see
    points_ledger); `segments`: the
    customer's segments before this order.
    """
    customer_id = int(customer.get("id") or 0)
    new_id = DRAFT_ID if order_id is None else order_id
    order = draft.as_order(customer_id, new_id)
    others = [o for o in orders if o.get("id") != new_id]
    prior = orders_before(others, order_key(order))
    tier_then = tier_for(prior, loyalty, draft.date)

    discount = voucher_discount(voucher, draft.total) if voucher is not None else 0
    # the most this order could redeem: replay it asking for everything its total allows
    greedy = {**order, "points_redeemed": points_for_amount(draft.total, loyalty)}
    greedy_ledger = points_ledger([*others, greedy], loyalty, max(today, draft.date), referrals, bonuses)
    available = greedy_ledger.redeemed_by_order().get(new_id, 0)
    max_redeemable = min(available, points_for_amount(draft.total - discount, loyalty))
    redeemed = min(max(0, draft.points_redeemed), max_redeemable)

    redeem_value = redeemed * loyalty.point_value
    amount_due = max(0, draft.total - discount - redeem_value)
    order = {**order, "points_redeemed": redeemed, "paid": amount_due}
    before = points_ledger(others, loyalty, today, referrals, bonuses)
    after = points_ledger([*others, order], loyalty, max(today, draft.date), referrals, bonuses)
    return OrderPreview(
        points_earned=after.earned_by_order().get(new_id, 0),
        points_redeemed=redeemed,
        points_requested=draft.points_redeemed,
        max_redeemable=max_redeemable,
        redeem_value=redeem_value,
        voucher_discount=discount,
        amount_due=amount_due,
        balance_before=before.balance,
        balance_after=after.balance,
        tier_before=tier_for(others, loyalty, today),
        tier_after=tier_for([*others, order], loyalty, max(today, draft.date)),
        vouchers=tuple(
            vouchers_triggered(order, customer, prior, frozenset(segments), tier_then, loyalty)
        ),
        referral=bool(customer.get("referred_by")) and not prior,
        tier_at_order=tier_then,
        segments=frozenset(segments),
        earn_on=loyalty.earn_on,
        earn_base=earn_base(order, loyalty),
    )


# -- second thoughts before saving: an unusual amount, a likely double entry -----------------
def percentile(values: Sequence[int], q: float) -> int | None:
    """The nearest-rank `q` percentile (0 < q <= 100) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100)
    return ordered[min(len(ordered), int(rank)) - 1]


def unusual_ratio(total: int, shop_usual: int | None, customer_largest: int, factor: int | None) -> int | None:
    """How many times `total` is the usual largest order, when that is more than `factor`.

    The usual largest is the larger of the shop's (its 99th-percentile order total) and the
    customer's own largest order, so a wholesale buyer's usual orders go straight through.
    None: nothing to ask (no factor, no history, or a total within reach of the usual).
    """
    usual = max(shop_usual or 0, customer_largest)
    if factor is None or usual <= 0 or total <= factor * usual:
        return None
    return total // usual


def likely_double(
    total: int, orders: Sequence[Mapping[str, Any]], now: datetime, minutes: int
) -> Mapping[str, Any] | None:
    """The customer's order of this same total recorded within `minutes` before `now`, if any.

    `orders`: the customer's orders (void ones are ignored); `now`: the same clock and form
    as the orders' created_at stamps.
    """
    if minutes <= 0:
        return None
    since = now - timedelta(minutes=minutes)
    for order in orders:
        if order.get("void") or order.get("total") != total:
            continue
        try:
            created = datetime.fromisoformat(str(order.get("created_at") or ""))
        except ValueError:
            continue
        if created.tzinfo is None and now.tzinfo is not None:
            created = created.replace(tzinfo=now.tzinfo)
        if created.tzinfo is not None and now.tzinfo is None:
            created = created.replace(tzinfo=None)
        if since <= created <= now + timedelta(minutes=1):
            return order
    return None
