"""A big file without an open cache is checked in parts (store/parts.py), none of them kept,
and then loads as through the open cache: the same tables as one parse of the whole file,
a damaged file refused at open as before, and the sidecar written for the next open."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from custui.errors import DatabaseCorrupt
from custui.store import lazy, parts
from custui.store import open as open_module
from custui.store.columns import ColumnTable
from custui.store.open import open_store
from custui.store.parts import checked_layout
from custui.store.sidecar import sidecar_path
from custui.store.snapshot import dump_snapshot

# strings that look like the structure the parts are cut at
HOSTILE = ['},"9":{', '}},"orders":{', '"', '\\', '\\"', '{"1":{', '}}}', '},"', "\\u0022", "Đồng Nai",
           '":{', "\n", "12", "-0", "1e5", "\x00"]
CUSTOMERS, ORDERS = 60, 900


@pytest.fixture(autouse=True)
def in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is big enough to be checked in parts, and a part is a few records."""
    monkeypatch.setattr(open_module, "PARTS_MIN_BYTES", 0)
    monkeypatch.setattr(parts, "PART", 300)
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)  # every table but meta loads in the background


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)] + f" {i} " + HOSTILE[(i * 7) % len(HOSTILE)]


def shop_tables() -> dict[str, dict[int, dict[str, Any]]]:
    customers = {i: {"id": i, "name": hostile(i), "code": f"C{i:06d}", "tags": [hostile(i + 1)],
                     "note": {"9": {"x": hostile(i + 2)}} if i % 5 == 0 else None}
                 for i in range(1, CUSTOMERS + 1)}
    orders = {i: {"id": i, "customer_id": 1 + i % CUSTOMERS, "total": i * 1000, "date": "2026-01-02",
                  "items": hostile(i), "promo": i % 3 == 0} for i in range(1, ORDERS + 1)}
    return {"meta": {1: {"id": 1, "schema_version": 1, "snapshot_id": "abc"}}, "customers": customers,
            "orders": orders, "vouchers": {}, "complaints": {1: {"id": 1, "customer_id": 2, "status": "open"}}}


def write(path: Path, tables: dict[str, dict[int, dict[str, Any]]]) -> bytes:
    data = b"".join(dump_snapshot(tables))
    path.write_bytes(data)
    return data


def from_parts(data: bytes) -> dict[str, dict[str, Any]] | None:
    """The tables as the parts `checked_layout` found say (each part parsed on its own)."""
    layout = checked_layout(data)
    if layout is None:
        return None
    tables: dict[str, dict[str, Any]] = {}
    for name, tl in layout.items():
        assert data[tl.span[0] : tl.span[0] + 1] == b"{" and data[tl.span[1] - 1 : tl.span[1]] == b"}"
        table: dict[str, Any] = {}
        for start, end in tl.chunks:
            table.update(orjson.loads(b"{" + data[start:end] + b"}"))
        assert len(table) == tl.count
        tables[name] = table
    return tables


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    write(path, shop_tables())
    return path


def plain(store: Any) -> dict[str, dict[int, Any]]:
    assert store.wait_loaded(30)
    return {name: dict(docs.items()) for name, docs in store.tables().items() if docs}


def test_hostile_content_gives_exactly_the_tables_of_one_parse(db: Path) -> None:
    data = db.read_bytes()
    layout = checked_layout(data)
    assert layout is not None and len(layout["orders"].chunks) > 10  # cut in many parts
    assert from_parts(data) == orjson.loads(data)


