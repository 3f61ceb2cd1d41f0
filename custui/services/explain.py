"""Why a customer has the points and the tier they have: every movement and the tier's window.

`explain_customer` replays the same ledger as everywhere else (services.loyalty
customer_ledger -> domain.points.points_ledger), so the running balance it lists
ends on the balance the profile, the lookup and the export show. Each movement
says its source:

- order: points earned on an order (the amount earned on, the tier and multiplier then);
- redemption: points used on an order (what they took off);
- expiry: a lot of points reaching its expiry day;
- goodwill: points granted when a complaint was resolved;
- referral: a referred customer's first purchase;
- void: an order voided (0 points: it counts for nothing, listed so a missing
  earning is explained).

The tier part says which window was judged, which orders it holds, their spend and
count, the thresholds met, how long the tier holds without buying and what follows,
and what the next tier needs.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.loyalty import (
    TierProgress,
    active_orders,
    earn_base,
    order_day,
    tier_for,
    tier_holds_until,
    tier_progress,
    tier_timeline,
    window_start,
)
from custui.domain.models.loyalty import Tier
from custui.domain.money import format_money
from custui.i18n import count_text, format_day, get_locale, t
from custui.services.loyalty import customer_ledger, get_customer, progress_text
from custui.store.base import Store

WIDTH = 78  # text lines wrap to fit 80 columns
SOURCES = {"earn": "order", "redeem": "redemption", "expire": "expiry", "goodwill": "goodwill",
           "referral": "referral"}


@dataclass(frozen=True)
class Movement:
    day: date
    source: str  # order | redemption | expiry | goodwill | referral | void
    points: int  # signed
    balance: int  # running balance after it
    order_id: int | None = None
    amount: int | None = None  # order: what it earned on; redemption: what the points took off;
    # void: the order total
    base: str | None = None  # order: "paid" or "total" (domain.loyalty.earn_base)
    tier: str | None = None  # order: the tier then (its multiplier)
    multiplier: float | None = None
    referred: str | None = None  # referral: the referred customer's code
    requested: int | None = None  # redemption: what the order asked when more than allowed
    note: str = ""  # void: the reason


@dataclass(frozen=True)
class TierWhy:
    tier: Tier | None
    start: date  # the window judged: start..end (end = the day asked about)
    end: date
    orders: tuple[tuple[int, date, int], ...]  # (id, date, total) of the orders in it
    spend: int
    count: int
    match: str  # any | all
    holds_until: date | None  # last day the tier holds if nothing more is bought
    then: Tier | None  # the tier from the day after
    progress: TierProgress | None  # towards the next tier (None at the top)


@dataclass(frozen=True)
class Explanation:
    customer_id: int
    code: str
    name: str
    as_of: date
    balance: int
    movements: tuple[Movement, ...]
    next_expiry: tuple[date, int] | None
    tier: TierWhy


def _tier_why(orders: list[Any], config: AppConfig, today: date) -> TierWhy:
    loyalty = config.loyalty
    start = window_start(today, loyalty)
    inside = [o for o in active_orders(orders) if start <= order_day(o) <= today]
    holds = tier_holds_until(orders, loyalty, today)
    return TierWhy(
        tier=tier_for(orders, loyalty, today),
        start=start, end=today,
        orders=tuple((int(o.get("id") or 0), order_day(o), int(o.get("total") or 0)) for o in inside),
        spend=sum(int(o.get("total") or 0) for o in inside),
        count=len(inside),
        match=loyalty.tier_match,
        holds_until=holds,
        then=tier_for(orders, loyalty, holds + timedelta(days=1)) if holds is not None else None,
        progress=tier_progress(orders, loyalty, today),
    )


def explain_customer(store: Store, config: AppConfig, customer_id: int, today: date) -> Explanation:
    """Every points movement up to `today` with its running balance, and the tier's reasons."""
    customer = get_customer(store, customer_id)
    loyalty = config.loyalty
    orders = store.children("orders", customer_id)
    ledger = customer_ledger(store, config, customer_id, today)
    by_id = {o.get("id"): o for o in orders}
    ordered = active_orders(orders)
    tier_at = {o.get("id"): tier for o, tier in zip(ordered, tier_timeline(ordered, loyalty), strict=True)}
    movements: list[Movement] = []
    for entry in ledger.entries:
        order = by_id.get(entry.order_id) if entry.order_id is not None else None
        extra: dict[str, Any] = {}
        if entry.kind == "earn" and order is not None:
            tier = tier_at.get(entry.order_id)
            amount = earn_base(order, loyalty)
            paid = loyalty.earn_on == "paid" and order.get("paid") is not None
            extra = {"amount": amount, "base": "paid" if paid else "total", "tier": tier.id if tier else None,
                     "multiplier": tier.multiplier if tier else None}
        elif entry.kind == "redeem":
            extra = {"amount": -entry.points * loyalty.point_value, "requested": entry.requested}
        elif entry.kind == "referral" and entry.referred_id is not None:
            referred = store.get("customers", entry.referred_id)
            extra = {"referred": str((referred or {}).get("code") or f"#{entry.referred_id}")}
        movements.append(Movement(entry.day, SOURCES[entry.kind], entry.points, entry.balance,
                                  order_id=entry.order_id, **extra))
    for order in sorted((o for o in orders if o.get("void")), key=lambda o: (order_day(o), o.get("id") or 0)):
        day = order_day(order)
        if day > today:
            continue
        at = sum(1 for m in movements if m.day <= day)
        balance = movements[at - 1].balance if at else 0
        movements.insert(at, Movement(day, "void", 0, balance, order_id=order.get("id"),
                                      amount=int(order.get("total") or 0),
                                      note=str(order.get("void_reason") or "")))
    return Explanation(
        customer_id=customer_id,
        code=str(customer.get("code") or ""),
        name=str(customer.get("name") or ""),
        as_of=today,
        balance=ledger.balance,
        movements=tuple(movements),
        next_expiry=ledger.next_expiry,
        tier=_tier_why(orders, config, today),
    )


