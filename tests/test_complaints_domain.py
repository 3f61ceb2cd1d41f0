"""Complaint workflow: allowed status changes, history, SLA due time and overdue."""

from __future__ import annotations

from datetime import datetime

import pytest

from custui.config.loader import load_config
from custui.domain.complaints import (
    TransitionError,
    is_overdue,
    new_complaint,
    sla_hours,
    status_changes,
)

CARE = load_config().care
NOW = "2026-03-10T09:00:00"


def test_sla_uses_the_most_specific_rule() -> None:
    assert sla_hours(CARE, "product_quality", "medium") == 24  # severity
    assert sla_hours(CARE, "transaction", "high") == 2  # category + severity override
    assert sla_hours(CARE, "after_sales", "low") == 120


def test_new_complaint_is_open_with_due_time_and_first_history_entry() -> None:
    doc = new_complaint(CARE, customer_id=1, category="transaction", severity="high",
                        description=" parcel lost ", now=NOW, order_id=7, who="an")
    assert doc["status"] == "open"
    assert doc["due_at"] == "2026-03-10T11:00:00"
    assert doc["history"] == [{"at": NOW, "status": "open", "note": "parcel lost", "who": "an"}]
    with pytest.raises(ValueError):
        new_complaint(CARE, customer_id=1, category="nope", severity="high", description="", now=NOW)


def test_overdue_only_while_active_and_past_due() -> None:
    doc = new_complaint(CARE, customer_id=1, category="transaction", severity="high",
                        description="x", now=NOW)
    assert not is_overdue(doc, datetime(2026, 3, 10, 10, 59))
    assert is_overdue(doc, datetime(2026, 3, 10, 11, 1))
    resolved = {**doc, **status_changes(CARE, doc, "resolved", "refunded", "2026-03-10T12:00:00")}
    assert not is_overdue(resolved, datetime(2026, 3, 11))


def test_full_flow_keeps_history_and_reopen_restarts_the_clock() -> None:
    doc = new_complaint(CARE, customer_id=1, category="staff_attitude", severity="low",
                        description="rude", now=NOW)
    steps = [
        ("in_progress", "called the customer", "2026-03-10T10:00:00"),
        ("resolved", "apologised, gift sent", "2026-03-11T10:00:00"),
        ("closed", "customer satisfied", "2026-03-12T10:00:00"),
        ("open", "customer called back", "2026-03-20T10:00:00"),
    ]
    for status, note, at in steps:
        doc = {**doc, **status_changes(CARE, doc, status, note, at)}
    assert [h["status"] for h in doc["history"]] == ["open", "in_progress", "resolved", "closed", "open"]
    assert doc["history"][2]["note"] == "apologised, gift sent"
    assert doc["resolution"] == "apologised, gift sent"
    assert doc["resolved_at"] is None
    assert doc["due_at"] == "2026-03-23T10:00:00"  # 72 h after the reopen


@pytest.mark.parametrize(("old", "new"), [("open", "closed"), ("in_progress", "open"), ("closed", "resolved")])
def test_disallowed_changes_are_refused(old: str, new: str) -> None:
    with pytest.raises(TransitionError):
        status_changes(CARE, {"status": old, "history": []}, new, "", NOW)
