"""`custui import customers|orders` end to end: matching, all-or-nothing, idempotence, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.store.open import open_store


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A database in tmp_path (through $CUSTUI_DB) and the shipped config."""
    (tmp_path / "cfg").mkdir()
    values = {"CUSTUI_DB": str(tmp_path / "db.json"), "CUSTUI_CONFIG": str(tmp_path / "cfg")}
    code, _out, err = run_cli(["init"], values)
    assert code == 0, err
    return values


def table(env: dict[str, str], name: str) -> list[dict]:
    store = open_store(env["CUSTUI_DB"], read_only=True)
    try:
        return sorted(store.all(name), key=lambda d: d["id"])
    finally:
        store.close()


def write(tmp_path: Path, name: str, text: str, bom: bool = False) -> str:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return str(path)


CUSTOMERS = (
    "Mã KH;Họ tên;Số điện thoại;Email;Loại\n"
    "00042;Nguyễn Văn Đức;+84 90 123 4567;duc@example.vn;cá nhân\n"
    "00043;Công ty Hoàng Long;028 3822 1111;;doanh nghiệp\n"
)


def test_customers_with_bom_semicolons_and_leading_zero_codes(env: dict, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CUSTOMERS, bom=True)
    code, out, err = run_cli(["import", "customers", path], env)
    assert code == 0, err
    assert "2 rows read, 2 created, 0 updated, 0 unchanged, 0 skipped" in out
    docs = table(env, "customers")
    assert [(d["code"], d["name"], d["kind"]) for d in docs] == [
        ("00042", "Nguyễn Văn Đức", "individual"), ("00043", "Công ty Hoàng Long", "business")]
    assert docs[0]["phone_norm"] == "0901234567"


def test_reimport_updates_never_duplicates(env: dict, tmp_path: Path) -> None:
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    assert code == 0 and "0 created, 0 updated, 2 unchanged" in out
    # changed e-mail by code; a row without code matched by its phone written another way
    changed = "code,name,email,phone\n00042,,new@example.vn,\n,Đức (mobile),,0901234567\n"
    # "Nguyễn Văn Đức" -> "Đức (mobile)" is more than spelling: refused without --allow-renames
    code, _, err = run_cli(["import", "customers", write(tmp_path, "d.csv", changed)], env)
    assert code == 2 and "would rename 'Nguyễn Văn Đức' to 'Đức (mobile)'" in err
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "d.csv", changed), "--allow-renames"], env)
    assert code == 0 and "0 created, 2 updated" in out
    docs = table(env, "customers")
    assert len(docs) == 2
    assert docs[0]["email"] == "new@example.vn"
    assert docs[0]["name"] == "Đức (mobile)"
    assert docs[0]["code"] == "00042"
    audit = [a for a in table(env, "audit") if a["action"] == "update"]
    assert audit and audit[0]["changes"]["email"] == ["duc@example.vn", "new@example.vn"]


def test_bad_rows_are_listed_with_lines_and_nothing_is_written(env: dict, tmp_path: Path) -> None:
    text = ("code,name,email,role\n"
            "1,An,an@example.vn,buyer\n"
            "2,Bình,not-an-email,buyer\n"
            "3,Chi,,boss\n"
            "4,,,\n"
            "5,Dũng,,agent\n")
    path = write(tmp_path, "bad.csv", text)
    code, out, err = run_cli(["import", "customers", path], env)
    assert code == 2
    assert f"{path}:3: bad email 'not-an-email'" in err
    assert f"{path}:4: bad role 'boss'" in err
    assert f"{path}:5: a new customer needs a name" in err
    assert "nothing was written" in err
    assert table(env, "customers") == []
    code, out, err = run_cli(["import", "customers", path, "--skip-bad"], env)
    assert code == 0
    assert "5 rows read, 2 created, 0 updated, 0 unchanged, 3 skipped" in out
    assert [d["code"] for d in table(env, "customers")] == ["1", "5"]


