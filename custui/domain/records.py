"""The shape of each stored record (what the store tables hold), as TypedDicts.

Money is integer minor units; dates are ISO 8601 strings ("2026-11-28"),
timestamps ISO with seconds ("2026-11-28T09:15:00"). Ids are ints.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class CustomerRec(TypedDict, total=False):
    id: int
    code: str  # human short code, text ("C000042"); unique
    name: str
    kind: str  # individual | business
    scope: str  # external | internal
    role: str  # end_user | buyer | agent | supplier | department
    phone: str  # as typed
    phone_norm: str  # normalize_phone(phone), for matching
    email: str
    address: str
    region: str
    gender: str
    birth_year: int | None
    birthday: str | None  # "MM-DD" when known
    income_band: str
    needs: str
    budget: str
    source: str
    tags: list[str]
    consent_to_contact: bool
    status_override: str | None  # a lifecycle forced by staff
    referred_by: int | None  # customer id
    merged_into: int | None  # set when archived by a merge
    archived: bool
    created_at: str
    updated_at: str


class OrderRec(TypedDict, total=False):
    id: int
    customer_id: int
    date: str
    total: int  # minor units, before voucher / points
    paid: int  # minor units the customer paid (total - voucher - points); points and voucher rules use it (earn_on: paid)
    items: str
    promo: bool
    channel: str
    voucher_id: int | None
    points_redeemed: int
    void: bool
    void_reason: str
    external_key: str  # import de-duplication key
    created_at: str
    updated_at: str


class FeedbackRec(TypedDict, total=False):
    id: int
    customer_id: int | None  # walk-ins may have none
    order_id: int | None
    survey_id: str
    answers: dict[str, Any]  # question_id -> value
    channel: str
    created_at: str


class ComplaintEvent(TypedDict):
    at: str
    status: str
    note: str
    who: NotRequired[str]  # the operator who made the change


class ComplaintRec(TypedDict, total=False):
    id: int
    customer_id: int
    order_id: int | None
    category: str
    severity: str
    description: str
    status: str  # open | in_progress | resolved | closed
    opened_at: str
    due_at: str
    resolved_at: str | None
    resolution: str
    history: list[ComplaintEvent]
    goodwill_points: int  # granted when resolving (also an interaction with `points`)
    goodwill_voucher_id: int | None  # vouchers record with rule "goodwill"
    updated_at: str


class InteractionRec(TypedDict, total=False):
    id: int
    customer_id: int
    type: str  # call | email | sms | meeting | note | gift
    summary: str
    outcome: str
    at: str
    follow_up_due: str | None
    follow_up_done: bool
    care_key: str  # which care-queue item this closed (or snoozed), if any
    snoozed_until: str | None  # with care_key: the item is hidden until this ISO date
    points: int  # goodwill loyalty points granted (type "gift"); loyalty adds them on date(at)
    complaint_id: int | None  # the complaint this interaction is about
    voucher_id: int | None  # a voucher handed over with this interaction


class VoucherRec(TypedDict, total=False):
    id: int
    customer_id: int
    rule: str  # rule id from loyalty.yaml, or "goodwill", "referral"
    amount: int | None  # minor units
    percent: float | None
    issued_at: str
    expires_at: str
    used_at: str | None
    used_order_id: int | None
    source_order_id: int | None
    void: bool  # revoked (e.g. the order that issued it was voided)
    void_reason: str


class AuditRec(TypedDict, total=False):
    id: int
    customer_id: int
    at: str
    who: str
    action: str  # create | update | archive | restore | merge
    changes: dict[str, list[Any]]  # field -> [old, new]
