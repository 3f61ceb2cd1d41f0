"""Who may do what: one table of actions and the staff roles allowed to do them.

`clerk` looks customers up and records what happens at the counter (purchases,
feedback, complaints, interactions, consent); `manager` may also change what the
loyalty programme and the accounts rest on, and take data out or erase it. With no
operators configured (a single-user shop) the one user has every right (role None).
Both the app and the CLI ask `refusal` (through custui.services.roles).
"""

from __future__ import annotations

STAFF_ROLES = ("clerk", "manager")
_EVERYONE = frozenset(STAFF_ROLES)
_MANAGER = frozenset({"manager"})

# action id -> roles allowed; an action missing here is refused to every role (fail closed)
PERMISSIONS: dict[str, frozenset[str]] = {
    "lookup": _EVERYONE,
    "create_customer": _EVERYONE,
    "edit_customer": _EVERYONE,  # contact fields; loyalty-relevant fields: edit_loyalty_fields
    "record_purchase": _EVERYONE,
    "feedback": _EVERYONE,
    "complaint": _EVERYONE,
    "interaction": _EVERYONE,
    "consent": _EVERYONE,
    "archive": _EVERYONE,
    "void_order": _MANAGER,
    "correct_order": _MANAGER,
    "goodwill": _MANAGER,
    "merge": _MANAGER,
    "edit_loyalty_fields": _MANAGER,
    "campaign": _MANAGER,
    "export": _MANAGER,
    "import": _MANAGER,
    "forget": _MANAGER,
    "backup": _MANAGER,
    "restore": _MANAGER,
    "init": _MANAGER,
    "migrate": _MANAGER,
}
# customer fields the loyalty programme and the figures rest on (edit_loyalty_fields)
LOYALTY_FIELDS = ("status_override", "referred_by")


def allowed(role: str | None, action: str) -> bool:
    """Whether `role` may do `action`; role None (no operators configured) may do anything."""
    if role is None:
        return True
    return role in PERMISSIONS.get(action, frozenset())


def needed_role(action: str) -> str:
    """The least role that may do `action` (for the refusal message)."""
    roles = PERMISSIONS.get(action, frozenset())
    return next((role for role in STAFF_ROLES if role in roles), "manager")
