"""The customer's rights: everything held about one customer (subject export), and
forgetting a customer on request while the shop's accounts stay as they were.

What is erased and what is kept is listed in custui/domain/forget.py.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from custui.domain.consent import consent_events
from custui.domain.enums import CHILD_TABLES
from custui.domain.forget import (
    forget_audit,
    forget_complaint,
    forget_customer,
    forget_feedback,
    forget_interaction,
)
from custui.errors import BadInput
from custui.i18n import t
from custui.services.access_log import log_access
from custui.services.loyalty import customer_ledger
from custui.services.workspace import Workspace
from custui.store.base import Doc, Store

EXPORT_FORMAT = "custui-subject-export/1"


def find_by_code(store: Store, code: str) -> Doc:
    """The customer with this code (case and spaces ignored); BadInput when none."""
    wanted = code.strip().upper()
    for doc in store.all("customers"):
        if str(doc.get("code") or "").upper() == wanted:
            return doc
    raise BadInput(t("privacy.err.no_customer", code=code))


def subject_export(ws: Workspace, customer_id: int) -> dict[str, Any]:
    """One document with everything held about one customer: the record, consent history,
    points movements, and their records of every child table (domain/enums.CHILD_TABLES).
    Other customers appear only as ids (a referrer, a merge)."""
    store = ws.store
    customer = store.get("customers", customer_id)
    if customer is None:
        raise BadInput(t("customer.err.unknown", id=customer_id))
    ledger = customer_ledger(store, ws.config, customer_id, ws.today())
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": ws.now_iso(),
        "exported_by": ws.operator,
        "customer": dict(customer),
        "consent_history": [dict(e) for e in consent_events(customer)],
        "points": {"balance": ledger.balance, "earned": ledger.earned, "redeemed": ledger.redeemed,
                   "expired": ledger.expired,
                   "movements": [asdict(entry) for entry in ledger.entries]},
    }
    for table in CHILD_TABLES:
        document[table] = sorted((dict(d) for d in store.children(table, customer_id)),
                                 key=lambda d: d["id"])
    return document


def subject_export_rows(document: dict[str, Any]) -> int:
    """How many records a subject export holds (for the access log)."""
    return 1 + sum(len(document[table]) for table in CHILD_TABLES)


def write_subject_export(ws: Workspace, customer_id: int, path: Path) -> int:
    """Write `subject_export` to `path` (0600, atomically) and log it; returns the record
    count. OSError when the file cannot be written (nothing logged then)."""
    import orjson

    from custui.services.exporter import write_private

    document = subject_export(ws, customer_id)
    write_private(path, orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))
    rows = subject_export_rows(document)
    log_access(ws.store, who=ws.operator, at=ws.now_iso(), action="subject_export", what="customer",
               rows=rows, target=str(path), customer_id=customer_id,
               code=str(document["customer"].get("code") or ""))
    return rows


def _text_questions(ws: Workspace) -> dict[str, set[str]]:
    return {survey.id: {q.id for q in survey.questions if q.type == "text"}
            for survey in ws.config.surveys.surveys}


def forget(ws: Workspace, customer_id: int) -> dict[str, int]:
    """Erase one customer's personal data (see domain/forget.py), in one batch; records who
    and when on the customer and in the audit trail and access log. Returns the number of
    records changed per table. Undone only by restoring a backup from before."""
    store = ws.store
    customer = store.get("customers", customer_id)
    if customer is None:
        raise BadInput(t("customer.err.unknown", id=customer_id))
    if customer.get("forgotten"):
        raise BadInput(t("privacy.err.already", code=str(customer.get("code") or "")))
    at, who = ws.now_iso(), ws.operator
    texts = _text_questions(ws)
    rewrite = {
        "feedback": lambda doc: forget_feedback(doc, texts.get(str(doc.get("survey_id")))),
        "complaints": forget_complaint,
        "interactions": forget_interaction,
        "audit": forget_audit,
    }
    changed: dict[str, int] = {"customers": 1}
    with store.batch():
        store.update("customers", customer_id, forget_customer(customer, at, who))
        for table, erase in rewrite.items():
            count = 0
            for doc in store.children(table, customer_id):
                changes = erase(doc)
                if changes:
                    store.update(table, doc["id"], changes)
                    count += 1
            changed[table] = count
        store.insert("audit", {"customer_id": customer_id, "at": at, "who": who, "action": "forget",
                               "changes": {}, "counts": changed})
    log_access(store, who=who, at=at, action="forget", what="customer", rows=sum(changed.values()),
               customer_id=customer_id, code=str(customer.get("code") or ""))
    return changed
