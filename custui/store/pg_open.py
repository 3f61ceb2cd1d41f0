"""Opening and creating a custui database on PostgreSQL (what `open_any`/`custui init` call).

Opening checks the DDL version in `custui_schema` (newer: refused; older: the
PG_MIGRATIONS steps run, in one transaction, under an advisory lock so two
processes opening at once do not both migrate), then the data version in the
meta doc (older: custui.store.migrations runs over the docs, as for the file
store, and the changed docs are written back).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from custui.domain.enums import TABLES
from custui.errors import BadInput, DatabaseMissing, SchemaTooNew
from custui.i18n import t
from custui.paths import user_data_dir
from custui.store.base import SCHEMA_VERSION
from custui.store.migrations import migrate
from custui.store.pg_conn import connect, mask_url
from custui.store.pg_json import VERSION, jsonb
from custui.store.pg_roles import apply_roles
from custui.store.pg_schema import (
    MIGRATION_LOCK_KEY,
    PG_MIGRATIONS,
    PG_SCHEMA_VERSION,
    SCHEMA_TABLE,
)
from custui.store.pg_store import PgStore


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pg_version(conn: Any) -> int | None:
    """The DDL version, or None when the database has no custui schema."""
    if conn.execute("SELECT to_regclass('custui_schema')").fetchone()[0] is None:
        return None
    return int(conn.execute("SELECT coalesce(max(version), 0) FROM custui_schema").fetchone()[0])


def _migrate_data(conn: Any, found: int) -> None:
    """Run the data migrations over every doc; write back the docs they changed."""
    tables: dict[str, dict[int, Any]] = {}
    before: dict[tuple[str, int], bytes] = {}
    for name in TABLES:
        docs = {}
        for doc_id, text in conn.execute(f'SELECT id, doc::text FROM "{name}"'):
            docs[doc_id] = orjson.loads(text)
            before[(name, doc_id)] = orjson.dumps(docs[doc_id])
        tables[name] = docs
    migrate(tables, found)
    for name, docs in tables.items():
        for doc_id, doc in docs.items():
            if before.get((name, doc_id)) != orjson.dumps(doc):
                conn.execute(f'INSERT INTO "{name}" (id, doc) VALUES (%s, %s) '
                             "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc", (doc_id, jsonb(doc)))


def ensure_schema(url: str, *, create: bool) -> None:
    """Create or migrate the schema; DatabaseMissing when absent and not `create`."""
    masked = mask_url(url)
    with connect(url) as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            version = _pg_version(conn)
            if version is None:
                if not create:
                    raise DatabaseMissing(t("pg.missing", url=masked))
                conn.execute(SCHEMA_TABLE)
                version = 0
            if version > PG_SCHEMA_VERSION:
                raise SchemaTooNew(t("pg.too_new", url=masked, found=version, supported=PG_SCHEMA_VERSION))
            for step in range(version, PG_SCHEMA_VERSION):
                for statement in PG_MIGRATIONS[step]:
                    conn.execute(statement)
                conn.execute("INSERT INTO custui_schema (version) VALUES (%s)", (step + 1,))
            row = conn.execute("SELECT doc FROM meta WHERE id = 1").fetchone()
            if row is None:
                meta = {"schema_version": SCHEMA_VERSION, "created_at": _now()}
                conn.execute("INSERT INTO meta (id, doc) VALUES (1, %s)", (jsonb(meta),))
                conn.execute("SELECT setval(pg_get_serial_sequence('meta', 'id'), 1)")
                return
            data_version = int(row[0].get("schema_version", 0))
            if data_version > SCHEMA_VERSION:
                raise SchemaTooNew(t("db.too_new", path=masked, found=data_version,
                                     supported=SCHEMA_VERSION))
            if data_version < SCHEMA_VERSION:
                _migrate_data(conn, data_version)


def open_pg(
    url: str, *, read_only: bool = False, create: bool = False, operator: str | None = None,
    listen: bool = True,
) -> PgStore:
    """Open a custui PostgreSQL database (with `create`, make the schema if missing).

    Raises DatabaseUnreachable (server down, wrong password: exit 3), DatabaseMissing
    (no custui schema there) or SchemaTooNew.
    """
    ensure_schema(url, create=create)
    return PgStore(url, read_only=read_only, operator=operator, listen=listen)


def record_count(store: PgStore) -> int:
    return sum(n for name, n in store.info()["tables"].items() if name != "meta")


def backup_to_json(store: PgStore, target: Path | None = None) -> Path:
    """Every table as a TinyDB-format JSON file (mode 0600): what --force keeps first."""
    from custui.store.file_store import dump_snapshot, write_atomic

    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = user_data_dir() / "pg-backups"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        dbname = store.location.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "db"
        target = folder / f"{dbname}-{stamp}.json"
    tables = {name: {doc["id"]: plain_doc(name, doc) for doc in store.all(name)} for name in TABLES}
    write_atomic(target, dump_snapshot(tables))
    return target


def plain_doc(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A doc as the other stores hold it: without the PostgreSQL customer version."""
    if table == "customers" and VERSION in doc:
        return {k: v for k, v in doc.items() if k != VERSION}
    return doc


def drop_schema(url: str) -> None:
    with connect(url) as conn:
        for name in (*TABLES, "customer_changes", "custui_schema"):
            conn.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
        conn.execute("DROP FUNCTION IF EXISTS custui_notify() CASCADE")
        conn.execute("DROP FUNCTION IF EXISTS custui_clerk_guard() CASCADE")
        conn.commit()


def create_pg(url: str, *, force: bool = False, operator: str | None = None,
              operators: Sequence[tuple[str, str]] = ()) -> tuple[PgStore, Path | None]:
    """`custui init --db URL`: the schema on an empty database, open for writing, with the
    database roles and grants of `operators` ((id, role) pairs; see pg_roles).

    Refuses (BadInput) a database that already holds custui records unless `force`,
    which first keeps them as a JSON file (returned) and then drops the schema.
    """
    kept: Path | None = None
    try:
        existing = open_pg(url, read_only=True, listen=False)
    except DatabaseMissing:
        existing = None
    if existing is not None:
        try:
            count = record_count(existing)
            if count and not force:
                raise BadInput(t("pg.exists", url=existing.location, count=count))
            if count:
                kept = backup_to_json(existing)
        finally:
            existing.close()
        if count:
            drop_schema(url)
    ensure_schema(url, create=True)
    if operators:
        apply_roles(url, operators)
    return open_pg(url, operator=operator), kept
