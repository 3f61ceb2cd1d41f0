"""Staff roles on the command line: a clerk's export, forget and restore are refused (exit 2,
logged); a manager gives the PIN; with no operators configured everything works as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.domain.pins import check_pin
from custui.services.access_log import read_log
from custui.store.open import open_store

OPERATORS = """
operators:
  - id: binh
    role: clerk
  - id: lan   # the owner
    role: manager
"""



@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config"
    config.mkdir()
    shipped = Path(__file__).parent.parent / "config" / "settings.yaml"
    (config / "settings.yaml").write_text(shipped.read_text(encoding="utf-8") + OPERATORS, encoding="utf-8")
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0)
    store.insert("customers", {"code": "C000001", "name": "Nguyễn Thị Ánh", "phone": "0901234567"})
    store.close()
    environment = {"CUSTUI_DB": str(db), "CUSTUI_CONFIG": str(config), "CUSTUI_OPERATOR": "",
                   "CUSTUI_PIN": ""}
    code, _, err = run_cli(["config", "set-pin", "lan", "--pin-stdin"], environment, stdin="2468\n")
    assert code == 0, err
    return environment


def test_set_pin_stores_only_a_salted_hash(env: dict[str, str]) -> None:
    text = (Path(env["CUSTUI_CONFIG"]) / "settings.yaml").read_text(encoding="utf-8")
    assert "2468" not in text and "# the owner" in text
    stored = text.split('pin_hash: "')[1].split('"')[0]
    assert check_pin("2468", stored) and not check_pin("2469", stored)


def test_a_clerk_cannot_export_forget_or_restore(env: dict[str, str], tmp_path: Path) -> None:
    db = Path(env["CUSTUI_DB"])
    backup = tmp_path / "copy.json"
    shutil.copy(db, backup)
    before = db.read_bytes()
    clerk = {**env, "CUSTUI_OPERATOR": "binh"}
    refusals = {
        ("export", "customers"): "Exporting customer data needs a manager.",
        ("customer", "export", "C000001", "--out", str(tmp_path / "c.json")):
            "Exporting customer data needs a manager.",
        ("customer", "forget", "C000001", "--yes"): "Forgetting a customer needs a manager.",
        ("restore", str(backup)): "Restoring a backup needs a manager.",
    }
    for args, message in refusals.items():
        code, out, err = run_cli(list(args), clerk)
        assert (code, out) == (2, ""), args
        assert err.strip() == f"custui: {message}", args
    assert db.read_bytes() == before and not (tmp_path / "c.json").exists()
    code, _, err = run_cli(["--operator", "binh", "export", "orders"], {**env})
    assert code == 2 and "needs a manager" in err
    store = open_store(db, read_only=True)
    log = read_log(store)
    store.close()
    assert [(e["who"], e["action"], e["what"]) for e in log] == [
        ("binh", "refused", "export"), ("binh", "refused", "export"), ("binh", "refused", "forget"),
        ("binh", "refused", "restore"), ("binh", "refused", "export")]


def test_a_manager_gives_the_pin(env: dict[str, str]) -> None:
    code, _, err = run_cli(["export", "customers"], {**env, "CUSTUI_OPERATOR": "lan", "CUSTUI_PIN": "1111"})
    assert code == 2 and "Wrong PIN." in err
    code, out, err = run_cli(["export", "customers"], {**env, "CUSTUI_OPERATOR": "lan", "CUSTUI_PIN": "2468"})
    assert code == 0, err
    assert "Nguyễn Thị Ánh" in out


def test_an_operator_not_in_the_list_is_refused(env: dict[str, str]) -> None:
    code, _, err = run_cli(["--operator", "mallory", "export", "customers"], env)
    assert code == 2 and "Operator mallory is not in settings.yaml operators (binh, lan)" in err


def test_a_clerk_cannot_replace_or_move_the_database(env: dict[str, str], tmp_path: Path) -> None:
    clerk = {**env, "CUSTUI_OPERATOR": "binh"}
    code, _, err = run_cli(["init", "--force"], clerk)
    assert code == 2 and "Creating a database needs a manager." in err
    code, _, err = run_cli(["migrate", "--from", env["CUSTUI_DB"], "--to", str(tmp_path / "copy.json")], clerk)
    assert code == 2 and "Moving the database needs a manager." in err
    assert not (tmp_path / "copy.json").exists()
