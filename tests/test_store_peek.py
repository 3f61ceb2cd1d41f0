"""Big customers read a record at a time while the background loader parses them (lazy.Peek):
the lookup shows rows and answers from the kept index at launch without waiting for them,
and what it reads is always the record the whole table (file plus journal) holds."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pilot_helpers import screen_text, wait_until

from custui.app import make_app
from custui.errors import DatabaseCorrupt
from custui.services import lookup_cache
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.store import lazy
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path
from tests.conftest import NOW
from tests.test_store_sidecar import (  # noqa: F401 - fixtures
    CUSTOMERS,
    ORDERS,
    Blocked,
    Gate,
    db,
    everything_but_customers_in_background,
    expected_totals,
    gate,
    order_totals,
)

# what a scan for record boundaries must not be fooled by: quotes, braces, backslashes
ODD_NAMES = ['Tú "},"9":{" Lê', "back\\slash\\", '{"1":{', "Đặng }},{", "tab\tnew\nline", "“quoted”"]


@pytest.fixture(autouse=True)
def customers_read_as_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "PEEK_BYTES", 0)


def test_customers_are_read_one_at_a_time_until_the_loader_has_them(
    db: Path, gate: Gate  # noqa: F811
) -> None:
    store = open_store(db)
    assert store.peeking and not store.loaded("customers")  # not parsed at open
    assert store.get("customers", 7)["name"] == "Trần Thị 7"
    assert store.get("customers", 1)["name"] == "Trần Thị 1"
    assert store.get("customers", CUSTOMERS)["name"] == f"Trần Thị {CUSTOMERS}"
    missing: list[object] = []
    thread = threading.Thread(target=lambda: missing.append(store.get("customers", 999)))
    thread.start()
    thread.join(0.2)
    assert thread.is_alive()  # not read alone: only the whole table can say it is not there
    gate.open.set()
    thread.join(10)
    assert missing == [None] and store.wait_loaded(10)
    assert not store.peeking and store.get("customers", 7)["name"] == "Trần Thị 7"
    assert order_totals(store, 5) == expected_totals(5)
    store.close()


def test_a_record_read_alone_is_the_record_the_whole_table_holds(
    tmp_path: Path, gate: Gate  # noqa: F811
) -> None:
    path = tmp_path / "odd.json"
    store = open_store(path, create=True)
    with store.bulk():
        for n, name in enumerate(ODD_NAMES * 5):
            store.insert("customers", {"name": name, "tags": ["a", {"b": [n]}], "note": {"x": {}},
                                       "phone": None, "points": n / 3})
    store.close()
    store = open_store(path, read_only=True)
    assert store.peeking
    alone = {n: store.get("customers", n) for n in range(1, len(ODD_NAMES) * 5 + 1)}
    gate.open.set()
    assert store.wait_loaded(10)
    assert alone == {doc["id"]: doc for doc in store.all("customers")}
    store.close()


def test_the_journal_version_of_a_customer_is_read_while_customers_load(
    db: Path, gate: Gate  # noqa: F811
) -> None:
    gate.open.set()
    store = open_store(db)
    store.update("customers", 1, {"name": "Đặng Văn A"})
    store.update("customers", 1, {"phone": "0911111111"})
    added = store.insert("customers", {"name": "Mới Tinh"})
    store._journal.close()  # a crash: the saves are only in the journal
    store._lock.release()
    store._loader.stop()

    gate.open.clear()
    reader = open_store(db, read_only=True)  # no recovery: the journal waits for the load
    assert reader.peeking
    assert reader.get("customers", 1)["name"] == "Đặng Văn A"
    assert reader.get("customers", 1)["phone"] == "0911111111"  # the last version
    assert reader.get("customers", added["id"])["name"] == "Mới Tinh"
    assert reader.get("customers", 2)["name"] == "Trần Thị 2"
    gate.open.set()
    assert reader.wait_loaded(10) and reader.get("customers", 1)["name"] == "Đặng Văn A"
    reader.close()


def test_customers_with_objects_keyed_by_numbers_are_parsed_at_open(
    tmp_path: Path, gate: Gate  # noqa: F811
) -> None:
    path = tmp_path / "nested.json"
    store = open_store(path, create=True)
    with store.bulk():
        for i in range(1, 30):  # `},"2":{` inside a record looks like the start of the next
            store.insert("customers", {"name": f"Khách {i}", "answers": {"1": {"a": i}, "2": {"b": i}}})
    store.close()
    store = open_store(path, read_only=True)
    assert not store.peeking and store.loaded("customers")
    assert store.get("customers", 12)["answers"] == {"1": {"a": 12}, "2": {"b": 12}}
    gate.open.set()  # the other tables' load: the close waits for it (10 s a table while held)
    store.close()


def test_a_damaged_record_is_never_read_alone(
    tmp_path: Path, gate: Gate  # noqa: F811
) -> None:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    with store.bulk():  # customers well past the 64 KiB head and tail the sidecar's check hashes
        for i in range(1, 3001):
            store.insert("customers", {"name": f"Phạm Văn {i}", "phone": f"09{i:08d}"})
    store.close()
    before = os.stat(path)
    data = bytearray(path.read_bytes())
    at = data.index(b'"1500":{') + len(b'"1500":{')
    data[at] = ord("#")  # same size and time: only the record itself says it is broken
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    store = open_store(path, read_only=True)
    assert store.peeking and store.get("customers", 1499)["name"] == "Phạm Văn 1499"
    gate.open.set()
    with pytest.raises(DatabaseCorrupt):
        store.get("customers", 1500)
    store.close()


async def test_the_lookup_answers_from_the_kept_index_while_customers_load(
    db: Path, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    store = open_store(db)
    index = CustomerIndex(store)
    index.prepare()
    store.close()
    assert lookup_cache.write(index, store)  # what the last quit kept
    blocked = Blocked(monkeypatch)  # the loader never gets past customers
    store = open_store(db, hold_load=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: "Trần Thị" in screen_text(app), workers=False)
        await pilot.press(*"tran thi")
        assert await wait_until(pilot, lambda: "“tran thi”" in screen_text(app), workers=False)
        assert "40 best matches for “tran thi”" in screen_text(app) and "Trần Thị 3" in screen_text(app)
        assert not store.loaded("customers") and blocked.started.is_set()  # all while loading
        await pilot.press("ctrl+q")
    store.close()
    assert blocked.saw_stop and not store._loader.running  # type: ignore[union-attr]
    assert sidecar_path(db).exists()


def test_a_paced_load_waits_in_its_pauses_and_a_close_ends_them(db: Path) -> None:  # noqa: F811
    """The app pauses the background load while the operator types (one GIL); a quit
    during such a pause is not held up by it."""
    typing = threading.Event()
    paused = threading.Event()

    def pause(stopped: Callable[[], bool]) -> None:
        while typing.is_set() and not stopped():
            paused.set()
            typing.wait(0.01)

    for quit_while_typing in (False, True):
        typing.set()
        paused.clear()
        store = open_store(db, hold_load=True)
        store.pace_loading(pause)
        store.release_load()
        assert paused.wait(10) and not store.loaded("orders")  # held between two steps
        if quit_while_typing:
            started = time.perf_counter()
            store.close()
            assert time.perf_counter() - started < 5 and not store._loader.running  # type: ignore[union-attr]
            continue
        typing.clear()
        assert store.wait_loaded(30) and order_totals(store, 4) == expected_totals(4)
        store.close()


def test_info_counts_from_the_open_cache_without_waiting_for_the_load(db: Path, gate: Gate) -> None:  # noqa: F811
    """`custui info` on a big file: the tables still loading are counted from the open cache,
    unless the journal holds records of theirs (then it waits for them, and counts those)."""
    store = open_store(db, read_only=True)
    info = store.info()
    assert not store.loaded("orders") and not store.loaded("customers")  # nothing waited for
    assert info["tables"]["orders"] == ORDERS and info["tables"]["customers"] == CUSTOMERS
    assert info["tables"]["complaints"] == 1 and info["tables"]["vouchers"] == 0
    gate.open.set()  # the close waits for the load (10 s a table while held)
    store.close()

    writer = open_store(db)
    writer.insert("orders", {"customer_id": 1, "total": 5})
    writer._journal.close()  # a crash: the order is only in the journal
    writer._lock.release()
    writer._loader.stop()
    gate.open.clear()
    store = open_store(db, read_only=True)
    counts: dict[str, int] = {}
    thread = threading.Thread(target=lambda: counts.update(store.info()["tables"]))
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not counts  # orders has a journalled record: counted loaded
    gate.open.set()
    thread.join(10)
    assert counts["orders"] == ORDERS + 1 and counts["customers"] == CUSTOMERS
    store.close()


def test_records_whose_ids_are_not_in_order_are_still_the_right_ones(tmp_path: Path, gate: Gate) -> None:  # noqa: F811
    """A file whose customers are not listed by ascending id (custui writes them so): a record
    found is the one with that id; one not found waits for the load rather than be missed."""
    path = tmp_path / "shuffled.json"
    store = open_store(path, create=True)
    with store.bulk():
        store.put_many("customers", [{"id": n, "name": f"Võ Thị {n}"} for n in (9, 2, 30, 4, 17, 1, 12, 5)])
    store.close()
    store = open_store(path, read_only=True)
    assert store.peeking
    threading.Timer(0.3, gate.open.set).start()  # what the bisection cannot find waits for this
    for n in (9, 2, 30, 4, 17, 1, 12, 5):
        assert store.get("customers", n)["name"] == f"Võ Thị {n}"
    assert store.get("customers", 3) is None
    store.close()


async def test_keys_typed_before_the_lookup_has_its_index_never_pause_the_load_it_waits_for(
    db: Path, gate: Gate, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    """With no index kept from the last launch (a kill after a save, a deleted `.lookup`), the
    lookup's index is built from the customers the background load reads: pausing that load
    while the operator types would make the typing wait for itself."""
    store = open_store(db, hold_load=True)  # no <db>.lookup: the index is built at launch
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    pauses: list[tuple[bool, int]] = []  # (index built, how often the pause looked at `stopped`)
    pause = app._loader_pause

    def watched(stopped: Callable[[], bool]) -> None:
        looks = 0

        def counted() -> bool:
            nonlocal looks
            looks += 1
            return stopped()

        built = app.index.built
        pause(counted)
        pauses.append((built, looks))

    monkeypatch.setattr(app, "_loader_pause", watched)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"tran thi")  # typed while the loader is held before the customers
        gate.open.set()
        assert await wait_until(pilot, lambda: "40 best matches for “tran thi”" in screen_text(app))
        assert await wait_until(pilot, lambda: store.loaded())
        await pilot.press("ctrl+q")
    store.close()
    before_index = [looks for built, looks in pauses if not built]
    assert before_index, "the load never stepped before the index was built"
    assert before_index == [0] * len(before_index)  # it never waited on the typing


def test_a_read_of_the_customers_alone_loads_them_and_the_rest_waits_for_the_release(
    db: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The lookup's index, with none kept from the last launch, is built from the customers:
    reading them starts their load only, so the index is not built against the big tables'
    parse under the same GIL; the rest loads once the app releases the load."""
    parsing_orders = threading.Event()
    real = lazy.parse_table

    def watched(fd, name, tl, with_index, stop=lambda: False, **more):  # type: ignore[no-untyped-def]
        if name == "orders":
            parsing_orders.set()
        return real(fd, name, tl, with_index, stop, **more)

    monkeypatch.setattr(lazy, "parse_table", watched)
    class Release(threading.Event):
        """The loader's release of the tables after the first, telling when it is waited for."""

        def __init__(self) -> None:
            super().__init__()
            self.waited_for = threading.Event()

        def wait(self, timeout: float | None = None) -> bool:
            self.waited_for.set()
            return super().wait(timeout)

    store = open_store(db, hold_load=True)
    assert store.peeking
    release = store._loader._rest = Release()  # type: ignore[union-attr]
    assert [c["name"] for c in store.all("customers")][:2] == ["Trần Thị 1", "Trần Thị 2"]
    assert store.loaded("customers")
    assert release.waited_for.wait(30)  # the loader, with the customers, waits for the rest's release
    assert not parsing_orders.is_set() and not store.loaded("orders")
    store.release_load()
    assert store.wait_loaded(30) and order_totals(store, 4) == expected_totals(4)
    store.close()


