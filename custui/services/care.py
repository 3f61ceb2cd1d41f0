"""The care queue: compute "Today" from the store, and mark items done or snoozed.

Done and snooze marks are interactions with the item's `care_key` (so they
survive restarts, travel with the customer and show in the history): done is
a "note" whose summary says what was done; a snooze is a "note" with
`snoozed_until` (hidden from the profile's interactions list by default).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import compress, repeat
from typing import Any

from custui.domain.care import (
    CareItem,
    CareRules,
    QueueCounts,
    care_queue,
    queue_counts,
    rules_from_config,
)
from custui.domain.winback import AtRisk, at_risk
from custui.i18n import format_moment, get_locale, t
from custui.services.alive import current
from custui.services.complaints import category_name
from custui.services.interactions import log_interaction, type_label
from custui.services.workspace import Workspace
from custui.store.base import Doc, Store, records_with


def compute_queue(ws: Workspace) -> list[CareItem]:
    """Everything due today (call from a worker: it may read every order once)."""
    store = ws.store
    rules = rules_from_config(ws.config.care, ws.config.segments)
    today = ws.today()
    return care_queue(
        at_risk=at_risk_rows(ws) if rules.winback_days_before_lapse is not None else None,
        customers=store.all("customers"),
        orders=orders_for_queue(ws, rules, today),
        complaints=store.all("complaints"),
        interactions=care_interactions(store),
        feedback=store.all("feedback"),
        rules=rules,
        today=today,
        now=ws.clock(),
        question_types=question_types(ws),
    )


def at_risk_rows(ws: Workspace) -> list[AtRisk] | None:
    """Every repeat customer scored by the P(alive) model, most value at risk first; None when
    there is too little data to fit (the recency win-back rule alone applies then). Scored with the
    last fit's parameters: a write does not wait for a refit (the app refits in a worker)."""
    fit = current(ws)
    if not fit.fitted:
        return None
    return at_risk(fit.p_alive(), ws.derived.snapshot().stats, 1.01, fit.as_of)


def question_types(ws: Workspace) -> dict[str, dict[str, str]]:
    """survey id -> question id -> question type, from surveys.yaml."""
    return {s.id: {q.id: q.type for q in s.questions} for s in ws.config.surveys.surveys}


def orders_for_queue(ws: Workspace, rules: CareRules, today: date) -> Iterable[Doc]:
    """The orders the queue's purchase and win-back rules can act on: with the shared derived
    cache built, only those of customers who bought in the recent window (thank-you, feedback)
    or are loyal with a last order in the win-back band, instead of all orders (a tenth of a
    million at 1M). Whole customers are kept, so the queue is exactly what all orders give;
    without the cache, every order."""
    derived = ws.__dict__.get("derived")  # only if something made it: never build it here
    if derived is None or not derived.built:
        return order_rows(ws.store)
    day = today.toordinal()
    wanted: set[int] = set()
    purchase_days = [d for d in (rules.thank_you_days, rules.feedback_request_days) if d is not None]
    if purchase_days:
        wanted |= derived.buyers_between(day - (max(purchase_days) + rules.keep_days), day)
    if rules.winback_days_before_lapse is not None:
        # a win-back needs a last order L in the loyal window with
        # today - lapsed_after < L <= today - lapsed_after + days_before_lapse
        loyal_from = day - (rules.loyal_window_days - 1)
        first = max(day - rules.lapsed_after_days + 1, loyal_from)
        last = min(day - rules.lapsed_after_days + rules.winback_days_before_lapse, day)
        for cid in derived.buyers_between(first, last) - wanted if first <= last else ():
            days = derived.stats(cid).order_days
            loyal = bisect_right(days, day) - bisect_left(days, loyal_from) >= rules.loyal_min_orders
            if loyal or (ws.store.get("customers", cid) or {}).get("status_override") == "loyal":
                wanted.add(cid)
    return order_rows(ws.store, wanted)


QUEUE_ORDER_FIELDS = ("id", "customer_id", "date", "void")  # what the queue reads of an order


def order_rows(store: Store, customers: set[int] | None = None) -> Iterator[Doc]:
    """The orders (of `customers`, else all) as the queue reads them: their id, customer, date
    and void flag only, each a small dict made as the queue reaches it, from the store's
    fields instead of its records (a column table decodes no order)."""
    columns = store.fields("orders", QUEUE_ORDER_FIELDS)
    if customers is not None:
        keep = list(map(customers.__contains__, columns[1]))
        columns = [list(compress(column, keep)) for column in columns]
    return map(dict, map(zip, repeat(QUEUE_ORDER_FIELDS), zip(*columns, strict=True)))


def care_interactions(store: Store) -> list[Doc]:
    """The interactions the queue reads, in the store's order: done and snooze marks (with a
    care_key) and follow-ups (with a follow_up_due); the others (most) are never made records."""
    return records_with(store, "interactions", ("care_key", "follow_up_due"))


DATE_VALUES = ("date", "due", "last")  # reason values that are dates, shown as the language writes them


def reason_text(item: CareItem, ws: Workspace | None = None) -> str:
    """Why the item is in the queue; with `ws`, a complaint's category by its configured name
    and a call-back's low answers by their questions' short names, in the current language."""
    values = item.values()
    if item.kind == "follow_up" and values.get("type"):
        values["type"] = type_label(str(values["type"]))
    if item.kind == "complaint" and values.get("category"):
        category = values["category"]
        values["category"] = (category_name(ws, category) if ws is not None
                              else category.replace("_", " "))
    if item.kind == "call_back" and ws is not None and values.get("low"):
        values["answers"] = answers_text(ws, values.get("survey", ""), values["low"])
    for key in DATE_VALUES:
        if values.get(key):
            values[key] = format_moment(values[key])
    return t(item.reason_key, **values)


def answers_text(ws: Workspace, survey_id: str, low: str) -> str:
    """"question=value;..." as "Staff attitude 2, NPS 6" (the questions' labels in surveys.yaml)."""
    survey = next((s for s in ws.config.surveys.surveys if s.id == survey_id), None)
    questions = {q.id: q for q in survey.questions} if survey else {}
    parts = []
    for pair in low.split(";"):
        qid, _, value = pair.partition("=")
        question = questions.get(qid)
        name = question.short_name(get_locale()) if question else qid.replace("_", " ")
        parts.append(f"{name} {value}")
    return ", ".join(parts)


def kind_label(kind: str) -> str:
    return t(f"care.kind.{kind}")


def mark_done(ws: Workspace, item: CareItem, note: str = "") -> Doc:
    """Close the item for good: logs a note with its care_key (and ticks a follow-up off)."""
    with ws.store.batch():
        if item.kind == "follow_up" and item.ref_id is not None:
            if ws.store.get("interactions", item.ref_id) is not None:
                ws.store.update("interactions", item.ref_id, {"follow_up_done": True})
        extra: dict[str, Any] = (
            {"feedback_id": int(item.key.rsplit(":f", 1)[1])} if item.kind == "call_back" else {}
        )
        return log_interaction(
            ws, item.customer_id, "call" if item.kind == "call_back" else "note",
            t("care.done.summary", kind=kind_label(item.kind), reason=reason_text(item, ws)),
            outcome=note, care_key=item.key, **extra,
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
