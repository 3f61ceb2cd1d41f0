"""Files beside a database and output files never follow a symlink or replace a FIFO or device:
open refuses (exit 3) a planted lock/journal/backups symlink, commands refuse (exit 2) an
--out/--to that is not a regular file or a new path, and temp names are unpredictable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.errors import DatabaseError
from custui.store.backups import backups_dir
from custui.store.journal import journal_path
from custui.store.lock import lock_path
from custui.store.open import open_store
from custui.store.safe_files import is_own_temp
from tests import test_cli_refusals
from tests.test_cli_refusals import assert_message

db = test_cli_refusals.db  # the same small shop as the CLI refusal tests (a fixture)

SECRET = b"someone else's file\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(SECRET)
    return path


@pytest.mark.parametrize("name", ["lock", "journal"])
def test_a_symlink_at_the_lock_or_journal_is_refused_and_its_target_untouched(
    db: Path, victim: Path, name: str
) -> None:
    planted = lock_path(db) if name == "lock" else journal_path(db)
    planted.unlink(missing_ok=True)
    planted.symlink_to(victim)
    for read_only in ((False, True) if name == "journal" else (False,)):
        with pytest.raises(DatabaseError, match="symbolic link"):
            open_store(db, read_only=read_only)
    code, _, err = run_cli(["--db", str(db), "info"] if name == "journal" else ["--db", str(db), "backup"])
    assert_message(code, err, 3)
    assert victim.read_bytes() == SECRET and planted.is_symlink()


def test_backup_refuses_a_symlinked_journal_instead_of_leaving_it_out(db: Path, victim: Path) -> None:
    journal_path(db).unlink(missing_ok=True)
    journal_path(db).symlink_to(victim)
    made_before = sorted(backups_dir(db).glob("*")) if backups_dir(db).is_dir() else []
    code, _, err = run_cli(["--db", str(db), "backup"])
    assert_message(code, err, 3)
    assert "symbolic link" in err
    assert (sorted(backups_dir(db).glob("*")) if backups_dir(db).is_dir() else []) == made_before
    assert victim.read_bytes() == SECRET


def test_a_fifo_at_the_journal_is_refused_without_blocking(db: Path) -> None:
    journal_path(db).unlink(missing_ok=True)
    os.mkfifo(journal_path(db))
    with pytest.raises(DatabaseError, match="FIFO"):
        open_store(db)


def test_a_symlinked_backups_folder_is_refused(db: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    backups = backups_dir(db)
    if backups.exists():
        for entry in backups.iterdir():
            entry.unlink()
        backups.rmdir()
    backups.symlink_to(elsewhere)
    with pytest.raises(DatabaseError, match="symbolic link"):
        open_store(db)
    assert list(elsewhere.iterdir()) == []


def test_planted_temp_names_are_never_written_through(db: Path, victim: Path, tmp_path: Path) -> None:
    """Earlier versions wrote `.<name>.<pid>.tmp`: a symlink planted there got the data."""
    for pid in range(os.getpid() - 5, os.getpid() + 5):
        (tmp_path / f".shop.json.{pid}.tmp").symlink_to(victim)
        (tmp_path / f".out.csv.{pid}.tmp").symlink_to(victim)
    store = open_store(db)
    store.insert("customers", {"name": "more"})
    store.compact()
    store.close()
    code, _, err = run_cli(["--db", str(db), "export", "customers", "--out", str(tmp_path / "out.csv")])
    assert code == 0, err
    assert victim.read_bytes() == SECRET
    # and open only ever removes its own regular temp files, never a symlink planted there
    assert all(p.is_symlink() for p in tmp_path.glob(".*.tmp"))


def test_crash_temps_are_cleaned_on_the_next_open_and_only_ours(db: Path, tmp_path: Path) -> None:
    ours = [tmp_path / ".shop.json.k3j_x9a2.tmp", tmp_path / ".shop.json.idx.ab12cd34.tmp",
            tmp_path / ".shop.json.4242.tmp"]
    others = [tmp_path / ".shop.json.x.abcdefgh.tmp", tmp_path / ".shop.jsonx.abcdefgh.tmp",
              tmp_path / ".other.json.abcdefgh.tmp", tmp_path / "shop.json.abcdefgh.tmp"]
    for path in ours + others:
        path.write_bytes(b"{half a snapshot")
    open_store(db).close()
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in others)
    assert is_own_temp(".shop.json.k3j_x9a2.tmp", "shop.json")
    assert not is_own_temp(".shop.json.k3j_x9a2.tmp", "shop")


def special_targets(tmp_path: Path, victim: Path) -> dict[str, Path]:
    link = tmp_path / "link.out"
    link.symlink_to(victim)
    fifo = tmp_path / "fifo.out"
    os.mkfifo(fifo)
    return {"symlink": link, "fifo": fifo, "device": Path("/dev/full")}


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
@pytest.mark.parametrize(
    "command",
    [
        ["export", "feedback", "--out", "{}"],
        ["export", "customers", "--out", "{}"],
        ["export", "orders", "--format", "json", "--out", "{}"],
        ["backup", "--to", "{}"],
        ["customer", "export", "C1", "--out", "{}"],
        ["migrate", "--from", "{db}", "--to", "{}"],
        ["init", "--force", "--db", "{}"],
    ],
)
def test_outputs_that_are_not_regular_files_are_refused(
    db: Path, tmp_path: Path, victim: Path, kind: str, command: list[str]
) -> None:
    target = special_targets(tmp_path, victim)[kind]
    before = os.lstat(target)
    args = [a.replace("{db}", str(db)).replace("{}", str(target)) for a in command]
    if "--db" not in args:
        args = ["--db", str(db), *args]
    code, _, err = run_cli(args)
    assert_message(code, err, 2)
    assert str(target) in err
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert victim.read_bytes() == SECRET


def test_export_all_into_a_symlinked_folder_or_over_a_planted_file_is_refused(
    db: Path, tmp_path: Path, victim: Path
) -> None:
    linked = tmp_path / "linked"
    linked.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    code, _, err = run_cli(["--db", str(db), "export", "all", "--out", str(linked)])
    assert_message(code, err, 2)
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "orders.csv").symlink_to(victim)
    code, _, err = run_cli(["--db", str(db), "export", "all", "--out", str(folder)])
    assert_message(code, err, 2)
    assert victim.read_bytes() == SECRET


def test_config_init_does_not_write_through_a_planted_symlink(tmp_path: Path, victim: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "settings.yaml").symlink_to(victim)
    code, _, err = run_cli(["config", "init", str(folder), "--force"])
    assert_message(code, err, 2)
    assert victim.read_bytes() == SECRET
