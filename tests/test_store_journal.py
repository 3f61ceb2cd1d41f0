"""The journal: whole batches or nothing, damage refused with its offset, old journals migrated,
and a journal never replayed over a snapshot it does not belong to (restore, compaction)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from cli_helpers import run_cli

from custui.errors import DatabaseCorrupt
from custui.store import backups
from custui.store.backups import create_backup, list_backups, restore_backup
from custui.store.journal import MAGIC, journal_path
from custui.store.open import open_store

BATCH = 40


def crash(store: object) -> None:
    """What kill -9 leaves: the journal as written, no compaction, the lock gone."""
    store._journal.close()  # type: ignore[attr-defined]
    store._lock.release()  # type: ignore[attr-defined]
    if store._loader is not None:  # type: ignore[attr-defined]
        store._loader.stop()  # type: ignore[attr-defined]


@pytest.fixture
def journalled(tmp_path: Path) -> tuple[Path, bytes, int]:
    """A database with one saved customer and a journal holding two batches after it;
    returns (path, the journal's bytes, where the last batch starts)."""
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0)
    store.insert("customers", {"name": "first"})
    store.close()
    store = open_store(db, backups_kept=0)
    with store.batch():
        for i in range(BATCH):
            store.insert("customers", {"name": f"batch1-{i}"})
    start = store._journal.size
    with store.batch():
        for i in range(BATCH):
            store.insert("customers", {"name": f"batch2-{i}", "note": "x" * (i % 7)})
    crash(store)
    return db, journal_path(db).read_bytes(), start


def names(db: Path) -> list[str]:
    store = open_store(db, read_only=True)
    try:
        return [c["name"] for c in store.all("customers")]
    finally:
        store.close()


def test_truncating_the_last_batch_at_every_byte_keeps_it_all_or_nothing(journalled) -> None:
    db, data, start = journalled
    whole = ["first"] + [f"batch1-{i}" for i in range(BATCH)]
    assert names(db) == whole + [f"batch2-{i}" for i in range(BATCH)]
    for cut in range(start, len(data)):  # every crash point inside the last batch's write
        journal_path(db).write_bytes(data[:cut])
        assert names(db) == whole, cut  # read-only open: the torn batch is dropped whole
    journal_path(db).write_bytes(data[: start + (len(data) - start) // 2])
    store = open_store(db)  # recovery folds the whole batches in and drops the torn one
    assert [c["name"] for c in store.all("customers")] == whole
    assert store.insert("customers", {"name": "after"})["id"] == len(whole) + 1
    store.close()
    assert names(db) == whole + ["after"]


def test_zeros_after_a_crash_are_a_torn_tail(journalled) -> None:
    db, data, start = journalled
    journal_path(db).write_bytes(data[:start] + b"\0" * 4096)
    assert len(names(db)) == 1 + BATCH


@pytest.mark.parametrize("where", ["payload", "header", "length"])
def test_a_flipped_byte_in_the_middle_is_refused_naming_offset_and_backup(tmp_path: Path, where: str) -> None:
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=3)
    store.insert("customers", {"name": "saved"})
    store.close()
    good = open_store(db, backups_kept=3)  # makes a backup on open
    first = good._journal.size
    good.insert("customers", {"name": "one"})
    second = good._journal.size
    good.insert("customers", {"name": "two"})
    crash(good)
    data = bytearray(journal_path(db).read_bytes())
    flip = {"payload": second - 5, "header": first + 3, "length": first + 3}[where]
    if where == "length":
        data[flip] = ord("9")  # a batch that claims more bytes than it has, with a batch after it
    else:
        data[flip] ^= 0x20
    journal_path(db).write_bytes(bytes(data))
    before = db.read_bytes()
    backups_before = list_backups(db)
    for read_only in (True, False):
        with pytest.raises(DatabaseCorrupt) as err:
            open_store(db, read_only=read_only, backups_kept=3)
        message = str(err.value)
        assert str(journal_path(db)) in message and f"byte {first}" in message
        assert str(backups_before[0]) in message
    assert db.read_bytes() == before and journal_path(db).read_bytes() == bytes(data)
    assert list_backups(db) == backups_before
    code, _out, err = run_cli(["--db", str(db), "info"])
    assert code == 3 and err.startswith("custui: Journal ") and f"byte {first}" in err


@pytest.mark.parametrize(
    "entry",
    [
        ["nosuchtable", {"id": 1}],
        ["meta", {"id": 1, "schema_version": 99}],
        ["customers", {"id": "7", "name": "x"}],
        ["customers", {"id": True, "name": "x"}],
        ["customers", {"id": 0, "name": "x"}],
        ["customers", {"name": "no id"}],
        ["customers", ["not", "a", "record"]],
    ],
)
def test_entries_that_are_not_records_of_our_tables_are_refused(tmp_path: Path, entry: list) -> None:
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0)
    store.insert("customers", {"name": "saved"})
    crash(store)
    import zlib

    payload = orjson.dumps(entry) + b"\n"
    with open(journal_path(db), "ab") as out:
        out.write(b"@b %d 1 %08x\n" % (len(payload), zlib.crc32(payload)) + payload)
    with pytest.raises(DatabaseCorrupt, match="journal"):
        open_store(db)
    assert b"nosuchtable" not in db.read_bytes()


