"""Column tables (store/columns.py): the big tables kept as columns give every reader the
records the file holds, exactly, take saves like a dict table, and lose nothing to a crash."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from custui.store import columns, file_store, lazy
from custui.store.columns import ColumnTable, columnize
from custui.store.file_store import FileStore
from custui.store.memory import MemoryStore
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path


def hostile_records(n: int = 3000) -> dict[int, dict[str, Any]]:
    """Records of many shapes and key orders, with values equal across types."""
    docs: dict[int, dict[str, Any]] = {}
    for i in range(1, n + 1):
        doc: dict[str, Any] = {"customer_id": 1 + i % 40, "date": f"2026-01-{1 + i % 28:02d}",
                               "total": 1000 * (i % 13), "note": f"Khách {i} [bold]x[/]"}
        if i % 3 == 0:
            doc["promo"] = True
        if i % 4 == 0:
            doc["id"] = i  # the file's records carry their id...
        elif i % 11 == 0:
            doc["id"] = "wrong"  # ...or a wrong one (the key wins)
        if i % 50 == 0:
            doc = {"void": True, **doc, "void_reason": None}  # another key order
        docs[i] = doc
    docs[7]["total"] = 1.0  # equal to 1 and True: each keeps its type
    docs[8]["total"] = 1
    docs[9]["total"] = True
    docs[10]["total"] = -0.0
    docs[12]["note"] = ["not", {"a": "string"}]  # a list where strings are
    docs[13]["answers"] = {"nps": 9, "comment": "\x1b[31mđỏ\x1b[0m"}  # a field only one record has
    docs[14]["customer_id"] = None
    docs[15]["total"] = 2**62
    return docs


def expected(docs: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """What a dict table holds: each record with its id, where it stands or last."""
    return [{**doc, "id": doc_id} for doc_id, doc in docs.items()]


def same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    assert a == b
    assert [list(d) for d in a] == [list(d) for d in b]  # keys in the same order
    assert orjson.dumps(a) == orjson.dumps(b)  # types too (1.0 stays 1.0, -0.0 stays -0.0)
    assert all(type(d) is dict for d in a)


def test_a_column_table_reads_back_every_record_exactly() -> None:
    docs = hostile_records()
    docs.update({i: {"customer_id": i, "total": i * 7} for i in range(3001, 73001)})  # >65536 values
    table = columnize(docs)
    want = expected(docs)
    same(list(table.values()), want)
    same([table[i] for i in docs], want)
    assert list(table) == list(docs) and len(table) == len(docs)
    assert 5 in table and 0 not in table and 73001 not in table and table.get(73001) is None
    assert table.children(3) == [d for d in want if d["customer_id"] == 3]
    assert table.children(999_999) == [] and table.children(None) == []  # type: ignore[arg-type]
    # what a rolled-back save does: a new record goes, a stored one goes
    table[80_000] = {"customer_id": 3, "id": 80_000}
    assert table.pop(80_000) == {"customer_id": 3, "id": 80_000} and 80_000 not in table
    assert table.pop(5) == want[4] and 5 not in table and table.get(5) is None
    assert len(table) == len(docs) - 1 and list(table) == [i for i in docs if i != 5]
    assert table.children(3) == [d for d in want if d["customer_id"] == 3 and d["id"] != 5]
    table[6] = {"customer_id": 4, "id": 6, "total": 60}
    table[90_000] = {"customer_id": 4, "id": 90_000}
    now = list(table.values())
    assert table.fields(["total", "id", "promo"]) == [[d.get(k) for d in now] for k in ("total", "id", "promo")]


def test_a_column_table_with_ids_not_in_a_row_reads_back_exactly() -> None:
    docs = {i * 3 + 1000: doc for i, doc in hostile_records(500).items()}
    table = columnize(docs)
    same(list(table.values()), expected(docs))
    assert table.get(1003) == {**docs[1003], "id": 1003} and table.get(1004) is None


def filled(store: MemoryStore | FileStore, docs: dict[int, dict[str, Any]]) -> None:
    store.put_many("orders", [{**doc, "id": doc_id} for doc_id, doc in docs.items()])


def test_a_column_table_takes_writes_as_a_dict_table_does(tmp_path: Path) -> None:
    """The same saves on a store over a dict table and one over a column table read back
    the same everywhere: all, get, count, children (order included), and the file."""
    docs = hostile_records(600)
    plain = MemoryStore()
    filled(plain, docs)
    raw = {"orders": {str(k): {**v, "id": k} for k, v in docs.items()}, "meta": {"1": {"id": 1}}}
    store = FileStore(tmp_path / "shop.json", raw)  # type: ignore[arg-type]
    assert isinstance(store._tables["orders"], ColumnTable)
    store.start_journal()
    for target in (plain, store):
        target.update("orders", 5, {"total": 7, "customer_id": 9, "ghi chú": "đổi"})  # moves customer
        target.update("orders", 6, {"total": 8})
        target.update("orders", 6, {"total": 9})  # twice
        new = target.insert("orders", {"customer_id": 6, "date": "2026-02-01", "total": 5})
        target.update("orders", new["id"], {"total": 6})
        with target.batch():
            target.insert("orders", {"customer_id": 6, "total": 1})
            target.update("orders", 12, {"total": 1})
    assert store.all("orders") == plain.all("orders")
    assert [list(d) for d in store.all("orders")] == [list(d) for d in plain.all("orders")]
    assert store.count("orders") == plain.count("orders")
    names = ["customer_id", "total", "id", "promo", "not a field"]
    assert store.fields("orders", names) == plain.fields("orders", names)  # read without records
    assert store.fields("orders", names)[1] == [d.get("total") for d in plain.all("orders")]
    for cid in [*range(0, 45), None]:
        assert store.children("orders", cid) == plain.children("orders", cid), cid  # type: ignore[arg-type]
    for doc_id in range(0, 610):
        assert store.get("orders", doc_id) == plain.get("orders", doc_id)
    store.close()
    written = orjson.loads((tmp_path / "shop.json").read_bytes())["orders"]
    assert list(written.values()) == plain.all("orders")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    with store.bulk():
        for i in range(1, 41):
            store.insert("customers", {"name": f"Lê Thị {i}", "phone": f"090{i:07d}", "phone_norm": f"090{i:07d}"})
        filled(store, hostile_records())
        for i in range(1, 60):
            store.insert("feedback", {"customer_id": 1 + i % 40, "answers": {"nps": i % 11}})
            store.insert("interactions", {"customer_id": 2, "type": "call", "at": f"2026-01-02T10:{i:02d}:00"})
    store.close()
    return path


@pytest.mark.parametrize("path", ["open cache", "full parse"])
def test_saves_to_column_tables_survive_a_crash_and_replay(
    db: Path, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    if path == "full parse":
        sidecar_path(db).unlink()
    store = open_store(db)
    store.wait_loaded()
    assert isinstance(store._tables["orders"], ColumnTable)
    store.update("orders", 50, {"total": 7, "note": "đổi"})
    store.insert("orders", {"customer_id": 3, "date": "2026-03-02", "total": 5})
    store.update("feedback", 2, {"answers": {"nps": 10, "comment": "tốt"}})
    store.update("interactions", 3, {"customer_id": 4})
    want = {t: store.all(t) for t in ("orders", "feedback", "interactions")}
    kids = store.children("orders", 3), store.children("interactions", 4)
    store._lock.release()  # no close: as after kill -9, the journal holds the saves
    again = open_store(db)
    again.wait_loaded()
    assert {t: again.all(t) for t in want} == want
    assert (again.children("orders", 3), again.children("interactions", 4)) == kids
    again.close()
    with TinyDB(db) as plain:  # stock TinyDB reads the file after a clean close
        assert plain.table("orders").get(doc_id=50)["note"] == "đổi"
        assert len(plain.table("orders")) == len(want["orders"])


def test_a_save_waiting_for_its_table_to_load_is_kept(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save to orders made while they load waits for them, lands in the column table the
    loader publishes, and is in the file after a crash."""
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    building = threading.Event()
    release = threading.Event()
    real = lazy._parse_columns

    def slow(fd: int, name: str, tl: Any, stop: Any) -> ColumnTable:
        table = real(fd, name, tl, stop)
        if name == "orders":
            building.set()
            assert release.wait(60)
        return table

    monkeypatch.setattr(lazy, "_parse_columns", slow)
    store = open_store(db)
    assert building.wait(60)
    saved: list[dict[str, Any]] = []
    saver = threading.Thread(target=lambda: saved.append(store.update("orders", 8, {"total": 88})))
    saver.start()
    release.set()
    saver.join(60)
    assert saved and store.get("orders", 8)["total"] == 88
    assert [o["total"] for o in store.children("orders", 9) if o["id"] == 8] == [88]
    store._lock.release()  # crash
    again = open_store(db)
    again.wait_loaded()
    assert again.get("orders", 8) == {**hostile_records()[8], "id": 8, "total": 88}
    again.close()


