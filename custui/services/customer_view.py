"""What the lookup rows and the profile header show about a customer, derived from orders.

Tier, lifecycle, points and CLV are never stored: they are computed here from the
customer's orders and the YAML rules (domain helpers), and cached per customer
until one of its records changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.lifecycle import lifecycle
from custui.domain.loyalty import find_tier, tier_for
from custui.domain.metrics import clv
from custui.domain.money import format_money
from custui.domain.stats import CustomerStats, compute_stats
from custui.i18n import decimal_text, format_day, get_locale, t, t_id
from custui.services.workspace import Workspace
from custui.store.base import Doc


@dataclass(frozen=True)
class CustomerSummary:
    """Derived values of one customer on one day (money in minor units)."""

    customer_id: int
    tier_id: str | None
    tier_name: str
    lifecycle: str  # potential | current | loyal | lapsed
    orders: int
    total_spend: int
    last_order: date | None
    first_order: date | None
    clv: int

    @property
    def lifecycle_label(self) -> str:
        return t(f"lifecycle.{self.lifecycle}")


def lifecycle_of(doc: Doc, stats: CustomerStats, config: AppConfig, today: date) -> str:
    """Lifecycle stage (potential/current/loyal/lapsed), a staff override winning."""
    return str(lifecycle(stats, today, config.segments.lifecycle, doc.get("status_override")))


def clv_of(stats: CustomerStats, config: AppConfig, today: date) -> int:
    """Customer lifetime value in minor units (rounded)."""
    return int(clv(stats, today, config.segments.lifecycle).to_integral_value())


class CustomerViews:
    """Summaries cached per (customer, day) and dropped when the customer's records change."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._cache: dict[int, tuple[date, CustomerSummary]] = {}
        self._lock = threading.Lock()
        self._changes = 0  # counts invalidations: a summary computed across one is not kept
        workspace.store.subscribe(self._on_change)

    def _on_change(self, table: str, doc: Doc) -> None:
        cid = doc["id"] if table == "customers" else doc.get("customer_id")
        with self._lock:
            self._changes += 1
            if cid is None or table in ("orders", "vouchers") and doc.get("customer_id") is None:
                self._cache.clear()
            else:
                self._cache.pop(int(cid), None)
                if table == "orders":  # a merge or correction may move orders between customers
                    self._cache.clear()

    def summary(self, customer_id: int) -> CustomerSummary:
        today = self.workspace.today()
        with self._lock:
            hit = self._cache.get(customer_id)
            changes = self._changes
        if hit is not None and hit[0] == today:
            return hit[1]
        made = from_derived(self.workspace, customer_id, today) or summarize(self.workspace, customer_id, today)
        with self._lock:
            if changes == self._changes:  # a change may arrive meanwhile (listener thread)
                if len(self._cache) >= self.CACHE_MAX:
                    self._cache.clear()
                self._cache[customer_id] = (today, made)
        return made

    CACHE_MAX = 20_000  # summaries kept (a lookup row costs microseconds once derived is built)


def from_derived(ws: Workspace, customer_id: int, today: date) -> CustomerSummary | None:
    """The summary read off the shared derived cache when it is built and free (the app builds
    it at start); None otherwise. Same values as `summarize`, without a pass over the orders."""
    derived = ws.__dict__.get("derived")  # only if some service made it: never create it here
    found = derived.peek(customer_id, today) if derived is not None else None
    if found is None:
        return None
    stats, facts = found
    config = ws.config
    tier = find_tier(config.loyalty, facts.tier) if facts.tier is not None else None
    return CustomerSummary(
        customer_id=customer_id,
        tier_id=tier.id if tier else None,
        tier_name=tier.name.get(get_locale()) if tier else "",
        lifecycle=str(facts.lifecycle),
        orders=stats.orders,
        total_spend=stats.total_spend,
        last_order=stats.last_order,
        first_order=stats.first_order,
        clv=clv_of(stats, config, today),
    )


def summarize(ws: Workspace, customer_id: int, today: date | None = None) -> CustomerSummary:
    """Derive one customer's summary from the store (use CustomerViews to cache)."""
    today = today or ws.today()
    config = ws.config
    doc = ws.store.get("customers", customer_id) or {"id": customer_id}
    orders = ws.store.children("orders", customer_id)
    stats = compute_stats(orders)
    tier = tier_for(orders, config.loyalty, today) if config.loyalty.tiers else None
    return CustomerSummary(
        customer_id=customer_id,
        tier_id=tier.id if tier else None,
        tier_name=tier.name.get(get_locale()) if tier else "",
        lifecycle=lifecycle_of(doc, stats, config, today),
        orders=stats.orders,
        total_spend=stats.total_spend,
        last_order=stats.last_order,
        first_order=stats.first_order,
        clv=clv_of(stats, config, today),
    )


@dataclass(frozen=True)
class CustomerRow:
    """What one lookup row shows, as display strings (user text kept as-is)."""

    customer_id: int
    code: str
    name: str
    kind: str
    phone: str
    tier: str
    lifecycle: str
    last_order: str
    spend: str
    archived: bool = False
    last_month: str = ""  # the last order's month, for a table short of room


