"""Open the store, then run the Textual app on it."""

from __future__ import annotations

import click

from custui.cli.options import Resolved


def run_app(resolved: Resolved, read_only: bool = False) -> None:
    from custui.app import make_app
    from custui.services.workspace import Workspace
    from custui.store.open import open_store

    settings = resolved.config.settings
    if resolved.db_path.exists() and resolved.db_path.stat().st_size > 50_000_000:
        click.echo(f"Opening {resolved.db_path}…", err=True)
    store = open_store(
        resolved.db_path, read_only=read_only, backups_kept=settings.backups_kept,
        journal_compact_mb=settings.journal_compact_mb,
    )
    try:
        make_app(Workspace(store=store, config=resolved.config)).run()
    finally:
        store.close()