# -- as JSON ------------------------------------------------------------------------------
def explanation_json(explanation: Explanation, config: AppConfig) -> dict[str, Any]:
    """One JSON document: ISO dates, money in minor units, tier ids."""
    why = explanation.tier
    progress = why.progress
    return {
        "code": explanation.code,
        "name": explanation.name,
        "as_of": explanation.as_of.isoformat(),
        "balance": explanation.balance,
        "currency": config.settings.currency,
        "movements": [
            {"date": m.day.isoformat(), "source": m.source, "points": m.points, "balance": m.balance,
             **{k: v for k, v in (("order_id", m.order_id), ("amount", m.amount), ("base", m.base),
                                  ("tier", m.tier),
                                  ("multiplier", m.multiplier), ("referred", m.referred),
                                  ("requested", m.requested), ("note", m.note)) if v not in (None, "")}}
            for m in explanation.movements
        ],
        "next_expiry": None if explanation.next_expiry is None else {
            "date": explanation.next_expiry[0].isoformat(), "points": explanation.next_expiry[1]},
        "tier": {
            "id": why.tier.id if why.tier else None,
            "window": {"from": why.start.isoformat(), "to": why.end.isoformat(),
                       "days": config.loyalty.tier_window_days},
            "orders": [{"id": oid, "date": day.isoformat(), "total": total} for oid, day, total in why.orders],
            "spend": why.spend,
            "order_count": why.count,
            "match": why.match,
            "min_spend": why.tier.min_spend if why.tier else None,
            "min_orders": why.tier.min_orders if why.tier else None,
            "holds_until": why.holds_until.isoformat() if why.holds_until else None,
            "then": why.then.id if why.then else None,
            "next": None if progress is None else {
                "id": progress.next.id, "spend_needed": progress.spend_needed,
                "orders_needed": progress.orders_needed, "by": progress.by.isoformat()},
        },
    }


# -- as text (the CLI and the profile's Loyalty tab) --------------------------------------
def _orders(count: int) -> str:
    return t("explain.orders_1") if count == 1 else t("explain.orders_n", count=count)


def _threshold(tier: Tier, match: str, currency: str, loc: str) -> str:
    parts = []
    if tier.min_spend:
        parts.append(format_money(tier.min_spend, currency, loc))
    if tier.min_orders:
        parts.append(_orders(tier.min_orders))
    return t(f"explain.join_{match}", a=parts[0], b=parts[1]) if len(parts) == 2 else parts[0]