def test_a_file_checked_in_parts_opens_with_the_same_records_as_one_parse(db: Path) -> None:
    store = open_store(db, in_parts=True, read_only=True)
    assert store.open_path == "full parse in parts (open cache missing)"
    assert store._loader is not None  # the records come from the background load, a part at a time
    assert isinstance(store._tables["orders"], ColumnTable) or not store.loaded("orders")
    ours = plain(store)
    assert store.info()["tables"]["orders"] == ORDERS
    store.close()
    sidecar_path(db).unlink(missing_ok=True)
    whole = open_store(db, read_only=True)  # a command's open: one parse
    assert whole.open_path == "full parse (open cache missing)"
    assert ours == plain(whole)
    whole.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(st.dictionaries(
    st.sampled_from(["a", "9", "12", "orders", "b\\", '"c']),
    st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(HOSTILE),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.sampled_from(["1", "2", "x", "orders", "}"]), inner, max_size=3),
                 max_leaves=6),
    max_size=4), min_size=1, max_size=30), part=st.integers(1, 200))
def test_any_records_give_the_tables_of_one_parse_or_a_parse_at_once(records: list[dict[str, Any]],
                                                                      part: int) -> None:
    parts.PART = part  # (the autouse fixture restores it)
    tables = {"meta": {1: {"schema_version": 1}}, "customers": dict(enumerate(records, 1)),
              "orders": {n * 3: r for n, r in enumerate(records, 1)}}
    data = b"".join(dump_snapshot(tables))
    found = from_parts(data)
    assert found is None or found == orjson.loads(data)
    if not any(map(holds_objects, records)):
        assert found is not None  # no nested objects: nothing looks like a cut that is not one


def holds_objects(record: dict[str, Any]) -> bool:
    """Whether an object is nested anywhere in the record's values (lists too)."""
    values = list(record.values())
    while values:
        value = values.pop()
        if type(value) is dict:
            return True
        if type(value) is list:
            values += value
    return False


@pytest.mark.parametrize("content", [
    b'{"_default": {}, "customers": {"1": {"name": "A"}}}',  # stock TinyDB
    b'{"_default":{},"customers":{"1":{"name":"A"}}}',
    b'{"customers": {"1": {"name": "A"}}}',  # spaces
    b'{"customers":{"1":{"name":"A"}},"customers":{"2":{"name":"B"}}}',  # a table twice
    b'{"customers":{"2":{"name":"A"},"1":{"name":"B"}}}',  # ids not ascending
    b'{"customers":{"1":{"name":"A"},"01":{"name":"B"}}}',  # two keys, one id
    b'{"cust\\u006fmers":{"1":{"name":"A"}}}',  # an escape in a table's name
    b'{"customers":[1]}',
    b'{"customers":{"1":{"name":"A"}}}xyz',
])
def test_what_is_not_in_our_layout_is_parsed_at_once(content: bytes) -> None:
    assert checked_layout(content) is None


def test_stock_tinydb_files_still_open_with_a_parse_at_once(tmp_path: Path) -> None:
    path = tmp_path / "stock.json"
    with TinyDB(path) as stock:
        stock.table("customers").insert({"name": "Lê Văn A", "note": '},"2":{'})
    store = open_store(path, in_parts=True, read_only=True)
    assert store.open_path == "full parse (open cache missing)"
    assert store.get("customers", 1)["note"] == '},"2":{'
    store.close()


def damaged(data: bytes, where: int, into: bytes) -> bytes:
    return data[:where] + into + data[where + len(into):]


@pytest.mark.parametrize("damage", ["byte", "key", "record", "cut", "schema"])
def test_a_file_damaged_in_the_middle_of_a_big_table_is_refused_at_open(db: Path, damage: str) -> None:
    data = db.read_bytes()
    middle = data.index(b'"450":{')
    if damage == "byte":
        data = damaged(data, middle + 6, b"#")
    elif damage == "key":  # valid JSON, but a key that is no id
        data = damaged(data, middle, b'"4x0"')
    elif damage == "record":  # valid JSON, but a record that is no object
        end = data.index(b'},"451":{', middle)
        data = data[:middle] + b'"450":[1' + b" " * (end - middle - 8) + b"]" + data[end + 1:]
    elif damage == "cut":
        data = data[: middle + 40]
    else:
        data = data.replace(b'"schema_version":1', b'"schema_version":"1"')
    assert orjson.loads(data) if damage in ("key", "record", "schema") else True
    db.write_bytes(data)
    with pytest.raises(DatabaseCorrupt) as in_parts:
        open_store(db, in_parts=True)
    with pytest.raises(DatabaseCorrupt) as at_once:  # a command's open: one parse
        open_store(db)
    assert in_parts.value.message == at_once.value.message  # refused as before, in the same words
    assert db.read_bytes() == data


