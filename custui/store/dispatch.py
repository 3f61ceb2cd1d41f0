"""Open a database by location: a `postgresql://` URL opens the PostgreSQL store, anything
else is a TinyDB file path. The CLI and the app call these instead of `open_store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from custui.store.base import Store
from custui.store.pg_conn import is_pg_url, mask_url

Location = str | Path

__all__ = ["Location", "create_any", "display_location", "is_pg_url", "open_any"]


def display_location(location: Location) -> str:
    """How to show a location to the user: URLs with the password masked."""
    return mask_url(str(location)) if is_pg_url(location) else str(location)


def open_any(
    location: Location,
    *,
    read_only: bool = False,
    create: bool = False,
    backups_kept: int = 10,
    journal_compact_mb: int = 64,
    operator: str | None = None,
    backup_retention_days: int | None = None,
    hold_load: bool = False,
    in_parts: bool = False,
) -> Store:
    """`open_store` for a path, `open_pg` for a URL (file-only options are ignored there)."""
    if is_pg_url(location):
        from custui.store.pg_open import open_pg

        return open_pg(str(location), read_only=read_only, create=create, operator=operator)
    from custui.store.open import open_store

    return open_store(location, read_only=read_only, create=create, backups_kept=backups_kept,
                      journal_compact_mb=journal_compact_mb, backup_retention_days=backup_retention_days,
                      hold_load=hold_load, in_parts=in_parts)


def create_any(
    location: Location, *, force: bool = False, backups_kept: int = 10, journal_compact_mb: int = 64,
    operators: Sequence[tuple[str, str]] = (),
) -> tuple[Store, str | None]:
    """`custui init`: a new empty database open for writing, and where the replaced one was kept.
    On PostgreSQL, `operators` ((id, role) pairs from settings.yaml) get their database roles
    and grants (custui.store.pg_roles)."""
    if is_pg_url(location):
        from custui.store.pg_open import create_pg

        pg_store, kept = create_pg(str(location), force=force, operators=operators)
        return pg_store, str(kept) if kept else None
    from custui.store.backups import list_backups
    from custui.store.open import create_database

    path = Path(location).expanduser()
    existed = path.exists()
    store = create_database(path, force=force, backups_kept=backups_kept,
                            journal_compact_mb=journal_compact_mb)
    backups = list_backups(path) if existed else []
    return store, str(backups[0]) if backups else None

