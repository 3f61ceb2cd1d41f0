"""`custui export ...`: columns and values for hand-made data, formats, 0600, round trip."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from cli_helpers import run_cli_bytes

from custui.domain.text import normalize_phone
from custui.store.open import open_store

AS_OF = "2026-11-28"
COLUMNS = ["code", "name", "kind", "scope", "role", "phone", "phone_normalized", "email", "orders",
           "total_spend",
           "avg_order_value", "first_order", "last_order", "days_since_last_order", "lifecycle",
           "tier", "points", "clv", "p_alive", "expected_purchases_90d"]
FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"



def _customer(store, code: str, name: str, phone: str = "", **extra) -> int:
    doc = store.insert("customers", {
        "code": code, "name": name, "kind": "individual", "scope": "external", "role": "end_user",
        "phone": phone, "phone_norm": normalize_phone(phone), "email": "", "archived": False,
        **extra})
    return doc["id"]


def _order(store, cid: int, day: str, total: int, **extra) -> None:
    store.insert("orders", {"customer_id": cid, "date": day, "total": total, "items": "",
                            "promo": False, "channel": "store", "points_redeemed": 0,
                            "void": False, **extra})


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Hand-made data: a current buyer with a void order, a formula-named potential customer,
    a lapsed buyer and an archived customer."""
    (tmp_path / "cfg").mkdir()
    db = tmp_path / "db.json"
    store = open_store(db, create=True)
    with store.batch():
        anh = _customer(store, "00042", "Nguyễn Thị Ánh", "+84 90 123 4567", email="anh@example.vn",
                        tags=["vip", "sỉ"], address="12 Lê Lợi, Q.1", birthday="01-12")
        _order(store, anh, "2026-11-20", 1_250_000, items="Áo, quần")
        _order(store, anh, "2026-10-02", 300_000)
        _order(store, anh, "2026-09-01", 999_999, void=True, void_reason="typo")
        _customer(store, "C2", FORMULA, kind="business")
        khoi = _customer(store, "C3", "Trần Minh Khôi", "0988777666", referred_by=anh,
                         status_override="lapsed")
        _order(store, khoi, "2025-01-10", 450_000)
        gone = _customer(store, "C4", "Archived", archived=True)
        _order(store, gone, "2026-11-01", 100_000)
    store.close()
    return {"CUSTUI_DB": str(db), "CUSTUI_CONFIG": str(tmp_path / "cfg")}


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _clv(avg: Decimal, orders: int, first: str) -> str:
    days = (date.fromisoformat(AS_OF) - date.fromisoformat(first)).days + 1
    years = max(Decimal(days) / Decimal("365.25"), Decimal(1))
    return str((avg * orders / years * 3).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_customer_columns_and_values(env: dict) -> None:
    code, out, err = run_cli_bytes(["export", "customers", "--as-of", AS_OF], env)
    assert code == 0, err
    header = out.decode().splitlines()[0].split(",")
    assert header == COLUMNS
    anh, evil, khoi, archived = rows_of(out)
    assert archived["code"] == "C4"  # archived customers stay in the export (their orders do)
    assert anh == {
        "code": "00042", "name": "Nguyễn Thị Ánh", "kind": "individual", "scope": "external",
        "role": "end_user", "phone": "'+84 90 123 4567", "phone_normalized": "0901234567", "email": "anh@example.vn",
        "orders": "2", "total_spend": "1550000", "avg_order_value": "775000",
        "first_order": "2026-10-02", "last_order": "2026-11-20", "days_since_last_order": "8",
        "lifecycle": "current", "tier": "member", "points": "155",
        "clv": _clv(Decimal(775000), 2, "2026-10-02"),
        "p_alive": "", "expected_purchases_90d": "",  # five customers: too few to fit the model
    }
    assert anh["clv"] == "4650000"
    assert evil["name"] == "'" + FORMULA  # neutralised for spreadsheets
    assert (evil["orders"], evil["total_spend"], evil["avg_order_value"], evil["first_order"],
            evil["last_order"], evil["days_since_last_order"], evil["lifecycle"], evil["clv"]) == (
        "0", "0", "", "", "", "", "potential", "")
    assert khoi["lifecycle"] == "lapsed"
    assert khoi["days_since_last_order"] == str((date(2026, 11, 28) - date(2025, 1, 10)).days)
    assert khoi["points"] == "0"  # earned in 2025, expired after 365 days
    assert khoi["clv"] == _clv(Decimal(450000), 1, "2025-01-10")


def test_as_of_leaves_later_orders_out(env: dict) -> None:
    code, out, _ = run_cli_bytes(["export", "customers", "--as-of", "2026-10-31"], env)
    anh = rows_of(out)[0]
    assert (anh["orders"], anh["total_spend"], anh["last_order"], anh["days_since_last_order"]) == (
        "1", "300000", "2026-10-02", "29")


def test_json_is_one_document_with_numbers(env: dict) -> None:
    code, out, _ = run_cli_bytes(["export", "customers", "--as-of", AS_OF, "--format", "json"], env)
    data = json.loads(out)
    assert code == 0 and [d["code"] for d in data] == ["00042", "C2", "C3", "C4"]
    assert list(data[0]) == COLUMNS
    assert data[0]["total_spend"] == 1550000 and data[0]["phone"] == "+84 90 123 4567"
    assert data[1]["avg_order_value"] is None


def test_excel_bom_and_private_out_file(env: dict, tmp_path: Path) -> None:
    code, _, err = run_cli_bytes(["export", "customers", "--excel", "--out", str(tmp_path / "c.csv")], env)
    assert code == 0, err
    out = tmp_path / "c.personal-data.csv"  # the name says it holds personal data
    assert str(out) in err and not (tmp_path / "c.csv").exists()
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcode,name,")
    assert "Nguyễn Thị Ánh" in data.decode("utf-8-sig")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_orders_export_excludes_nothing_and_names_the_customer(env: dict) -> None:
    code, out, _ = run_cli_bytes(["export", "orders"], env)
    rows = rows_of(out)
    assert code == 0 and len(rows) == 5
    assert rows[0] == {"customer_code": "00042", "customer_name": "Nguyễn Thị Ánh",
                       "date": "2026-11-20", "total": "1250000", "items": "Áo, quần",
                       "channel": "store", "promo": "no", "points_redeemed": "0", "void": "no",
                       "void_reason": ""}
    assert rows[2]["void"] == "yes"
    code, out, _ = run_cli_bytes(["export", "orders", "--format", "json"], env)
    assert json.loads(out)[0]["customer_code"] == "00042"


def test_export_all_and_round_trip(env: dict, tmp_path: Path) -> None:
    first = tmp_path / "first"
    code, _, err = run_cli_bytes(["export", "all", str(first), "--as-of", AS_OF], env)  # DIR, as help says
    assert code == 0, err
    for table in ("customers", "orders", "feedback", "complaints", "interactions", "vouchers"):
        for ext in ("csv", "json"):
            path = first / f"{table}{'.personal-data' if table == 'customers' else ''}.{ext}"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    fresh = {**env, "CUSTUI_DB": str(tmp_path / "fresh.json")}
    assert run_cli_bytes(["init"], fresh)[0] == 0
    code, _, err = run_cli_bytes(["import", "customers", str(first / "customers.personal-data.csv")], fresh)
    assert code == 0, err
    code, _, err = run_cli_bytes(["import", "orders", str(first / "orders.csv")], fresh)
    assert code == 0, err
    second = tmp_path / "second"
    assert run_cli_bytes(["export", "all", "--out", str(second), "--as-of", AS_OF], fresh)[0] == 0
    for name in ("customers.personal-data.csv", "orders.csv"):
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    khoi = rows_of((first / "customers.personal-data.csv").read_bytes())[2]
    assert (khoi["referred_by"], khoi["status_override"]) == ("00042", "lapsed")
    copied = open_store(fresh["CUSTUI_DB"], read_only=True)
    anh, _evil, khoi_doc, _gone = sorted(copied.all("customers"), key=lambda d: d["id"])
    copied.close()
    assert khoi_doc["referred_by"] == anh["id"]
    assert (anh["tags"], anh["address"], anh["birthday"]) == (["vip", "sỉ"], "12 Lê Lợi, Q.1", "01-12")
    # and importing the export again into the first database adds nothing
    code, out, _ = run_cli_bytes(["import", "orders", str(first / "orders.csv"), "--format", "json"], env)
    assert json.loads(out)["created"] == 0


def test_unknown_segment_and_bad_as_of(env: dict) -> None:
    code, _, err = run_cli_bytes(["export", "customers", "--as-of", "soon"], env)
    assert code == 2 and "--as-of" in err
    code, _, err = run_cli_bytes(["export", "customers", "--segment", "no_such_segment"], env)
    assert code == 2
    assert "no segment 'no_such_segment'" in err and "lapsed" in err


def test_segment_filter(env: dict) -> None:
    code, out, err = run_cli_bytes(["export", "customers", "--segment", "lapsed", "--as-of", AS_OF], env)
    assert code == 0, err
    assert [r["code"] for r in rows_of(out)] == ["C3"]
    code, out, _ = run_cli_bytes(["export", "customers", "--segment", "business", "--as-of", AS_OF,
                        "--format", "json"], env)
    assert [r["code"] for r in json.loads(out)] == ["C2"]


def test_every_export_of_customer_data_is_in_the_access_log(env: dict, tmp_path: Path) -> None:
    from custui.services.access_log import read_log

    assert run_cli_bytes(["export", "customers", "--segment", "individual"], env)[0] == 0
    assert run_cli_bytes(["export", "orders", "--out", str(tmp_path / "o.csv")], env)[0] == 0
    assert run_cli_bytes(["export", "all", "--out", str(tmp_path / "all")], env)[0] == 0
    store = open_store(env["CUSTUI_DB"], read_only=True)
    try:
        log = read_log(store)
    finally:
        store.close()
    assert [(e["action"], e["what"], e["rows"], e["target"]) for e in log] == [
        ("export", "customers (segment individual)", 2, "stdout"),
        ("export", "orders", 5, str(tmp_path / "o.csv")),
        ("export", "all", 4 + 5, str(tmp_path / "all")),  # customers and orders
    ]
    assert all(e["who"] and e["at"] for e in log)


def test_phones_export_normalised_beside_the_original(env: dict, tmp_path: Path) -> None:
    code, out, _ = run_cli_bytes(["export", "customers"], env)
    rows = rows_of(out)
    assert code == 0
    # the original as typed (a leading + neutralised for spreadsheets), the one normal form beside it
    assert (rows[0]["phone"], rows[0]["phone_normalized"]) == ("'+84 90 123 4567", "0901234567")
    code, _, _ = run_cli_bytes(["export", "customers", "--excel", "--out", str(tmp_path / "x.csv")], env)
    text = (tmp_path / "x.personal-data.csv").read_bytes().decode("utf-8-sig")
    # for Excel a text cell: the leading 0 stays
    assert ',"=""0901234567""",' in text
    code, out, _ = run_cli_bytes(["export", "customers", "--format", "json"], env)
    assert json.loads(out)[0]["phone_normalized"] == "0901234567"


def test_export_all_takes_the_folder_as_its_help_says(env: dict, tmp_path: Path) -> None:
    code, out, err = run_cli_bytes(["export", "all", str(tmp_path / "dir"), "--format", "json"], env)
    assert code == 0, err
    assert json.loads(out)["folder"] == str(tmp_path / "dir")
    assert (tmp_path / "dir" / "orders.csv").exists()
    code, _, err = run_cli_bytes(["export", "all"], env)
    assert code == 2 and "custui export all DIR" in err
    code, _, err = run_cli_bytes(["export", "all", str(tmp_path / "a"), "--out", str(tmp_path / "b")], env)
    assert code == 2 and "Two folders" in err