def test_the_sidecar_is_written_and_the_next_open_uses_it(db: Path) -> None:
    store = open_store(db, in_parts=True)
    rebuilder = store._rebuilder
    assert rebuilder is not None and rebuilder.done.wait(30)
    assert rebuilder.outcome == "written"
    before = plain(store)
    store.close()
    again = open_store(db, in_parts=True, read_only=True)
    assert again.open_path == "open cache"
    assert plain(again) == before
    again.close()


def test_the_journal_of_a_session_is_replayed_over_tables_loading_from_parts(db: Path) -> None:
    writer = open_store(db, in_parts=True, backups_kept=0)
    assert writer.wait_loaded(30)
    order = writer.insert("orders", {"customer_id": 3, "total": 5, "date": "2026-02-03"})
    writer.update("customers", 3, {"name": "Mới"})
    sidecar_path(db).unlink(missing_ok=True)  # (the writer's rebuild may have written it)
    reader = open_store(db, in_parts=True, read_only=True)  # the writer still runs: its saves are in the journal
    assert reader.open_path.startswith("full parse in parts")
    assert reader.get("customers", 3)["name"] == "Mới"
    assert reader.get("orders", order["id"])["total"] == 5
    assert [o["id"] for o in reader.children("orders", 3)][-1] == order["id"]
    reader.close()
    writer.close()


def test_a_read_only_open_leaves_no_descriptor_behind(db: Path) -> None:
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        store = open_store(db, in_parts=True, read_only=True)
        assert store.wait_loaded(30) and store.finish_rebuild(30)
        store.close()
    assert len(os.listdir("/proc/self/fd")) == before


def test_only_the_app_asks_for_parts_a_command_parses_the_file_at_once(db: Path) -> None:
    store = open_store(db, read_only=True)
    assert store.open_path == "full parse (open cache missing)" and store.loaded()
    store.close()


def test_the_app_opens_in_parts(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from custui.cli.options import Resolved
    from custui.cli.run_app import run_app
    from custui.config.loader import load_config
    from custui.store import dispatch

    class Opened(Exception):
        pass

    asked: dict[str, Any] = {}

    def open_any(location: object, **options: Any) -> None:
        asked.update(options)
        raise Opened

    monkeypatch.setattr(dispatch, "open_any", open_any)
    with pytest.raises(Opened):
        run_app(Resolved(load_config(None), None, db))
    assert asked["in_parts"] is True and asked["hold_load"] is True
    monkeypatch.undo()
    monkeypatch.setattr(open_module, "PARTS_MIN_BYTES", 0)
    store = dispatch.open_any(db, read_only=True, hold_load=True, in_parts=True)
    assert store.open_path == "full parse in parts (open cache missing)"  # type: ignore[attr-defined]
    store.close()


def test_a_nested_object_that_looks_like_a_record_boundary_falls_back_to_one_parse(db: Path) -> None:
    tables = shop_tables()
    for order in tables["orders"].values():
        order["parts"] = {"a": {}, "7": {"b": 1}}  # `},"7":{` inside every order
    data = write(db, tables)
    assert checked_layout(data) is None  # a part cut inside an order does not parse
    store = open_store(db, in_parts=True, read_only=True)
    assert store.open_path == "full parse (open cache missing)"
    assert store.get("orders", 5)["parts"] == {"a": {}, "7": {"b": 1}}
    assert store.count("orders") == ORDERS
    store.close()
