"""Opening through `<db>.idx`: used when fresh, ignored when stale, big tables load in the background."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from custui.errors import DatabaseCorrupt, DatabaseError
from custui.store import lazy, rebuild
from custui.store.backups import list_backups
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path

CUSTOMERS, ORDERS = 40, 3000  # orders span ~300 KB: past the 64 KiB head and tail the check hashes


@pytest.fixture(autouse=True)
def everything_but_customers_in_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    store = open_store(path, create=True)
    with store.bulk():
        for i in range(1, CUSTOMERS + 1):
            store.insert("customers", {"name": f"Trần Thị {i}", "phone": f"09{i:08d}"})
        for i in range(1, ORDERS + 1):
            store.insert("orders", {"customer_id": 1 + i % CUSTOMERS, "total": i * 1000, "date": "2026-01-02"})
        store.insert("complaints", {"customer_id": 3, "category": "delivery", "status": "open"})
    store.close()
    return path


class Gate:
    """Holds the background loader before it parses each table, until opened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        real = lazy.parse_table

        def gated(*args: object, **kwargs: object) -> object:
            self.open.wait(10)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(lazy, "parse_table", gated)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    g = Gate(monkeypatch)
    yield g
    g.open.set()


def order_totals(store: object, customer_id: int) -> list[int]:
    return [o["total"] for o in store.children("orders", customer_id)]  # type: ignore[attr-defined]


def expected_totals(customer_id: int) -> list[int]:
    return [i * 1000 for i in range(1, ORDERS + 1) if 1 + i % CUSTOMERS == customer_id]


def test_fresh_sidecar_opens_customers_first_and_orders_arrive(db: Path, gate: Gate) -> None:
    assert sidecar_path(db).exists()
    store = open_store(db)
    assert store._layout is not None  # the sidecar was trusted
    assert store.loaded("customers") and not store.loaded("orders")
    assert store.get("customers", 7)["name"] == "Trần Thị 7"  # usable while orders still load
    gate.open.set()
    assert order_totals(store, 5) == expected_totals(5)
    assert store.count("orders") == ORDERS and store.loaded()
    store.close()


def test_a_read_of_a_table_still_loading_waits_for_it(db: Path, gate: Gate) -> None:
    store = open_store(db)
    results: dict[str, object] = {}

    def reader() -> None:  # (a customer's orders are read from the file's bytes meanwhile)
        results["orders"] = sorted(doc["total"] for doc in store.all("orders") if doc["customer_id"] == 2)
        results["count"] = store.count("complaints")

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not results  # blocked, not answered from an empty table
    gate.open.set()
    thread.join(10)
    assert results == {"orders": expected_totals(2), "count": 1}
    store.close()


def test_a_write_to_a_loading_table_waits_and_gets_the_next_id(db: Path, gate: Gate) -> None:
    store = open_store(db)
    done: list[dict] = []
    thread = threading.Thread(target=lambda: done.append(store.insert("orders", {"customer_id": 1, "total": 5})))
    thread.start()
    thread.join(0.2)
    assert not done
    gate.open.set()
    thread.join(10)
    assert done[0]["id"] == ORDERS + 1
    store.close()
    assert len(TinyDB(db).table("orders")) == ORDERS + 1


def test_journal_is_replayed_over_tables_loaded_in_the_background(db: Path, gate: Gate) -> None:
    gate.open.set()
    store = open_store(db)
    store.update("orders", 10, {"total": 1})
    added = store.insert("orders", {"customer_id": 1, "total": 2})
    store.update("customers", 1, {"name": "Đặng Văn A"})
    store._journal.close()  # simulate a crash: the saves are only in the journal
    store._lock.release()
    store._loader.stop()

    gate.open.clear()
    reader = open_store(db, read_only=True)  # no recovery: the journal waits for orders to load
    assert reader.get("customers", 1)["name"] == "Đặng Văn A"
    gate.open.set()
    assert reader.get("orders", 10)["total"] == 1
    assert reader.get("orders", added["id"])["total"] == 2
    assert 2 in order_totals(reader, 1)
    reader.close()

    recovered = open_store(db)  # folds the journal into the file, with a fresh sidecar
    assert recovered.get("orders", 10)["total"] == 1 and recovered.count("orders") == ORDERS + 1
    recovered.close()
    assert recovered.journal_size == 0
    again = open_store(db)
    assert again._layout is not None and again.get("orders", added["id"])["total"] == 2
    again.close()


def test_sidecar_is_ignored_after_stock_tinydb_changed_the_file(db: Path) -> None:
    tiny = TinyDB(db)
    tiny.table("orders").insert({"customer_id": 1, "total": 777})
    tiny.close()
    store = open_store(db)
    assert store._layout is None  # stale: parsed the whole file
    assert store.count("orders") == ORDERS + 1 and 777 in order_totals(store, 1)
    store.close()  # writes the file and a fresh sidecar
    fresh = open_store(db)
    assert fresh._layout is not None and 777 in order_totals(fresh, 1)
    fresh.close()


