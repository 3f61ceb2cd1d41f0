"""Loyalty read-side: a customer's points, tier, progress and vouchers, derived from the store.

Everything here is recomputed from orders and loyalty.yaml on each call (nothing
derived is stored), so changing the rules re-derives every customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.loyalty import (
    TierProgress,
    active_orders,
    order_day,
    tier_for,
    tier_holds_until,
    tier_progress,
)
from custui.domain.models.base import Localized
from custui.domain.models.loyalty import Tier
from custui.domain.money import format_money
from custui.domain.points import BonusEvent, Ledger, ReferralEvent, points_ledger
from custui.domain.purchase import OrderDraft, OrderPreview, preview_order
from custui.domain.vouchers import REFERRAL_RULE, voucher_problem, voucher_state
from custui.errors import BadInput
from custui.i18n import format_day, get_locale, t
from custui.store.base import Doc, Store

HIGH_VALUE = "high_value"


def get_customer(store: Store, customer_id: int) -> Doc:
    customer = store.get("customers", customer_id)
    if customer is None:
        raise BadInput(t("loyalty.err.no_customer", id=customer_id))
    return customer


# -- segments the voucher rules need ----------------------------------------------------
_hv_cache: dict[tuple[int, int, float, int | None], frozenset[int]] = {}


def high_value_ids(store: Store, config: AppConfig, exclude_order_id: int | None = None) -> frozenset[int]:
    """The seeds' "special list": customers in the top `high_value_top_share` by average order value.

    Same rule as the segments screen (domain.segments.top_share: ceil(share * n)
    buyers, ties to the lower id; archived customers left out), over every non-void
    order except `exclude_order_id` (the order being recorded or corrected). Reads
    the shared Derived cache (services.derived): no pass over the orders per save.
    """
    from custui.services.analytics_segments import fast_top_share
    from custui.services.derived import Derived

    share = config.segments.high_value_top_share
    snapshot = Derived.shared(store, config).snapshot()
    key = (id(store), snapshot.revision, share, exclude_order_id)
    if key in _hv_cache:
        return _hv_cache[key]
    facts = snapshot.facts
    aov: dict[int, float] = {
        cid: one.total_spend / one.orders
        for cid, one in snapshot.stats.items()
        if cid in facts and not facts[cid].archived
    }
    order = store.get("orders", exclude_order_id) if exclude_order_id is not None else None
    if order is not None and not order.get("void") and order.get("customer_id") in aov:
        cid = int(order["customer_id"])
        one = snapshot.stats[cid]
        if one.orders > 1:
            aov[cid] = (one.total_spend - int(order.get("total") or 0)) / (one.orders - 1)
        else:
            del aov[cid]
    result = fast_top_share(aov, share)
    _hv_cache.clear()
    _hv_cache[key] = result
    return result


def customer_segments(
    store: Store, config: AppConfig, customer_id: int, exclude_order_id: int | None = None
) -> frozenset[str]:
    """Segment ids voucher rules can test for this customer (today: `high_value`)."""
    found = set()
    if customer_id in high_value_ids(store, config, exclude_order_id):
        found.add(HIGH_VALUE)
    return frozenset(found)


# -- referral ---------------------------------------------------------------------------
def referred_customers(store: Store, referrer_id: int) -> list[Doc]:
    return [
        c for c in store.matching("customers", "referred_by", referrer_id)
        if not c.get("merged_into") and c["id"] != referrer_id
    ]


def first_order(store: Store, customer_id: int) -> Doc | None:
    ordered = active_orders(store.children("orders", customer_id))
    return dict(ordered[0]) if ordered else None


def referral_events(store: Store, referrer_id: int) -> list[ReferralEvent]:
    """(day of first order, referred id) for each customer this one referred who has bought."""
    events: list[ReferralEvent] = []
    for referred in referred_customers(store, referrer_id):
        first = first_order(store, int(referred["id"]))
        if first is not None:
            events.append((order_day(first), int(referred["id"])))
    return events


def goodwill_events(store: Store, customer_id: int) -> list[BonusEvent]:
    """(day, points) of goodwill granted to this customer (gift interactions with points)."""
    from custui.services.interactions import goodwill_points

    return goodwill_points(store.children("interactions", customer_id))


# -- the profile's view -----------------------------------------------------------------
@dataclass(frozen=True)
class VoucherView:
    id: int
    rule: str
    label: Localized | None  # the rule's name from loyalty.yaml (None: referral or unknown rule)
    amount: int | None
    percent: float | None
    issued_at: date
    expires_at: date
    state: str  # active | used | expired | void
    used_at: str | None = None
    used_order_id: int | None = None
    source_order_id: int | None = None
    void_reason: str = ""

    def name(self, locale: str | None = None) -> str:
        if self.label is not None:
            return self.label.get(locale or get_locale())
        if self.rule == REFERRAL_RULE:
            return t("loyalty.voucher.referral")
        return t("loyalty.voucher.other", rule=self.rule)

    def value_text(self, currency: str, locale: str | None = None) -> str:
        if self.percent:
            return t("loyalty.voucher.percent", percent=f"{self.percent:g}")
        return t("loyalty.voucher.amount", amount=format_money(self.amount or 0, currency, locale or get_locale()))

    def state_text(self) -> str:
        return t(f"loyalty.state.{self.state}")


def voucher_view(voucher: Doc, config: AppConfig, on_date: date) -> VoucherView:
    rule = next((r for r in config.loyalty.vouchers if r.id == voucher.get("rule")), None)
    return VoucherView(
        id=int(voucher["id"]),
        rule=str(voucher.get("rule") or ""),
        label=rule.name if rule is not None else None,
        amount=voucher.get("amount"),
        percent=voucher.get("percent"),
        issued_at=date.fromisoformat(str(voucher["issued_at"])[:10]),
        expires_at=date.fromisoformat(str(voucher["expires_at"])[:10]),
        state=voucher_state(voucher, on_date),
        used_at=voucher.get("used_at"),
        used_order_id=voucher.get("used_order_id"),
        source_order_id=voucher.get("source_order_id"),
        void_reason=str(voucher.get("void_reason") or ""),
    )


_STATE_ORDER = {"active": 0, "used": 1, "expired": 2, "void": 3}


def customer_vouchers(store: Store, config: AppConfig, customer_id: int, on_date: date) -> list[VoucherView]:
    """All the customer's vouchers: active first (soonest to expire first), then the rest, newest first."""
    views = [voucher_view(v, config, on_date) for v in store.children("vouchers", customer_id)]
    views.sort(key=lambda v: (-v.issued_at.toordinal(), -v.id))
    views.sort(key=lambda v: (_STATE_ORDER[v.state], v.expires_at if v.state == "active" else date.min))
    return views