def make_row(ws: Workspace, doc: Doc, summary: CustomerSummary) -> CustomerRow:
    phone = str(doc.get("phone") or "")
    if len(phone) > 11:
        phone = str(doc.get("phone_norm") or phone)
    return CustomerRow(
        customer_id=int(doc["id"]),
        code=str(doc.get("code") or ""),
        name=str(doc.get("name") or ""),
        kind=t_id("customer.kind_short", doc.get("kind") or "individual"),
        phone=phone,
        tier=summary.tier_name,
        lifecycle=summary.lifecycle_label,
        last_order=day(summary.last_order) if summary.last_order else "",
        spend=short_money(summary.total_spend, ws.currency) if summary.orders else "",
        archived=bool(doc.get("archived")),
        last_month=month(summary.last_order) if summary.last_order else "",
    )


LIFECYCLE_STAGES = ("potential", "current", "loyal", "lapsed")


def longest_labels(config: AppConfig) -> dict[str, int]:
    """Column -> cells of its longest configured value in the current language (tier names,
    lifecycle stages, a compact amount), so a results table sizes columns to show them whole."""
    from rich.cells import cell_len

    locale = get_locale()
    tiers = [cell_len(tier.name.get(locale)) for tier in config.loyalty.tiers]
    stages = [cell_len(t(f"lifecycle.{stage}")) for stage in LIFECYCLE_STAGES]
    return {"tier": max(tiers, default=0), "lifecycle": max(stages), "spend": 7}


def short_money(minor: int, currency: str) -> str:
    """A compact amount for narrow columns: 450k, 1.25M (en) / 450k, 1,25tr (vi)."""
    from custui.domain.money import to_major

    value = float(to_major(minor, currency))
    vi = get_locale() == "vi"
    for size, en_unit, vi_unit in ((1e9, "B", " tỷ"), (1e6, "M", "tr"), (1e3, "k", "k")):
        if abs(value) >= size:
            q = value / size
            places = 2 if abs(q) < 10 else 1 if abs(q) < 100 else 0
            text = f"{q:.{places}f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return (text.replace(".", ",") + vi_unit) if vi else text + en_unit
    return f"{value:g}"


def money(ws: Workspace, minor: int) -> str:
    return format_money(minor, ws.currency, get_locale())


def day(value: date | str | None) -> str:
    """A date the way the current language writes it (dd/mm/yyyy in vi, yyyy-mm-dd in en)."""
    return format_day(value)


def month(value: date | str) -> str:
    """The month of a date, as `day` writes dates: mm/yyyy in vi, yyyy-mm in en."""
    text = day(value)
    if get_locale() == "vi":
        return text[3:] if len(text) == 10 and text[2] == "/" else text
    return text[:7] if len(text) == 10 and text[4] == "-" else text


def field_text(value: Any) -> str:
    """A record value as text for the Details tab and the audit trail."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return t("customer.yes") if value else t("customer.no")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


@dataclass(frozen=True)
class ProfileData:
    """Everything the profile screen shows, loaded in one go (in a worker thread)."""

    customer: Doc
    summary: CustomerSummary
    orders: list[Doc]
    feedback: list[Doc]
    complaints: list[Doc]
    interactions: list[Doc]
    audit: list[Doc]
    points: int
    loyalty_note: str  # progress to the next tier, "" when none
    merged_into_code: str | None
    referred_by_code: str | None
    alive: str = ""  # "P(alive) 23 % · 0.4 purchases expected in 90 d", "" when not fitted


def alive_text(ws: Workspace, customer_id: int) -> str:
    """The customer's P(alive) and expected purchases from the last model fit (never waits:
    the app fits in a worker at start and whenever the queue is computed)."""
    from custui.services.alive import latest

    fit = latest(ws)
    if fit is None:
        return ""
    if not fit.fitted:
        return t("alive.too_little", repeat=fit.repeat_customers, needed=fit.min_repeat_customers)
    values = fit.get(customer_id)
    if values is None:
        return t("alive.no_repeat")
    return t("alive.values", p=f"{values.p_alive * 100:.0f}", expected=decimal_text(values.expected),
             days=fit.horizon_days)


def load_profile(ws: Workspace, views: CustomerViews | None, customer_id: int) -> ProfileData | None:
    """The customer and their records, newest first (open complaints first); None when the
    customer does not exist. Points include goodwill granted on complaints."""
    from custui.services.complaints import complaints_for
    from custui.services.customers import audit_trail
    from custui.services.interactions import interactions_for
    from custui.services.loyalty import customer_loyalty, progress_text

    store = ws.store
    doc = store.get("customers", customer_id)
    if doc is None:
        return None

    loyalty = customer_loyalty(store, ws.config, customer_id, ws.today())

    def newest(table: str, field: str) -> list[Doc]:
        return sorted(store.children(table, customer_id),
                      key=lambda r: (str(r.get(field) or ""), r["id"]), reverse=True)

    def code_of(other: Any) -> str | None:
        found = store.get("customers", int(other)) if other else None
        return str(found.get("code") or other) if found else None

    return ProfileData(
        customer=doc,
        summary=views.summary(customer_id) if views else summarize(ws, customer_id),
        orders=newest("orders", "date"),
        feedback=newest("feedback", "created_at"),
        complaints=complaints_for(ws, customer_id),  # open ones first, soonest due first
        interactions=interactions_for(ws, customer_id),  # care-queue snooze marks left out
        audit=audit_trail(store, customer_id),
        points=loyalty.balance,
        loyalty_note=progress_text(loyalty.progress, ws.currency, get_locale()),
        merged_into_code=code_of(doc.get("merged_into")),
        referred_by_code=code_of(doc.get("referred_by")),
        alive=alive_text(ws, customer_id),
    )
