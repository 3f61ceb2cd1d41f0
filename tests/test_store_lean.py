"""Lean records (store/interning.py): the store keeps parsed records as key-sharing dicts
with shared values, and every reader, writer and the file itself see exactly what was
written, as plain dicts."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from custui.store import interning, lazy
from custui.store.columns import ColumnTable
from custui.store.file_store import FileStore
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path
from tests.cli_helpers import run_cli

ORDERS = 3000
WIDE = {f"field {n}": n for n in range(40)}  # more keys than CPython shares: a plain dict


def varied_orders() -> list[dict[str, Any]]:
    """Orders of several shapes and key orders, with values that compare equal across types."""
    orders: list[dict[str, Any]] = []
    for i in range(1, ORDERS + 1):
        order: dict[str, Any] = {"customer_id": 1 + i % 7, "date": f"2026-01-{1 + i % 28:02d}",
                                 "total": 1000 * (i % 13), "channel": ["store", "online"][i % 2]}
        if i % 3 == 0:
            order["promo"] = True
        if i % 50 == 0:
            order = {"void": True, **order, "void_reason": "[bold]x[/]"}  # another key order
        if i == 7:
            order["total"] = 1.0  # equal to 1 and True: must stay a float
        if i == 8:
            order["total"] = 1
        if i == 9:
            order["channel"] = ["not", "a", "string"]  # a hostile value where strings are
        if i == 10:
            order.update(WIDE)
        orders.append(order)
    return orders


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    with store.bulk():
        for i in range(1, 8):
            store.insert("customers", {"name": f"Lê Thị {i}", "phone": f"090{i:07d}",
                                       "phone_norm": f"090{i:07d}", "tags": [], "kind": "individual",
                                       "created_at": "2026-01-01T09:00:00", "updated_at": "2026-01-01T09:00:00"})
        for order in varied_orders():
            store.insert("orders", order)
        for i in range(1, 40):
            store.insert("feedback", {"customer_id": 1 + i % 7, "answers": {"nps": i % 11, "comment": "ok"}})
            store.insert("complaints", {"customer_id": 2, "status": "open", "history": [
                {"at": "2026-01-02T10:00:00", "status": "open"}, {"at": "2026-01-03", "note": "called"}]})
    store.close()
    return path


def as_parsed(path: Path) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())  # type: ignore[no-any-return]


def same_records(store: FileStore, parsed: dict[str, Any]) -> None:
    """Every table reads back equal to the file, in the file's order, keys in the same order,
    every value of the same type, as plain dicts."""
    for table, docs in parsed.items():
        if table == "meta":
            continue
        ours = store.all(table)
        expected = list(docs.values())
        assert ours == expected, table
        assert [list(d) for d in ours] == [list(d) for d in expected], table
        assert orjson.dumps(ours) == orjson.dumps(expected), table  # types too (1.0 stays 1.0)
        assert all(type(d) is dict for d in ours)


@pytest.mark.parametrize("path", ["sidecar", "full parse"])
def test_lean_records_read_back_exactly_what_the_file_holds(
    db: Path, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    if path == "full parse":
        sidecar_path(db).unlink()
    parsed = as_parsed(db)
    store = open_store(db)
    assert (store._loader is not None) is (path == "sidecar")  # the background load, or a full parse
    store.wait_loaded()
    same_records(store, parsed)
    assert store.children("orders", 3) == [o for o in parsed["orders"].values() if o["customer_id"] == 3]
    store.close()
    after = as_parsed(db)
    assert {t: d for t, d in after.items() if t != "meta"} == {t: d for t, d in parsed.items() if t != "meta"}
    with TinyDB(db) as plain:  # stock TinyDB reads the file after a clean close
        assert len(plain.table("orders")) == ORDERS


def test_lean_dicts_and_columns(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    store = open_store(db, read_only=True)
    store.wait_loaded()
    assert store._loader is not None
    store._loader._thread.join(60)  # customers are compacted after the big tables load
    assert isinstance(store._tables["orders"], ColumnTable)
    feedback = store.get("feedback", 1)
    assert type(store._tables["feedback"]) is dict and store.get("feedback", 1) is feedback
    if sys.implementation.name == "cpython":  # nested records share their keys too
        assert sys.getsizeof(feedback["answers"]) < sys.getsizeof(dict(feedback["answers"]))
    customer = store.get("customers", 1)
    assert customer is not None and store.get("customers", 1) is customer  # the store's own dict
    key = next(k for k in store._tables["customers"] if k == 1)
    assert customer["id"] is key  # the record's id is its key's int
    if sys.implementation.name == "cpython":  # key-sharing dicts: values only, per record
        assert sys.getsizeof(customer) < sys.getsizeof(dict(customer))
    assert store.get("orders", 10) == {**varied_orders()[9], "id": 10}  # many keys: still right
    # a record read from a column table is made for the reader: changing it changes nothing stored
    order = store.get("orders", 3)
    assert order is not None
    order["total"] = -1
    assert store.get("orders", 3)["total"] == varied_orders()[2]["total"]
    store.close()


def test_lean_records_change_save_and_replay_after_a_crash(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    store = open_store(db)
    store.wait_loaded()
    changed = store.update("orders", 50, {"total": 7, "note": "đổi"})
    assert changed == {**varied_orders()[49], "total": 7, "note": "đổi", "id": 50}
    store.insert("orders", {"customer_id": 1, "date": "2026-01-02", "total": 5})
    store.update("customers", 3, {"name": "Lê Văn Mới"})
    expected_orders, expected_customers = store.all("orders"), store.all("customers")
    # no close: as after kill -9, the journal holds the saves
    store._lock.release()
    again = open_store(db)
    again.wait_loaded()
    assert again.all("orders") == expected_orders and again.all("customers") == expected_customers
    assert again.get("customers", 3)["name"] == "Lê Văn Mới"
    again.close()


def test_compacting_customers_in_the_background_keeps_a_save_made_meanwhile(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    store = open_store(db)
    store.wait_loaded()
    if store._loader is not None:
        store._loader._thread.join(30)
    real = interning.Compactor.compact
    saved = threading.Event()

    def compact_while_saving(self: interning.Compactor, docs: list[Any], ids: list[int] | None = None) -> list[Any]:
        lean = real(self, docs, ids)
        if not saved.is_set():  # a save lands between the lean copies and the swap
            saved.set()
            store.update("customers", 2, {"name": "Saved meanwhile"})
        return lean

    monkeypatch.setattr(interning.Compactor, "compact", compact_while_saving)
    assert store.compact_records("customers", lambda: False)
    assert store.get("customers", 2)["name"] == "Saved meanwhile"
    assert store.get("customers", 3)["name"] == "Lê Thị 3"
    store.close()
    assert as_parsed(db)["customers"]["2"]["name"] == "Saved meanwhile"


def test_info_leaves_the_open_cache_rebuilt(db: Path) -> None:
    sidecar_path(db).unlink()  # as after a restore or a copy: the next open parses everything
    code, _out, err = run_cli(["--db", str(db), "info"])
    assert code == 0, err
    assert sidecar_path(db).exists()
    store = open_store(db, read_only=True)
    assert store._layout is not None  # the quick open, without waiting for a compaction
    store.close()


def test_fresh_copies_are_equal_records_of_new_objects() -> None:
    """What compact_records makes lean: copies equal to the records, key order and types kept,
    sharing no string with them (so the parsed records' memory can all go back); the records
    themselves when a copy could not be equal."""
    docs: list[dict[str, Any]] = [
        {"name": "Lê Thị Ánh " * 3, "total": 1.0, "n": 1, "yes": True, "none": None, "neg": -0.0,
         "answers": {"nps": 9, "comment": "tốt " * 9}, "history": [{"at": "2026-01-01T10:00:00"}]},
        {"id": 2, "tags": [], "z": "a", "a": "z" * 40},
    ]
    copies = interning.fresh_copies(docs)
    assert copies == docs and [list(d) for d in copies] == [list(d) for d in docs]
    assert type(copies[0]["total"]) is float and type(copies[0]["yes"]) is bool and type(copies[0]["n"]) is int
    assert copies[0]["name"] is not docs[0]["name"] and copies[0]["answers"]["comment"] is not docs[0]["answers"]["comment"]
    for odd in ({"x": float("nan")}, {"x": (1, 2)}, {"x": 2**70}, {"x": {1: "int key"}}):
        kept = [{"a": "b"}, odd]
        assert interning.fresh_copies(kept) is kept, odd


def test_compacted_records_hold_no_object_of_the_parsed_ones(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lean customers are made of fresh strings, equal to the parsed ones: none of the parse's
    objects outlives the parsed records."""
    sidecar_path(db).unlink()  # a full parse
    monkeypatch.setattr(FileStore, "_columnize_later", lambda self: None)  # run by hand below
    store = open_store(db)
    parsed = {doc_id: dict(doc) for doc_id, doc in store._tables["customers"].items()}
    strings = {id(v) for doc in parsed.values() for v in doc.values() if type(v) is str and len(v) > 1}
    assert store.compact_records("customers", lambda: False)
    for doc_id, doc in store._tables["customers"].items():
        assert doc == parsed[doc_id] and list(doc) == list(parsed[doc_id])
        assert not {id(v) for v in doc.values() if type(v) is str and len(v) > 1} & strings, doc_id
    store.close()


def test_a_full_parse_keeps_its_keys_until_the_records_are_lean_then_frees_them(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse's table keys are kept while the background conversion runs (freed earlier, they
    leave holes the lookup's index fills), and no longer: after it, when it is stopped by a close,
    and at once for a read-only view, which converts nothing."""
    from custui.store import file_store, snapshot

    monkeypatch.setattr(file_store, "COLUMNS_LATER", 0)  # every table is "big"
    monkeypatch.setattr(snapshot, "COLUMNS_LATER", 0)
    sidecar_path(db).unlink()
    go = threading.Event()
    real = FileStore._make_columns

    def held(self: FileStore) -> bool:
        while not go.wait(0.01):
            if self._stop_columns:
                return False
        return real(self)

    monkeypatch.setattr(FileStore, "_make_columns", held)
    store = open_store(db)
    assert store._columnizer is not None
    assert any(keys[:2] == ["1", "2"] for keys in store._parse_keys)
    # not interned at the parse: the customers' kinds are equal strings, not one object (yet)
    kinds = [doc["kind"] for doc in store._tables["customers"].values()]
    assert len({id(k) for k in kinds}) == len(kinds)
    go.set()
    assert store.wait_settled(60) and store._parse_keys == []
    kinds = [doc["kind"] for doc in store._tables["customers"].values()]
    assert len({id(k) for k in kinds}) == 1  # lean: shared now
    store.close()
    sidecar_path(db).unlink()
    view = open_store(db, read_only=True)
    assert view._columnizer is None and view._parse_keys == []
    view.close()
    sidecar_path(db).unlink(missing_ok=True)
    go.clear()
    stopped = open_store(db)
    stopped.close()  # stops the conversion before it began
    assert stopped._parse_keys == []
