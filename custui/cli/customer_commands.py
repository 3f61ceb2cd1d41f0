"""`custui customer export|forget CODE`: a customer's rights from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from custui.cli import roles
from custui.cli.options import Resolved, common_options, format_option, resolve
from custui.cli.output import emit, output_file, say
from custui.domain.text import terminal_text
from custui.errors import BadInput
from custui.i18n import t


def _open(resolved: Resolved, read_only: bool) -> Any:
    from custui.store.dispatch import open_any

    settings = resolved.config.settings
    store = open_any(resolved.db_path, read_only=read_only, backups_kept=settings.backups_kept,
                     backup_retention_days=settings.backup_retention_days,
                     journal_compact_mb=settings.journal_compact_mb)
    return store


@click.group("customer")
@common_options
def customer_group() -> None:
    """One customer's data: export everything held about them, or forget them."""


@customer_group.command("export")
@common_options
@click.argument("code")
@click.option("--out", "out", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The JSON file to write (mode 0600).")
@format_option
@click.pass_context
def customer_export_command(ctx: click.Context, code: str, out: Path, output_format: str) -> None:
    """Everything held about one customer as one JSON document (for a subject access request)."""
    from custui.services.privacy import find_by_code, write_subject_export

    resolved = resolve(ctx)
    out = output_file(out)
    store = _open(resolved, read_only=True)  # its access entry: Store.append_audit on PostgreSQL
    try:
        ws = roles.authorize(ctx, resolved, "export", store)
        customer = find_by_code(ws.store, code)
        try:
            rows = write_subject_export(ws, int(customer["id"]), out)
        except OSError as exc:
            raise BadInput(f"{out}: {exc.strerror}") from None
    finally:
        store.close()
    emit({"code": customer.get("code"), "file": str(out), "records": rows}, output_format,
         t("privacy.exported", code=str(customer.get("code")), path=str(out), rows=rows))


@customer_group.command("forget")
@common_options
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask (scripts); without it custui asks twice at a terminal.")
@format_option
@click.pass_context
def customer_forget_command(ctx: click.Context, code: str, yes: bool, output_format: str) -> None:
    """Erase one customer's personal data; orders and figures stay. Cannot be undone except
    by restoring a backup made before."""
    from custui.services.privacy import find_by_code, forget

    resolved = resolve(ctx)
    if not yes and not roles.interactive():
        raise BadInput(t("privacy.forget.needs_yes"))
    store = _open(resolved, read_only=False)
    try:
        ws = roles.authorize(ctx, resolved, "forget", store)
        customer = find_by_code(ws.store, code)
        real_code = str(customer.get("code"))
        if not yes:
            say(t("privacy.forget.warning", code=real_code, name=str(customer.get("name") or "")),
                err=True)
            if not click.confirm(t("privacy.forget.ask1"), default=False, err=True):
                raise BadInput(t("privacy.forget.kept", code=real_code))
            typed = click.prompt(t("privacy.forget.ask2", code=terminal_text(real_code)), default="", err=True,
                                 show_default=False)
            if typed.strip().upper() != real_code.upper():
                raise BadInput(t("privacy.forget.kept", code=real_code))
        counts = forget(ws, int(customer["id"]))
    finally:
        store.close()
    detail = ", ".join(f"{table} {n}" for table, n in counts.items() if n)
    emit({"code": real_code, "forgotten_by": ws.operator, "changed": counts}, output_format,
         t("privacy.forget.done", code=real_code, detail=detail, who=ws.operator))


COMMANDS = [customer_group]
