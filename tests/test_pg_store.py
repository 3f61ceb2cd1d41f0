"""PostgreSQL store: several operators at once, stale edits, reconnects, schema and credentials."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pg_server as pgs
import psycopg
import pytest
from pg_server import PASSWORD, PgServer, wait_for

from custui.errors import (
    ConnectionLost,
    DatabaseMissing,
    DatabaseUnreachable,
    SchemaTooNew,
    StaleRecord,
)
from custui.store.pg_open import open_pg
from custui.store.pg_schema import PG_SCHEMA_VERSION
from custui.store.pg_store import PgStore

ROOT = Path(__file__).resolve().parent.parent

pg_server = pgs.pg_server  # fixtures shared by the PostgreSQL tests
pg_url = pgs.pg_url
opened = pgs.opened


def open_as(url: str, opened: list[PgStore], **options: Any) -> PgStore:
    store = open_pg(url, create=True, **options)
    opened.append(store)
    return store


def backend_pid(store: PgStore) -> int:
    store.count("customers")
    return int(store._connection().info.backend_pid)


def test_other_operators_changes_show_up_with_listeners_and_revision(pg_url: str, opened: list) -> None:
    a, b = open_as(pg_url, opened, operator="an"), open_as(pg_url, opened, operator="binh")
    b.all("orders")  # b caches orders
    heard: list[tuple[str, int]] = []
    b.subscribe(lambda table, doc: heard.append((table, doc["id"])))
    before = b.revision
    cid = a.insert("customers", {"code": "C000001", "name": "Ánh", "phone_norm": "0901"})["id"]
    order = a.insert("orders", {"customer_id": cid, "total": 1_250_000})
    assert wait_for(lambda: b.get("orders", order["id"]) is not None)
    assert b.get("customers", cid)["name"] == "Ánh"
    assert [d["total"] for d in b.children("orders", cid)] == [1_250_000]
    assert ("customers", cid) in heard and ("orders", order["id"]) in heard
    assert b.revision > before
    a.update("customers", cid, {"name": "Nguyễn Thị Ánh"})
    assert wait_for(lambda: b.get("customers", cid)["name"] == "Nguyễn Thị Ánh")
    assert b.get("customers", cid)["version"] == 2


def test_second_save_of_an_edited_customer_is_refused(pg_url: str, opened: list) -> None:
    a, b = open_as(pg_url, opened, operator="an"), open_as(pg_url, opened, operator="binh")
    doc = a.insert("customers", {"code": "C000042", "name": "Ánh", "phone": "0901", "email": ""})
    assert wait_for(lambda: b.get("customers", doc["id"]) is not None)
    read_by_a = dict(a.get("customers", doc["id"]))
    read_by_b = dict(b.get("customers", doc["id"]))
    b.update("customers", doc["id"], {"phone": "0999", "updated_at": "x",
                                      "version": read_by_b["version"]})
    typed = {"email": "anh@example.vn", "version": read_by_a["version"]}
    with pytest.raises(StaleRecord) as refused:
        a.update("customers", doc["id"], typed)
    message = refused.value.message
    assert "C000042" in message and "binh" in message and "phone" in message
    assert "updated_at" not in message
    assert typed == {"email": "anh@example.vn", "version": 1}  # what the operator typed is intact
    assert a.get("customers", doc["id"])["email"] == ""  # nothing of the refused save was kept
    fresh = open_as(pg_url, opened)
    assert fresh.get("customers", doc["id"])["phone"] == "0999"
    assert fresh.get("customers", doc["id"])["email"] == ""
    saved = a.update("customers", doc["id"], {"email": "anh@example.vn", "version": 2})  # reloaded
    assert (saved["phone"], saved["email"], saved["version"]) == ("0999", "anh@example.vn", 3)


def test_update_without_version_merges_into_the_servers_doc(pg_url: str, opened: list) -> None:
    a = open_as(pg_url, opened)
    b = open_as(pg_url, opened, listen=False)  # b's cache never hears of a's change
    doc = a.insert("orders", {"customer_id": 1, "total": 5, "channel": "store"})
    b.all("orders")
    a.update("orders", doc["id"], {"channel": "phone"})
    merged = b.update("orders", doc["id"], {"void": True})
    assert merged == {"customer_id": 1, "total": 5, "channel": "phone", "void": True, "id": doc["id"]}


WRITER = """
import sys
from custui.store.pg_open import open_pg
from custui.store.pg_schema import PG_SCHEMA_VERSION
store = open_pg(sys.argv[1], listen=False)
worker = int(sys.argv[2])
for n in range(500):
    store.insert("orders", {"customer_id": worker, "total": worker * 1000 + n, "date": "2026-11-28"})
