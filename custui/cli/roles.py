"""The CLI side of staff roles: the operator of this command and whether they may act.

A refused command prints the reason ("Exporting customer data needs a manager.") and
exits 2, like other refused input; the refusal is in the data-access log.
"""

from __future__ import annotations

import os
from typing import Any

import click

from custui.cli.options import Resolved, option
from custui.i18n import t


def interactive() -> bool:
    """Whether a person can answer questions (stdin and stderr are terminals)."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def cli_workspace(ctx: click.Context, resolved: Resolved, store: Any) -> Any:
    """A Workspace for this command's operator (--operator, $CUSTUI_OPERATOR, the OS user)."""
    from custui.clock import app_clock
    from custui.services.roles import resolve_staff, staff_on
    from custui.services.workspace import Workspace

    staff = staff_on(store, resolve_staff(resolved.config.settings, option(ctx, "operator")))
    return Workspace(store=store, config=resolved.config, clock=app_clock(), operator=staff.id,
                     role=staff.role, pin_hash=staff.pin_hash)


def authorize(ctx: click.Context, resolved: Resolved, action: str, store: Any = None) -> Any:
    """The command's Workspace once the operator may do `action` (a manager's PIN asked at a
    terminal, or read from $CUSTUI_PIN, on the file store); Refused (exit 2) otherwise.
    `store` None: the database is not open (restore); refusals are still logged beside it."""
    from custui.errors import BadInput
    from custui.services.roles import Refused, pin_needed, pin_refusal, refusal
    from custui.store.dispatch import display_location
    from custui.store.memory import MemoryStore

    # not open: a stand-in at the same location (a file's refusals go to the log beside it;
    # a PostgreSQL URL, masked, asks no PIN: there the database role is the check)
    where = store if store is not None else MemoryStore(location=display_location(resolved.db_path))
    ws = cli_workspace(ctx, resolved, where)
    message = refusal(ws, action)
    if message:
        raise Refused(message)
    if pin_needed(ws, action):
        pin = os.environ.get("CUSTUI_PIN") or None
        if pin is None:
            if not interactive():
                raise BadInput(t("roles.pin.needs_terminal"))
            pin = click.prompt(t("roles.pin.prompt"), hide_input=True, err=True)
        message = pin_refusal(ws, action, pin)
        if message:
            raise Refused(message)
    return ws
