"""Staff roles at run time: who the operator is, whether they may do an action, their PIN.

The one check for the app and the CLI is `refusal(ws, action)` (None = go ahead, else
the message, already written to the data-access log); `require` raises Refused
instead and also checks a manager's PIN where one is needed.

A manager's PIN is asked on the file store only (on PostgreSQL each operator logs in
as their own database role, which is the check). A manager with no PIN on record is
refused manager actions until `custui config set-pin ID` writes one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from custui.config.settings import Settings
from custui.domain.permissions import allowed, needed_role
from custui.domain.pins import check_pin
from custui.errors import BadInput
from custui.i18n import t
from custui.services.access_log import log_access
from custui.services.workspace import Workspace, default_operator


class Refused(BadInput):
    """The operator's role may not do this (exit code 2, as for other refused input)."""


@dataclass(frozen=True)
class Staff:
    id: str
    role: str | None  # None: no operators configured, every right
    pin_hash: str | None = None


def resolve_staff(settings: Settings, requested: str | None = None,
                  env: Mapping[str, str] = os.environ) -> Staff:
    """The operator chosen by --operator, then $CUSTUI_OPERATOR, then the OS user; BadInput
    when operators are configured and this one is not among them."""
    name = (requested or env.get("CUSTUI_OPERATOR") or default_operator()).strip()
    if not settings.operators:
        return Staff(name, None)
    for operator in settings.operators:
        if operator.id == name:
            return Staff(operator.id, operator.role, operator.pin_hash)
    known = ", ".join(op.id for op in settings.operators)
    raise BadInput(t("roles.err.unknown_operator", id=name, known=known))


def staff_on(store: object, staff: Staff) -> Staff:
    """The operator as the database knows them: on PostgreSQL with staff roles (pg_roles) the
    connected database user and the role its group membership gives, whatever settings.yaml
    says; elsewhere `staff` unchanged."""
    role = getattr(store, "db_role", None)
    if role is None:
        return staff
    return Staff(str(getattr(store, "db_user", staff.id)), role)


def _log_refusal(ws: Workspace, action: str, why: str) -> None:
    try:
        log_access(ws.store, who=ws.operator, at=ws.now_iso(), action="refused", what=action, rows=0,
                   target=why)
    except OSError:
        pass  # the refusal stands even if the log cannot be written


def refusal(ws: Workspace, action: str) -> str | None:
    """None when the operator's role may do `action`; else the message ("Voiding an order
    needs a manager"), logged."""
    if allowed(ws.role, action):
        return None
    _log_refusal(ws, action, "role")
    return t(f"roles.refused.{action}") if f"roles.refused.{action}" in _catalog() else \
        t("roles.refused", action=action, role=needed_role(action))


def _catalog() -> Mapping[str, object]:
    from custui.i18n import catalog

    return catalog()


def pin_needed(ws: Workspace, action: str) -> bool:
    """A manager-only action by a manager on the file store asks for the PIN."""
    return (ws.role is not None and not allowed("clerk", action)
            and "://" not in str(getattr(ws.store, "location", "")))


def pin_refusal(ws: Workspace, action: str, pin: str | None) -> str | None:
    """None when no PIN is needed or `pin` is right; else the message, logged."""
    if not pin_needed(ws, action):
        return None
    if not ws.pin_hash:
        _log_refusal(ws, action, "no PIN set")
        return t("roles.err.no_pin", id=ws.operator)
    if pin is None or not check_pin(pin, ws.pin_hash):
        _log_refusal(ws, action, "wrong PIN")
        return t("roles.err.bad_pin")
    return None


def require(ws: Workspace, action: str, pin: str | None = None, check_pin_too: bool = True) -> None:
    """Raise Refused unless the operator may do `action` (and, where needed, `pin` is right)."""
    message = refusal(ws, action) or (pin_refusal(ws, action, pin) if check_pin_too else None)
    if message:
        raise Refused(message)
