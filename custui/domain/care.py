"""The daily care queue ("Today"): who needs what, derived from the data and care.yaml.

Rules (each can be turned off in care.yaml with null):
- thank_you: a customer bought on day D -> thank them on D + thank_you_days.
- feedback_request: ask for feedback on D + feedback_request_days, unless the
  customer already gave feedback on or after D.
- complaint: an open or in-progress complaint due today or earlier.
- call_back: a survey response with an answer at or below care.yaml's detractor
  thresholds (NPS 0-6, rating 1-2): listed from the moment it is saved, due
  call_back_hours later, late after that; dropped keep_days after the answer.
- follow_up: an interaction whose follow_up_due is today or earlier.
- winback: a loyal customer (>= loyal_min_orders orders in the loyal window
  ending today, or forced loyal by staff) whose last order is at least
  lapsed_after_days - winback_days_before_lapse days old but who has not lapsed yet.
  With a BG/NBD fit (enough repeat customers), every win-back row says P(alive) and
  is ranked by value at risk (P(dropped) x usual yearly spend), and the customers at
  risk (P(alive) below segments.yaml alive.at_risk_below) are added, at most
  winback_max_rows of them.
- birthday: a birthday ("MM-DD") within birthday_days_ahead days from today.

Purchase-based items (thank-you, feedback request) stay keep_days after they
fall due (longer once snoozed), then drop off. Items are one per customer and order day, so two
orders on one day give one thank-you. Marketing-type rules (thank-you,
feedback, win-back, birthday) skip customers with consent_to_contact false;
archived customers are skipped entirely.

Done and snoozed marks are interactions carrying `care_key` (the item's stable
key): a mark with `snoozed_until` hides the item until that day; any other
mark closes it for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from custui.domain.consent import contact_refusal
from custui.domain.detractors import DetractorRule, call_back_key, detractors
from custui.domain.models.care import Care
from custui.domain.models.segments import Segments
from custui.domain.winback import AtRisk, why_values

Doc = Mapping[str, Any]

KINDS = ("complaint", "call_back", "follow_up", "thank_you", "feedback_request", "winback", "birthday")
# kinds that contact the customer unprompted: respect consent_to_contact
MARKETING = ("thank_you", "feedback_request", "winback", "birthday")


@dataclass(frozen=True)
class CareRules:
    thank_you_days: int | None = 1
    feedback_request_days: int | None = 3
    feedback_survey: str = "after_purchase"
    winback_days_before_lapse: int | None = 30
    birthday_days_ahead: int | None = 7
    keep_days: int = 7
    snooze_days: int = 1
    loyal_min_orders: int = 5
    loyal_window_days: int = 365
    lapsed_after_days: int = 180
    detractors: DetractorRule = DetractorRule()
    winback_max_rows: int = 20
    at_risk_below: float = 0.3


def rules_from_config(care: Care, segments: Segments) -> CareRules:
    follow = care.follow_ups
    life = segments.lifecycle
    return CareRules(
        thank_you_days=follow.thank_you_days,
        feedback_request_days=follow.feedback_request_days,
        feedback_survey=follow.feedback_survey,
        winback_days_before_lapse=follow.winback_days_before_lapse,
        birthday_days_ahead=follow.birthday_days_ahead,
        keep_days=follow.keep_days,
        snooze_days=follow.snooze_days,
        loyal_min_orders=life.loyal_min_orders,
        loyal_window_days=life.loyal_window_days,
        lapsed_after_days=life.lapsed_after_days,
        winback_max_rows=follow.winback_max_rows,
        at_risk_below=segments.alive.at_risk_below,
        detractors=DetractorRule(
            nps_max=care.detractors.nps_max,
            rating_max=care.detractors.rating_max,
            due_hours=care.detractors.call_back_hours,
            keep_days=care.detractors.keep_days,
        ),
    )


@dataclass(frozen=True)
class CareItem:
    """One row of the queue: who, what, why, and since when."""

    key: str  # stable across runs: what done/snooze marks refer to
    kind: str  # one of KINDS
    customer_id: int
    due: date
    reason_key: str  # i18n key, formatted with `reason_values`
    reason_values: tuple[tuple[str, str], ...] = ()
    overdue: bool = False
    ref_id: int | None = None  # the order, complaint or interaction the item is about
    survey_id: str | None = None  # feedback requests: the survey to use
    value_at_risk: float = 0.0  # model win-backs: ranks them, most first

    def values(self) -> dict[str, str]:
        return dict(self.reason_values)


@dataclass
class Marks:
    """Done keys and snoozes (key -> hidden until that ISO date), read from interactions."""

    done: set[str] = field(default_factory=set)
    snoozed: dict[str, str] = field(default_factory=dict)

    def hides(self, key: str, today_iso: str) -> bool:
        if key in self.done:
            return True
        until = self.snoozed.get(key)
        return until is not None and today_iso < until


def read_marks(interactions: Iterable[Doc]) -> Marks:
    marks = Marks()
    for doc in interactions:
        key = doc.get("care_key")
        if not key:
            continue
        until = doc.get("snoozed_until")
        if until:
            if str(until) > marks.snoozed.get(key, ""):
                marks.snoozed[key] = str(until)
        else:
            marks.done.add(key)
    return marks


def _contactable(customer: Doc | None, purpose: str = "marketing") -> bool:
    """Whether the customer may be contacted for `purpose` (a message purpose, e.g.
    "thank_you" is marketing, "feedback_request" is a survey): domain/consent.py decides."""
    return contact_refusal(customer, purpose) is None


def _birthday_on(month_day: str, year: int) -> date | None:
    try:
        month, day = int(month_day[:2]), int(month_day[3:5])
        if month == 2 and day == 29:
            try:
                return date(year, 2, 29)
            except ValueError:
                return date(year, 2, 28)
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


class _Builder:
    def __init__(
        self, rules: CareRules, today: date, now: datetime, customers: Mapping[int, Doc],
        snoozed: Iterable[str] = (),
    ):
        self.snoozed = frozenset(snoozed)  # snoozed items outlive keep_days: staff meant to do them
        self.rules = rules
        self.today = today
        self.now = now.replace(tzinfo=None)
        self.customers = customers
        self.items: dict[str, CareItem] = {}

    def live(self, customer_id: Any) -> Doc | None:
        customer = self.customers.get(customer_id) if isinstance(customer_id, int) else None
        if customer is None or customer.get("archived"):
            return None
        return customer

    def live_id(self, doc: Doc) -> int | None:
        """The id of the live (not archived) customer `doc` belongs to, else None."""
        cid = doc.get("customer_id")
        return cid if isinstance(cid, int) and self.live(cid) is not None else None

    def add(self, item: CareItem) -> None:
        self.items.setdefault(item.key, item)

    def keeps(self, key: str, due: date) -> bool:
        """A purchase item is listed from its due day for keep_days (longer once snoozed)."""
        if due > self.today:
            return False
        return self.today <= due + timedelta(days=self.rules.keep_days) or key in self.snoozed

    def purchases(self, recent: dict[tuple[int, str], int], feedback_after: dict[int, str]) -> None:
        """Thank-you and feedback items from (customer, order day) -> latest order id."""
        rules, today = self.rules, self.today
        for (cid, day_iso), order_id in recent.items():
            customer = self.live(cid)
            thank, ask = _contactable(customer, "thank_you"), _contactable(customer, "feedback_request")
            if not (thank or ask):
                continue
            day = date.fromisoformat(day_iso[:10])
            if thank and rules.thank_you_days is not None:
                due = day + timedelta(days=rules.thank_you_days)
                key = f"thank_you:c{cid}:{day_iso}"
                if self.keeps(key, due):
                    self.add(CareItem(
                        key, "thank_you", cid, due, "care.reason.thank_you",
                        (("date", day_iso),), due < today, order_id,
                    ))
            if ask and rules.feedback_request_days is not None and feedback_after.get(cid, "") < day_iso:
                due = day + timedelta(days=rules.feedback_request_days)
                key = f"feedback:c{cid}:{day_iso}"
                if self.keeps(key, due):
                    self.add(CareItem(
                        key, "feedback_request", cid, due,
                        "care.reason.feedback_request", (("date", day_iso),), due < today,
                        order_id, rules.feedback_survey,
                    ))

    def complaints(self, complaints: Iterable[Doc]) -> None:
        end_of_today = datetime.combine(self.today, datetime.max.time())
        for doc in complaints:
            if doc.get("status") not in ("open", "in_progress") or not doc.get("due_at"):
                continue
            cid = self.live_id(doc)
            if cid is None:
                continue
            due_at = datetime.fromisoformat(str(doc["due_at"])).replace(tzinfo=None)
            if due_at > end_of_today:
                continue
            overdue = due_at < self.now
            self.add(CareItem(
                f"complaint:{doc['id']}:{doc['due_at']}", "complaint", cid, due_at.date(),
                "care.reason.complaint_overdue" if overdue else "care.reason.complaint_due",
                (("id", str(doc["id"])), ("due", due_at.isoformat(sep=" ", timespec="minutes")),
                 ("category", str(doc.get("category", "")))),
                overdue, int(doc["id"]),
            ))

    def call_backs(self, feedback: Iterable[Doc], question_types: Mapping[str, Mapping[str, str]]) -> None:
        """A call-back per detractor response, from its answer until keep_days after it."""
        rule = self.rules.detractors
        since = (self.today - timedelta(days=rule.keep_days)).isoformat()
        recent = (doc for doc in feedback if str(doc.get("created_at", "")) >= since)
        for found in detractors(recent, question_types, rule):
            doc = found.feedback
            cid = self.live_id(doc)
            if cid is None:
                continue
            answers = ", ".join(f"{question.replace('_', ' ')} {value}" for question, value in found.answers)
            order = doc.get("order_id")
            self.add(CareItem(
                call_back_key(int(doc["id"])), "call_back", cid, found.due.date(),
                "care.reason.call_back_order" if order is not None else "care.reason.call_back",
                (("answers", answers), ("order", str(order or "")),
                 ("due", found.due.isoformat(sep=" ", timespec="minutes")),
                 ("survey", str(doc.get("survey_id", ""))),
                 ("low", ";".join(f"{question}={value}" for question, value in found.answers))),
                found.due < self.now, int(order) if order is not None else None,
            ))

    def follow_ups(self, interactions: Iterable[Doc]) -> None:
        today_iso = self.today.isoformat()
        for doc in interactions:
            due_iso = doc.get("follow_up_due")
            if not due_iso or doc.get("follow_up_done") or str(due_iso)[:10] > today_iso:
                continue
            cid = self.live_id(doc)
            if cid is None:
                continue
            due = date.fromisoformat(str(due_iso)[:10])
            self.add(CareItem(
                f"follow_up:i{doc['id']}", "follow_up", cid, due, "care.reason.follow_up",
                (("type", str(doc.get("type", ""))), ("summary", str(doc.get("summary", "")))),
                due < self.today, int(doc["id"]),
            ))

    def winbacks(self, last: dict[int, str], counts: dict[int, int],
                 scored: Mapping[int, AtRisk] | None = None) -> None:
        """The recency rule: loyal customers close to lapsing. With the model (`scored`), each
        row says P(alive) and is ranked by value at risk instead."""
        rules, today = self.rules, self.today
        if rules.winback_days_before_lapse is None:
            return
        for cid, last_iso in last.items():
            customer = self.live(cid)
            if not _contactable(customer, "win_back"):
                continue
            assert customer is not None
            override = customer.get("status_override")
            loyal = override == "loyal" or (not override and counts.get(cid, 0) >= rules.loyal_min_orders)
            if not loyal:
                continue
            last_day = date.fromisoformat(last_iso[:10])
            lapses_on = last_day + timedelta(days=rules.lapsed_after_days)
            due = lapses_on - timedelta(days=rules.winback_days_before_lapse)
            if not due <= today < lapses_on:
                continue
            row = scored.get(cid) if scored is not None else None
            if row is not None:
                self.add(self._model_item(row))
                continue
            self.add(CareItem(
                f"winback:c{cid}:{last_iso}", "winback", cid, due, "care.reason.winback",
                (("last", last_iso), ("lapses", lapses_on.isoformat()),
                 ("days", str((lapses_on - today).days))),
                False,
            ))

    def _model_item(self, row: AtRisk) -> CareItem:
        return CareItem(
            f"winback:c{row.customer_id}:{row.last_order.isoformat()}", "winback", row.customer_id,
            self.today, "care.reason.winback_model", why_values(row, self.today), False,
            value_at_risk=row.value_at_risk,
        )

    def winbacks_by_model(self, rows: Iterable[AtRisk]) -> None:
        """Beyond the recency rule: the contactable customers at risk (P(alive) under
        at_risk_below) most worth winning back, at most winback_max_rows of them."""
        added = 0
        for row in rows:
            if added >= self.rules.winback_max_rows:
                break
            if row.p_alive >= self.rules.at_risk_below or not _contactable(self.live(row.customer_id), "win_back"):
                continue
            self.add(self._model_item(row))
            added += 1

    def birthdays(self) -> None:
        ahead = self.rules.birthday_days_ahead
        if ahead is None:
            return
        today = self.today
        for cid, customer in self.customers.items():
            month_day = customer.get("birthday")
            if not month_day or customer.get("archived") or not _contactable(customer, "birthday"):
                continue
            day = _birthday_on(str(month_day), today.year)
            if day is not None and day < today:
                day = _birthday_on(str(month_day), today.year + 1)
            if day is None or (day - today).days > ahead:
                continue
            self.add(CareItem(
                f"birthday:c{cid}:{day.year}", "birthday", cid, day, "care.reason.birthday",
                (("date", day.isoformat()), ("days", str((day - today).days))), False,
            ))


def scan_orders(
    orders: Iterable[Doc], rules: CareRules, today: date
) -> tuple[dict[tuple[int, str], int], dict[int, str], dict[int, int]]:
    """One pass over orders: recent (customer, day) -> order id, last order day, loyal-window count.

    Orders older than every rule looks back are skipped after a single string compare.
    """
    purchase_days = [d for d in (rules.thank_you_days, rules.feedback_request_days) if d is not None]
    recent_from = (
        (today - timedelta(days=max(purchase_days) + rules.keep_days)).isoformat()
        if purchase_days else "9999"
    )
    loyal_from = (
        (today - timedelta(days=rules.loyal_window_days - 1)).isoformat()
        if rules.winback_days_before_lapse is not None else "9999"
    )
    floor = min(recent_from, loyal_from)
    today_iso = today.isoformat()
    recent: dict[tuple[int, str], int] = {}
    last: dict[int, str] = {}
    counts: dict[int, int] = {}
    count_get, last_get, recent_get = counts.get, last.get, recent.get
    for order in orders:
        day = order["date"]
        if day < floor or day > today_iso or order.get("void"):
            continue
        cid = order["customer_id"]
        if day >= loyal_from:
            counts[cid] = count_get(cid, 0) + 1
            if day > last_get(cid, ""):
                last[cid] = day
        if day >= recent_from:
            key = (cid, day)
            if order["id"] > recent_get(key, -1):
                recent[key] = order["id"]
    return recent, last, counts


def care_queue(
    *,
    customers: Iterable[Doc],
    orders: Iterable[Doc],
    complaints: Iterable[Doc],
    interactions: Iterable[Doc],
    feedback: Iterable[Doc],
    rules: CareRules,
    today: date,
    now: datetime,
    question_types: Mapping[str, Mapping[str, str]] | None = None,
    at_risk: Iterable[AtRisk] | None = None,
) -> list[CareItem]:
    """Everything due today or earlier (and birthdays coming up), minus done and snoozed items.

    `at_risk` (a BG/NBD fit's scores of every repeat customer, most value at risk first) ranks
    and explains the recency rule's win-back rows and adds the customers at risk beyond them."""
    by_id = {int(c["id"]): c for c in customers}
    interactions = list(interactions)
    marks = read_marks(interactions)
    builder = _Builder(rules, today, now, by_id, marks.snoozed)
    recent, last, counts = scan_orders(orders, rules, today)
    feedback = list(feedback)
    feedback_after: dict[int, str] = {}
    for doc in feedback:
        cid = doc.get("customer_id")
        if cid is not None:
            day = str(doc.get("created_at", ""))[:10]
            if day > feedback_after.get(cid, ""):
                feedback_after[cid] = day
    builder.complaints(complaints)
    if question_types:
        builder.call_backs(feedback, question_types)
    builder.follow_ups(interactions)
    builder.purchases(recent, feedback_after)
    if at_risk is None:
        builder.winbacks(last, counts)
    elif rules.winback_days_before_lapse is not None:
        rows = list(at_risk)
        builder.winbacks(last, counts, {row.customer_id: row for row in rows})
        builder.winbacks_by_model(rows)
    builder.birthdays()
    today_iso = today.isoformat()
    items = [item for item in builder.items.values() if not marks.hides(item.key, today_iso)]
    order = {kind: index for index, kind in enumerate(KINDS)}
    items.sort(key=lambda i: (not i.overdue, i.due, order[i.kind], -i.value_at_risk, i.customer_id, i.key))
    return items


@dataclass(frozen=True)
class QueueCounts:
    total: int
    overdue: int
    by_kind: dict[str, int]


def queue_counts(items: Iterable[CareItem]) -> QueueCounts:
    by_kind: dict[str, int] = {}
    total = overdue = 0
    for item in items:
        total += 1
        overdue += item.overdue
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
    return QueueCounts(total, overdue, by_kind)
