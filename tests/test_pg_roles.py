"""Staff roles inside PostgreSQL: `custui init` gives each operator of settings.yaml a database
role in the clerk or manager group, and the grants, a guard trigger and row-level security
hold a clerk connecting with psql to what the app lets a clerk do. custui connected as the
clerk takes the role from the database; its refusals and a read-only export are logged."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pg_server as pgs
import psycopg
import pytest
from cli_helpers import run_cli
from pg_server import PgServer

from custui.services.access_log import read_log
from custui.store.pg_open import open_pg

pg_server = pgs.pg_server  # fixtures shared by the PostgreSQL tests
pg_url = pgs.pg_url

OPERATORS = """
operators:
  - id: binh
    role: clerk
  - id: lan
    role: manager
"""



def as_user(url: str, user: str) -> str:
    """The same database and schema, logged in as `user` (password pw-USER)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:pw-{user}@{host}"))


@pytest.fixture
def shop(pg_server: PgServer, pg_url: str, tmp_path: Path) -> dict[str, str]:
    """A demo database made by `custui init` with two operators; their passwords set as the
    administrator would. Returns the URLs of the owner, the clerk and the manager."""
    config = tmp_path / "config"
    config.mkdir()
    shipped = Path(__file__).parent.parent / "config" / "settings.yaml"
    (config / "settings.yaml").write_text(shipped.read_text(encoding="utf-8") + OPERATORS, encoding="utf-8")
    env = {"CUSTUI_CONFIG": str(config), "CUSTUI_OPERATOR": "lan", "CUSTUI_PIN": "",
           "CUSTUI_DB": ""}
    code, _, err = run_cli(["init", "--db", pg_url, "--demo", "--customers", "20"], env)
    assert code == 0, err
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        for user in ("binh", "lan"):
            conn.execute(f"ALTER ROLE {user} PASSWORD 'pw-{user}'")
    return {"owner": pg_url, "clerk": as_user(pg_url, "binh"), "manager": as_user(pg_url, "lan"),
            "config": str(config)}


def refused(url: str, sql: str) -> str:
    """The server's refusal of `sql` run as the user of `url` (the test fails if it runs)."""
    with psycopg.connect(url) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
            conn.execute(sql)
        conn.rollback()
    return str(caught.value)


def test_a_clerk_with_psql_cannot_change_what_custui_forbids_a_clerk(shop: dict[str, str]) -> None:
    clerk = shop["clerk"]
    with psycopg.connect(shop["owner"]) as conn:
        before = {t: conn.execute(f"SELECT md5(string_agg(doc::text, ',' ORDER BY id)) FROM {t}").fetchone()[0]
                  for t in ("customers", "orders", "vouchers", "audit", "complaints")}
        order_id, customer_id = conn.execute("SELECT id, customer_id FROM orders LIMIT 1").fetchone()
    # void or correct an order, delete anything, rewrite the audit trail: no grant at all
    assert "permission denied" in refused(clerk, f"""UPDATE orders SET doc = doc || '{{"void": true}}' WHERE id = {order_id}""")
    assert "permission denied" in refused(clerk, "DELETE FROM customers")
    assert "permission denied" in refused(clerk, "DELETE FROM orders")
    assert "permission denied" in refused(clerk, "UPDATE audit SET doc = '{}'")
    assert "permission denied" in refused(clerk, "TRUNCATE feedback")
    # the fields behind manager actions, on tables a clerk may update: the guard trigger
    assert "status_override of customers needs a manager" in refused(
        clerk, f"""UPDATE customers SET doc = doc || '{{"status_override": "loyal"}}' WHERE id = {customer_id}""")
    assert "forgotten of customers needs a manager" in refused(
        clerk, f"""UPDATE customers SET doc = doc || '{{"name": "(forgotten)", "forgotten": true}}' WHERE id = {customer_id}""")
    assert "merge" in refused(clerk, f"UPDATE complaints SET doc = doc || '{{\"customer_id\": {customer_id}}}'"
                                     f" WHERE customer_id <> {customer_id}")
    # row-level security: no goodwill voucher from a clerk
    assert "row-level security" in refused(
        clerk, f"""INSERT INTO vouchers (doc) VALUES ('{{"customer_id": {customer_id}, "rule": "goodwill", "amount": 500000}}')""")
    with psycopg.connect(shop["owner"]) as conn:
        after = {t: conn.execute(f"SELECT md5(string_agg(doc::text, ',' ORDER BY id)) FROM {t}").fetchone()[0]
                 for t in before}
    assert after == before
    # what a clerk does at the counter still works from psql: a contact field
    with psycopg.connect(clerk) as conn:
        conn.execute(f"""UPDATE customers SET doc = doc || '{{"phone": "0909000111"}}' WHERE id = {customer_id}""")
    # and the manager may void
    with psycopg.connect(shop["manager"]) as conn:
        conn.execute(f"""UPDATE orders SET doc = doc || '{{"void": true}}' WHERE id = {order_id}""")