def test_an_old_unframed_journal_is_replayed_once(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    db.write_bytes(orjson.dumps({"customers": {"1": {"name": "A"}}, "meta": {"1": {"schema_version": 1}}}))
    journal_path(db).write_bytes(
        b'["customers", {"id": 2, "name": "B"}]\n["customers", {"id": 1, "name": "A2"}]\n["customers", {"id": 3'
    )
    store = open_store(db, backups_kept=0)
    assert [c["name"] for c in store.all("customers")] == ["A2", "B"]
    assert journal_path(db).read_bytes().startswith(MAGIC)  # now in the framed format
    store.insert("customers", {"name": "C"})
    store.close()
    assert names(db) == ["A2", "B", "C"]


def test_an_old_journal_with_a_bad_line_in_the_middle_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    db.write_bytes(orjson.dumps({"customers": {"1": {"name": "A"}}, "meta": {"1": {"schema_version": 1}}}))
    journal_path(db).write_bytes(b'["customers", {"id": 2, "na#e\n["customers", {"id": 3, "name": "C"}]\n')
    with pytest.raises(DatabaseCorrupt, match="byte 0"):
        open_store(db)


class Killed(BaseException):
    pass


def make_two_databases(tmp_path: Path) -> tuple[Path, Path]:
    """The live database with unsaved-to-file saves in its journal, and a backup to restore."""
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=3)
    store.insert("customers", {"name": "in the backup"})
    store.close()
    backup = create_backup(db, tmp_path / "old.json")
    store = open_store(db, backups_kept=3)  # also a hard-link backup: the same snapshot id
    store.insert("customers", {"name": "only in the journal"})
    store.update("customers", 1, {"name": "renamed in the journal"})
    crash(store)
    return db, backup


@pytest.mark.parametrize("step", ["kept", "write", "replaced", "journal"])
def test_restore_killed_at_each_step_never_mixes_two_databases(tmp_path: Path, monkeypatch, step: str) -> None:
    db, backup = make_two_databases(tmp_path)
    old_state = ["renamed in the journal", "only in the journal"]
    restored = ["in the backup"]

    def die_at(name: str) -> None:
        if name == step:
            raise Killed

    monkeypatch.setattr(backups, "_crash_point", die_at)
    real_write = backups.write_atomic

    def write(path: Path, chunks: object) -> None:
        if step == "write" and path == db:
            raise Killed  # in the middle of writing the temp file
        real_write(path, chunks)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "write_atomic", write)
    real_empty = backups._empty_journal
    monkeypatch.setattr(backups, "_empty_journal", lambda p: (_ for _ in ()).throw(Killed) if step == "journal" else real_empty(p))
    with pytest.raises(Killed):
        restore_backup(db, backup)
    monkeypatch.undo()
    seen = names(db)
    assert seen in (old_state, restored), (step, seen)
    if step in ("replaced", "journal"):
        assert seen == restored
    store = open_store(db)  # the writer's recovery agrees with what a reader saw
    assert [c["name"] for c in store.all("customers")] == seen
    store.close()
    assert names(db) == seen


def test_restore_interrupted_before_the_journal_is_emptied_does_not_replay_it(tmp_path: Path, monkeypatch) -> None:
    """The failure seen before: the backup renamed in, then a crash before the journal was emptied."""
    import os

    db, backup = make_two_databases(tmp_path)
    def die(*args: object) -> None:
        raise Killed

    monkeypatch.setattr(os, "truncate", die)  # how earlier versions emptied the journal
    monkeypatch.setattr(backups, "_empty_journal", die, raising=False)
    with pytest.raises(Killed):
        restore_backup(db, backup)
    monkeypatch.undo()
    assert names(db) == ["in the backup"]


def test_a_compaction_crash_before_the_journal_reset_does_not_replay_old_saves(tmp_path: Path, monkeypatch) -> None:
    """bulk() rewrites a record the journal also holds; a crash before the reset must not undo it."""
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0)
    doc = store.insert("customers", {"name": "journalled"})
    monkeypatch.setattr(store._journal, "reset", lambda *a: (_ for _ in ()).throw(Killed))
    with pytest.raises(Killed), store.bulk():
        # on leaving the block the snapshot is renamed in; the journal still holds "journalled"
        store.update("customers", doc["id"], {"name": "bulk"})
    crash(store)
    assert names(db) == ["bulk"]


def test_info_shows_the_saves_waiting_in_the_journal(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    writer = open_store(db, create=True, backups_kept=0)
    writer.insert("customers", {"name": "in the journal only"})
    reader = open_store(db, read_only=True)  # `custui info` while the app is open
    try:
        assert reader.info()["journal_size"] == writer._journal.pending > 0
    finally:
        reader.close()
        writer.close()
    code, out, err = run_cli(["--db", str(db), "info", "--format", "json"])
    assert code == 0, err
    assert orjson.loads(out)["journal_size"] == 0  # folded in at close
