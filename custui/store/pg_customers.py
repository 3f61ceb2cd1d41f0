"""Customers on PostgreSQL: optimistic versions, who changed what, and unique codes.

Customer docs carry "version"; an update that names the version it read is refused
with StaleRecord (who, when, which fields) when someone saved the record meanwhile.
Each save is logged in customer_changes, which is where that message comes from.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import orjson

from custui.errors import StaleRecord
from custui.i18n import t
from custui.store.base import Doc
from custui.store.pg_json import VERSION, jsonb
from custui.store.pg_schema import CODE_LOCK_KEY, CODE_NUMBER

_MISSING = object()
_BOOKKEEPING = {"updated_at", "phone_norm"}  # follow other fields: not named as "changed"


class CustomerVersions:
    """PgStore's customer writes (a mixin: relies on the store's write transaction and cache)."""

    operator: str
    _undo: list[tuple[str, int, Doc | None]]

    if TYPE_CHECKING:  # provided by PgStore
        def _transaction(self) -> AbstractContextManager[Any]: ...

        def _apply(self, table: str, doc: Doc) -> None: ...

        def _stage(self, table: str, doc: Doc) -> None: ...

    def _update_customer(self, doc_id: int, changes: dict[str, Any]) -> Doc:
        expected = changes.pop(VERSION, None)
        with self._transaction() as conn:
            row = conn.execute("SELECT doc::text, version FROM customers WHERE id = %s FOR UPDATE",
                               (doc_id,)).fetchone()
            if row is None:
                raise KeyError(f"customers #{doc_id} not found")
            current, version = orjson.loads(row[0]), int(row[1])
            if expected is not None and int(expected) != version:
                if not any(t == "customers" and i == doc_id for t, i, _ in self._undo):
                    # committed by someone else: after the refusal, get() shows it (reload)
                    self._apply("customers", {**current, "id": doc_id, VERSION: version})
                raise self._stale(conn, doc_id, current, int(expected))
            fields = sorted(k for k, v in changes.items()
                            if k not in _BOOKKEEPING and current.get(k, _MISSING) != v)
            merged = {**current, **changes}
            conn.execute("UPDATE customers SET doc = %s, version = %s WHERE id = %s",
                         (jsonb(merged), version + 1, doc_id))
            conn.execute("INSERT INTO customer_changes (customer_id, version, changed_by, fields) "
                         "VALUES (%s, %s, %s, %s)", (doc_id, version + 1, self.operator, fields))
            full = {**merged, "id": doc_id, VERSION: version + 1}
            self._stage("customers", full)
        return full

    def next_customer_code(self) -> str:
        """The code after the highest "C000123" on the server, unique across processes.

        Call it inside the `batch()` that inserts the customer: an advisory lock, held
        until that transaction ends, makes a second process creating a customer at the
        same moment wait and then see this one's code (services.customers.next_code).
        """
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (CODE_LOCK_KEY,))
            highest = conn.execute(f"SELECT max({CODE_NUMBER}) FROM customers").fetchone()[0]
        return f"C{int(highest or 0) + 1:06d}"

    def _stale(self, conn: Any, doc_id: int, current: Doc, expected: int) -> StaleRecord:
        rows = conn.execute(
            "SELECT changed_by, changed_at, fields FROM customer_changes "
            "WHERE customer_id = %s AND version > %s ORDER BY version", (doc_id, expected)).fetchall()
        fields = sorted({f for row in rows for f in row[2]})
        who = rows[-1][0] if rows else "?"
        at = rows[-1][1].astimezone().strftime("%H:%M") if rows else "?"
        what = str(current.get("code") or f"#{doc_id}")
        error = StaleRecord(t("pg.stale", what=what, who=who, at=at, fields=", ".join(fields) or "-"))
        error.fields = fields  # type: ignore[attr-defined]
        return error

