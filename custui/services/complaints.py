"""Complaint use-cases: open, change status (with goodwill on resolve), list with filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from custui.domain import complaints as rules
from custui.domain.money import format_money
from custui.errors import BadInput
from custui.i18n import get_locale, t
from custui.services.workspace import Workspace
from custui.store.base import Doc

GOODWILL_RULE = "goodwill"


def category_name(ws: Workspace, category_id: str) -> str:
    found = next((c for c in ws.config.care.complaint_categories if c.id == category_id), None)
    return found.name.get(get_locale()) if found else category_id


def severity_name(ws: Workspace, severity_id: str) -> str:
    found = next((s for s in ws.config.care.severities if s.id == severity_id), None)
    return found.name.get(get_locale()) if found else severity_id


def status_name(status: str) -> str:
    return t(f"complaint.status.{status}")


def open_complaint(
    ws: Workspace,
    customer_id: int,
    category: str,
    severity: str,
    description: str,
    order_id: int | None = None,
) -> Doc:
    """Record a new complaint with its SLA due time. Raises BadInput."""
    if not description.strip():
        raise BadInput(t("complaint.err.description"))
    if ws.store.get("customers", customer_id) is None:
        raise BadInput(t("care.err.no_customer", id=customer_id))
    if order_id is not None:
        order = ws.store.get("orders", order_id)
        if order is None or order.get("customer_id") != customer_id:
            raise BadInput(t("survey.err.order", order=order_id))
    try:
        doc = rules.new_complaint(
            ws.config.care, customer_id=customer_id, category=category, severity=severity,
            description=description, now=ws.now_iso(), order_id=order_id, who=ws.operator,
        )
    except ValueError as err:
        raise BadInput(str(err)) from err
    return ws.store.insert("complaints", doc)


@dataclass(frozen=True)
class Goodwill:
    """What resolving a complaint may grant, from care.yaml (0 / None: nothing)."""

    points: int
    voucher_amount: int | None
    voucher_valid_days: int


def goodwill_offer(ws: Workspace, complaint: Doc) -> Goodwill:
    """The goodwill still grantable for `complaint` (nothing twice for one complaint)."""
    config = ws.config.care.goodwill
    return Goodwill(
        points=0 if complaint.get("goodwill_points") else config.points,
        voucher_amount=None if complaint.get("goodwill_voucher_id") else config.voucher_amount,
        voucher_valid_days=config.voucher_valid_days,
    )


def change_status(
    ws: Workspace,
    complaint_id: int,
    status: str,
    note: str = "",
    grant_points: bool = False,
    grant_voucher: bool = False,
) -> Doc:
    """Move a complaint to `status` with a note; on resolve, optionally grant goodwill.

    Goodwill points are recorded as a "gift" interaction with `points` (and the
    complaint's `goodwill_points`); a voucher as a vouchers record with rule
    "goodwill". Everything is written in one batch. Raises BadInput.
    """
    complaint = ws.store.get("complaints", complaint_id)
    if complaint is None:
        raise BadInput(t("complaint.err.missing", id=complaint_id))
    if grant_points or grant_voucher:
        from custui.services.roles import require

        require(ws, "goodwill", check_pin_too=False)  # a clerk: "... needs a manager."
    now = ws.now_iso()
    try:
        changes = rules.status_changes(ws.config.care, complaint, status, note, now, ws.operator)
    except rules.TransitionError as err:
        raise BadInput(t("complaint.err.transition", old=status_name(str(complaint.get("status"))),
                         new=status_name(status))) from err
    offer = goodwill_offer(ws, complaint)
    points = offer.points if grant_points and status == rules.RESOLVED else 0
    amount = offer.voucher_amount if grant_voucher and status == rules.RESOLVED else None
    customer_id = int(complaint["customer_id"])
    with ws.store.batch():
        voucher: Doc | None = None
        if amount:
            today = ws.today()
            voucher = ws.store.insert("vouchers", {
                "customer_id": customer_id,
                "rule": GOODWILL_RULE,
                "amount": amount,
                "percent": None,
                "issued_at": today.isoformat(),
                "expires_at": (today + timedelta(days=offer.voucher_valid_days - 1)).isoformat(),
                "used_at": None,
                "used_order_id": None,
                "source_order_id": None,
                "complaint_id": complaint_id,
            })
            changes["goodwill_voucher_id"] = voucher["id"]
        if points:
            changes["goodwill_points"] = points
        if points or voucher is not None:
            _log_goodwill(ws, complaint, points, voucher, now)
        return ws.store.update("complaints", complaint_id, changes)


def _log_goodwill(ws: Workspace, complaint: Doc, points: int, voucher: Doc | None, now: str) -> None:
    parts = []
    if points:
        parts.append(t("complaint.goodwill.points", points=points))
    if voucher is not None:
        parts.append(t("complaint.goodwill.voucher",
                       amount=format_money(int(voucher["amount"]), ws.currency, get_locale())))
    ws.store.insert("interactions", {
        "customer_id": complaint["customer_id"],
        "type": "gift",
        "summary": t("complaint.goodwill.summary", id=complaint["id"], what=", ".join(parts)),
        "outcome": "",
        "at": now,
        "follow_up_due": None,
        "follow_up_done": False,
        "points": points,
        "complaint_id": complaint["id"],
        "voucher_id": voucher["id"] if voucher is not None else None,
        "who": ws.operator,
    })


def complaints_for(ws: Workspace, customer_id: int) -> list[Doc]:
    """A customer's complaints: active first (soonest due first), then the rest newest first."""
    rows = ws.store.children("complaints", customer_id)
    return sort_complaints(rows)


def sort_complaints(rows: list[Doc]) -> list[Doc]:
    rows = sorted(rows, key=lambda c: (str(c.get("opened_at", "")), c["id"]), reverse=True)
    return sorted(rows, key=lambda c: (c.get("status") not in rules.ACTIVE,
                                       str(c.get("due_at", "")) if c.get("status") in rules.ACTIVE else ""))


@dataclass(frozen=True)
class ComplaintFilter:
    status: str | None = None  # None: any; "active": open or in progress
    category: str | None = None
    overdue: bool = False


def list_complaints(ws: Workspace, where: ComplaintFilter = ComplaintFilter()) -> list[Doc]:
    """Complaints matching the filter, sorted like `complaints_for`. Reads the whole table."""
    now = ws.clock()
    rows: list[Doc] = []
    for doc in ws.store.all("complaints"):
        status = doc.get("status")
        if where.status == "active" and status not in rules.ACTIVE:
            continue
        if where.status not in (None, "active") and status != where.status:
            continue
        if where.category is not None and doc.get("category") != where.category:
            continue
        if where.overdue and not rules.is_overdue(doc, now):
            continue
        rows.append(doc)
    return sort_complaints(rows)


def due_text(doc: Doc, now: Any) -> str:
    """"due 2026-03-10 11:00", or "OVERDUE 3h" for an overdue complaint (works without colour)."""
    late = rules.overdue_by(doc, now)
    if late is not None:
        hours = int(late.total_seconds() // 3600)
        span = t("complaint.late.days", days=hours // 24) if hours >= 48 else t("complaint.late.hours", hours=hours)
        return t("complaint.overdue", late=span)
    due = str(doc.get("due_at") or "")
    return due[:16].replace("T", " ")


def days_open(doc: Doc, today: date) -> int:
    return (today - date.fromisoformat(str(doc.get("opened_at", today.isoformat()))[:10])).days
