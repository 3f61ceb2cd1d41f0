"""Recording, correcting and voiding purchases, with the vouchers they use and issue.

Each use-case validates first (raising BadInput with a translated message), then
writes everything in one `store.batch()`: the order, the voucher it uses, the
vouchers it triggers (rows in `vouchers` with `source_order_id`) and the
referrer's voucher. Points are never stored: they are derived (services.loyalty)
from the order, which keeps what the customer paid (`paid`: total less voucher
and points, the preview's amount due) so the points it earns never move.

Stored vouchers are facts: a voucher once used is never taken back. When an
order is corrected or voided, the unused vouchers it issued that it no longer
earns are revoked (`void=True`, `void_reason`), and a voucher it used becomes
usable again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.loyalty import order_key, orders_before, tier_for
from custui.domain.purchase import OrderDraft, OrderPreview
from custui.domain.vouchers import (
    REFERRAL_RULE,
    VoucherGrant,
    referral_grant,
    voucher_problem,
    vouchers_triggered,
)
from custui.errors import BadInput
from custui.i18n import format_day, t
from custui.services.loyalty import (
    customer_segments,
    first_order,
    get_customer,
    preview_purchase,
)
from custui.services.purchase_form import draft_problems
from custui.store.base import Doc, Store


@dataclass(frozen=True)
class OrderResult:
    order: Doc  # the stored order
    preview: OrderPreview | None  # points/tier numbers as saved (None for a void)
    vouchers_issued: tuple[Doc, ...] = ()  # new vouchers for the customer
    vouchers_revoked: tuple[Doc, ...] = ()  # unused vouchers taken back
    voucher_used: Doc | None = None  # the voucher applied to this order
    voucher_released: Doc | None = None  # a voucher usable again (void, or replaced on correction)
    referral_vouchers: tuple[Doc, ...] = field(default_factory=tuple)  # issued to the referrer


def _now(now: str | None) -> str:
    return now or datetime.now().isoformat(timespec="seconds")


# -- validation -------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckedOrder:
    """A draft every rule accepts, with what writing it needs."""

    customer_id: int
    draft: OrderDraft
    preview: OrderPreview  # what it earns, as it will be saved
    voucher: Doc | None  # the voucher it applies
    current: Doc | None = None  # the stored order it corrects (None: a new order)


def _refuse_problems(draft: OrderDraft, today: date, max_redeemable: int | None = None) -> None:
    for field_name, message in draft_problems(draft, today, max_redeemable).items():
        raise BadInput(message, field=field_name)


def check_order(
    store: Store,
    config: AppConfig,
    customer_id: int | None,
    draft: OrderDraft,
    today: date,
    order_id: int | None = None,
) -> CheckedOrder:
    """Check a new order for `customer_id`, or the correction of `order_id` (its customer);
    raises BadInput (with the form field it is about, when there is one)."""
    current = None
    if order_id is not None:
        current = _get_order(store, order_id)
        if current.get("void"):
            raise BadInput(t("loyalty.err.order_void", id=order_id))
        customer_id = int(current["customer_id"])
    if customer_id is None:
        raise BadInput(t("loyalty.err.no_order", id=order_id))
    customer = get_customer(store, customer_id)
    if customer.get("archived"):
        raise BadInput(t("loyalty.err.archived", name=customer.get("name", "")))
    _refuse_problems(draft, today)
    voucher = None
    if draft.voucher_id is not None:
        voucher = store.get("vouchers", draft.voucher_id)
        if voucher is None:
            raise BadInput(t("loyalty.err.voucher_missing", id=draft.voucher_id), field="voucher")
        check = dict(voucher)
        if order_id is not None and check.get("used_order_id") == order_id:
            check["used_at"] = None  # the order being corrected already holds it
        problem = voucher_problem(check, customer_id, draft.date)
        if order_id is not None and check.get("source_order_id") == order_id:
            problem = "own_order"
        if problem is not None:
            day = check["expires_at"] if problem == "expired" else check["issued_at"]
            raise BadInput(
                t(f"loyalty.err.voucher.{problem}", id=draft.voucher_id,
                  date=format_day(date.fromisoformat(str(day)[:10]))), field="voucher",
            )
    preview = preview_purchase(store, config, customer_id, draft, today, order_id=order_id)
    _refuse_problems(draft, today, preview.max_redeemable)
    return CheckedOrder(customer_id, draft, preview, voucher, current)


def _get_order(store: Store, order_id: int) -> Doc:
    order = store.get("orders", order_id)
    if order is None:
        raise BadInput(t("loyalty.err.no_order", id=order_id))
    return order


# -- vouchers an order issues -----------------------------------------------------------
def _same_grant(voucher: Mapping[str, Any], grant: VoucherGrant) -> bool:
    return (
        voucher.get("amount") == grant.amount
        and voucher.get("percent") == grant.percent
        and voucher.get("issued_at") == grant.issued_at.isoformat()
        and voucher.get("expires_at") == grant.expires_at.isoformat()
    )


def _reconcile(
    store: Store,
    customer_id: int,
    existing: list[Doc],
    wanted: list[VoucherGrant],
    revoke_reason: str,
    now: str,
) -> tuple[list[Doc], list[Doc]]:
    """Make the live vouchers `existing` match `wanted` (by rule); returns (issued, revoked).

    Kept vouchers follow the grant's dates and value while unused; used ones are
    never touched; unused ones no longer wanted are revoked.
    """
    issued: list[Doc] = []
    revoked: list[Doc] = []
    by_rule = {grant.rule: grant for grant in wanted}
    have: set[str] = set()
    for voucher in existing:
        rule = str(voucher.get("rule"))
        grant = by_rule.get(rule)
        if grant is not None and rule not in have:
            have.add(rule)
            if not voucher.get("used_at") and not _same_grant(voucher, grant):
                changes = {k: v for k, v in grant.to_record(customer_id).items() if k in (
                    "amount", "percent", "issued_at", "expires_at")}
                store.update("vouchers", voucher["id"], {**changes, "updated_at": now})
        elif not voucher.get("used_at"):
            revoked.append(
                store.update("vouchers", voucher["id"], {"void": True, "void_reason": revoke_reason, "updated_at": now})
            )
    for grant in wanted:
        if grant.rule not in have:
            issued.append(store.insert("vouchers", {**grant.to_record(customer_id), "created_at": now}))
    return issued, revoked


def _sync_order_vouchers(
    store: Store, config: AppConfig, order: Doc, segments: frozenset[str], reason: str, now: str
) -> tuple[list[Doc], list[Doc]]:
    """Issue / revoke the rule vouchers `order` earns (none when it is void)."""
    customer_id = int(order["customer_id"])
    customer = get_customer(store, customer_id)
    wanted: list[VoucherGrant] = []
    if not order.get("void"):
        prior = orders_before(store.children("orders", customer_id), order_key(order))
        tier = tier_for(prior, config.loyalty, date.fromisoformat(str(order["date"])[:10]))
        wanted = vouchers_triggered(order, customer, prior, segments, tier, config.loyalty)
    existing = [
        v for v in store.children("vouchers", customer_id)
        if v.get("source_order_id") == order["id"] and v.get("rule") != REFERRAL_RULE and not v.get("void")
    ]
    return _reconcile(store, customer_id, existing, wanted, reason, now)


def _sync_referral(
    store: Store, config: AppConfig, customer_id: int, now: str
) -> tuple[list[Doc], list[Doc]]:
    """Keep the referrer's voucher tied to the referred customer's current first order.

    Returns the referrer's (issued, revoked) vouchers.
    """
    customer = get_customer(store, customer_id)
    referrer_id = customer.get("referred_by")
    if not referrer_id or referrer_id == customer_id or store.get("customers", referrer_id) is None:
        return [], []
    own_orders = {o["id"] for o in store.children("orders", customer_id)}
    existing = [
        v for v in store.children("vouchers", referrer_id)
        if v.get("rule") == REFERRAL_RULE and v.get("source_order_id") in own_orders and not v.get("void")
    ]
    if any(v.get("used_at") for v in existing):
        return [], []  # the referrer already enjoyed the reward
    first = first_order(store, customer_id)
    grant = referral_grant(first, config.loyalty) if first is not None else None
    keep = [v for v in existing if grant is not None and v.get("source_order_id") == grant.source_order_id]
    revoked = [
        store.update("vouchers", voucher["id"], {
            "void": True, "void_reason": t("loyalty.revoked.referral_moved"), "updated_at": now,
        })
        for voucher in existing
        if voucher not in keep
    ]
    if grant is None or keep:
        return [], revoked
    issued = store.insert("vouchers", {**grant.to_record(int(referrer_id)), "created_at": now})
    return [issued], revoked


def _use_voucher(store: Store, voucher_id: int, order: Doc, now: str) -> Doc:
    return store.update("vouchers", voucher_id, {
        "used_at": order["date"], "used_order_id": order["id"], "updated_at": now,
    })


def _release_voucher(store: Store, voucher_id: int | None, order_id: int, now: str) -> Doc | None:
    if voucher_id is None:
        return None
    voucher = store.get("vouchers", voucher_id)
    if voucher is None or voucher.get("used_order_id") != order_id:
        return None
    changes: dict[str, object] = {"used_at": None, "used_order_id": None, "updated_at": now}
    source_id = voucher.get("source_order_id")
    source = store.get("orders", source_id) if source_id is not None else None
    if source is not None and source.get("void"):
        # the purchase that earned it was voided while the voucher was in use: it goes too
        changes |= {"void": True, "void_reason": t(
            "loyalty.revoked.order_void", id=source_id, reason=source.get("void_reason", ""),
        )}
    return store.update("vouchers", voucher_id, changes)


# -- use-cases --------------------------------------------------------------------------
def write_order(store: Store, config: AppConfig, checked: CheckedOrder, now: str | None = None) -> OrderResult:
    """Save a checked order (new, or the correction it describes) in one batch, with its voucher
    use, the vouchers it triggers or no longer earns, and the referral reward."""
    customer_id, draft, preview, voucher = checked.customer_id, checked.draft, checked.preview, checked.voucher
    current = checked.current
    order_id = None if current is None else int(current["id"])
    segments = customer_segments(store, config, customer_id, exclude_order_id=order_id)  # before it
    stamp = _now(now)
    released = None
    with store.batch():
        if order_id is None:
            fields = draft.as_order(customer_id, paid=preview.amount_due)
            del fields["id"]
            order = store.insert("orders", {**fields, "created_at": stamp, "updated_at": stamp})
            reason = ""
        else:
            fields = draft.as_order(customer_id, order_id, paid=preview.amount_due)
            order = store.update("orders", order_id, {**fields, "updated_at": stamp})
            if current is not None and current.get("voucher_id") != draft.voucher_id:
                released = _release_voucher(store, current.get("voucher_id"), order_id, stamp)
            reason = t("loyalty.revoked.order_changed", id=order_id)
        used = _use_voucher(store, voucher["id"], order, stamp) if voucher is not None else None
        issued, revoked = _sync_order_vouchers(store, config, order, segments, reason, stamp)
        referral, referral_revoked = _sync_referral(store, config, customer_id, stamp)
    return OrderResult(
        order=order, preview=preview, vouchers_issued=tuple(issued),
        vouchers_revoked=tuple(revoked + referral_revoked),
        voucher_used=used, voucher_released=released, referral_vouchers=tuple(referral),
    )


def record_order(
    store: Store,
    config: AppConfig,
    customer_id: int,
    draft: OrderDraft,
    today: date,
    now: str | None = None,
) -> OrderResult:
    """Validate and save a purchase with its voucher use, triggered vouchers and referral reward."""
    return write_order(store, config, check_order(store, config, customer_id, draft, today), now)


def correct_order(
    store: Store,
    config: AppConfig,
    order_id: int,
    draft: OrderDraft,
    today: date,
    now: str | None = None,
) -> OrderResult:
    """Change an order's date, total, items, channel, voucher or points; re-evaluate its vouchers."""
    return write_order(store, config, check_order(store, config, None, draft, today, order_id), now)