def test_hand_edit_of_same_size_and_time_is_caught_by_the_content_check(db: Path) -> None:
    before = os.stat(db)
    data = db.read_bytes()
    edited = data.replace("Trần Thị 7\"".encode(), "Trần Thị X\"".encode())
    assert len(edited) == len(data) and edited != data
    with open(db, "r+b") as out:  # in place: same inode, same size
        out.write(edited)
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns))
    store = open_store(db, read_only=True)
    assert store._layout is None
    assert store.get("customers", 7)["name"] == "Trần Thị X"
    store.close()


@pytest.mark.parametrize("damage", ["missing", "garbage", "offsets"])
def test_missing_or_broken_sidecar_only_costs_a_full_parse(db: Path, damage: str) -> None:
    side = sidecar_path(db)
    if damage == "missing":
        side.unlink()
    elif damage == "garbage":
        side.write_bytes(b"\x00not json")
    else:
        body = orjson.loads(side.read_bytes())
        body["tables"]["orders"]["chunks"][0][1] -= 5  # no longer tiles the table
        side.write_bytes(orjson.dumps(body))
    store = open_store(db)
    assert store._loader is None  # parsed the whole file (_layout may be rebuilt already)
    assert order_totals(store, 3) == expected_totals(3)
    store.close()
    assert open_store(db, read_only=True)._layout is not None  # rebuilt on close


def test_damage_only_the_background_load_sees_fails_its_reads_and_keeps_backups(db: Path) -> None:
    # two good backups (the second session's tables load, else close drops its backup as a
    # twin of the first's); the first close races the loader, which once deleted the sidecar
    for wait in (False, True):
        opened = open_store(db, backups_kept=2)
        assert not wait or opened.wait_loaded(30)
        opened.close()
    good = list_backups(db)
    assert len(good) == 2
    check = open_store(db, read_only=True)
    assert check._layout is not None  # the sidecar survived both closes
    check.close()
    before = os.stat(db)
    data = bytearray(db.read_bytes())
    middle = data.index(b'"1500":{')
    data[middle + 6] = ord("#")  # same size, inside the orders, far from head and tail
    with open(db, "r+b") as out:
        out.write(data)
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns))

    store = open_store(db, backups_kept=2)
    assert store.get("customers", 1)["name"] == "Trần Thị 1"
    with pytest.raises(DatabaseCorrupt):
        store.all("orders")
    store.close()
    assert set(good) <= set(list_backups(db))  # no good backup rotated away for a broken file
    assert bytes(data) == db.read_bytes()  # never overwritten
    with pytest.raises(DatabaseCorrupt, match="backups"):  # the next open parses it all and refuses
        open_store(db)


