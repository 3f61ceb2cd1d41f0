"""A customer's rights: export everything held about one customer, and forget one.

Data: two customers on a database file, each with records in every child table, made
through the services (so the audit trail holds the personal values as they changed).
"""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run_cli

from custui.config.loader import AppConfig
from custui.domain.enums import CHILD_TABLES
from custui.services.access_log import read_log
from custui.services.complaints import change_status, open_complaint
from custui.services.consent import record_consent
from custui.services.customers import create_customer, update_customer
from custui.services.feedback import submit_feedback
from custui.services.interactions import log_interaction
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.store.open import open_store

NOW = datetime(2026, 11, 28, 10, 0, 0)
SECRETS = ("Zebediah Quartermaine", "0912345678", "zeb@example.vn", "12 Phố Huế", "Bitter about the tea",
           "He shouted at staff", "Promised a call at home", "first name Zeb", "Zeb's old name")
OTHER = ("Ophelia Otherperson", "0987654321", "ophelia@example.vn")



def _fill(ws: Workspace, name: str, phone: str, email: str, secret: bool) -> int:
    values = {"name": "Zeb's old name" if secret else name, "phone": phone, "email": email,
              "address": "12 Phố Huế" if secret else "", "birthday": "03-04", "birth_year": 1980,
              "needs": "first name Zeb" if secret else "", "consent_to_contact": True}
    cid = int(create_customer(ws, values)["id"])
    update_customer(ws, cid, {"name": name})
    record_consent(ws, cid, "profiling", True, "paper", "signed at the counter")
    for day, total in (("2026-10-01", 1_500_000), ("2026-11-20", 300_000)):
        ws.store.insert("orders", {"customer_id": cid, "date": day, "total": total, "items": "tea",
                                   "promo": False, "channel": "store", "points_redeemed": 0})
    ws.store.insert("vouchers", {"customer_id": cid, "rule": "goodwill", "amount": 50_000,
                                 "issued_at": "2026-11-01", "expires_at": "2027-02-01"})
    submit_feedback(ws, "after_purchase", {"product_quality": 2, "staff_attitude": 1,
                                           "information_accuracy": 3, "policy_clarity": 3,
                                           "after_sales_support": 3, "nps": 4,
                                           "comment": "Bitter about the tea" if secret else "ok"},
                    customer_id=cid)
    complaint = open_complaint(ws, cid, "staff_attitude", "high",
                               "He shouted at staff" if secret else "slow")
    change_status(ws, int(complaint["id"]), "resolved", "Promised a call at home" if secret else "done")
    log_interaction(ws, cid, "call", "Promised a call at home" if secret else "called", "ok")
    return cid


@pytest.fixture
def db(tmp_path: Path, shipped_config: AppConfig) -> Path:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="lan")
    _fill(ws, SECRETS[0], SECRETS[1], SECRETS[2], True)
    _fill(ws, *OTHER, False)
    store.close()
    return path


def _raw_tables(path: Path) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_subject_export_holds_every_tables_records_of_the_customer_and_nothing_else(db: Path) -> None:
    out = db.parent / "zeb.json"
    code, _, err = run_cli(["customer", "export", "c000001", "--db", str(db), "--out", str(out)])
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    raw = _raw_tables(db)
    assert document["customer"]["name"] == SECRETS[0]
    for table in CHILD_TABLES:
        mine = {int(i) for i, doc in raw[table].items() if doc.get("customer_id") == 1}
        assert mine, f"the fixture has {table} records"
        assert {doc["id"] for doc in document[table]} == mine, table
    assert [e["purpose"] for e in document["consent_history"]] == ["marketing", "profiling"]
    assert [m["kind"] for m in document["points"]["movements"]][:2] == ["earn", "earn"]
    text = out.read_text(encoding="utf-8")
    assert not any(value in text for value in OTHER)
    store = open_store(db, read_only=True)
    try:
        entry = read_log(store)[-1]
    finally:
        store.close()
    assert (entry["action"], entry["customer_code"], entry["rows"]) == (
        "subject_export", "C000001", 1 + sum(len(document[t]) for t in CHILD_TABLES))


