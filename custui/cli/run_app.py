"""Open the store, then run the Textual app on it."""

from __future__ import annotations

from pathlib import Path

from custui.cli.options import Resolved
from custui.cli.output import say


def run_app(resolved: Resolved, read_only: bool = False, operator: str | None = None) -> None:
    from custui.app import make_app
    from custui.clock import app_clock
    from custui.services.roles import resolve_staff, staff_on
    from custui.services.workspace import Workspace
    from custui.store.dispatch import open_any

    settings = resolved.config.settings
    db = resolved.db_path
    if isinstance(db, Path) and db.exists() and db.stat().st_size > 50_000_000:
        say(f"Opening {db}…", err=True)
    staff = resolve_staff(settings, operator)
    store = open_any(
        resolved.db_path, read_only=read_only, operator=staff.id, backups_kept=settings.backups_kept,
        backup_retention_days=settings.backup_retention_days,
        journal_compact_mb=settings.journal_compact_mb, hold_load=True,  # released by App.warm_up
        in_parts=True,  # no full parse's millions of dicts left behind for the whole session
    )
    staff = staff_on(store, staff)  # PostgreSQL: the database role decides
    app = make_app(Workspace(store=store, config=resolved.config, clock=app_clock(), operator=staff.id,
                             role=staff.role, pin_hash=staff.pin_hash))
    try:
        app.run()
    finally:
        store.close()
    if app.index.unsaved:  # the next launch reads the lookup's index instead of building it
        from custui.services import lookup_cache

        try:
            lookup_cache.write(app.index, store)
        except OSError:
            pass  # only a shortcut