class Blocked:
    """The loader's first table never finishes unless the store asks it to stop."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.saw_stop = False
        real = lazy.parse_table

        def blocked(fd, name, tl, with_index, stop=lambda: False, **more):  # type: ignore[no-untyped-def]
            self.started.set()
            ceiling = threading.Event()
            for _ in range(3000):  # up to 30 s: a close that waits for the load would hang here
                if stop():
                    self.saw_stop = True
                    break
                ceiling.wait(0.01)
            return real(fd, name, tl, with_index, stop, **more)

        monkeypatch.setattr(lazy, "parse_table", blocked)


@pytest.mark.parametrize("read_only", [True, False])
def test_close_right_after_open_cancels_the_load_and_keeps_the_sidecar(
    db: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    blocked = Blocked(monkeypatch)
    store = open_store(db, read_only=read_only)
    assert blocked.started.wait(30)
    store.close()  # `custui info`, or a quit one second after launch
    assert blocked.saw_stop and not store._loader._thread.is_alive()
    assert sidecar_path(db).exists()
    monkeypatch.undo()
    again = open_store(db, read_only=True)
    assert again._layout is not None and order_totals(again, 3) == expected_totals(3)
    again.close()


def lie(db: Path, how: str) -> None:
    """Rewrite the sidecar so that it still looks well formed but misdescribes the file."""
    side = sidecar_path(db)
    body = orjson.loads(side.read_bytes())
    orders = body["tables"]["orders"]
    if how == "omits a table":
        del body["tables"]["orders"]
    elif how == "shortens a table":  # ends the table at a record boundary half way, count to match
        data = db.read_bytes()
        cut = data.index(b',"1500":{', orders["chunks"][0][0])
        orders["chunks"] = [[orders["chunks"][0][0], cut]]
        orders["span"] = [orders["span"][0], cut + 1]
        orders["count"] = 1499
    else:  # wrong count
        orders["count"] -= 1
    side.write_bytes(orjson.dumps(body))


@pytest.mark.parametrize("how", ["omits a table", "shortens a table", "wrong count"])
def test_a_lying_sidecar_never_loses_a_record(db: Path, how: str) -> None:
    lie(db, how)
    store = open_store(db)
    assert store.count("orders") == ORDERS and order_totals(store, 3) == expected_totals(3)
    store.insert("customers", {"name": "saved after"})  # the next save must not write a loss
    store.close()
    tiny = TinyDB(db)
    assert len(tiny.table("orders")) == ORDERS
    tiny.close()
    fresh = open_store(db, read_only=True)  # and the cache was rebuilt, truthful
    assert fresh._layout is not None and fresh.count("orders") == ORDERS
    fresh.close()


# -- the sidecar rebuilt in the background after a full parse (rebuild.py) -----------------
def rebuilt(store: object) -> str:
    """Wait (generously) for the background rebuild of `store` and say how it ended."""
    rebuilder = store._rebuilder  # type: ignore[attr-defined]
    assert rebuilder is not None, "no rebuild was started"
    assert rebuilder.done.wait(30)
    return str(rebuilder.outcome)


def leftover_temps(db: Path) -> list[str]:
    return [name for name in os.listdir(db.parent) if name.endswith(".tmp")]


def test_a_full_parse_rebuilds_the_missing_sidecar_and_the_next_open_uses_it(db: Path) -> None:
    good = orjson.loads(sidecar_path(db).read_bytes())
    sidecar_path(db).unlink()  # a race or a kill -9 lost it
    store = open_store(db)
    assert store._loader is None  # parsed the whole file (_layout may be rebuilt already)
    assert rebuilt(store) == "written"  # without waiting for a compaction
    assert orjson.loads(sidecar_path(db).read_bytes())["tables"] == good["tables"]
    store.close()
    fresh = open_store(db, read_only=True)
    assert fresh._layout is not None  # the rebuilt sidecar was trusted: the fast path
    assert order_totals(fresh, 3) == expected_totals(3)
    fresh.close()


def test_a_stale_sidecar_is_replaced_in_the_background(db: Path) -> None:
    old = sidecar_path(db).read_bytes()
    writer = open_store(db)
    saved = writer.insert("customers", {"name": "Lê Văn Mới"})
    writer.close()  # a new file (and its own sidecar)
    sidecar_path(db).write_bytes(old)  # now describes the file before
    store = open_store(db, read_only=True)
    assert store._layout is None
    assert rebuilt(store) == "written"
    store.close()
    assert sidecar_path(db).read_bytes() != old
    fresh = open_store(db, read_only=True)
    assert fresh._layout is not None
    assert fresh.get("customers", saved["id"])["name"] == "Lê Văn Mới"
    assert order_totals(fresh, 3) == expected_totals(3)
    fresh.close()


class Held:
    """Holds the rebuild's scan until released; records whether it was asked to stop."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.saw_stop = False
        real = rebuild.scan_layout

        def held(buf, plan, stopped):  # type: ignore[no-untyped-def]
            self.started.set()
            ceiling = threading.Event()
            for _ in range(3000):  # up to 30 s: a close that waits for the rebuild would hang here
                if self.release.is_set():
                    break
                if stopped():
                    self.saw_stop = True
                    break
                ceiling.wait(0.01)
            return real(buf, plan, stopped)

        monkeypatch.setattr(rebuild, "scan_layout", held)