def test_dry_run_writes_nothing(env: dict, tmp_path: Path) -> None:
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS), "--dry-run"], env)
    assert code == 0 and "2 created" in out and "Dry run" in out
    assert table(env, "customers") == []


ORDERS = (
    "customer_id\tdate\tamount\titems\n"
    "00042\t12/01/2024\t1.250.000\tÁo sơ mi\n"
    "00042\t12/01/2024\t1.250.000\tÁo sơ mi\n"
    "00043\t2024-02-01\t1,250,000\tBàn\n"
)


def test_orders_tab_separated_identical_rows_are_two_purchases(env: dict, tmp_path: Path) -> None:
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    code, out, err = run_cli(["import", "orders", write(tmp_path, "o.tsv", ORDERS)], env)
    assert code == 0, err
    assert "3 rows read, 3 created" in out
    orders = table(env, "orders")
    assert [(o["date"], o["total"]) for o in orders] == [
        ("2024-01-12", 1_250_000), ("2024-01-12", 1_250_000), ("2024-02-01", 1_250_000)]
    # the same file again, and the same data re-exported with other formatting: nothing added
    code, out, _ = run_cli(["import", "orders", write(tmp_path, "o.tsv", ORDERS)], env)
    assert "0 created, 0 updated, 3 unchanged" in out
    reformatted = ("customer_code,date,total,items\n"
                   "00043,01/02/2024,1250000,Bàn\n"
                   "00042,2024-01-12,1250000,áo sơ mi\n"
                   "00042,2024-01-12,1250000,áo sơ mi\n"
                   "00042,2024-01-12,1250000,áo sơ mi\n")
    code, out, _ = run_cli(["import", "orders", write(tmp_path, "r.csv", reformatted)], env)
    assert "4 rows read, 1 created, 0 updated, 3 unchanged" in out
    assert len(table(env, "orders")) == 4


def test_orders_entered_by_hand_are_not_imported_twice(env: dict, tmp_path: Path) -> None:
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    store = open_store(env["CUSTUI_DB"])
    cid = store.all("customers")[0]["id"]
    store.insert("orders", {"customer_id": cid, "date": "2024-01-12", "total": 1_250_000,
                            "items": "Áo sơ mi"})
    store.close()
    code, out, _ = run_cli(["import", "orders", write(tmp_path, "o.tsv", ORDERS)], env)
    assert "3 rows read, 2 created, 0 updated, 1 unchanged" in out


def test_unknown_customers_reported_or_created(env: dict, tmp_path: Path) -> None:
    text = "customer,date,total,name\n00099,2024-03-01,500000,Lê Thị Ánh\n00099,2024-03-02,1000,\n"
    path = write(tmp_path, "o.csv", text)
    code, _out, err = run_cli(["import", "orders", path], env)
    assert code == 2
    assert f"{path}:2: no customer with code '00099' (use --create-customers to add it)" in err
    code, out, err = run_cli(["import", "orders", path, "--create-customers"], env)
    assert code == 0, err
    assert "2 created" in out and "1 new customer created" in out
    (customer,) = table(env, "customers")
    assert (customer["code"], customer["name"]) == ("00099", "Lê Thị Ánh")
    assert {o["customer_id"] for o in table(env, "orders")} == {customer["id"]}


def test_bad_order_rows(env: dict, tmp_path: Path) -> None:
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    text = ("customer_id,date,amount\n"
            "00042,31/02/2024,100\n"
            "00042,2024-01-01,12.5\n"
            "00042,2024-01-01,\n"
            ",2024-01-01,100\n"
            "00042,2024-01-02,100\n")
    path = write(tmp_path, "o.csv", text)
    code, _out, err = run_cli(["import", "orders", path, "--format", "json"], env)
    assert code == 2
    assert f"{path}:2: bad date '31/02/2024'" in err
    assert f"{path}:3: bad amount '12.5': expected a whole number in VND" in err
    assert f"{path}:4: the amount is empty" in err
    assert f"{path}:5: no customer code" in err
    assert table(env, "orders") == []