store.close()
"""


def test_four_processes_record_500_orders_each_at_once(pg_url: str, opened: list) -> None:
    watcher = open_as(pg_url, opened)
    watcher.all("orders")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(worker)], env=env,
                              stderr=subprocess.PIPE) for worker in range(1, 5)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode() if proc.stderr else ""
    fresh = open_as(pg_url, opened)
    orders = fresh.all("orders")
    assert len(orders) == 2000 and len({d["id"] for d in orders}) == 2000
    for worker in range(1, 5):
        mine = fresh.children("orders", worker)
        assert sum(d["total"] for d in mine) == sum(worker * 1000 + n for n in range(500))
    assert wait_for(lambda: watcher.count("orders") == 2000)  # and the open store heard of them


def test_a_failed_batch_keeps_nothing(pg_url: str, opened: list) -> None:
    store = open_as(pg_url, opened)
    cid = store.insert("customers", {"code": "C1", "name": "Ánh"})["id"]
    with pytest.raises(RuntimeError), store.batch():
        store.insert("orders", {"customer_id": cid, "total": 1})
        store.update("customers", cid, {"name": "changed"})
        raise RuntimeError("the form's next step failed")
    assert store.count("orders") == 0 and store.children("orders", cid) == []
    assert store.get("customers", cid)["name"] == "Ánh"
    fresh = open_as(pg_url, opened)
    assert fresh.count("orders") == 0 and fresh.get("customers", cid)["name"] == "Ánh"


def _kill(server: PgServer, pid: int) -> None:
    with psycopg.connect(server.url("custui_tests"), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_connection_lost_mid_save_is_not_acknowledged_then_reconnects(
    pg_server: PgServer, pg_url: str, opened: list
) -> None:
    store = open_as(pg_url, opened)
    cid = store.insert("customers", {"code": "C1", "name": "Ánh"})["id"]
    revision = store.revision
    _kill(pg_server, backend_pid(store))
    with pytest.raises(ConnectionLost) as lost:
        store.insert("orders", {"customer_id": cid, "total": 1})
    assert "Not saved" in lost.value.message and PASSWORD not in lost.value.message
    assert lost.value.exit_code == 3
    assert store.count("orders") == 0 and store.revision >= revision
    saved = store.insert("orders", {"customer_id": cid, "total": 2})  # reconnected
    assert open_as(pg_url, opened).get("orders", saved["id"])["total"] == 2
    with pytest.raises(ConnectionLost), store.batch():
        store.insert("orders", {"customer_id": cid, "total": 3})
        _kill(pg_server, backend_pid(store))
        store.insert("orders", {"customer_id": cid, "total": 4})
    assert sorted(d["total"] for d in store.all("orders")) == [2]
    assert sorted(d["total"] for d in open_as(pg_url, opened).all("orders")) == [2]


def test_listener_reconnects_and_catches_up(pg_server: PgServer, pg_url: str, opened: list) -> None:
    a, b = open_as(pg_url, opened), open_as(pg_url, opened)
    notifier = b._notifier
    assert notifier is not None and notifier._conn is not None
    _kill(pg_server, notifier._conn.info.backend_pid)
    doc = a.insert("customers", {"code": "C1", "name": "while b was away"})
    assert wait_for(lambda: b.get("customers", doc["id"]) is not None)


def test_schema_has_real_columns_indexes_and_a_version(pg_url: str, opened: list) -> None:
    store = open_as(pg_url, opened)
    store.insert("customers", {"code": "C000007", "name": "Khôi", "phone_norm": "0988777666",
                               "archived": False})
    store.insert("orders", {"customer_id": 1, "total": 450_000, "void": False})
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT code, name, phone_norm, archived, version FROM customers").fetchone()
        assert row == ("C000007", "Khôi", "0988777666", False, 1)
        assert conn.execute("SELECT customer_id, total, void FROM orders").fetchone() == (1, 450_000, False)
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'customers'")}
        assert {"customers_code", "customers_phone_norm"} <= indexes
        assert conn.execute("SELECT max(version) FROM custui_schema").fetchone()[0] == PG_SCHEMA_VERSION
        conn.execute("SET enable_seqscan = off")
        plan = " ".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT id FROM customers WHERE phone_norm = '0988777666'"))
        assert "customers_phone_norm" in plan


def test_newer_schema_is_refused_and_missing_schema_named(pg_url: str, opened: list) -> None:
    with pytest.raises(DatabaseMissing) as missing:
        open_pg(pg_url)
    assert "custui init" in missing.value.message and PASSWORD not in missing.value.message
    open_as(pg_url, opened)
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO custui_schema (version) VALUES (99)")
    with pytest.raises(SchemaTooNew):
        open_pg(pg_url)


def test_old_data_is_migrated_on_open(pg_url: str, opened: list) -> None:
    store = open_as(pg_url, opened)
    store.insert("customers", {"code": "C1", "name": "Old", "phone": "090 123 4567"})
    store.close()
    with psycopg.connect(pg_url) as conn:
        conn.execute("""UPDATE meta SET doc = doc || '{"schema_version": 0}' WHERE id = 1""")
        conn.execute("UPDATE customers SET doc = doc - 'phone_norm'")
    migrated = open_as(pg_url, opened)
    assert migrated.meta()["schema_version"] == 1
    assert migrated.get("customers", 1)["phone_norm"] == "0901234567"


def test_wrong_password_and_unreachable_server_are_clear(pg_server: PgServer) -> None:
    bad = pg_server.url("custui_tests", password="not-the-password")
    with pytest.raises(DatabaseUnreachable) as refused:
        open_pg(bad)
    assert "password authentication failed" in refused.value.message
    assert "not-the-password" not in refused.value.message and "***" in refused.value.message
    with pytest.raises(DatabaseUnreachable) as down:
        open_pg(f"postgresql://custui:{PASSWORD}@127.0.0.1:1/x?connect_timeout=2")
    assert PASSWORD not in down.value.message and down.value.exit_code == 3


def test_pgpassword_pgpass_and_sslmode_work(
    pg_server: PgServer, pg_url: str, opened: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_as(pg_url, opened)
    bare = pg_url.replace(f":{PASSWORD}@", "@")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    open_as(bare, opened)
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:custui:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    open_as(bare, opened)
    open_as(bare + "&sslmode=disable", opened)
    with pytest.raises(DatabaseUnreachable) as no_ssl:  # the test server has no TLS
        open_pg(bare + "&sslmode=require")
    assert "SSL" in no_ssl.value.message


def test_bulk_inserts_reach_the_server_with_their_ids_and_fail_whole(pg_url: str, opened: list) -> None:
    """bulk() sends inserts by COPY under ids reserved from the sequences: another operator sees
    every doc under the id the writer was given; an update inside the bulk of a doc inserted
    in it lands; a bulk that raises keeps nothing."""
    a, b = open_as(pg_url, opened, operator="an"), open_as(pg_url, opened, operator="binh")
    with a.bulk():
        made = [a.insert("customers", {"code": f"C{i:06d}", "name": f"Khách {i}", "phone_norm": ""})
                for i in range(1, 2_600)]
        orders = [a.insert("orders", {"customer_id": c["id"], "total": 1000 * n, "promo": n % 2 == 0})
                  for n, c in enumerate(made)]
        a.update("customers", made[5]["id"], {"name": "Đặng Ánh"})
        assert a.get("orders", orders[7]["id"])["total"] == 7000  # reads see the bulk's own docs
    assert len({c["id"] for c in made}) == len(made)
    b.all("orders")
    assert wait_for(lambda: b.get("orders", orders[-1]["id"]) is not None)
    fresh = open_as(pg_url, opened, operator="chi", listen=False)
    for doc in (*made[:3], *orders[-3:]):
        assert {k: v for k, v in fresh.get("orders" if "total" in doc else "customers", doc["id"]).items()
                if k != "version"} == {k: v for k, v in doc.items() if k != "version"}
    assert fresh.get("customers", made[5]["id"])["name"] == "Đặng Ánh"
    assert fresh.count("orders") == len(orders)
    after = a.insert("orders", {"customer_id": made[0]["id"], "total": 5})  # the sequence moved on
    assert after["id"] > max(o["id"] for o in orders)
    with pytest.raises(RuntimeError), a.bulk():
        for i in range(3_000):
            a.insert("orders", {"customer_id": made[0]["id"], "total": i})
        raise RuntimeError("stop")
    assert open_as(pg_url, opened, operator="dung", listen=False).count("orders") == len(orders) + 1
    assert a.count("orders") == len(orders) + 1
