"""Rotating backups, `custui backup`, `custui restore`."""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from custui.errors import BadInput, DatabaseCorrupt, SchemaTooNew
from custui.store.backups import (
    create_backup,
    list_backups,
    newest_good_backup,
    restore_backup,
)
from custui.store.base import SCHEMA_VERSION
from custui.store.open import open_store


def make_db(path: Path, *names: str) -> None:
    store = open_store(path, create=True, backups_kept=0)
    for name in names:
        store.insert("customers", {"name": name})
    store.close()


def test_backups_rotate_keeping_the_newest(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "A")
    for i in range(5):
        store = open_store(db, backups_kept=3)
        store.insert("customers", {"name": f"n{i}"})
        store.close()
    backups = list_backups(db)
    assert len(backups) == 3
    # newest first; the newest backup was made at the last open, before its write
    assert len(orjson.loads(backups[0].read_bytes())["customers"]) == 5
    assert len(orjson.loads(backups[-1].read_bytes())["customers"]) == 3


def test_no_backup_of_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db)
    open_store(db).close()
    assert list_backups(db) == []


def test_create_backup_includes_saves_of_a_running_writer(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "A")
    running = open_store(db, backups_kept=0)
    running.insert("customers", {"name": "only in journal"})
    target = create_backup(db, to=tmp_path / "copy.json")
    running.close()
    names = [d["name"] for d in orjson.loads(target.read_bytes())["customers"].values()]
    assert names == ["A", "only in journal"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    in_folder = create_backup(db)
    assert list_backups(db)[0] == in_folder


def test_newest_good_backup_skips_damaged_ones(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "A")
    good = create_backup(db)
    bad = create_backup(db)
    bad.unlink()
    bad.write_bytes(b'{"customers": {"1": ')
    assert list_backups(db)[0] == bad
    assert newest_good_backup(db) == good


def test_restore_validates_and_keeps_current_as_backup(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "current")
    source = tmp_path / "old.json"
    make_db(source, "restored")

    junk = tmp_path / "junk.json"
    junk.write_bytes(b"not json")
    too_new = tmp_path / "new.json"
    too_new.write_bytes(orjson.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}))
    before = db.read_bytes()
    with pytest.raises(BadInput):
        restore_backup(db, junk)
    with pytest.raises(SchemaTooNew):
        restore_backup(db, too_new)
    assert db.read_bytes() == before and list_backups(db) == []

    kept = restore_backup(db, source)
    assert kept is not None and kept.read_bytes() == before
    store = open_store(db)
    assert [c["name"] for c in store.all("customers")] == ["restored"]
    store.close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_restore_over_unreadable_database_keeps_its_bytes(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    db.write_bytes(b"{broken")
    source = tmp_path / "good.json"
    make_db(source, "A")
    kept = restore_backup(db, source)
    assert kept is not None and kept.read_bytes() == b"{broken"
    assert open_store(db).count("customers") == 1


def test_backups_older_than_the_retention_are_deleted_on_open(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from custui.config.loader import load_config
    from custui.store.backups import backups_dir

    db = tmp_path / "shop.json"
    make_db(db, "Forgotten later")
    folder = backups_dir(db)
    folder.mkdir(mode=0o700)
    stamp = (datetime.now(UTC) - timedelta(days=31)).strftime("%Y%m%dT%H%M%S.%fZ")
    recent = (datetime.now(UTC) - timedelta(days=29)).strftime("%Y%m%dT%H%M%S.%fZ")
    old = [folder / f"shop.json-{stamp}.json", folder / f"shop.json-{stamp}-schema0.json"]
    kept = folder / f"shop.json-{recent}.json"
    for path in (*old, kept):
        path.write_bytes(db.read_bytes())
    days = load_config(None).settings.backup_retention_days
    assert days == 30  # the shipped settings.yaml
    store = open_store(db, backups_kept=10, backup_retention_days=days)
    store.close()
    left = list_backups(db)
    assert not any(p.exists() for p in old)
    assert kept in left and len(left) == 2  # the one made at this open, and the 29-day-old one


def test_two_databases_with_one_stem_keep_their_own_backups(tmp_path: Path) -> None:
    shop, test = tmp_path / "shop.json", tmp_path / "shop.test"
    make_db(shop, "real customer")
    make_db(test, "test customer")
    for _ in range(3):
        open_store(test, backups_kept=2).close()
    open_store(shop, backups_kept=2).close()
    for _ in range(3):
        open_store(test, backups_kept=2).close()  # rotating shop.test must not touch shop.json's
    mine, theirs = list_backups(shop), list_backups(test)
    assert len(mine) == 1 and len(theirs) == 2 and not set(mine) & set(theirs)
    assert orjson.loads(mine[0].read_bytes())["customers"]["1"]["name"] == "real customer"
    shop.write_bytes(b"{broken")
    with pytest.raises(DatabaseCorrupt) as err:  # names its own good backup, not shop.test's
        open_store(shop)
    assert str(mine[0]) in str(err.value)


def test_backups_of_earlier_versions_stay_findable_unless_ambiguous(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "A")
    legacy = tmp_path / "shop.backups"
    legacy.mkdir()
    old = legacy / "shop-20250101T000000.000000Z.json"
    old.write_bytes(db.read_bytes())
    assert list_backups(db) == [old]
    open_store(db, backups_kept=1).close()
    open_store(db, backups_kept=1).close()
    assert old.exists() and list_backups(db)[-1] == old  # listed, never rotated away
    make_db(tmp_path / "shop.test", "B")  # now two databases could own shop.backups/
    assert old not in list_backups(db) and old not in list_backups(tmp_path / "shop.test")


# -- the open's backup, a hard link to the file, copied apart in the background ----------
def test_the_opens_backup_is_copied_apart_in_the_background_and_close_copies_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "shop.json"
    make_db(db, "A", "B")
    store = open_store(db)
    backup = list_backups(db)[0]
    assert store._unsharer is not None
    store._unsharer._thread.join(30)
    assert db.stat().st_nlink == 1 and backup.read_bytes() == db.read_bytes()
    inode = db.stat().st_ino
    store.close()  # nothing saved: the file as it was, not copied again (seconds at 100k)
    assert db.stat().st_ino == inode and backup.read_bytes() == db.read_bytes()


def test_a_close_during_that_copy_stops_it_and_still_leaves_the_backup_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from custui.store import backups

    db = tmp_path / "shop.json"
    make_db(db, "A", "B")
    started, saw_stop = threading.Event(), []
    real = backups.copy_atomic

    def held(source: Path, target: Path, stop: Callable[[], bool] = lambda: False) -> None:
        started.set()
        ceiling = threading.Event()
        for _ in range(3000):  # up to 30 s: a close that waits for the copy would hang here
            if stop():
                saw_stop.append(True)
                break
            ceiling.wait(0.01)
        real(source, target, stop)

    monkeypatch.setattr(backups, "copy_atomic", held)
    store = open_store(db)
    backup = list_backups(db)[0]
    assert started.wait(30)
    store.close()
    assert saw_stop and not store._unsharer._thread.is_alive()  # type: ignore[union-attr]
    assert db.stat().st_nlink == 1  # close copied the file apart instead, as before
    assert backup.read_bytes() == db.read_bytes()
    for folder in (tmp_path, backup.parent):
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []



def test_a_close_drops_a_backup_still_linked_to_the_file_when_another_has_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A launch quit before its tables loaded (its backup, a hard link to the file, not copied
    apart yet), or one killed: when an earlier backup already holds the file as it is, close
    removes the links instead of copying the database (seconds at 100k customers)."""
    from custui.store import lazy

    db = tmp_path / "shop.json"
    make_db(db, "A", "B")
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)  # orders load in the background: held below
    open_store(db, hold_load=True).close()  # no other backup: close copies the file apart
    earlier = list_backups(db)
    assert len(earlier) == 1 and earlier[0].stat().st_ino != db.stat().st_ino
    killed = open_store(db, hold_load=True)  # a session killed: its backup stays a link to the file
    killed._lock.release()  # type: ignore[union-attr]
    store = open_store(db, hold_load=True)  # quit before the tables loaded
    assert db.stat().st_nlink == 3 and not store.loaded()
    inode = db.stat().st_ino
    store.close()
    assert db.stat().st_ino == inode and db.stat().st_nlink == 1  # nothing copied
    assert list_backups(db) == earlier and earlier[0].read_bytes() == db.read_bytes()
    store = open_store(db)  # the tables loaded: its backup is kept (copied apart)
    assert store.wait_loaded(10)
    store.close()
    assert len(list_backups(db)) == 2 and db.stat().st_nlink == 1