def test_the_rebuild_is_skipped_when_the_file_changed_meanwhile(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sidecar_path(db).unlink()
    held = Held(monkeypatch)
    store = open_store(db, read_only=True)
    assert held.started.wait(30)
    st = os.stat(db)
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # another tool wrote it
    held.release.set()
    assert rebuilt(store) == "skipped: the file changed"
    store.close()
    assert not sidecar_path(db).exists() and leftover_temps(db) == []


@pytest.mark.parametrize("read_only", [True, False])
def test_close_right_after_a_full_parse_cancels_the_rebuild_and_leaves_no_partial_sidecar(
    db: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    sidecar_path(db).unlink()
    held = Held(monkeypatch)
    store = open_store(db, read_only=read_only)
    assert held.started.wait(30)
    store.close()  # `custui info`, or a quit right after launch: not held up by the rebuild
    assert held.saw_stop and store._rebuilder.outcome == "cancelled"
    assert not store._rebuilder._thread.is_alive()
    assert leftover_temps(db) == []
    # read-only: no sidecar at all; writable: the one close's compaction wrote, never a partial one
    assert sidecar_path(db).exists() is not read_only
    if not read_only:
        monkeypatch.undo()
        fresh = open_store(db, read_only=True)
        assert fresh._layout is not None and fresh.count("orders") == ORDERS
        fresh.close()


def test_a_read_only_open_rebuilds_it_without_writing_the_database(db: Path) -> None:
    sidecar_path(db).unlink()
    before, data = os.stat(db), db.read_bytes()
    store = open_store(db, read_only=True)  # `custui info`, `custui export`, the app --read-only
    assert rebuilt(store) == "written"
    store.close()
    after = os.stat(db)
    assert db.read_bytes() == data
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino, before.st_mtime_ns, before.st_size)
    fresh = open_store(db, read_only=True)
    assert fresh._layout is not None and order_totals(fresh, 7) == expected_totals(7)
    fresh.close()


def test_a_read_only_rebuild_leaves_the_sidecar_to_a_running_writer(db: Path) -> None:
    writer = open_store(db)
    sidecar_path(db).unlink()
    reader = open_store(db, read_only=True)
    assert rebuilt(reader) == "skipped: a writer holds the database"  # never beside its compaction
    reader.close()
    writer.close()


# -- every way a session ends keeps the open cache (bench/app_start.py's sequences) ----------
def test_an_after_load_step_that_fails_is_no_load_failure_and_keeps_the_cache(db: Path) -> None:
    """An app quitting as the load ends: its screen's after-load refresh raises ("App is not
    running"); that used to count as a damaged file and delete the cache."""
    store = open_store(db, hold_load=True)  # so the step is registered before the load ends

    def screen_gone() -> None:
        raise RuntimeError("App is not running")

    store.after_load(screen_gone)
    assert store.wait_loaded(30)
    assert order_totals(store, 3) == expected_totals(3)
    store.close()
    again = open_store(db, read_only=True)
    assert again.open_path == "open cache" and order_totals(again, 3) == expected_totals(3)
    again.close()


@pytest.mark.parametrize("how", ["released", "a read"])
def test_a_held_load_starts_when_released_or_at_the_first_read(db: Path, how: str) -> None:
    """The app holds the big tables until its lookup answers; nothing that needs them waits forever."""
    store = open_store(db, hold_load=True)
    assert store.get("customers", 3)["name"] == "Trần Thị 3"
    assert not store.loaded("orders")  # held: not one chunk parsed
    if how == "released":
        store.release_load()
        assert store.wait_loaded(30) and store.loaded()
    assert order_totals(store, 3) == expected_totals(3)
    store.close()


@pytest.mark.parametrize("read_only", [True, False])
def test_a_load_stopped_by_a_quitting_app_keeps_a_fresh_cache(
    db: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    """The app's exit stops the load before close (no worker waits for it); the writable close
    then gives the file its own inode (it was hard-linked as the open's backup) and must
    still leave the cache describing it."""
    blocked = Blocked(monkeypatch)
    store = open_store(db, read_only=read_only)
    assert blocked.started.wait(30)
    store.stop_loading()
    assert blocked.saw_stop and not store._loader.running  # type: ignore[union-attr]
    with pytest.raises(DatabaseError):  # a worker reading orders now gives up instead of waiting
        store.all("orders")
    if not read_only:
        assert os.stat(db).st_nlink > 1  # the backup link that close breaks
    store.close()
    monkeypatch.undo()
    again = open_store(db, read_only=True)
    assert again.open_path == "open cache" and order_totals(again, 3) == expected_totals(3)
    again.close()


def test_a_kill_during_the_load_leaves_the_cache_for_the_next_open(db: Path) -> None:
    code = (
        "import sys, time\n"
        "from custui.store.open import open_store\n"
        f"store = open_store({str(db)!r}, hold_load=True)\n"
        "print('open', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "open\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    again = open_store(db)
    assert again.open_path == "open cache" and order_totals(again, 3) == expected_totals(3)
    again.close()


def test_a_copy_that_keeps_the_time_keeps_its_cache(db: Path, tmp_path: Path) -> None:
    """cp -p, rsync -a, bench/app_start.py's copies: the same bytes at the same offsets."""
    other = tmp_path / "copy" / "shop.json"
    other.parent.mkdir()
    shutil.copy2(db, other)
    shutil.copy2(sidecar_path(db), sidecar_path(other))
    assert os.stat(other).st_ino != os.stat(db).st_ino
    store = open_store(other, read_only=True)
    assert store.open_path == "open cache" and order_totals(store, 3) == expected_totals(3)
    store.close()


def test_the_store_log_says_which_path_each_open_took(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    log = tmp_path / "store.log"
    monkeypatch.setenv("CUSTUI_STORE_LOG", str(log))
    open_store(db, read_only=True).close()
    sidecar_path(db).unlink()
    store = open_store(db, read_only=True)
    assert rebuilt(store) == "written"
    store.close()
    lines = log.read_text().splitlines()
    assert "open read-only: open cache" in lines[0]
    assert "open read-only: full parse (open cache missing)" in "\n".join(lines[1:])
    assert any("open cache rebuild: written" in line for line in lines)
