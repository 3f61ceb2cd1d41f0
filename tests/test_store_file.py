"""FileStore: round trip, TinyDB compatibility, journal recovery, 0600, schema."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from custui.errors import DatabaseCorrupt, DatabaseMissing, ReadOnlyStore, SchemaTooNew
from custui.store import migrations
from custui.store.backups import list_backups
from custui.store.base import SCHEMA_VERSION
from custui.store.journal import journal_path
from custui.store.open import create_database, open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "shop.json"


def test_round_trip_and_tinydb_reads_file_after_close(db: Path) -> None:
    store = open_store(db, create=True)
    cust = store.insert("customers", {"name": "Nguyễn Thị Ánh", "phone": "0901234567"})
    with store.batch():
        store.insert("orders", {"customer_id": cust["id"], "total": 1_250_000, "date": "2026-11-01"})
        store.insert("orders", {"customer_id": cust["id"], "total": 90_000, "date": "2026-11-02"})
    store.update("customers", cust["id"], {"email": "anh@example.vn"})
    store.close()

    again = open_store(db)
    assert again.get("customers", 1)["email"] == "anh@example.vn"
    assert [o["total"] for o in again.children("orders", 1)] == [1_250_000, 90_000]
    assert again.meta()["schema_version"] == SCHEMA_VERSION
    again.close()

    tiny = TinyDB(db)
    assert [c["name"] for c in tiny.table("customers").all()] == ["Nguyễn Thị Ánh"]
    assert len(tiny.table("orders").all()) == 2
    assert tiny.table("meta").get(doc_id=1)["schema_version"] == SCHEMA_VERSION
    tiny.close()


def test_missing_database_is_refused_unless_created(db: Path) -> None:
    with pytest.raises(DatabaseMissing):
        open_store(db)
    with pytest.raises(DatabaseMissing):
        open_store(db, read_only=True)
    assert not db.exists()


def test_save_is_in_journal_before_close(db: Path) -> None:
    store = open_store(db, create=True)
    store.insert("customers", {"name": "Lê Văn"})
    # the process could die now: the journal already has the save
    lines = journal_path(db).read_bytes().splitlines()
    assert orjson.loads(lines[-1])[1]["name"] == "Lê Văn"
    store.close()


def test_leftover_journal_is_recovered_and_torn_tail_ignored(db: Path) -> None:
    store = open_store(db, create=True)
    store.insert("customers", {"name": "A"})
    store.insert("customers", {"name": "B"})
    store._journal.close()  # simulate a crash: no compaction, lock dropped
    store._lock.release()
    with open(journal_path(db), "ab") as journal:
        journal.write(b'@b 40 1 0a1b2c3d\n["customers", {"id": 3, "name": "tor')  # cut by the crash

    recovered = open_store(db)
    assert [c["name"] for c in recovered.all("customers")] == ["A", "B"]
    assert recovered._journal.pending == 0  # folded into the file, torn batch dropped
    assert recovered.insert("customers", {"name": "C"})["id"] == 3
    recovered.close()
    assert [c["name"] for c in TinyDB(db).table("customers").all()] == ["A", "B", "C"]


def test_journal_compacts_when_it_grows(db: Path) -> None:
    store = open_store(db, create=True, journal_compact_mb=1)
    big = "x" * 10_000
    for _ in range(120):
        store.insert("customers", {"name": "n", "needs": big})
    assert store.journal_size < 1024 * 1024
    assert len(orjson.loads(db.read_bytes())["customers"]) >= 100
    store.close()


def test_read_only_refuses_writes(db: Path) -> None:
    open_store(db, create=True).close()
    store = open_store(db, read_only=True)
    with pytest.raises(ReadOnlyStore):
        store.insert("customers", {"name": "x"})
    store.close()


def test_files_are_private_whatever_the_umask(db: Path) -> None:
    old = os.umask(0o022)
    try:
        store = open_store(db, create=True)
        store.insert("customers", {"name": "A"})
        store.close()
        open_store(db).close()  # makes a backup
    finally:
        os.umask(old)
    files = [db, journal_path(db), *list_backups(db)]
    assert len(files) >= 3
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_corrupt_file_is_refused_untouched_naming_newest_backup(db: Path) -> None:
    store = open_store(db, create=True)
    store.insert("customers", {"name": "A"})
    store.close()
    open_store(db).close()
    (newest,) = list_backups(db)
    damaged = db.read_bytes()[:-40]
    db.write_bytes(damaged)
    for read_only in (False, True):
        with pytest.raises(DatabaseCorrupt) as caught:
            open_store(db, read_only=read_only)
        assert str(newest) in caught.value.message
    assert db.read_bytes() == damaged
    assert list_backups(db) == [newest]


@pytest.mark.parametrize(
    "content",
    [b"", b"[1, 2]", b'{"customers": [1]}', b"\x00" * 20, b'{"customers": {"x": {}}}', b'{"orders": {"1": 5}}'],
)
def test_not_a_database_is_corrupt(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    with pytest.raises(DatabaseCorrupt):
        open_store(db)
    assert db.read_bytes() == content


def test_newer_schema_is_refused(db: Path) -> None:
    db.write_bytes(orjson.dumps({"customers": {}, "meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}))
    before = db.read_bytes()
    with pytest.raises(SchemaTooNew):
        open_store(db)
    assert db.read_bytes() == before


def test_older_schema_is_backed_up_then_migrated(db: Path) -> None:
    old = {"customers": {"1": {"name": "A", "phone": "+84 90 123 4567"}}, "orders": {}}
    db.write_bytes(orjson.dumps(old))  # version 0: no meta, no phone_norm
    store = open_store(db)
    assert store.get("customers", 1)["phone_norm"] == "0901234567"
    assert store.meta()["schema_version"] == SCHEMA_VERSION
    store.close()
    pre = [p for p in list_backups(db) if "schema0" in p.name]
    assert len(pre) == 1 and orjson.loads(pre[0].read_bytes()) == old
    assert TinyDB(db).table("customers").get(doc_id=1)["phone_norm"] == "0901234567"


def test_migration_steps_run_in_order(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(migrations, "MIGRATIONS", [lambda t: seen.append("0->1"), lambda t: seen.append("1->2")])
    tables = {"customers": {}}
    assert migrations.migrate(tables, 0, target=2) == 2
    assert seen == ["0->1", "1->2"] and tables["meta"][1]["schema_version"] == 2


def test_create_database_refuses_existing_unless_forced(db: Path) -> None:
    from custui.errors import BadInput

    store = create_database(db)
    store.insert("customers", {"name": "keep me"})
    store.close()
    with pytest.raises(BadInput):
        create_database(db)
    fresh = create_database(db, force=True)
    assert fresh.count("customers") == 0
    fresh.close()
    (kept,) = [p for p in list_backups(db) if "replaced" in p.name]
    assert orjson.loads(kept.read_bytes())["customers"]["1"]["name"] == "keep me"


def test_info_reports_sizes_and_backup(db: Path) -> None:
    store = open_store(db, create=True)
    store.insert("customers", {"name": "A"})
    store.close()
    store = open_store(db)
    info = store.info()
    assert info["tables"]["customers"] == 1
    assert info["size"] == db.stat().st_size and info["journal_size"] == 0
    assert info["newest_backup"] == str(list_backups(db)[0])
    store.close()


def test_bulk_writes_one_snapshot(db: Path) -> None:
    store = open_store(db, create=True)
    with store.bulk():
        for i in range(100):
            store.insert("customers", {"name": f"c{i}"})
    assert store.journal_size == 0
    assert len(orjson.loads(db.read_bytes())["customers"]) == 100
    store.close()


def test_backup_link_is_broken_on_close(db: Path) -> None:
    """Stock TinyDB rewrites files in place: that must never change a backup."""
    store = open_store(db, create=True)
    store.insert("customers", {"name": "A"})
    store.close()
    open_store(db).close()  # backup made as a hard link, no writes this session
    (backup,) = list_backups(db)
    assert db.stat().st_nlink == 1
    before = backup.read_bytes()
    tiny = TinyDB(db)
    tiny.table("customers").insert({"name": "B"})
    tiny.close()
    assert backup.read_bytes() == before