def usable_vouchers(store: Store, config: AppConfig, customer_id: int, on_date: date) -> list[VoucherView]:
    """Vouchers that can be applied to an order of this customer dated `on_date` (for the form)."""
    return [
        voucher_view(v, config, on_date)
        for v in store.children("vouchers", customer_id)
        if voucher_problem(v, customer_id, on_date) is None
    ]


def customer_ledger(store: Store, config: AppConfig, customer_id: int, today: date) -> Ledger:
    return points_ledger(
        store.children("orders", customer_id), config.loyalty, today, referral_events(store, customer_id),
        goodwill_events(store, customer_id),
    )


@dataclass(frozen=True)
class LoyaltySummary:
    customer_id: int
    balance: int
    ledger: Ledger
    tier: Tier | None
    progress: TierProgress | None  # None at the top tier (or with no tiers)
    tier_holds_until: date | None  # last day the tier stays without new orders
    vouchers: tuple[VoucherView, ...]
    referrals: int  # referred customers who have bought

    @property
    def active_vouchers(self) -> tuple[VoucherView, ...]:
        return tuple(v for v in self.vouchers if v.state == "active")


def customer_loyalty(store: Store, config: AppConfig, customer_id: int, today: date) -> LoyaltySummary:
    """Points, tier, progress and vouchers of one customer as of `today` (for the profile)."""
    get_customer(store, customer_id)
    orders = store.children("orders", customer_id)
    referrals = referral_events(store, customer_id)
    ledger = points_ledger(orders, config.loyalty, today, referrals, goodwill_events(store, customer_id))
    return LoyaltySummary(
        customer_id=customer_id,
        balance=ledger.balance,
        ledger=ledger,
        tier=tier_for(orders, config.loyalty, today),
        progress=tier_progress(orders, config.loyalty, today),
        tier_holds_until=tier_holds_until(orders, config.loyalty, today),
        vouchers=tuple(customer_vouchers(store, config, customer_id, today)),
        referrals=len(referrals),
    )


def progress_text(progress: TierProgress | None, currency: str, locale: str | None = None) -> str:
    """"2.300.000 ₫ more to Gold by 31/03/2027" (or the orders/both/either variants)."""
    if progress is None:
        return t("loyalty.progress.top")
    loc = locale or get_locale()
    values: dict[str, Any] = {
        "tier": progress.next.name.get(loc),
        "date": format_day(progress.by, loc),
        "amount": format_money(progress.spend_needed or 0, currency, loc),
        "count": progress.orders_needed or 0,
    }
    spend, orders = bool(progress.spend_needed), bool(progress.orders_needed)
    if spend and orders:
        key = "loyalty.progress.either" if progress.match == "any" else "loyalty.progress.both"
    elif orders:
        key = "loyalty.progress.orders"
    else:
        key = "loyalty.progress.spend"
    return t(key, **values)


# -- the purchase form's preview --------------------------------------------------------
def preview_purchase(
    store: Store,
    config: AppConfig,
    customer_id: int,
    draft: OrderDraft,
    today: date,
    order_id: int | None = None,
    segments: Iterable[str] | None = None,
) -> OrderPreview:
    """What saving `draft` would do (points earned, vouchers, tier change), without saving.

    `order_id`: the order being corrected. `segments`: pass them if already known
    (the high-value list scans every order once per store revision otherwise).
    A voucher id that does not exist is ignored here (record_order reports it).
    """
    customer = get_customer(store, customer_id)
    others = [o for o in store.children("orders", customer_id) if o.get("id") != order_id]
    voucher = store.get("vouchers", draft.voucher_id) if draft.voucher_id is not None else None
    segs = (
        frozenset(segments)
        if segments is not None
        else customer_segments(store, config, customer_id, exclude_order_id=order_id)
    )
    return preview_order(
        draft, customer, others, config.loyalty, today,
        segments=segs,
        voucher=voucher,
        referrals=referral_events(store, customer_id),
        order_id=order_id,
        bonuses=goodwill_events(store, customer_id),
    )
