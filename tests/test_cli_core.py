"""The CLI's common rules: options before or after the subcommand, env vars, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.store.open import create_database


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m custui ARGS` in a process of its own: the exit code and stderr the shell sees."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CUSTUI_")}
    return subprocess.run(
        [sys.executable, "-m", "custui", *args], capture_output=True, text=True,
        env={**base, **(env or {})}, timeout=120,
    )


def call(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The same command in-process (a second of imports less). The missing, corrupt and locked
    database and the bad option keep a real process: exit code and stderr as the shell sees them."""
    code, out, err = run_cli(args, env)
    return subprocess.CompletedProcess(list(args), code, out, err)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = create_database(path)
    store.insert("customers", {"code": "C1", "name": "Lê Thị Ánh", "phone": "0901234567"})
    store.close()
    return path


def test_db_before_or_after_the_subcommand_and_from_env(db: Path) -> None:
    before = call("--db", str(db), "info", "--format", "json")
    after = call("info", "--db", str(db), "--format", "json")
    from_env = call("info", "--format", "json", env={"CUSTUI_DB": str(db)})
    assert before.returncode == after.returncode == from_env.returncode == 0
    docs = [json.loads(p.stdout) for p in (before, after, from_env)]
    assert docs[0] == docs[1] == docs[2]
    assert docs[0]["tables"]["customers"] == 1
    assert docs[0]["path"] == str(db)


def test_flag_wins_over_env(db: Path, tmp_path: Path) -> None:
    result = call("info", "--db", str(db), env={"CUSTUI_DB": str(tmp_path / "other.json")})
    assert result.returncode == 0, result.stderr


def test_missing_database_exits_3_with_a_message(tmp_path: Path) -> None:
    result = run("info", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "none.json" in result.stderr


def test_corrupt_database_exits_3_and_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"customers": {"1": {"name": ')
    result = run("info", "--db", str(path))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == b'{"customers": {"1": {"name": '


def test_locked_database_exits_3_naming_the_holder(db: Path) -> None:
    from custui.store.open import open_store

    store = open_store(db)
    try:
        result = run("backup", "--db", str(db))
        assert result.returncode in (0, 3)  # a backup may be taken while the app runs
        result = run("restore", str(db), "--db", str(db))
        assert result.returncode == 3
        assert str(os.getpid()) in result.stderr
    finally:
        store.close()


def test_bad_config_exits_2_with_file_and_line(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "settings.yaml").write_text("locale: en\ncurrency: VND\nbackups: 3\n")
    for args in (("info", "--db", str(db), "--config", str(config)),
                 ("--config", str(config), "config", "check")):
        result = call(*args)
        assert result.returncode == 2, args
        assert f"{config / 'settings.yaml'}:3: backups" in result.stderr
        assert "Traceback" not in result.stderr
    from_env = call("config", "check", env={"CUSTUI_CONFIG": str(config)})
    assert from_env.returncode == 2


def test_bad_option_exits_2() -> None:
    result = run("info", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_init_refuses_to_replace_then_force_keeps_a_backup(db: Path) -> None:
    refused = call("init", "--db", str(db))
    assert refused.returncode == 2
    assert "--force" in refused.stderr
    forced = call("init", "--db", str(db), "--force", "--format", "json")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["backup"]
    info = json.loads(call("info", "--db", str(db), "--format", "json").stdout)
    assert info["tables"]["customers"] == 0


def test_init_demo_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        result = call("init", "--db", str(path), "--demo", "--customers", "40", "--seed", "7")
        assert result.returncode == 0, result.stderr
    from tinydb import TinyDB

    rows = [TinyDB(p).table("customers").all() for p in (a, b)]
    assert rows[0] == rows[1]
    assert len(rows[0]) == 40


def test_backup_and_restore_round_trip(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.json"
    made = call("backup", "--db", str(db), "--to", str(target))
    assert made.returncode == 0, made.stderr
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    from custui.store.open import open_store

    store = open_store(db)
    store.insert("customers", {"code": "C2", "name": "Later"})
    store.close()
    restored = call("restore", str(target), "--db", str(db))
    assert restored.returncode == 0, restored.stderr
    info = json.loads(call("info", "--db", str(db), "--format", "json").stdout)
    assert info["tables"]["customers"] == 1


def test_restore_refuses_a_file_that_is_not_a_database(db: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    before = db.read_bytes()
    result = call("restore", str(junk), "--db", str(db))
    assert result.returncode == 2
    assert db.read_bytes() == before


def test_config_check_reports_a_keymap_clash_with_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "settings.yaml").write_text("locale: en\nkeymap:\n  lookup.new-customer: a\n")
    result = call("config", "check", "--config", str(config))
    assert result.returncode == 2
    assert f"{config / 'settings.yaml'}:" in result.stderr
    assert "'a'" in result.stderr and "lookup.new-customer" in result.stderr
    (config / "settings.yaml").write_text("keymap:\n  lookup.new-customer: ctrl+n\n")
    assert call("config", "check", "--config", str(config)).returncode == 0