def _figures(db: Path) -> tuple[str, list[dict[str, Any]]]:
    code, report, err = run_cli(["report", "--db", str(db), "--from", "2026-10-01", "--to", "2026-11-28",
                              "--format", "json"])
    assert code == 0, err
    code, customers, err = run_cli(["export", "customers", "--db", str(db), "--format", "json",
                                 "--as-of", "2026-11-28"])
    assert code == 0, err
    rows = [{k: v for k, v in row.items() if k not in ("name", "phone", "phone_normalized", "email")}
            for row in json.loads(customers)]
    return report, rows


def test_forget_erases_personal_data_everywhere_and_keeps_the_figures(db: Path, tmp_path: Path,
                                                                      shipped_config: AppConfig) -> None:
    before = _figures(db)
    store = open_store(db)
    index = CustomerIndex(store)
    assert index.search_ids("Zebediah") == [1]
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="lan")
    from custui.services.privacy import forget

    counts = forget(ws, 1)
    assert counts["feedback"] == 1 and counts["complaints"] == 1 and counts["interactions"] >= 1
    journal = Path(f"{db}.journal")
    assert journal.stat().st_size > 0  # the forget is in the journal until compaction
    assert index.search_ids("Zebediah") == [] and index.search_ids("0912345678") == []
    assert index.search_ids("Ophelia") == [2]
    store.close()  # compacts
    files = [db, journal, tmp_path / "all"]
    code, _, err = run_cli(["export", "all", "--db", str(db), "--out", str(tmp_path / "all")])
    assert code == 0, err
    for path in files:
        for file in ([path] if path.is_file() else sorted(path.iterdir())) if path.exists() else []:
            text = file.read_text(encoding="utf-8")
            for secret in SECRETS:
                assert secret not in text, (file.name, secret)
    assert OTHER[0] in db.read_text(encoding="utf-8")
    assert _figures(db) == before
    raw = _raw_tables(db)
    customer = raw["customers"]["1"]
    assert (customer["name"], customer["forgotten"], customer["forgotten_by"]) == ("(forgotten)", True, "lan")
    feedback = next(f for f in raw["feedback"].values() if f["customer_id"] == 1)
    assert feedback["answers"]["nps"] == 4 and feedback["answers"]["comment"] == "(forgotten)"
    assert any(a["action"] == "forget" and a["who"] == "lan" for a in raw["audit"].values())


def test_forget_without_a_terminal_needs_yes_and_changes_nothing(db: Path) -> None:
    before = db.read_bytes()
    code, _, err = run_cli(["customer", "forget", "C000001", "--db", str(db)])
    assert code == 2 and "--yes" in err
    assert db.read_bytes() == before


def test_forget_at_a_terminal_asks_twice(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("custui.cli.roles.interactive", lambda: True)
    code, _, err = run_cli(["customer", "forget", "C000001", "--db", str(db)], stdin="y\nC000002\n")
    assert code == 2 and "Nothing changed" in err
    assert "cannot be undone, except by restoring a backup" in err
    assert SECRETS[0] in db.read_text(encoding="utf-8")
    code, out, err = run_cli(["customer", "forget", "C000001", "--db", str(db)], stdin="y\nc000001\n")
    assert code == 0, err
    assert "Forgotten: C000001" in out
    assert SECRETS[0] not in db.read_text(encoding="utf-8")


async def test_profile_exports_data_and_forgets_after_two_confirmations(
        workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    from custui.app import make_app
    from custui.modals.confirm import ConfirmModal
    from tests.pilot_helpers import open_profile, settle

    monkeypatch.chdir(tmp_path)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query_one("#export-path", Input).value.endswith("C000001-personal-data-2026-11-28.json")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "cannot be undone" in app.screen.message
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "Last chance" in app.screen.message
        assert workspace.store.get("customers", 1)["name"] == "Nguyễn Thị Ánh"  # type: ignore[index]
        await pilot.press("y")
        await settle(pilot)
    exported = json.loads((tmp_path / "C000001-personal-data-2026-11-28.json").read_text(encoding="utf-8"))
    assert exported["customer"]["name"] == "Nguyễn Thị Ánh"
    doc = workspace.store.get("customers", 1)
    assert doc is not None and doc["name"] == "(forgotten)" and doc["phone"] == ""
    assert [e["action"] for e in read_log(workspace.store)] == ["subject_export", "forget"]
