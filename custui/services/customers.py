"""Customer use-cases: validate, create, update, archive, restore, merge; duplicates; audit.

Every change stamps `updated_at` and writes an audit record (table "audit":
customer_id, at, who, action, changes {field: [old, new]}). Nothing is deleted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from custui.domain.consent import consent_event, with_event
from custui.domain.dates import MIN_YEAR
from custui.domain.enums import GENDERS, KINDS, ROLES, SCOPES, SOURCES
from custui.domain.permissions import LOYALTY_FIELDS
from custui.domain.text import (
    fold,
    is_ascii_digits,
    is_valid_email,
    is_valid_phone,
    normalize_phone,
)
from custui.i18n import t
from custui.services.workspace import Workspace
from custui.store.base import VERSION_FIELD, Doc, Store

# the fields the form edits, in form order, with their empty value
FORM_FIELDS: dict[str, Any] = {
    "name": "", "kind": "individual", "scope": "external", "role": "end_user",
    "phone": "", "email": "", "address": "", "region": "", "gender": "",
    "birth_year": None, "birthday": None, "income_band": "", "needs": "", "budget": "",
    "source": "", "tags": [], "consent_to_contact": False, "status_override": None,
    "referred_by": None,
}
TEXT_FIELDS = ("name", "phone", "email", "address", "region", "income_band", "needs", "budget")
MOVED_TABLES = ("orders", "feedback", "complaints", "interactions", "vouchers")
MIN_BIRTH_YEAR = MIN_YEAR
_BIRTHDAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_CODE = re.compile(r"^C(\d+)$")


class CustomerError(ValueError):
    """A change that cannot be made (unknown customer, merging a customer with itself...)."""


@dataclass(frozen=True)
class Duplicate:
    customer: Doc
    reason: str  # "name_phone" (same folded name and phone) or "phone"


def clean_customer(raw: Mapping[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn form values into record values; returns (values, {field: message}).

    Only the fields present in `raw` are returned (the name always is), so an edit
    never blanks fields the form does not show.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, empty in FORM_FIELDS.items():
        if field in raw or field == "name":
            value = raw.get(field, empty)
            values[field] = value.strip() if isinstance(value, str) else value
    if not values["name"]:
        errors["name"] = t("customer.err.name_required")
    if values.get("phone") and not is_valid_phone(values["phone"]):
        errors["phone"] = t("customer.err.phone")
    if values.get("email") and not is_valid_email(values["email"]):
        errors["email"] = t("customer.err.email")
    if "birth_year" in values:
        year = values["birth_year"]
        if isinstance(year, str):
            year = int(year) if is_ascii_digits(year) and len(year) <= 4 else (None if not year else -1)
        values["birth_year"] = year
        if year is not None and not MIN_BIRTH_YEAR <= int(year) <= today.year:
            errors["birth_year"] = t("customer.err.birth_year", low=MIN_BIRTH_YEAR, high=today.year)
    if "birthday" in values:
        birthday = values["birthday"] or None
        if birthday is not None and not _BIRTHDAY.match(str(birthday)):
            errors["birthday"] = t("customer.err.birthday")
        values["birthday"] = birthday
    if isinstance(values.get("tags"), str):
        values["tags"] = [tag.strip() for tag in values["tags"].split(",") if tag.strip()]
    for field, allowed in (("kind", KINDS), ("scope", SCOPES), ("role", ROLES),
                           ("gender", GENDERS), ("source", ("", *SOURCES))):
        if field in values and values[field] not in allowed:
            errors[field] = t("customer.err.choice")
    if "consent_to_contact" in values:
        values["consent_to_contact"] = bool(values["consent_to_contact"])
    if "status_override" in values:
        values["status_override"] = values["status_override"] or None
    return values, errors


def find_duplicates(store: Store, name: str, phone: str, exclude_id: int | None = None) -> list[Duplicate]:
    """Customers with the same normalised phone (name + phone matches first); merged ones skipped."""
    digits = normalize_phone(phone or "")
    if len(digits) < 6:
        return []
    folded = fold(name or "")
    found: list[Duplicate] = []
    for doc in store.all("customers"):
        if doc["id"] == exclude_id or doc.get("merged_into"):
            continue
        other = doc.get("phone_norm") or normalize_phone(str(doc.get("phone") or ""))
        if other == digits:
            same_name = bool(folded) and fold(str(doc.get("name") or "")) == folded
            found.append(Duplicate(doc, "name_phone" if same_name else "phone"))
    found.sort(key=lambda d: (d.reason != "name_phone", d.customer["id"]))
    return found


def next_code(store: Store) -> str:
    """The code after the highest "C000123" in the store, unless the store allocates one
    itself (`next_customer_code()`: a store shared by several processes, PostgreSQL, hands
    out one no other process can get at the same time)."""
    allocated = store.next_customer_code()
    if allocated is not None:
        return allocated
    highest = 0
    for doc in store.all("customers"):
        match = _CODE.match(str(doc.get("code") or ""))
        if match:
            highest = max(highest, int(match.group(1)))
    return f"C{highest + 1:06d}"


def _audit(ws: Workspace, customer_id: int, action: str, changes: dict[str, list[Any]],
           **extra: Any) -> Doc:
    return ws.store.insert("audit", {
        "customer_id": customer_id, "at": ws.now_iso(), "who": ws.operator,
        "action": action, "changes": changes, **extra,
    })


def _versioned(update: dict[str, Any], version: int | None) -> dict[str, Any]:
    """Add the version the caller read (optimistic concurrency: StaleRecord if it moved on)."""
    if version is not None:
        update[VERSION_FIELD] = version
    return update


def _get(store: Store, customer_id: int) -> Doc:
    doc = store.get("customers", customer_id)
    if doc is None:
        raise CustomerError(t("customer.err.unknown", id=customer_id))
    return doc


def _form_consent(ws: Workspace, current: Mapping[str, Any], agreed: bool) -> list[dict[str, Any]]:
    """The consent history after the form's "agrees to be contacted" box was set to `agreed`:
    a marketing event recorded in person by the operator (domain/consent.py)."""
    event = consent_event("marketing", agreed, ws.now_iso(), "in_person", ws.operator, "form")
    return with_event(current.get("consents"), event)


def create_customer(ws: Workspace, values: Mapping[str, Any]) -> Doc:
    """Store a new customer (values as returned by clean_customer) with a fresh code."""
    now = ws.now_iso()
    record = {**FORM_FIELDS, **values}
    if record.get("consent_to_contact"):
        record["consents"] = _form_consent(ws, {}, True)
    record.update(
        phone_norm=normalize_phone(str(record.get("phone") or "")),
        archived=False, merged_into=None, created_at=now, updated_at=now,
    )
    with ws.store.batch():
        record["code"] = next_code(ws.store)
        doc = ws.store.insert("customers", record)
        changes = {k: [None, v] for k, v in values.items() if v not in ("", None, [], False)}
        _audit(ws, doc["id"], "create", changes)
    return doc


def update_customer(ws: Workspace, customer_id: int, values: Mapping[str, Any],
                    version: int | None = None) -> Doc:
    """Apply changed fields; no write (and no audit) when nothing changed.

    `version`: the customer's VERSION_FIELD as read when the form loaded (None on stores
    without versions); custui.errors.StaleRecord if someone saved the customer since.
    """
    current = _get(ws.store, customer_id)
    changes = {k: [current.get(k), v] for k, v in values.items()
               if k in FORM_FIELDS and current.get(k, FORM_FIELDS[k]) != v}
    if not changes:
        return current
    if any(field in changes for field in LOYALTY_FIELDS):
        from custui.services.roles import require

        require(ws, "edit_loyalty_fields", check_pin_too=False)
    update: dict[str, Any] = {k: new for k, (_, new) in changes.items()}
    if "phone" in update:
        update["phone_norm"] = normalize_phone(str(update["phone"] or ""))
    if "consent_to_contact" in update:
        update["consents"] = _form_consent(ws, current, bool(update["consent_to_contact"]))
    update["updated_at"] = ws.now_iso()
    with ws.store.batch():
        doc = ws.store.update("customers", customer_id, _versioned(update, version))
        _audit(ws, customer_id, "update", changes)
    return doc


def archive_customer(ws: Workspace, customer_id: int, version: int | None = None) -> Doc:
    return _set_archived(ws, customer_id, True, version)


def restore_customer(ws: Workspace, customer_id: int, version: int | None = None) -> Doc:
    return _set_archived(ws, customer_id, False, version)


def _set_archived(ws: Workspace, customer_id: int, archived: bool, version: int | None) -> Doc:
    current = _get(ws.store, customer_id)
    if bool(current.get("archived")) == archived:
        return current
    update: dict[str, Any] = {"archived": archived, "updated_at": ws.now_iso()}
    changes: dict[str, list[Any]] = {"archived": [bool(current.get("archived")), archived]}
    if not archived and current.get("merged_into"):
        update["merged_into"] = None
        changes["merged_into"] = [current.get("merged_into"), None]
    with ws.store.batch():
        doc = ws.store.update("customers", customer_id, _versioned(update, version))
        _audit(ws, customer_id, "archive" if archived else "restore", changes)
    return doc


def merge_customers(ws: Workspace, keep_id: int, other_id: int, keep_version: int | None = None,
                    other_version: int | None = None) -> dict[str, int]:
    """Move the other customer's records to `keep_id`, fill the kept one's blank fields
    from it, archive it with `merged_into`; returns the number of records moved per table.

    The versions (as read when the operator chose): StaleRecord, and nothing merged, if
    either customer was saved by someone else since (on stores with versions)."""
    if keep_id == other_id:
        raise CustomerError(t("customer.err.merge_self"))
    keep, other = _get(ws.store, keep_id), _get(ws.store, other_id)
    now = ws.now_iso()
    moved: dict[str, int] = {}
    filled = {k: [keep.get(k), other[k]] for k in FORM_FIELDS
              if keep.get(k) in (None, "", []) and other.get(k) not in (None, "", [])}
    with ws.store.batch():
        for table in MOVED_TABLES:
            records = ws.store.children(table, other_id)
            for rec in records:
                ws.store.update(table, rec["id"], {"customer_id": keep_id})
            moved[table] = len(records)
        update: dict[str, Any] = {k: new for k, (_, new) in filled.items()}
        if "phone" in update:
            update["phone_norm"] = normalize_phone(str(update["phone"]))
        ws.store.update("customers", keep_id, _versioned({**update, "updated_at": now}, keep_version))
        _audit(ws, keep_id, "merge", {"merged_from": [None, other_id], **filled},
               other_code=other.get("code"), moved=moved)
        ws.store.update("customers", other_id, _versioned(
            {"archived": True, "merged_into": keep_id, "updated_at": now}, other_version))
        _audit(ws, other_id, "merge", {"archived": [bool(other.get("archived")), True],
                                       "merged_into": [other.get("merged_into"), keep_id]},
               other_code=keep.get("code"), moved=moved)
        for doc in ws.store.all("customers"):
            if doc.get("referred_by") == other_id:
                ws.store.update("customers", doc["id"], {"referred_by": keep_id, "updated_at": now})
                _audit(ws, doc["id"], "update", {"referred_by": [other_id, keep_id]})
    return moved


def audit_trail(store: Store, customer_id: int) -> list[Doc]:
    """The customer's audit records, newest first."""
    return sorted(store.children("audit", customer_id), key=lambda a: (a.get("at", ""), a["id"]), reverse=True)
