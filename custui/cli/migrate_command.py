"""`custui migrate --from X --to Y`: move every table between a TinyDB file and PostgreSQL.

X and Y are each a file path or a `postgresql://` URL. The target must be new
(a file that does not exist, unless --force, which backs it up first) or empty
(a PostgreSQL database: the schema is created). After the copy the target is
reopened and every doc of every table is compared with the source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from custui.cli.options import common_options, format_option, resolve
from custui.cli.output import emit, output_file
from custui.cli.roles import authorize
from custui.errors import BadInput
from custui.i18n import count_text, t


def _open_source(location: str) -> Any:
    from custui.store.dispatch import is_pg_url

    if is_pg_url(location):
        from custui.store.pg_open import open_pg

        return open_pg(location, read_only=True, listen=False)
    from custui.store.open import open_store

    return open_store(Path(location).expanduser(), read_only=True)


def _open_target(location: str, force: bool, settings: Any) -> Any:
    from custui.store.dispatch import is_pg_url

    if is_pg_url(location):
        from custui.store.pg_open import ensure_schema, open_pg
        from custui.store.pg_roles import apply_roles

        ensure_schema(location, create=True)
        if settings.operators:  # each operator's database role and the grants (pg_roles)
            apply_roles(location, [(op.id, op.role) for op in settings.operators])
        return open_pg(location, listen=False)
    from custui.store.open import create_database

    return create_database(Path(location).expanduser(), force=force, backups_kept=settings.backups_kept,
                           journal_compact_mb=settings.journal_compact_mb)


def _same(a: str, b: str) -> bool:
    from custui.store.dispatch import is_pg_url

    if is_pg_url(a) or is_pg_url(b):
        return a.strip() == b.strip()
    return Path(a).expanduser().absolute() == Path(b).expanduser().absolute()


@click.command("migrate")
@common_options
@click.option("--from", "source", metavar="PATH|URL", required=True, help="Database to copy from.")
@click.option("--to", "target", metavar="PATH|URL", required=True, help="New or empty database to copy into.")
@click.option("--force", is_flag=True, help="Replace an existing target file (backed up first).")
@format_option
@click.pass_context
def migrate_command(ctx: click.Context, source: str, target: str, force: bool, output_format: str) -> None:
    """Copy every table from one database to another (TinyDB file <-> PostgreSQL), then check it."""
    from custui.store.dispatch import display_location, is_pg_url
    from custui.store.transfer import compare, copy_tables, snapshot

    resolved = resolve(ctx)
    settings = resolved.config.settings
    authorize(ctx, resolved, "migrate")
    if _same(source, target):
        raise BadInput(t("migrate.same"))
    if not is_pg_url(target):
        output_file(Path(target))
    src = _open_source(source)
    try:
        expected = snapshot(src)
        dst = _open_target(target, force, settings)
        try:
            counts = copy_tables(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    check = _open_source(target)  # read back from disk / the server, not from a cache
    try:
        compare(expected, snapshot(check))
    finally:
        check.close()
    shown_from, shown_to = display_location(source), display_location(target)
    total = sum(counts.values())
    data = {"from": shown_from, "to": shown_to, "counts": counts, "verified": True}
    text = t("migrate.done", total=count_text(total), source=shown_from, target=shown_to)
    text += "\n" + "\n".join(f"  {name:<14} {n:>10,}" for name, n in counts.items())
    emit(data, output_format, text)


COMMANDS = [migrate_command]