def _detail(m: Movement, config: AppConfig, loc: str) -> str:
    currency = config.settings.currency

    def money(minor: int | None) -> str:
        return format_money(minor or 0, currency, loc)

    if m.source == "order":
        names = {tier.id: tier.name.get(loc) for tier in config.loyalty.tiers}
        base = t(f"explain.on_{m.base or 'total'}", amount=money(m.amount))
        tier = names.get(m.tier or "", m.tier or t("loyalty.tier.none"))
        return t("explain.detail.order", id=m.order_id, base=base, tier=tier, x=f"{m.multiplier or 1:g}")
    if m.source == "redemption":
        text = t("explain.detail.redemption", id=m.order_id, value=money(m.amount))
        if m.requested:
            text += " " + t("explain.detail.capped", asked=m.requested)
        return text
    if m.source == "expiry":
        earned = m.day - timedelta(days=config.loyalty.points_expiry_days or 0)
        return t("explain.detail.expiry", date=format_day(earned))
    if m.source == "goodwill":
        return t("explain.detail.goodwill")
    if m.source == "referral":
        return t("explain.detail.referral", code=m.referred or "")
    reason = f": {m.note}" if m.note else ""
    return t("explain.detail.void", id=m.order_id, total=money(m.amount), reason=reason)


def _under_column(start: str, detail: str) -> list[str]:
    """`start` then `detail` wrapped to WIDTH, its next lines under the detail's column (not at
    column 0); a detail column squeezed below 20 cells starts on the next line instead."""
    room = WIDTH - len(start)
    if room < 20:
        return [start.rstrip(), *textwrap.wrap(detail, WIDTH, initial_indent="    ",
                                               subsequent_indent="    ", break_on_hyphens=False)]
    parts = textwrap.wrap(detail, room, break_on_hyphens=False) or [""]
    return [start + parts[0], *(" " * len(start) + part for part in parts[1:])]


def _wrapped(line: str) -> list[str]:
    """A sentence wrapped to WIDTH, the next lines indented (the Loyalty tab and the terminal);
    a line that fits (a table row, already wrapped under its column) stays as it is."""
    if len(line) <= WIDTH:
        return [line]
    return textwrap.wrap(line, WIDTH, subsequent_indent="  ", break_on_hyphens=False)


def explanation_lines(explanation: Explanation, config: AppConfig) -> list[str]:
    """The explanation as plain lines (user text stays text: the caller never parses markup)."""
    loc = get_locale()
    currency = config.settings.currency
    num = count_text
    lines = [t("explain.title", name=explanation.name, code=explanation.code,
               date=format_day(explanation.as_of), balance=num(explanation.balance, loc)), ""]
    head = (t("explain.col.date"), t("explain.col.source"), t("explain.col.points"),
            t("explain.col.balance"), t("explain.col.detail"))
    rows = [(format_day(m.day), t(f"explain.source.{m.source}"),
             ("+" if m.points > 0 else "-") + num(abs(m.points), loc) if m.points else "0",
             num(m.balance, loc), _detail(m, config, loc))
            for m in explanation.movements]
    if rows:
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
        for row in [head, *rows]:
            start = (f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  "
                     f"{row[3]:>{widths[3]}}  ")
            lines.extend(_under_column(start, row[4]))
    else:
        lines.append(t("explain.no_movements"))
    if explanation.next_expiry:
        day, points = explanation.next_expiry
        lines.append(t("explain.next_expiry", points=num(points, loc), date=format_day(day)))
    lines.append("")
    why = explanation.tier
    tier_name = why.tier.name.get(loc) if why.tier else t("loyalty.tier.none")
    lines.append(t("explain.tier", tier=tier_name, start=format_day(why.start), end=format_day(why.end),
                   days=config.loyalty.tier_window_days, orders=_orders(why.count),
                   spend=format_money(why.spend, currency, loc)))
    if why.tier is not None and (why.tier.min_spend or why.tier.min_orders):
        lines.append(t("explain.tier_met", tier=tier_name,
                       threshold=_threshold(why.tier, why.match, currency, loc)))
    elif why.tier is not None:
        lines.append(t("explain.tier_base", tier=tier_name))
    if why.orders:
        counted = " · ".join(f"#{oid} {format_day(day)} {format_money(total, currency, loc)}"
                             for oid, day, total in why.orders)
        lines.append(t("explain.counted", orders=counted))
    if why.holds_until is not None:
        then = why.then.name.get(loc) if why.then else t("loyalty.tier.none")
        lines.append(t("explain.holds", tier=tier_name, date=format_day(why.holds_until), then=then))
    elif why.tier is not None:
        lines.append(t("explain.keeps", tier=tier_name))
    lines.append(progress_text(why.progress, currency, loc))
    return [part for line in lines for part in _wrapped(line)]
