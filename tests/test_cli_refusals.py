"""Every CLI command refuses bad databases, config folders and targets with a message and
the documented exit code (2 bad input or config, 3 database), never a traceback, and
`--format json` prints exactly one JSON document on stdout."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.store.open import create_database, open_store


def assert_message(code: int, err: str, expected: int) -> None:
    assert code == expected, err
    assert err.startswith("custui: "), err
    assert "Traceback" not in err and "internal error" not in err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = create_database(path)
    store.insert("customers", {"code": "C1", "name": "Lê Thị Ánh", "phone": "0901234567"})
    store.insert("orders", {"customer_id": 1, "date": "2026-01-05", "total": 1_250_000})
    store.close()
    return path


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("code,name,phone\nC9,Trần Văn Bình,0912345678\n", encoding="utf-8")
    return path


def data_commands(tmp_path: Path, csv_file: Path) -> list[list[str]]:
    """Every command that opens the database, with the arguments it needs."""
    return [
        ["info"], ["info", "--format", "json"], ["backup"],
        ["export", "customers"], ["export", "orders", "--format", "json"], ["export", "feedback"],
        ["export", "complaints"], ["export", "interactions"], ["export", "vouchers"],
        ["export", "all", "--out", str(tmp_path / "all")],
        ["report"], ["report", "--format", "json"],
        ["import", "customers", str(csv_file)], ["import", "customers", str(csv_file), "--dry-run"],
        ["import", "orders", str(csv_file)],
        ["migrate", "--from", "{db}", "--to", str(tmp_path / "copy.json")],
    ]


def test_every_command_on_a_missing_database_exits_3_and_creates_nothing(
    tmp_path: Path, csv_file: Path
) -> None:
    missing = tmp_path / "none.json"
    for args in data_commands(tmp_path, csv_file):
        args = [a.replace("{db}", str(missing)) for a in args]
        code, out, err = run_cli(["--db", str(missing), *args])
        assert_message(code, err, 3)
        assert "none.json" in err and out == "", args
        assert not missing.exists(), args


def test_every_command_on_a_corrupt_database_exits_3_and_leaves_it_as_it_was(
    tmp_path: Path, csv_file: Path
) -> None:
    bad = tmp_path / "bad.json"
    damaged = b'{"customers": {"1": {"name": '
    bad.write_bytes(damaged)
    for args in data_commands(tmp_path, csv_file):
        if args == ["backup"]:
            continue  # copying the bytes aside is allowed
        args = [a.replace("{db}", str(bad)) for a in args]
        code, _out, err = run_cli(["--db", str(bad), *args])
        assert_message(code, err, 3)
        assert "cannot be read" in err, args
        assert bad.read_bytes() == damaged, args


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    for args in (["info"], ["export", "customers"], ["report"]):
        code, _out, err = run_cli(["--db", str(folder), *args])
        assert_message(code, err, 3)
        assert "is a folder" in err
    code, _out, err = run_cli(["init", "--db", str(folder), "--force"])
    assert_message(code, err, 2)
    assert list(folder.iterdir()) == []


def test_a_config_folder_that_is_not_there_is_bad_input_not_silently_the_defaults(
    db: Path, tmp_path: Path
) -> None:
    nowhere = tmp_path / "no-such-config"
    code, _out, err = run_cli(["info", "--db", str(db), "--config", str(nowhere)])
    assert_message(code, err, 2)
    assert str(nowhere) in err and "--config" in err
    code, _out, err = run_cli(["info", "--db", str(db)], env={"CUSTUI_CONFIG": str(nowhere)})
    assert_message(code, err, 2)
    assert "$CUSTUI_CONFIG" in err
    a_file = tmp_path / "settings.yaml"
    a_file.write_text("locale: en\n")
    code, _out, err = run_cli(["info", "--db", str(db), "--config", str(a_file)])
    assert_message(code, err, 2)
    assert "is a file" in err
    code, out, _err = run_cli(["config", "check", "--config", str(nowhere), "--format", "json"])
    assert code == 2
    doc = json.loads(out)
    assert doc["ok"] is False and str(nowhere) in doc["errors"][0]


def test_backup_to_a_missing_folder_is_bad_input_and_into_a_folder_writes_a_file(
    db: Path, tmp_path: Path
) -> None:
    code, _out, err = run_cli(["backup", "--db", str(db), "--to", str(tmp_path / "nope" / "b.json")])
    assert_message(code, err, 2)
    assert "nope" in err
    folder = tmp_path / "backups-here"
    folder.mkdir()
    code, out, err = run_cli(["backup", "--db", str(db), "--to", str(folder), "--format", "json"])
    assert code == 0, err
    made = Path(json.loads(out)["backup"])
    assert made.parent == folder and made.stat().st_mode & 0o777 == 0o600
    copy = open_store(made, read_only=True)
    try:
        assert [c["name"] for c in copy.all("customers")] == ["Lê Thị Ánh"]
    finally:
        copy.close()


def test_format_json_is_one_document_on_stdout_for_every_data_command(
    db: Path, tmp_path: Path, csv_file: Path
) -> None:
    commands = [
        ["info"], ["report"], ["backup"], ["config", "check"],
        ["export", "customers"], ["export", "orders"], ["export", "feedback"],
        ["export", "complaints"], ["export", "interactions"], ["export", "vouchers"],
        ["export", "all", "--out", str(tmp_path / "all")],
        ["import", "customers", str(csv_file), "--dry-run"], ["import", "customers", str(csv_file)],
        ["migrate", "--from", str(db), "--to", str(tmp_path / "copy.json")],
    ]
    for args in commands:
        code, out, err = run_cli(["--db", str(db), *args, "--format", "json"])
        assert code == 0, (args, err)
        json.loads(out)  # exactly one document: trailing text would fail to parse


def test_a_locked_database_refuses_writers_with_exit_3_and_serves_readers(
    db: Path, tmp_path: Path, csv_file: Path
) -> None:
    holder = open_store(db)
    try:
        for args in (["import", "customers", str(csv_file)], ["restore", str(db)],
                     ["init", "--force"]):
            code, _out, err = run_cli(["--db", str(db), *args])
            assert_message(code, err, 3)
            assert str(os.getpid()) in err, args
        for args in (["info"], ["export", "customers"], ["report"]):
            code, _out, err = run_cli(["--db", str(db), *args])
            assert code == 0, (args, err)
    finally:
        holder.close()
    check = open_store(db, read_only=True)
    try:
        assert [c["code"] for c in check.all("customers")] == ["C1"]
    finally:
        check.close()
