"""Copy every table from one store to another, ids kept, then check the copy doc by doc.

What `custui migrate --from X --to Y` runs (file -> PostgreSQL and back). The
target must be empty; the whole copy is one transaction (PostgreSQL) or one
atomic snapshot write (file), so a failed copy leaves nothing half-done.
"""

from __future__ import annotations

import orjson

from custui.domain.enums import TABLES
from custui.errors import BadInput, DatabaseError
from custui.i18n import t
from custui.store.base import Doc, Store
from custui.store.journal import SNAPSHOT_KEY

# Backend bookkeeping, not data: the PostgreSQL store's row versions, and the file store's
# snapshot id (which journal belongs to which file; each file gets its own when written).
BOOKKEEPING_FIELDS = {"customers": ("version",), "meta": (SNAPSHOT_KEY,)}


def plain(table: str, doc: Doc) -> Doc:
    """A doc without backend bookkeeping, normalised as JSON (tuples become lists)."""
    drop = BOOKKEEPING_FIELDS.get(table, ())
    out = {k: v for k, v in doc.items() if k not in drop}
    return orjson.loads(orjson.dumps(out))  # type: ignore[no-any-return]


def snapshot(store: Store) -> dict[str, dict[int, Doc]]:
    """Every table of `store` as plain docs by id (what the copy check compares)."""
    return {name: {int(d["id"]): plain(name, d) for d in store.all(name)} for name in TABLES}


def record_total(store: Store) -> int:
    return sum(store.count(name) for name in TABLES if name != "meta")


def copy_tables(source: Store, target: Store) -> dict[str, int]:
    """Copy every table of `source` into the empty `target`, keeping ids; returns counts."""
    existing = record_total(target)
    if existing:
        raise BadInput(t("migrate.not_empty", target=target.location, count=existing))
    counts: dict[str, int] = {}
    with target.bulk():
        for name in TABLES:
            docs = [plain(name, d) for d in sorted(source.all(name), key=lambda d: int(d["id"]))]
            target.put_many(name, docs)
            if name != "meta":
                counts[name] = len(docs)
    return counts


def compare(expected: dict[str, dict[int, Doc]], actual: dict[str, dict[int, Doc]]) -> None:
    """Raise DatabaseError naming the first table whose docs differ."""
    for name in TABLES:
        want, got = expected.get(name, {}), actual.get(name, {})
        if name == "meta":  # the target stamps its own created/migrated times
            want = {i: {k: v for k, v in d.items() if k == "schema_version"} for i, d in want.items()}
            got = {i: {k: v for k, v in d.items() if k == "schema_version"} for i, d in got.items()}
        if want == got:
            continue
        missing = sorted(set(want) - set(got))[:5]
        extra = sorted(set(got) - set(want))[:5]
        differ = sorted(i for i in set(want) & set(got) if want[i] != got[i])[:5]
        detail = f"missing ids {missing}, unexpected ids {extra}, differing ids {differ}"
        raise DatabaseError(t("migrate.mismatch", table=name, detail=detail))