def test_json_summary_is_one_document(env: dict, tmp_path: Path) -> None:
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS),
                        "--format", "json"], env)
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("rows_read", "created", "updated", "unchanged", "skipped")} == {
        "rows_read": 2, "created": 2, "updated": 0, "unchanged": 0, "skipped": 0}


def test_date_format_and_map(env: dict, tmp_path: Path) -> None:
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    text = "Khách,Ngày,Tiền\n00042,01/12/2024,500000\n"
    code, _out, err = run_cli(["import", "orders", write(tmp_path, "o.csv", text), "--map", "Khách=customer_code",
                           "--map", "Tiền=total", "--date-format", "%m/%d/%Y"], env)
    assert code == 0, err
    assert table(env, "orders")[0]["date"] == "2024-01-12"


def test_missing_column_is_a_clear_error(env: dict, tmp_path: Path) -> None:
    code, _out, err = run_cli(["import", "orders", write(tmp_path, "o.csv", "customer,when,total\n1,x,2\n")], env)
    assert code == 2
    assert "no date column" in err and "--map COLUMN=date" in err


def test_usd_amounts_use_two_decimals(env: dict, tmp_path: Path) -> None:
    Path(env["CUSTUI_CONFIG"], "settings.yaml").write_text("currency: USD\n")
    run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    code, _out, err = run_cli(["import", "orders", write(tmp_path, "o.csv",
                                                     "code,date,total\n00042,2024-01-01,12.50\n")], env)
    assert code == 0, err
    assert table(env, "orders")[0]["total"] == 1250


def test_db_option_before_or_after_the_subcommand(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    base = {"CUSTUI_CONFIG": str(cfg), "CUSTUI_DB": str(tmp_path / "other.json")}
    path = write(tmp_path, "c.csv", CUSTOMERS)
    for name, args in (("a.json", ["--db", "{db}", "import", "customers", path]),
                       ("b.json", ["import", "--db", "{db}", "customers", path]),
                       ("c.json", ["import", "customers", path, "--db", "{db}"])):
        db = str(tmp_path / name)
        assert run_cli(["init", "--db", db], base)[0] == 0
        code, out, err = run_cli([a.replace("{db}", db) for a in args], base)
        assert code == 0, err
        assert len(table({"CUSTUI_DB": db}, "customers")) == 2
    assert not (tmp_path / "other.json").exists()


def test_missing_database_exits_3(tmp_path: Path) -> None:
    env = {"CUSTUI_DB": str(tmp_path / "none.json"), "CUSTUI_CONFIG": str(tmp_path)}
    code, _out, err = run_cli(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)], env)
    assert code == 3


def test_stdin_and_quiet_when_piped(env: dict) -> None:
    code, out, err = run_cli(["import", "customers", "-"], env, stdin=CUSTOMERS.encode())
    assert code == 0
    assert "2 created" in out
    assert "Importing" not in err  # no progress bar when not on a terminal


def test_a_date_format_that_cannot_read_dates_is_refused_up_front(env: dict, tmp_path: Path) -> None:
    source = tmp_path / "o.csv"
    source.write_text("customer_id,date,amount\nC1,01/31/2026,100000\n", encoding="utf-8")
    code, _out, err = run_cli(["import", "orders", str(source), "--create-customers",
                           "--date-format", "%Q"], env)
    assert code == 2
    assert "--date-format" in err and "%Q" in err
    assert table(env, "orders") == []
    code, _out, err = run_cli(["import", "orders", str(source), "--create-customers",
                           "--date-format", "%m/%d/%Y"], env)
    assert code == 0, err
    assert [o["date"] for o in table(env, "orders")] == ["2026-01-31"]


def test_one_bad_row_is_one_bad_row(env: dict, tmp_path: Path) -> None:
    path = write(tmp_path, "one.csv", "code,name,phone\n1,An,09x\n2,Bình,0912345678\n")
    code, _, err = run_cli(["import", "customers", path], env)
    assert code == 2
    assert "1 bad row: nothing was written" in err
    assert table(env, "customers") == []
