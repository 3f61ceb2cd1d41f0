"""The lookup's index kept beside the database between launches (`<db>.lookup`): read back
instead of built when the records are the ones it was made from, built when they are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.services import lookup_cache
from custui.services.search import CustomerIndex
from custui.store.base import Store
from custui.store.open import open_store
from custui.store.safe_files import is_own_temp, make_temp
from tests.conftest import seed_people

QUERIES = ["nguyen", "tran thi", "0903", "c0001", "le", "a", "09", "anh@", "nguyễn văn"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    seed_people(store)
    for i in range(40):
        store.insert("customers", {"name": f"Trần Thị {i}", "phone": f"0903{i:06d}",
                                   "code": f"C{9000 + i}", "email": f"tt{i}@example.com"})
    store.close()
    return path


def launch(store: Store) -> CustomerIndex:
    """The index as the app makes it at launch."""
    index = CustomerIndex(store, saved=lambda: lookup_cache.read(store))
    index.prepare()
    return index


def answers(index: CustomerIndex) -> dict[str, list[int]]:
    return {query: index.search_ids(query, 100) for query in QUERIES}


def keep(db: Path) -> dict[str, list[int]]:
    """A launch that builds the index and keeps it when it quits; its answers."""
    store = open_store(db)
    index = launch(store)
    assert index.unsaved  # nothing kept yet: built
    found = answers(index)
    store.close()
    assert lookup_cache.write(index, store)
    return found


def test_the_next_launch_reads_the_kept_index_and_answers_the_same(db: Path) -> None:
    built = keep(db)
    store = open_store(db)
    index = launch(store)
    assert not index.unsaved  # read back, not built
    assert answers(index) == built
    saved = store.insert("customers", {"name": "Phạm Mới", "phone": "0911222333"})
    assert index.search_ids("pham moi", 5) == [saved["id"]]  # and kept current as before
    store.close()


def test_a_kept_index_is_not_used_once_the_records_changed(db: Path) -> None:
    keep(db)
    writer = open_store(db)
    saved = writer.insert("customers", {"name": "Đặng Thị Mới", "phone": "0922333444"})
    # another launch while the save is only in the journal (a kill -9 would leave it so)
    reader = open_store(db, read_only=True)
    index = launch(reader)
    assert index.unsaved and index.search_ids("dang thi moi", 5) == [saved["id"]]
    reader.close()
    writer.close()  # folded into a new file: the kept index names the old one
    again = open_store(db)
    index = launch(again)
    assert index.unsaved and index.search_ids("dang thi moi", 5) == [saved["id"]]
    again.close()


@pytest.mark.parametrize("damage", ["torn", "flipped", "not ours"])
def test_a_damaged_kept_index_is_rebuilt(db: Path, damage: str) -> None:
    built = keep(db)
    kept = db.with_name(db.name + ".lookup")
    data = bytearray(kept.read_bytes())
    if damage == "torn":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data[len(data) // 2] ^= 0xFF
    else:
        data = bytearray(b"\x00" * len(data))
    kept.write_bytes(bytes(data))
    store = open_store(db, read_only=True)
    index = launch(store)
    assert index.unsaved and answers(index) == built
    store.close()


def test_init_keeps_the_index_for_the_first_launch(tmp_path: Path) -> None:
    db = tmp_path / "demo.json"
    code, _, err = run_cli(["--db", str(db), "init", "--demo", "--customers", "30"])
    assert code == 0, err
    store = open_store(db, read_only=True)
    index = launch(store)
    assert not index.unsaved and len(index.search_ids("", 100)) == 30
    store.close()


def test_a_temp_file_of_the_kept_index_is_cleared_like_the_others(db: Path) -> None:
    fd, tmp = make_temp(db.with_name(db.name + ".lookup"))
    os.close(fd)
    assert is_own_temp(tmp.name, db.name)
    open_store(db).close()  # a writer's open clears what a crash left
    assert not tmp.exists()


def test_a_session_that_saved_nothing_leaves_the_kept_index_good(db: Path) -> None:
    """The open's backup starts as a hard link to the file and gets its own copy in the
    background or at close at the latest: the file keeps its bytes and time, so the kept index
    still names it. (Whether the copy is made yet right after the open is a race, not asked.)"""
    built = keep(db)
    for _ in range(2):
        store = open_store(db)
        index = launch(store)
        assert not index.unsaved and answers(index) == built
        store.close()
        assert db.stat().st_nlink == 1
