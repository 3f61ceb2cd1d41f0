"""Complaint rules: which status changes are allowed, the SLA due time, and overdue.

Statuses: open -> in_progress -> resolved -> closed. A quick fix at the counter
may go straight from open to resolved. Reopening takes a resolved or closed
complaint back to open and restarts the SLA clock from the moment it reopens.
Only open and in-progress complaints can be overdue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from custui.domain.models.care import Care

OPEN, IN_PROGRESS, RESOLVED, CLOSED = "open", "in_progress", "resolved", "closed"
ACTIVE = (OPEN, IN_PROGRESS)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    OPEN: (IN_PROGRESS, RESOLVED),
    IN_PROGRESS: (RESOLVED,),
    RESOLVED: (CLOSED, OPEN),
    CLOSED: (OPEN,),
}


class TransitionError(ValueError):
    """A status change the workflow does not allow."""


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a complaint in `status` may move to (first = the usual next step)."""
    return TRANSITIONS.get(status, ())


def is_reopen(old: str, new: str) -> bool:
    return new == OPEN and old in (RESOLVED, CLOSED)


def check_transition(old: str, new: str) -> None:
    if new not in next_statuses(old):
        raise TransitionError(f"a complaint cannot go from {old} to {new}")


def sla_hours(care: Care, category: str, severity: str) -> int:
    """Hours allowed (care.yaml: the most specific override, else the severity's SLA).

    A severity id since removed from care.yaml falls back to the most lenient one.
    """
    try:
        return care.sla_hours(category, severity)
    except KeyError:
        return max(s.sla_hours for s in care.severities)


def parse_time(value: str) -> datetime:
    """An ISO timestamp (or date) as a naive datetime in the shop's local time."""
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def due_at(care: Care, category: str, severity: str, start: str) -> str:
    """When a complaint opened (or reopened) at `start` must be resolved."""
    return iso(parse_time(start) + timedelta(hours=sla_hours(care, category, severity)))


def is_overdue(complaint: Mapping[str, Any], now: datetime) -> bool:
    """An open or in-progress complaint whose due time has passed."""
    if complaint.get("status") not in ACTIVE or not complaint.get("due_at"):
        return False
    return parse_time(str(complaint["due_at"])) < now.replace(tzinfo=None)


def overdue_by(complaint: Mapping[str, Any], now: datetime) -> timedelta | None:
    """How long past due an overdue complaint is; None when it is not overdue."""
    if not is_overdue(complaint, now):
        return None
    return now.replace(tzinfo=None) - parse_time(str(complaint["due_at"]))


def new_complaint(
    care: Care,
    *,
    customer_id: int,
    category: str,
    severity: str,
    description: str,
    now: str,
    order_id: int | None = None,
    who: str = "",
) -> dict[str, Any]:
    """The record of a complaint opened `now` (not stored yet)."""
    if category not in {c.id for c in care.complaint_categories}:
        raise ValueError(f"unknown complaint category {category!r}")
    if severity not in {s.id for s in care.severities}:
        raise ValueError(f"unknown severity {severity!r}")
    return {
        "customer_id": customer_id,
        "order_id": order_id,
        "category": category,
        "severity": severity,
        "description": description.strip(),
        "status": OPEN,
        "opened_at": now,
        "due_at": due_at(care, category, severity, now),
        "resolved_at": None,
        "resolution": "",
        "history": [{"at": now, "status": OPEN, "note": description.strip(), "who": who}],
        "updated_at": now,
    }


def status_changes(
    care: Care, complaint: Mapping[str, Any], new: str, note: str, now: str, who: str = ""
) -> dict[str, Any]:
    """The fields to update when `complaint` moves to `new` at `now` with `note`.

    Raises TransitionError for a change the workflow does not allow.
    """
    old = str(complaint.get("status", OPEN))
    check_transition(old, new)
    note = note.strip()
    changes: dict[str, Any] = {
        "status": new,
        "history": [*complaint.get("history", []), {"at": now, "status": new, "note": note, "who": who}],
        "updated_at": now,
    }
    if new == RESOLVED:
        changes["resolved_at"] = now
        if note:
            changes["resolution"] = note
    if is_reopen(old, new):
        changes["resolved_at"] = None
        changes["due_at"] = due_at(
            care, str(complaint.get("category", "")), str(complaint.get("severity", "")), now
        )
    return changes
