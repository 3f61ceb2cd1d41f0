"""Interactions: calls, emails, SMS, meetings, notes and gifts logged against a customer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from custui.domain.dates import DateOutOfRange, check_day, read_typed_day
from custui.domain.enums import INTERACTION_TYPES
from custui.domain.text import is_ascii_digits
from custui.errors import BadInput
from custui.i18n import t, t_id
from custui.services.limits import date_range_error
from custui.services.workspace import Workspace
from custui.store.base import Doc


def parse_day(raw: str, today: date | None = None) -> str | None:
    """A follow-up date typed as any date box takes it (YYYY-MM-DD, dd/mm/yyyy, dd/mm) or "+N"
    (days from `today`), or empty -> None.

    Raises BadInput for anything else.
    """
    raw = raw.strip()
    if not raw:
        return None
    try:
        if raw.startswith("+") and today is not None:
            days = raw[1:]
            if not is_ascii_digits(days) or len(days) > 6:
                raise ValueError(raw)
            return check_day(today + timedelta(days=int(days))).isoformat()
        return read_typed_day(raw, today or date.today()).isoformat()
    except DateOutOfRange:
        raise BadInput(date_range_error(raw)) from None
    except (ValueError, OverflowError) as err:
        raise BadInput(t("interaction.err.date", value=raw)) from err


def log_interaction(
    ws: Workspace,
    customer_id: int,
    kind: str,
    summary: str,
    outcome: str = "",
    follow_up_due: str | None = None,
    **extra: Any,
) -> Doc:
    """Store one interaction; `extra` carries care_key, points, complaint_id, voucher_id."""
    if kind not in INTERACTION_TYPES:
        raise BadInput(t("interaction.err.type", kind=kind))
    if not summary.strip():
        raise BadInput(t("interaction.err.summary"))
    if ws.store.get("customers", customer_id) is None:
        raise BadInput(t("care.err.no_customer", id=customer_id))
    doc: dict[str, Any] = {
        "customer_id": customer_id,
        "type": kind,
        "summary": summary.strip(),
        "outcome": outcome.strip(),
        "at": ws.now_iso(),
        "follow_up_due": follow_up_due,
        "follow_up_done": False,
        "who": ws.operator,
    }
    doc.update(extra)
    return ws.store.insert("interactions", doc)


def log_typed(ws: Workspace, customer_id: int, kind: str, summary: str, outcome: str = "",
              follow_up: str = "") -> Doc:
    """Store one interaction as the dialog typed it: the follow-up as typed (`parse_day`)."""
    return log_interaction(ws, customer_id, kind, summary, outcome, parse_day(follow_up, ws.today()))


def is_snooze_mark(doc: Doc) -> bool:
    return bool(doc.get("care_key") and doc.get("snoozed_until"))


def interactions_for(ws: Workspace, customer_id: int, include_snoozes: bool = False) -> list[Doc]:
    """A customer's interactions, newest first (care-queue snooze marks left out by default)."""
    rows = [
        d for d in ws.store.children("interactions", customer_id)
        if include_snoozes or not is_snooze_mark(d)
    ]
    return sorted(rows, key=lambda d: (str(d.get("at", "")), d["id"]), reverse=True)


def goodwill_points(interactions: list[Doc]) -> list[tuple[date, int]]:
    """(day, points) of goodwill points granted, for the loyalty ledger to add as bonus lots."""
    found: list[tuple[date, int]] = []
    for doc in interactions:
        points = doc.get("points")
        if isinstance(points, int) and not isinstance(points, bool) and points > 0:
            found.append((date.fromisoformat(str(doc["at"])[:10]), points))
    return sorted(found)


def type_label(kind: str) -> str:
    """The type's name; a type no longer known (data from an older version) shows its id."""
    return t_id("interaction.type", kind)
