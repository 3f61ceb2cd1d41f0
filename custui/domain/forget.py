"""Forgetting a customer on request: what each stored record keeps and what it loses.

Erased (replaced by TOMBSTONE, or emptied): the customer's name, phone, e-mail,
address, birthday and birth year, needs, budget, income band, tags and notes; the
notes of consent events; free-text survey answers (questions of type "text"; every
text answer of a survey no longer configured); complaint descriptions, resolutions
and status-change notes; interaction summaries and outcomes; and the personal
fields' old and new values in the customer's audit trail.

Kept, so the shop's accounts and figures do not change: the customer's id and code,
kind, scope, role, region, gender, source and status; every order (dates, totals,
items, channel, points, vouchers); ratings, NPS scores and choices of surveys;
complaint categories, severities and dates; interaction types and dates; consent
events (purpose, answer, date, channel, operator: the proof of what was agreed).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

TOMBSTONE = "(forgotten)"
# customer field -> the value it is given
ERASED_CUSTOMER_FIELDS: dict[str, Any] = {
    "name": TOMBSTONE, "phone": "", "phone_norm": "", "email": "", "address": "",
    "birthday": None, "birth_year": None, "needs": "", "budget": "", "income_band": "",
    "tags": [], "notes": "",
}
ERASED_COMPLAINT_FIELDS = ("description", "resolution")
ERASED_INTERACTION_FIELDS = ("summary", "outcome")
Changes = dict[str, Any]


def _erased(value: Any) -> Any:
    """TOMBSTONE for a value that held something, the value itself when it was empty."""
    return TOMBSTONE if value not in (None, "", [], {}) else value


def forget_customer(doc: Mapping[str, Any], at: str, who: str) -> Changes:
    """The changes that erase a customer record's personal fields and mark it forgotten."""
    changes: Changes = {field: value for field, value in ERASED_CUSTOMER_FIELDS.items()
                        if field in doc or field == "name"}
    consents = doc.get("consents")
    if consents:
        changes["consents"] = [{**event, "note": ""} for event in consents if isinstance(event, Mapping)]
    changes.update(forgotten=True, forgotten_at=at, forgotten_by=who, updated_at=at)
    return changes


def forget_feedback(doc: Mapping[str, Any], text_questions: Collection[str] | None) -> Changes:
    """Free-text answers erased; `text_questions` None (survey unknown): every text answer."""
    answers = doc.get("answers")
    if not isinstance(answers, Mapping):
        return {}
    kept = {qid: (_erased(value) if (qid in text_questions if text_questions is not None
                                     else isinstance(value, str)) else value)
            for qid, value in answers.items()}
    return {"answers": kept} if kept != dict(answers) else {}


def forget_complaint(doc: Mapping[str, Any]) -> Changes:
    changes: Changes = {f: _erased(doc[f]) for f in ERASED_COMPLAINT_FIELDS if doc.get(f)}
    history = doc.get("history")
    if isinstance(history, list) and any(isinstance(e, Mapping) and e.get("note") for e in history):
        changes["history"] = [{**e, "note": _erased(e.get("note"))} if isinstance(e, Mapping) else e
                              for e in history]
    return changes


def forget_interaction(doc: Mapping[str, Any]) -> Changes:
    return {f: _erased(doc[f]) for f in ERASED_INTERACTION_FIELDS if doc.get(f)}


def forget_audit(doc: Mapping[str, Any]) -> Changes:
    """An audit entry keeps which fields changed, when and by whom, not the personal values."""
    changes = doc.get("changes")
    if not isinstance(changes, Mapping):
        return {}
    kept = {field: ([_erased(v) for v in pair] if isinstance(pair, list) else _erased(pair))
            if field in ERASED_CUSTOMER_FIELDS else pair
            for field, pair in changes.items()}
    return {"changes": kept} if kept != dict(changes) else {}