def test_custui_as_the_clerk_records_at_the_counter_and_the_database_refuses_a_void(
        shop: dict[str, str], shipped_config: object) -> None:
    from datetime import date

    from custui.domain.purchase import OrderDraft
    from custui.errors import DatabaseError
    from custui.services.orders import record_order

    store = open_pg(shop["clerk"], listen=False)
    try:
        assert (store.db_user, store.db_role) == ("binh", "clerk")
        customer = store.all("customers")[0]
        day = date(2026, 12, 7)
        order = record_order(store, shipped_config, int(customer["id"]),  # type: ignore[arg-type]
                             OrderDraft(date=day, total=2_500_000), day).order
        assert store.get("orders", order["id"]) is not None
        with pytest.raises(DatabaseError, match="permission denied"):
            store.update("orders", order["id"], {"void": True})  # past the app's own check
        assert not store.get("orders", order["id"]).get("void")
    finally:
        store.close()
    with psycopg.connect(shop["owner"]) as conn:
        assert conn.execute("SELECT void FROM orders WHERE id = %s", (order["id"],)).fetchone()[0] is not True


def test_the_cli_takes_the_role_from_the_database_and_logs_a_read_only_export(shop: dict[str, str]) -> None:
    env = {"CUSTUI_CONFIG": "", "CUSTUI_OPERATOR": "", "CUSTUI_PIN": "", "CUSTUI_DB": ""}
    # no operators in this config: the database says binh is a clerk
    code, out, err = run_cli(["export", "customers", "--db", shop["clerk"]], env)
    assert (code, out) == (2, "") and "Exporting customer data needs a manager." in err
    code, out, err = run_cli(["export", "customers", "--db", shop["manager"], "--format", "json"], env)
    assert code == 0, err
    rows = len(json.loads(out))
    store = open_pg(shop["owner"], read_only=True, listen=False)
    try:
        log = read_log(store)
    finally:
        store.close()
    assert [(e["who"], e["action"], e["what"]) for e in log[-2:]] == [
        ("binh", "refused", "export"), ("lan", "export", "customers")]
    assert log[-1]["rows"] == rows == 20


def test_a_read_only_store_writes_its_access_entry_and_nothing_else(pg_url: str) -> None:
    from custui.errors import ReadOnlyStore
    from custui.services.access_log import log_access

    open_pg(pg_url, create=True, listen=False).close()
    store = open_pg(pg_url, read_only=True, listen=False)
    try:
        log_access(store, who="lan", at="2026-12-07T10:00:00", action="export", what="orders", rows=3)
        with pytest.raises(ReadOnlyStore):
            store.insert("audit", {"action": "update"})
    finally:
        store.close()
    check = open_pg(pg_url, read_only=True, listen=False)
    try:
        assert [(e["who"], e["what"], e["rows"]) for e in read_log(check)] == [("lan", "orders", 3)]
        assert len(check.all("audit")) == 1
    finally:
        check.close()


def test_an_operator_added_later_gets_a_role_from_config_db_roles(
        pg_server: PgServer, shop: dict[str, str]) -> None:
    settings = Path(shop["config"]) / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "  - id: mai\n    role: clerk\n",
                        encoding="utf-8")
    env = {"CUSTUI_CONFIG": shop["config"], "CUSTUI_OPERATOR": "lan", "CUSTUI_PIN": "", "CUSTUI_DB": ""}
    code, out, err = run_cli(["config", "db-roles", "--db", shop["owner"]], env)
    assert code == 0, err
    assert "mai: clerk" in out and "secret" not in out + err
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute("ALTER ROLE mai PASSWORD 'pw-mai'")
    assert "permission denied" in refused(as_user(shop["owner"], "mai"), "DELETE FROM orders")
    code, _, err = run_cli(["config", "db-roles", "--db", shop["owner"]], {**env, "CUSTUI_OPERATOR": "binh"})
    assert code == 2 and "needs a manager" in err
