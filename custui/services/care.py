"""The care queue: compute "Today" from the store, and mark items done or snoozed.

Done and snooze marks are interactions with the item's `care_key` (so they
survive restarts, travel with the customer and show in the history): done is
a "note" whose summary says what was done; a snooze is a "note" with
`snoozed_until` (hidden from the profile's interactions list by default).
"""

from __future__ import annotations

from datetime import timedelta

from custui.domain.care import CareItem, QueueCounts, care_queue, queue_counts, rules_from_config
from custui.i18n import t
from custui.services.interactions import log_interaction, type_label
from custui.services.workspace import Workspace
from custui.store.base import Doc


def compute_queue(ws: Workspace) -> list[CareItem]:
    """Everything due today (call from a worker: it reads every order once)."""
    store = ws.store
    return care_queue(
        customers=store.all("customers"),
        orders=store.all("orders"),
        complaints=store.all("complaints"),
        interactions=store.all("interactions"),
        feedback=store.all("feedback"),
        rules=rules_from_config(ws.config.care, ws.config.segments),
        today=ws.today(),
        now=ws.clock(),
    )


def reason_text(item: CareItem) -> str:
    values = item.values()
    if item.kind == "follow_up" and values.get("type"):
        values["type"] = type_label(str(values["type"]))
    if item.kind == "complaint" and values.get("category"):
        values["category"] = values["category"].replace("_", " ")
    return t(item.reason_key, **values)


def kind_label(kind: str) -> str:
    return t(f"care.kind.{kind}")


def mark_done(ws: Workspace, item: CareItem, note: str = "") -> Doc:
    """Close the item for good: logs a note with its care_key (and ticks a follow-up off)."""
    with ws.store.batch():
        if item.kind == "follow_up" and item.ref_id is not None:
            if ws.store.get("interactions", item.ref_id) is not None:
                ws.store.update("interactions", item.ref_id, {"follow_up_done": True})
        return log_interaction(
            ws, item.customer_id, "note",
            t("care.done.summary", kind=kind_label(item.kind), reason=reason_text(item)),
            outcome=note, care_key=item.key,
        )


def snooze(ws: Workspace, item: CareItem, days: int | None = None) -> Doc:
    """Hide the item for `days` (care.yaml snooze_days by default); it comes back after."""
    days = days or ws.config.care.follow_ups.snooze_days
    until = (ws.today() + timedelta(days=days)).isoformat()
    return log_interaction(
        ws, item.customer_id, "note",
        t("care.snooze.summary", kind=kind_label(item.kind), until=until),
        care_key=item.key, snoozed_until=until,
    )


def compute_counts(ws: Workspace) -> QueueCounts:
    """The header's counts of today's queue (call from a worker)."""
    return queue_counts(compute_queue(ws))