def test_a_close_while_the_rest_waits_for_the_release_is_not_held(db: Path) -> None:  # noqa: F811
    store = open_store(db, hold_load=True)
    assert store.all("customers") and not store.loaded("orders")
    started = time.perf_counter()
    store.close()
    assert time.perf_counter() - started < 5 and not store._loader.running  # type: ignore[union-attr]
    assert sidecar_path(db).exists()


async def test_with_no_index_kept_the_lookup_lists_recent_customers_while_the_index_is_built(
    db: Path, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    """A kill after a save leaves no usable `.lookup`: the first rows must not wait for the
    whole index build (seconds at 100k customers)."""
    building = threading.Event()
    finish = threading.Event()
    real_add = CustomerIndex._add

    def slow_add(self: CustomerIndex, doc: dict) -> None:
        building.set()
        finish.wait(20)
        real_add(self, doc)

    monkeypatch.setattr(CustomerIndex, "_add", slow_add)
    store = open_store(db, hold_load=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            # rows on screen while the build is held inside (rows may come before it starts)
            assert await wait_until(pilot, lambda: building.is_set() and "Trần Thị" in screen_text(app),
                                    workers=False)
            assert not app.index.built
            finish.set()
            await pilot.press(*"tran thi")
            assert await wait_until(pilot, lambda: "40 best matches for “tran thi”" in screen_text(app))
            await pilot.press("ctrl+q")
    finally:
        finish.set()
        store.close()
