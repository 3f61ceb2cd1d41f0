"""The CLI on PostgreSQL: init --demo, info with the password masked, exit 3, migrate both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pg_server as pgs
from cli_helpers import run_cli
from pg_server import PASSWORD, PgServer

from custui.store.open import open_store
from custui.store.pg_open import open_pg
from custui.store.transfer import snapshot

pg_server = pgs.pg_server  # fixtures shared by the PostgreSQL tests
pg_url = pgs.pg_url



def test_init_demo_and_info_on_postgresql_never_show_the_password(pg_url: str) -> None:
    code, out, err = run_cli(["init", "--db", pg_url, "--demo", "--customers", "40"])
    assert code == 0, err
    assert PASSWORD not in out + err and "***" in out
    code, out, err = run_cli(["info", "--db", pg_url, "--format", "json"])
    assert code == 0, err
    info = json.loads(out)
    assert info["tables"]["customers"] == 40 and info["tables"]["orders"] > 0
    assert PASSWORD not in out and info["path"].startswith("postgresql://custui:***@")
    code, _, err = run_cli(["init", "--db", pg_url])  # refuses to replace without --force
    assert code == 2 and "--force" in err and PASSWORD not in err


def test_custui_db_env_selects_postgresql(pg_url: str) -> None:
    assert run_cli(["init"], {"CUSTUI_DB": pg_url})[0] == 0
    code, out, _ = run_cli(["info"], {"CUSTUI_DB": pg_url})
    assert code == 0 and "postgresql://custui:***@" in out


def test_unreachable_server_and_wrong_password_exit_3(pg_server: PgServer) -> None:
    code, out, err = run_cli(["info", "--db", f"postgresql://custui:{PASSWORD}@127.0.0.1:1/x"])
    assert code == 3 and "Cannot connect" in err and PASSWORD not in out + err
    code, out, err = run_cli(["info", "--db", pg_server.url("custui_tests", password="wrong-pw-123")])
    assert code == 3 and "password authentication failed" in err
    assert "wrong-pw-123" not in out + err


def test_migrate_file_to_postgresql_and_back_keeps_every_doc(pg_url: str, tmp_path: Path) -> None:
    first, back = tmp_path / "first.json", tmp_path / "back.json"
    assert run_cli(["init", "--db", str(first), "--demo", "--customers", "60", "--seed", "3"])[0] == 0
    source = open_store(first, read_only=True)
    before = snapshot(source)
    source.close()
    code, out, err = run_cli(["migrate", "--from", str(first), "--to", pg_url])
    assert code == 0, err
    assert "checked every one" in out and PASSWORD not in out + err
    on_pg = open_pg(pg_url, read_only=True, listen=False)
    assert snapshot(on_pg) == before
    on_pg.close()
    code, _, err = run_cli(["migrate", "--from", pg_url, "--to", str(back)])
    assert code == 0, err
    copy = open_store(back, read_only=True)
    assert snapshot(copy) == before
    copy.close()
    exports: dict[str, list[object]] = {}
    for db in (first, pg_url, back):
        for table in ("customers", "orders"):
            for fmt in ("csv", "json"):
                as_of = ["--as-of", "2026-11-28"] if table == "customers" else []
                code, out, err = run_cli(["export", table, "--db", str(db), "--format", fmt, *as_of])
                assert code == 0, err
                # CSV byte for byte; JSON as data (jsonb keeps keys in its own order)
                exports.setdefault(str(db), []).append(out if fmt == "csv" else json.loads(out))
    assert exports[str(first)] == exports[pg_url] == exports[str(back)]
    code, _, err = run_cli(["migrate", "--from", str(first), "--to", pg_url])  # not into a full one
    assert code == 2 and "already holds records" in err
