"""Database commands: init, demo, info, backup, restore."""

from __future__ import annotations

from pathlib import Path

import click

from custui.cli.options import Resolved, common_options, format_option, option, resolve
from custui.cli.output import emit, human_size, output_file, say
from custui.cli.roles import authorize
from custui.clock import pinned_today
from custui.errors import BadInput
from custui.paths import demo_db_path, is_db_url
from custui.store.base import Store
from custui.store.dispatch import display_location

# seconds `info` gives the open cache's background rebuild (a scan of the file it just
# parsed, well under a second at 1M orders) before it exits, so the next open is quick
REBUILD_WAIT = 10.0


def _fill_demo(store: Store, customers: int, seed: int) -> dict[str, int]:
    """Generate demo data into an open store in one atomic write, then close it."""
    from custui.services import lookup_cache
    from custui.services.demo import generate_demo

    try:
        with store.bulk():
            counts = generate_demo(store, customers=customers, seed=seed, today=pinned_today())
    finally:
        store.close()
    try:
        lookup_cache.build_and_write(store)  # the first launch finds the lookup's index made
    except OSError:
        pass  # only a shortcut
    return counts


def _create(resolved: Resolved, path: Path | str, force: bool = False) -> tuple[Store, str | None]:
    """A new database (file, or schema on a postgresql:// URL) and where a replaced one was kept."""
    from custui.store.dispatch import create_any

    settings = resolved.config.settings
    return create_any(
        path, force=force, backups_kept=settings.backups_kept,
        journal_compact_mb=settings.journal_compact_mb,
        operators=[(op.id, op.role) for op in settings.operators],
    )


def _missing(db: Path | str) -> bool:
    """No database there yet (a file that does not exist; a server database without custui schema)."""
    if isinstance(db, Path):
        return not db.exists()
    from custui.errors import DatabaseMissing
    from custui.store.dispatch import open_any

    try:
        open_any(db, read_only=True).close()
    except DatabaseMissing:
        return True
    return False


def _file_only(db: Path | str, command: str) -> Path:
    """The database file `command` works on; BadInput for a postgresql:// URL."""
    if not isinstance(db, Path):
        raise BadInput(f"custui {command} works on database files; for PostgreSQL use pg_dump, "
                       "or custui migrate --from URL --to FILE.json")
    return db


@click.command("init")
@common_options
@click.option("--demo", is_flag=True, help="Fill it with generated demo data.")
@click.option("--customers", type=click.IntRange(0, 10_000_000), default=500, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing database (backed up first).")
@format_option
@click.pass_context
def init_command(
    ctx: click.Context, demo: bool, customers: int, seed: int, force: bool, output_format: str
) -> None:
    """Create a database (refuses to replace one unless --force)."""
    resolved = resolve(ctx)
    authorize(ctx, resolved, "init")
    store, backup = _create(resolved, resolved.db_path, force=force)
    shown = display_location(resolved.db_path)
    counts: dict[str, int] = {}
    if demo:
        counts = _fill_demo(store, customers, seed)
    else:
        store.close()
    data = {"path": shown, "backup": str(backup) if backup else None, "counts": counts}
    lines = [f"Created {shown}"]
    if backup:
        lines.append(f"Previous database backed up to {backup}")
    if counts:
        lines.append(", ".join(f"{n} {table}" for table, n in counts.items()))
    emit(data, output_format, "\n".join(lines))


@click.command("demo")
@common_options
@click.option("--customers", type=click.IntRange(1, 10_000_000), default=500, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--read-only", is_flag=True, help="Open without taking the write lock.")
@click.pass_context
def demo_command(ctx: click.Context, customers: int, seed: int, read_only: bool) -> None:
    """Open the app on a demo database (created on first use)."""
    from custui.cli.run_app import run_app

    resolved = resolve(ctx)
    db = option(ctx, "db")
    path: Path | str = db if is_db_url(db) else Path(db).expanduser() if db else demo_db_path()
    if _missing(path):
        say(f"Creating demo database {display_location(path)} ({customers} customers)…", err=True)
        _fill_demo(_create(resolved, path)[0], customers, seed)
    run_app(Resolved(resolved.config, resolved.config_dir, path), read_only=read_only,
            operator=option(ctx, "operator"))


@click.command("info")
@common_options
@format_option
@click.pass_context
def info_command(ctx: click.Context, output_format: str) -> None:
    """Show the database: path, schema, size, records per table, journal, newest backup."""
    from custui.store.dispatch import open_any

    resolved = resolve(ctx)
    store = open_any(resolved.db_path, read_only=True)
    try:
        info = store.info()
        finish = getattr(store, "finish_rebuild", None)  # file store: leave the open cache rebuilt
        if finish is not None:
            finish(REBUILD_WAIT)
    finally:
        store.close()
    text = [
        f"path:            {info['path']}",
        f"schema version:  {info.get('schema_version')}",
        f"size:            {human_size(int(info.get('size', 0)))}",
        f"journal:         {human_size(int(info.get('journal_size', 0)))}",
        f"newest backup:   {info.get('newest_backup') or '-'}",
        "records:",
    ]
    text += [f"  {table:<14} {count:>10,}" for table, count in info["tables"].items()]
    emit(info, output_format, "\n".join(text))


@click.command("backup")
@common_options
@click.option("--to", "target", metavar="PATH", default=None, help="Where to write the backup.")
@format_option
@click.pass_context
def backup_command(ctx: click.Context, target: str | None, output_format: str) -> None:
    """Copy the database to a backup file (mode 0600)."""
    from custui.store.backups import create_backup

    resolved = resolve(ctx)
    db_path = _file_only(resolved.db_path, "backup")
    authorize(ctx, resolved, "backup")
    if not db_path.exists():
        from custui.errors import DatabaseMissing
        from custui.i18n import t

        raise DatabaseMissing(t("db.missing", path=db_path))
    to = Path(target).expanduser() if target else None
    if to is not None and to.is_dir() and not to.is_symlink():
        to = to / f"{db_path.stem}-backup{db_path.suffix or '.json'}"
    if to is not None:
        to = output_file(to)
    try:
        made = create_backup(db_path, to)
    except OSError as exc:
        from custui.i18n import t

        raise BadInput(t("backup.cannot_write", path=to or db_path,
                         reason=exc.strerror or str(exc))) from None
    emit({"backup": str(made)}, output_format, f"Backed up to {made}")


@click.command("restore")
@common_options
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@click.pass_context
def restore_command(ctx: click.Context, source: Path, output_format: str) -> None:
    """Replace the database with SOURCE (checked first; the current file is kept as a backup)."""
    from custui.store.backups import restore_backup

    resolved = resolve(ctx)
    db_path = _file_only(resolved.db_path, "restore")
    authorize(ctx, resolved, "restore")
    if not source.exists():
        raise BadInput(f"{source}: no such file")
    kept = restore_backup(db_path, source)
    data = {"restored": str(source), "path": str(db_path), "previous": str(kept) if kept else None}
    text = f"Restored {db_path} from {source}"
    if kept:
        text += f"\nPrevious database kept as {kept}"
    emit(data, output_format, text)


COMMANDS = [init_command, demo_command, info_command, backup_command, restore_command]
