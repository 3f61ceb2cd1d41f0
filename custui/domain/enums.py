"""The fixed categories customers, orders and records are sorted into."""

from __future__ import annotations

KINDS = ("individual", "business")
SCOPES = ("external", "internal")
ROLES = ("end_user", "buyer", "agent", "supplier", "department")
LIFECYCLES = ("potential", "current", "loyal", "lapsed")
GENDERS = ("female", "male", "other", "")
SOURCES = (
    "walk_in", "website", "social", "email", "ads", "search", "event", "referral", "bought_data", "other",
)
INTERACTION_TYPES = ("call", "email", "sms", "meeting", "note", "gift")
COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "closed")
TABLES = (
    "customers", "orders", "feedback", "complaints", "interactions", "vouchers", "audit", "meta",
)
# tables whose records belong to one customer (they carry customer_id)
CHILD_TABLES = ("orders", "feedback", "complaints", "interactions", "vouchers", "audit")