def test_saves_made_while_a_full_parse_table_becomes_columns_are_kept(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a full parse the big tables become columns in the background: saves made while
    the columns are built are in the table swapped in, in the order made, and survive a crash."""
    sidecar_path(db).unlink()
    monkeypatch.setattr(file_store, "COLUMNS_LATER", 0)  # every table is "big"
    monkeypatch.setattr(FileStore, "_columnize_later", lambda self: None)  # run by hand below
    store = open_store(db)
    assert type(store._tables["orders"]) is dict
    store.children("orders", 9)  # the dict table's by-customer index, kept by each save
    real = columns.ColumnBuilder.add
    want: dict[str, Any] = {}

    def add_while_saving(self: columns.ColumnBuilder, docs: list[Any], ids: list[int]) -> None:
        real(self, docs, ids)
        if not want:  # saves land between the snapshot and the swap
            store.update("orders", 8, {"total": 88})
            store.insert("orders", {"customer_id": 9, "date": "2026-03-02", "total": 5})
            store.update("orders", 20, {"customer_id": 9})  # moves to another customer
            store.update("orders", 8, {"note": "again"})
            want.update(all=store.all("orders"), kids=store.children("orders", 9),
                        old=store.children("orders", 21))

    monkeypatch.setattr(columns.ColumnBuilder, "add", add_while_saving)
    assert store.columnize_table("orders", lambda: False)
    assert isinstance(store._tables["orders"], ColumnTable)
    same(store.all("orders"), want["all"])
    assert store.children("orders", 9) == want["kids"] and store.children("orders", 21) == want["old"]
    store._lock.release()  # crash
    again = open_store(db)
    again.wait_loaded()
    assert again.all("orders") == want["all"]
    again.close()
    with TinyDB(db) as plain:
        assert plain.table("orders").get(doc_id=8)["note"] == "again"


def test_a_full_parse_makes_the_big_tables_columns_in_the_background(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sidecar_path(db).unlink()
    monkeypatch.setattr(file_store, "COLUMNS_LATER", 0)
    parsed = orjson.loads(db.read_bytes())
    made: list[str] = []
    for name in ("columnize_table", "compact_records"):
        real = getattr(FileStore, name)
        monkeypatch.setattr(FileStore, name, lambda self, table, stopped, real=real: made.append(table) or real(self, table, stopped))
    store = open_store(db)
    assert store._columnizer is not None
    store.children("feedback", 2)  # an index of the dicts as parsed
    store._columnizer.join(60)
    # the column tables first: lean copies made meanwhile would sit between their freed records
    assert made[:2] == ["interactions", "orders"] and set(made[2:]) >= {"customers", "feedback"}
    for table in ("orders", "interactions"):
        assert isinstance(store._tables[table], ColumnTable), table
    for table in ("orders", "interactions", "feedback", "customers"):
        same(store.all(table), list(parsed[table].values()))
    # customers and feedback became lean dicts (as after an open through the open cache)
    if sys.implementation.name == "cpython":
        lean = store.get("feedback", 2)
        assert sys.getsizeof(lean["answers"]) < sys.getsizeof(dict(lean["answers"]))
        assert any(doc is lean for doc in store.children("feedback", lean["customer_id"]))
        assert sys.getsizeof(store.get("customers", 1)) < sys.getsizeof(dict(store.get("customers", 1)))
    store.close()


def test_records_with_finds_the_flagged_records_without_making_the_others(tmp_path: Path) -> None:
    """records_with: the records with a true value in one of the fields, in the order of all, on
    a dict table and a column table (saves on top), from the fields alone."""
    from custui.store.base import records_with

    docs = hostile_records(400)
    for i, doc in docs.items():
        doc["care_key"] = [None, "", "k", 0, 1, False][i % 6]
        if i % 7 == 0:
            doc["follow_up_due"] = "2026-01-02"
    plain = MemoryStore()
    filled(plain, docs)
    raw = {"orders": {str(k): {**v, "id": k} for k, v in docs.items()}, "meta": {"1": {"id": 1}}}
    store = FileStore(tmp_path / "shop.json", raw)  # type: ignore[arg-type]
    assert isinstance(store._tables["orders"], ColumnTable)
    store.start_journal()
    for target in (plain, store):
        target.update("orders", 3, {"care_key": "now"})
        target.update("orders", 8, {"care_key": None})
        target.insert("orders", {"customer_id": 2, "follow_up_due": "2026-02-01"})
    names = ("care_key", "follow_up_due")
    expected = [d for d in plain.all("orders") if any(d.get(n) for n in names)]
    for target in (plain, store):
        real = target.all
        target.all = lambda table: pytest.fail("made every record")  # type: ignore[method-assign]
        assert records_with(target, "orders", names) == expected
        assert records_with(target, "orders", ()) == []
        target.all = real  # type: ignore[method-assign]
    store.close()
