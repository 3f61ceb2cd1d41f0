"""Imports never merge silently: two rows of one file that are the same customer and differ are a
conflict (both line numbers, the differing fields); a name change beyond spelling needs
--allow-renames; `--dry-run --review FILE` lists what every row would do."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cli_helpers import run_cli
from test_import_cli import env, table, write  # noqa: F401 - the env fixture

BASE = "code,name,phone,email\nC000001,Nguyễn Thị Lan,0912 345 678,lan@example.vn\n"


def _seed(env: dict, tmp_path: Path) -> None:  # noqa: F811
    code, _, err = run_cli(["import", "customers", write(tmp_path, "base.csv", BASE)], env)
    assert code == 0, err


def test_same_phone_in_two_forms_is_a_conflict_with_both_lines(env: dict, tmp_path: Path) -> None:  # noqa: F811
    text = ("name,phone,email,region\n"
            "Trần Văn Minh,0912 345 678,minh@example.vn,Hà Nội\n"         # line 2
            "Lê Thị Hoa,+84 912 345 678,hoa@example.vn,Đà Nẵng\n"        # line 3: the same phone
            "Phạm An,0987 000 111,,\n")                                   # line 4: fine
    code, out, err = run_cli(["import", "customers", write(tmp_path, "c.csv", text), "--format", "json"], env)
    assert code == 2
    assert "c.csv:2: conflicts with line 3 (same phone 0912345678): name 'Trần Văn Minh' / 'Lê Thị Hoa'" in err
    assert "c.csv:3: conflicts with line 2 (same phone 0912345678)" in err
    assert "region 'Hà Nội' / 'Đà Nẵng'" in err and "email 'minh@example.vn' / 'hoa@example.vn'" in err
    result = json.loads(out)
    assert result["conflicts"] == [{
        "lines": [2, 3], "same": "phone 0912345678",
        # the phones are one number written two ways: not a difference
        "fields": {"name": ["Trần Văn Minh", "Lê Thị Hoa"], "email": ["minh@example.vn", "hoa@example.vn"],
                   "region": ["Hà Nội", "Đà Nẵng"]}}]
    assert table(env, "customers") == []  # all or nothing
    # --skip-bad: both rows skipped and listed, the good one imported
    code, out, err = run_cli(["import", "customers", write(tmp_path, "c.csv", text), "--skip-bad"], env)
    assert code == 0 and "c.csv:2: conflicts" in err and "c.csv:3: conflicts" in err
    assert "1 created" in out and "2 skipped" in out
    assert [d["name"] for d in table(env, "customers")] == ["Phạm An"]


def test_same_code_and_same_stored_customer_are_conflicts(env: dict, tmp_path: Path) -> None:  # noqa: F811
    _seed(env, tmp_path)
    text = ("code,name,phone,region\n"
            "C000001,Nguyễn Thị Lan,,Huế\n"           # line 2: by code
            ",Nguyễn Thị Lan,+84912345678,Cần Thơ\n")  # line 3: the same stored customer, by phone
    code, _, err = run_cli(["import", "customers", write(tmp_path, "c.csv", text)], env)
    assert code == 2
    assert "c.csv:2: conflicts with line 3 (same customer C000001): region 'Huế' / 'Cần Thơ'" in err
    same_code = "code,name,email\nC9,An,an@x.vn\nC9,An,an2@x.vn\n"
    code, _, err = run_cli(["import", "customers", write(tmp_path, "d.csv", same_code)], env)
    assert code == 2 and "d.csv:2: conflicts with line 3 (same code C9): email 'an@x.vn' / 'an2@x.vn'" in err
    # rows that agree (one repeats the other) are no conflict
    again = "code,name\nC9,An\nC9,An\n"
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "e.csv", again)], env)
    assert code == 0 and "1 created, 0 updated, 1 unchanged" in out


def test_renames_need_allow_renames_but_spelling_does_not(env: dict, tmp_path: Path) -> None:  # noqa: F811
    _seed(env, tmp_path)
    # accents and case only: the same folded name, an ordinary update
    spelling = "phone,name\n0912345678,NGUYEN THI LAN\n"
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "s.csv", spelling)], env)
    assert code == 0 and "1 updated" in out
    other = "phone,name\n+84 912 345 678,Trần Văn Bình\n"
    code, out, err = run_cli(["import", "customers", write(tmp_path, "r.csv", other), "--dry-run"], env)
    assert code == 2
    assert ("r.csv:2: would rename 'NGUYEN THI LAN' to 'Trần Văn Bình' (matched by phone or e-mail: "
            "a reused or mistyped number?); check the row, or use --allow-renames") in err
    code, out, _ = run_cli(["import", "customers", write(tmp_path, "r.csv", other), "--allow-renames"], env)
    assert code == 0 and "1 updated" in out
    assert table(env, "customers")[0]["name"] == "Trần Văn Bình"


def test_dry_run_review_lists_every_row(env: dict, tmp_path: Path) -> None:  # noqa: F811
    _seed(env, tmp_path)
    text = ("code,name,phone,email\n"
            "C000001,Nguyễn Thị Lan,0912 345 678,lan.new@example.vn\n"  # 2 update: e-mail
            "C000001,Nguyễn Thị Lan,0912 345 678,lan.new@example.vn\n"  # 3 the same again: unchanged
            ",Võ Minh,0977 111 222,\n"                                   # 4 create
            ",Đỗ Hà,0988 111 222,a@x.vn\n"                               # 5 conflict with 6
            ",Đỗ Hà,+84988111222,b@x.vn\n"                               # 6
            "C2,=cmd(),bad-phone,\n")                                    # 7 error
    review = tmp_path / "review.csv"
    code, out, err = run_cli(["import", "customers", write(tmp_path, "c.csv", text), "--dry-run",
                          "--review", str(review)], env)
    assert code == 2  # bad rows: the file would not import as it is
    assert f"What each of the 6 rows would do: {review}" in err
    rows = list(csv.DictReader(io.StringIO(review.read_text(encoding="utf-8"))))
    assert [(r["line"], r["action"], r["code"]) for r in rows] == [
        ("2", "update", "C000001"), ("3", "unchanged", "C000001"), ("4", "create", "C000002"),
        ("5", "conflict", ""), ("6", "conflict", ""), ("7", "error", "")]
    assert rows[0]["changes"] == "email: lan@example.vn → lan.new@example.vn"
    assert rows[2]["changes"] == "name: Võ Minh | phone: 0977 111 222 | code: C000002"
    assert rows[3]["message"].startswith("conflicts with line 6 (same phone 0988111222): email")
    assert "bad phone" in rows[5]["message"]
    assert len(table(env, "customers")) == 1  # a dry run writes nothing
    code, _, err = run_cli(["import", "customers", write(tmp_path, "c.csv", text), "--review", str(review)], env)
    assert code == 2 and "--review goes with --dry-run" in err


def test_orders_review(env: dict, tmp_path: Path) -> None:  # noqa: F811
    _seed(env, tmp_path)
    orders = "customer_code,date,total\nC000001,2026-11-02,150000\nC404,2026-11-03,1\n"
    review = tmp_path / "o.csv"
    code, _, _ = run_cli(["import", "orders", write(tmp_path, "orders.csv", orders), "--dry-run", "--review",
                      str(review)], env)
    rows = list(csv.DictReader(io.StringIO(review.read_text(encoding="utf-8"))))
    assert code == 2
    assert [(r["line"], r["action"], r["code"]) for r in rows] == [("2", "create", "C000001"), ("3", "error", "")]
    assert rows[0]["changes"] == "date: 2026-11-02 | total: 150000"