def void_order(
    store: Store,
    config: AppConfig,
    order_id: int,
    reason: str,
    today: date,
    now: str | None = None,
) -> OrderResult:
    """Void an order (the record stays, with its reason): it counts for nothing from now on.

    Unused vouchers it issued are revoked, a voucher it used is usable again (if not
    expired), and a referral reward moves to the referred customer's next first order.
    `today` is accepted for symmetry with the other use-cases and future checks.
    """
    current = _get_order(store, order_id)
    if current.get("void"):
        raise BadInput(t("loyalty.err.order_void", id=order_id))
    reason = reason.strip()
    if not reason:
        raise BadInput(t("loyalty.err.void_reason"))
    customer_id = int(current["customer_id"])
    stamp = _now(now)
    with store.batch():
        order = store.update("orders", order_id, {"void": True, "void_reason": reason, "updated_at": stamp})
        released = _release_voucher(store, current.get("voucher_id"), order_id, stamp)
        revoke = t("loyalty.revoked.order_void", id=order_id, reason=reason)
        _, revoked = _sync_order_vouchers(store, config, order, frozenset(), revoke, stamp)
        referral, referral_revoked = _sync_referral(store, config, customer_id, stamp)
    return OrderResult(
        order=order, preview=None, vouchers_revoked=tuple(revoked + referral_revoked),
        voucher_released=released,
        referral_vouchers=tuple(referral),
    )
