"""The PostgreSQL store: several operators on one database, behind the same Store interface.

Reads are served from an in-memory cache (the MemoryStore tables and by-customer
index), loaded per table on first use and kept fresh by LISTEN/NOTIFY (see
pg_notify), so `all("orders")` costs what it costs on the file store. Writes go
to the server first, inside a transaction (one per write, or one per `batch()`),
and reach the cache, the revision and the listeners once committed; ids come
from the tables' identity sequences, so several processes insert at once.

Optimistic concurrency on customers (pg_customers): their docs carry "version";
pass the version you read as `changes["version"]` and `update` raises StaleRecord
(who, when, which fields) when someone saved the record meanwhile. Without it, the
update merges into the server's current doc (never into a stale cached copy).
Other processes' changes arrive through pg_notify and pg_remote.

A connection lost during a write raises ConnectionLost (not saved; the cache is
rolled back); the next call reconnects. Use `open_pg` / `create_pg` to get one.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import orjson
import psycopg

from custui.domain.enums import CHILD_TABLES, TABLES
from custui.errors import ConnectionLost, DatabaseError
from custui.i18n import t
from custui.store.base import ChangeListener, Doc
from custui.store.memory import MemoryStore
from custui.store.pg_conn import connect, mask_url, scrub
from custui.store.pg_customers import CustomerVersions
from custui.store.pg_json import VERSION, jsonb, stored_fields
from custui.store.pg_notify import Notifier
from custui.store.pg_remote import RemoteChanges
from custui.store.pg_roles import database_role

_LOST = (psycopg.OperationalError, psycopg.InterfaceError)


BULK_IDS = 1_000  # ids reserved from a sequence at a time inside bulk()
BULK_ROWS = 2_000  # inserts sent by one COPY inside bulk()


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "operator"


class PgStore(CustomerVersions, RemoteChanges, MemoryStore):
    """A cached, notified view of a custui PostgreSQL database."""

    def __init__(
        self, url: str, *, read_only: bool = False, operator: str | None = None, listen: bool = True
    ) -> None:
        super().__init__(mask_url(url), read_only=read_only)
        self._url = url
        self.operator = operator or _operator()
        self._mutex = threading.RLock()
        self._loaded: set[str] = set()
        self._conn: Any = None
        self._conn_pid: int | None = None
        self._undo: list[tuple[str, int, Doc | None]] = []
        self._tx_loaded: set[str] = set()  # tables first loaded inside the open transaction
        self._doomed = False
        self._closed = False
        self._bulk_depth = 0
        self._reserved: dict[str, list[int]] = {}  # ids taken from a table's sequence (bulk)
        self._copy_rows: dict[str, list[tuple[int, str]]] = {}  # bulk inserts not sent yet
        with self._mutex, self._db() as conn:
            self.schema: str = conn.execute("SELECT current_schema()").fetchone()[0]
            # who is connected and their custui role from the database (pg_roles): the app's role
            self.db_user: str = conn.execute("SELECT current_user").fetchone()[0]
            self.db_role: str | None = database_role(conn)
            conn.rollback()
        self._ensure_loaded("meta")
        self._ensure_loaded("customers")  # lookup needs them at once; others load on first use
        self._remote_listeners: list[ChangeListener] = []
        self._notifier: Notifier | None = None
        if listen:
            self._notifier = Notifier(self, lambda: connect(url, autocommit=True,
                                                            application_name="custui-listen"))
            self._notifier.start()
            self._notifier.ready.wait(timeout=10)

    # -- connection ------------------------------------------------------------------------
    def _connection(self) -> Any:
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            if self._batch_depth and self._pending:
                raise self._lost("connection closed inside a batch")
            self._drop_conn()
            self._conn = connect(self._url, application_name=f"custui ({self.operator})")
            self._conn_pid = self._conn.info.backend_pid
        return self._conn

    def _drop_conn(self) -> None:
        conn, self._conn, self._conn_pid = self._conn, None, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error:
                pass

    def own_pid(self) -> int | None:
        return self._conn_pid

    def _lost(self, reason: str) -> ConnectionLost:
        self._drop_conn()
        return ConnectionLost(t("pg.lost", url=self.location, reason=scrub(reason, self._url)))

    @contextmanager
    def _db(self) -> Iterator[Any]:
        """The write connection, with driver errors turned into custui errors."""
        try:
            conn = self._connection()
            if self._copy_rows:  # a bulk's inserts reach the server before any other statement
                self._send_rows(conn)
            yield conn
        except _LOST as exc:
            raise self._lost(str(exc)) from None
        except psycopg.Error as exc:
            self._doomed = True
            raise DatabaseError(t("pg.failed", url=self.location, reason=scrub(str(exc), self._url))) from None

    # -- loading the cache -----------------------------------------------------------------
    def _check_table(self, table: str) -> None:
        if table not in TABLES:
            raise KeyError(t("pg.unknown_table", table=table))

    def _ensure_loaded(self, table: str) -> None:
        if table in self._loaded:
            return
        self._check_table(table)
        with self._mutex:
            if table in self._loaded:
                return
            with self._db() as conn:
                docs = dict(self._fetch(conn, table, "TRUE", ()))
                if self._batch_depth:
                    self._tx_loaded.add(table)  # it may hold this transaction's own writes
                else:
                    conn.rollback()  # end the read transaction
            self._tables[table] = docs
            if table in CHILD_TABLES:
                index = self._by_customer[table]
                index.clear()
                for doc in docs.values():
                    cid = doc.get("customer_id")
                    if cid is not None:
                        index[cid].append(doc)
            self._loaded.add(table)

    @staticmethod
    def _fetch(conn: Any, table: str, where: str, params: Any) -> Iterator[tuple[int, Doc]]:
        extra = ", version" if table == "customers" else ""
        sql = f'SELECT id, doc::text{extra} FROM "{table}" WHERE {where} ORDER BY id'
        with conn.cursor() as cur:
            cur.execute(sql, params)
            while rows := cur.fetchmany(20_000):
                for row in rows:
                    doc = orjson.loads(row[1])
                    doc["id"] = row[0]
                    if extra:
                        doc[VERSION] = row[2]
                    yield row[0], doc

    def loaded_tables(self) -> set[str]:
        return set(self._loaded)

    # -- reads -----------------------------------------------------------------------------
    def get(self, table: str, doc_id: int) -> Doc | None:
        self._ensure_loaded(table)
        return super().get(table, doc_id)

    def all(self, table: str) -> list[Doc]:
        self._ensure_loaded(table)
        return super().all(table)

    def count(self, table: str) -> int:
        self._ensure_loaded(table)
        return super().count(table)

    def fields(self, table: str, names: Iterable[str]) -> list[list[Any]]:
        self._ensure_loaded(table)
        return super().fields(table, names)

    def children(self, table: str, customer_id: int) -> list[Doc]:
        self._ensure_loaded(table)
        return super().children(table, customer_id)

    def meta(self) -> Doc:
        return self._tables["meta"].get(1, {})

    # -- writes ----------------------------------------------------------------------------
    def _stage(self, table: str, doc: Doc) -> None:
        """A written doc: into the cache now, to listeners once committed."""
        old = self._tables.get(table, {}).get(doc["id"]) if table in self._loaded else None
        self._undo.append((table, doc["id"], old))
        if table in self._loaded:
            self._apply(table, doc)
        self._revision += 1
        self._pending.append((table, doc))

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """One write: its own transaction outside a batch, part of the batch's inside one."""
        with self._mutex:
            self._check_writable()
            try:
                with self._db() as conn:
                    yield conn
                    if not self._batch_depth:
                        conn.commit()
            except BaseException:
                if not self._batch_depth:
                    self._rollback()
                raise
            if not self._batch_depth:
                self._committed()

    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        self._check_table(table)
        stored = stored_fields(table, doc)
        if self._bulk_depth:
            return self._insert_later(table, stored)
        with self._transaction() as conn:
            row = conn.execute(f'INSERT INTO "{table}" (doc) VALUES (%s) RETURNING id',
                               (jsonb(stored),)).fetchone()
            full = {**stored, "id": row[0]}
            if table == "customers":
                full[VERSION] = 1
            self._stage(table, full)
        return full

    def append_audit(self, doc: Mapping[str, Any]) -> Doc:
        """The data-access log entry of a read-only open too (its own transaction)."""
        with self._mutex:
            return super().append_audit(doc)

    def put(self, table: str, doc: Mapping[str, Any]) -> Doc:
        """Store a doc under its own id (copying a database); the sequence is moved past it."""
        self._check_table(table)
        doc_id = int(doc["id"])
        stored = stored_fields(table, doc)
        with self._transaction() as conn:
            conn.execute(
                f'INSERT INTO "{table}" (id, doc) VALUES (%s, %s) '
                "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc", (doc_id, jsonb(stored)))
            self._move_sequence(conn, table)
            full = {**stored, "id": doc_id}
            if table == "customers":
                full[VERSION] = 1
            self._stage(table, full)
        return full

    def put_many(self, table: str, docs: list[Doc]) -> int:
        """`put` for many docs at once (COPY): what `custui migrate` uses. Returns the count."""
        self._check_table(table)
        if table == "meta":  # the schema has its meta doc already: replace it
            for doc in docs:
                self.put(table, doc)
            return len(docs)
        staged = []
        with self._transaction() as conn:
            with conn.cursor() as cur, cur.copy(f'COPY "{table}" (id, doc) FROM STDIN') as copy:
                for doc in docs:
                    stored = stored_fields(table, doc)
                    copy.write_row((int(doc["id"]), orjson.dumps(stored).decode()))
                    staged.append({**stored, "id": int(doc["id"])})
            self._move_sequence(conn, table)
            for full in staged:
                if table == "customers":
                    full[VERSION] = 1
                self._stage(table, full)
        return len(staged)

    @staticmethod
    def _move_sequence(conn: Any, table: str) -> None:
        """Next insert gets an id past every stored one (after docs were put under their ids)."""
        conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                     f'GREATEST((SELECT max(id) FROM "{table}"), 1))')

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        self._check_table(table)
        doc_id = int(doc_id)
        changes = {k: v for k, v in changes.items() if k != "id"}
        if table == "customers":
            return self._update_customer(doc_id, changes)
        with self._transaction() as conn:
            row = conn.execute(f'UPDATE "{table}" SET doc = doc || %s WHERE id = %s RETURNING doc::text',
                               (jsonb(changes), doc_id)).fetchone()
            if row is None:
                raise KeyError(f"{table} #{doc_id} not found")
            full = {**orjson.loads(row[0]), "id": doc_id}
            self._stage(table, full)
        return full

    # -- transactions ----------------------------------------------------------------------
    def _committed(self) -> None:
        pending, self._pending, self._undo, self._tx_loaded = self._pending, [], [], set()
        for table, doc in pending:
            for listener in self._listeners:
                listener(table, doc)

    def _rollback(self) -> None:
        """Undo the cache changes of a failed transaction and roll the server back."""
        conn = self._conn
        if conn is not None and not conn.closed:
            try:
                conn.rollback()
            except psycopg.Error:
                self._drop_conn()
        self._loaded -= self._tx_loaded  # reloaded from the server on next use
        for table, doc_id, old in reversed(self._undo):
            if table not in self._loaded:
                continue
            current = self._tables[table].get(doc_id)
            if old is not None:
                self._apply(table, old)
            elif current is not None:
                del self._tables[table][doc_id]
                self._unindex(table, current)
        if self._undo:
            self._revision += 1
        self._undo, self._pending, self._doomed, self._tx_loaded = [], [], False, set()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """All writes in the block commit together; if the block raises, none of them is kept."""
        with self._mutex:
            self._batch_depth += 1
            try:
                yield
            except BaseException:
                self._batch_depth -= 1
                if self._batch_depth == 0:
                    self._rollback()
                raise
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._commit_batch()

    def _commit_batch(self) -> None:
        if self._doomed:
            self._rollback()
            raise DatabaseError(t("pg.failed", url=self.location, reason="an earlier statement failed"))
        if self._conn is None or not self._pending:
            self._committed()
            return
        try:
            with self._db() as conn:
                conn.commit()
        except BaseException:
            self._rollback()
            raise
        self._committed()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A batch (one transaction, all or nothing) for many inserts, as imports write: each
        insert takes an id reserved from the table's sequence (BULK_IDS at a time) and the rows
        go to the server by COPY, BULK_ROWS at a time and before any other statement, instead
        of one INSERT round trip each. Readers see the same docs and ids as with batch()."""
        with self.batch():
            self._bulk_depth += 1
            try:
                yield
                with self._db():
                    pass  # sends what is left, inside the transaction
            finally:
                self._bulk_depth -= 1
                if not self._bulk_depth:
                    self._reserved, self._copy_rows = {}, {}

    def _insert_later(self, table: str, stored: Doc) -> Doc:
        with self._mutex:
            self._check_writable()
            pool = self._reserved.setdefault(table, [])
            if not pool:
                with self._db() as conn:
                    rows = conn.execute(
                        f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) "
                        "FROM generate_series(1, %s)", (BULK_IDS,)).fetchall()
                pool.extend(sorted((row[0] for row in rows), reverse=True))
            full = {**stored, "id": pool.pop()}
            if table == "customers":
                full[VERSION] = 1
            waiting = self._copy_rows.setdefault(table, [])
            waiting.append((full["id"], orjson.dumps(stored).decode()))
            self._stage(table, full)
            if len(waiting) >= BULK_ROWS:
                with self._db():
                    pass
        return full

    def _send_rows(self, conn: Any) -> None:
        rows, self._copy_rows = self._copy_rows, {}
        for table, waiting in rows.items():
            with conn.cursor() as cur, cur.copy(f'COPY "{table}" (id, doc) FROM STDIN') as copy:
                for row in waiting:
                    copy.write_row(row)

    # -- info and close --------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        with self._mutex, self._db() as conn:
            counts = {}
            for name in TABLES:
                if name != "meta":
                    counts[name] = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            server = conn.execute("SHOW server_version").fetchone()[0]
            pg_version = conn.execute("SELECT max(version) FROM custui_schema").fetchone()[0]
            if not self._batch_depth:
                conn.rollback()
        return {
            "path": self.location, "backend": "postgresql", "server_version": server,
            "schema_version": self.meta().get("schema_version"), "pg_schema_version": pg_version,
            "size": size, "journal_size": 0, "newest_backup": None, "read_only": self.read_only,
            "operator": self.operator, "tables": counts,
        }

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._notifier is not None:
            self._notifier.stop(wake=self._wake)
        with self._mutex:
            self._drop_conn()

    def _wake(self, channel: str) -> None:
        with self._mutex:
            conn = self._conn
            if conn is not None and not conn.broken and not self._batch_depth:
                conn.execute(f"NOTIFY {channel}")
                conn.commit()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
