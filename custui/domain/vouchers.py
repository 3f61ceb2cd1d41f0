"""Voucher rules (which orders earn a voucher), voucher state and what a voucher takes off.

Conventions:
- A rule fires when ALL the conditions it gives hold for the order:
  `min_order_total`: the order's amount >= the rule's ("at least", as loyalty.yaml
  says), the amount being the one points are earned on (domain.points.earn_base:
  what was paid with `earn_on: paid`, the total with `earn_on: total`);
  `segment`: the segment id is in the set the caller computed (`high_value` is the
  seeds' special list of high spenders); `tier`: the tier in force at the order
  (judged on its date from the orders before it); `first_purchase` true: no
  earlier non-void order (false: there is one); `birthday_month` true: the order
  falls in the month of the customer's birthday ("MM-DD"; unknown never matches),
  false: it does not.
- A voucher is issued on the order's date and can be used on that day through
  `expires_at` = issued + valid_days - 1 (its last valid day), once.
- States: void (revoked, e.g. its order was voided), used, expired, active.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from custui.domain.loyalty import Order, active_orders, earn_base, order_day
from custui.domain.models.loyalty import Loyalty, Tier, VoucherRule

Voucher = Mapping[str, Any]
VOUCHER_STATES = ("active", "used", "expired", "void")
REFERRAL_RULE = "referral"


def expiry_for(issued: date, valid_days: int) -> date:
    """Last day a voucher issued on `issued` can be used."""
    return issued + timedelta(days=valid_days - 1)


@dataclass(frozen=True)
class VoucherGrant:
    """A voucher an order earns (not yet stored)."""

    rule: str  # rule id, or "referral"
    amount: int | None
    percent: float | None
    issued_at: date
    expires_at: date
    source_order_id: int | None = None

    def to_record(self, customer_id: int) -> dict[str, Any]:
        """The `vouchers` table row for this grant (shape of VoucherRec)."""
        return {
            "customer_id": customer_id,
            "rule": self.rule,
            "amount": self.amount,
            "percent": self.percent,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "used_at": None,
            "used_order_id": None,
            "source_order_id": self.source_order_id,
            "void": False,
        }


def birthday_month(customer: Mapping[str, Any]) -> int | None:
    raw = customer.get("birthday")
    if not raw:
        return None
    try:
        month = int(str(raw).split("-")[0])
    except ValueError:
        return None
    return month if 1 <= month <= 12 else None


def rule_matches(
    rule: VoucherRule,
    order: Order,
    customer: Mapping[str, Any],
    prior_orders: Iterable[Order],
    segments: frozenset[str] | set[str],
    tier: Tier | str | None,
    amount: int | None = None,
) -> bool:
    """Whether `rule` fires for `order`; `amount`: what min_order_total is judged on
    (default: the order total)."""
    when = rule.when
    if amount is None:
        amount = int(order.get("total") or 0)
    if when.min_order_total is not None and amount < when.min_order_total:
        return False
    if when.segment is not None and when.segment not in segments:
        return False
    if when.tier is not None:
        tier_id = tier.id if isinstance(tier, Tier) else tier
        if tier_id != when.tier:
            return False
    if when.first_purchase is not None:
        is_first = not active_orders(prior_orders)
        if is_first != when.first_purchase:
            return False
    if when.birthday_month is not None:
        in_month = birthday_month(customer) == order_day(order).month
        if in_month != when.birthday_month:
            return False
    return True


def grant_for(rule: VoucherRule, order: Order) -> VoucherGrant:
    issued = order_day(order)
    return VoucherGrant(
        rule=rule.id,
        amount=rule.amount,
        percent=rule.percent,
        issued_at=issued,
        expires_at=expiry_for(issued, rule.valid_days),
        source_order_id=order.get("id"),
    )


def vouchers_triggered(
    order: Order,
    customer: Mapping[str, Any],
    prior_orders: Iterable[Order],
    segments: frozenset[str] | set[str],
    tier: Tier | str | None,
    loyalty: Loyalty,
) -> list[VoucherGrant]:
    """Vouchers the order earns for its own customer (a void order earns none).

    `prior_orders`: the customer's orders before this one; `segments`: the customer's
    segment ids before this order; `tier`: the tier in force at the order.
    """
    if order.get("void"):
        return []
    prior = list(prior_orders)
    amount = earn_base(order, loyalty)
    return [
        grant_for(rule, order)
        for rule in loyalty.vouchers
        if rule_matches(rule, order, customer, prior, segments, tier, amount)
    ]


def referral_grant(order: Order, loyalty: Loyalty) -> VoucherGrant | None:
    """The referrer's voucher for a referred customer's first order (None if not configured)."""
    reward = loyalty.referral.reward_amount
    if reward is None or order.get("void"):
        return None
    issued = order_day(order)
    return VoucherGrant(
        rule=REFERRAL_RULE,
        amount=reward,
        percent=None,
        issued_at=issued,
        expires_at=expiry_for(issued, loyalty.referral.valid_days),
        source_order_id=order.get("id"),
    )


def voucher_state(voucher: Voucher, on_date: date) -> str:
    """active / used / expired / void, as of `on_date`."""
    if voucher.get("void"):
        return "void"
    if voucher.get("used_at"):
        return "used"
    if on_date > date.fromisoformat(str(voucher["expires_at"])[:10]):
        return "expired"
    return "active"


def voucher_problem(voucher: Voucher, customer_id: int, on_date: date) -> str | None:
    """Why the voucher cannot be applied to an order of `customer_id` dated `on_date`.

    Returns a reason (not_owner, void, used, expired, not_yet) or None when usable.
    """
    if int(voucher.get("customer_id") or -1) != int(customer_id):
        return "not_owner"
    state = voucher_state(voucher, on_date)
    if state != "active":
        return state
    if on_date < date.fromisoformat(str(voucher["issued_at"])[:10]):
        return "not_yet"
    return None


def voucher_discount(voucher: Voucher | VoucherGrant, total: int) -> int:
    """Minor units the voucher takes off an order of `total`: a percent of it, or the amount capped at it."""
    if isinstance(voucher, VoucherGrant):
        amount, percent = voucher.amount, voucher.percent
    else:
        amount, percent = voucher.get("amount"), voucher.get("percent")
    total = max(0, int(total))
    if percent:
        off = (Decimal(total) * Decimal(str(percent)) / 100).to_integral_value(rounding=ROUND_FLOOR)
        return min(total, int(off))
    return min(total, int(amount or 0))
