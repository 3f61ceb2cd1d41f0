"""Saves before background work (issue 17): the store's own threads (the loader, the columns
after a full parse, the open cache's rebuild, the backup's copy) wait between their steps
while saves are being made, until none for WRITE_QUIET seconds and at most WRITE_PAUSE_MAX a
step; a read or write waiting for a table to load never waits for such a pause, and a close
ends one. Time here is a fake clock the test moves: no assertion depends on real time."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from custui.store import backups, columns, file_store, rebuild
from custui.store.backups import list_backups
from custui.store.columns import ColumnTable
from custui.store.file_store import FileStore
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path
from tests.test_store_sidecar import (  # noqa: F401 - fixtures
    CUSTOMERS,
    ORDERS,
    db,
    everything_but_customers_in_background,
    expected_totals,
    order_totals,
)

QUIET, CAP = 10.0, 100.0  # seconds of the fake clock
GUARD = 60  # real seconds before a test that would hang fails instead


class FakeClock:
    """The store's clock: stands still until the test moves it; counts each thread's looks."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._looks: Counter[str] = Counter()
        self._changed = threading.Condition()

    def __call__(self) -> float:
        with self._changed:
            self._looks[threading.current_thread().name] += 1
            self._changed.notify_all()
        return self.now

    def looked(self, thread: str, times: int = 3) -> bool:
        """Wait until `thread` has looked at the clock `times` more times (it is in a pause)."""
        with self._changed:
            want = self._looks[thread] + times
            return self._changed.wait_for(lambda: self._looks[thread] >= want, GUARD)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(FileStore, "clock", fake)
    monkeypatch.setattr(FileStore, "WRITE_QUIET", QUIET)
    monkeypatch.setattr(FileStore, "WRITE_PAUSE_MAX", CAP)
    return fake


def held_until(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> threading.Event:
    """Hold `owner.name` (a background thread's first call) until the returned event is set."""
    go = threading.Event()
    real = getattr(owner, name)

    def held(*args: object, **kwargs: object) -> object:
        go.wait(GUARD)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return go


def in_thread(call: Callable[[], object], name: str = "test-thread") -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        call()
        done.set()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, done


def save(store: FileStore, n: int = 1) -> None:
    store.insert("customers", {"name": f"Saved {n}"})


def test_a_pause_lasts_while_saves_keep_coming_until_a_quiet_time_or_the_cap(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = open_store(tmp_path / "shop.json", create=True)
    thread, done = in_thread(lambda: store.pause_for_writes(lambda: False), "bg")
    thread.join(GUARD)
    assert done.is_set()  # no save yet: no pause

    save(store)
    thread, done = in_thread(lambda: store.pause_for_writes(lambda: False), "bg")
    assert clock.looked("bg") and not done.is_set()
    for n in range(11):  # a save every 9 s of the fake clock: never QUIET without one
        clock.now += 9
        save(store, n)
        assert clock.looked("bg") and not done.is_set()
    clock.now += 2  # the last save 2 s ago, but CAP since the pause began: it ends
    thread.join(GUARD)
    assert done.is_set()

    save(store)
    thread, done = in_thread(lambda: store.pause_for_writes(lambda: False), "bg")
    assert clock.looked("bg") and not done.is_set()
    clock.now += QUIET  # no save for QUIET: the pause ends well before the cap
    thread.join(GUARD)
    assert done.is_set()

    save(store)
    stop = threading.Event()
    thread, done = in_thread(lambda: store.pause_for_writes(stop.is_set), "bg")
    assert clock.looked("bg") and not done.is_set()
    stop.set()  # the thread is being stopped: the pause ends at once
    thread.join(GUARD)
    assert done.is_set()
    store.close()


@pytest.fixture
def full_parse_with_columns(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:  # noqa: F811
    sidecar_path(db).unlink()  # a full parse
    monkeypatch.setattr(file_store, "COLUMNS_LATER", 0)  # every table is "big": columns later
    yield db


def columns_pausing(path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> FileStore:
    """A store opened by a full parse, saved to just before its columns start: they pause."""
    go = held_until(monkeypatch, FileStore, "_make_columns")
    store = open_store(path)
    save(store)
    go.set()
    assert clock.looked("custui-store-columns")
    return store


def test_the_columns_after_a_full_parse_wait_while_saves_are_made(
    full_parse_with_columns: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = columns_pausing(full_parse_with_columns, clock, monkeypatch)
    assert not store.wait_settled(0) and type(store._tables["orders"]) is dict
    clock.now += QUIET - 1
    save(store, 2)
    assert clock.looked("custui-store-columns") and not store.wait_settled(0)
    clock.now += QUIET  # saves stopped: the columns are made
    assert store.wait_settled(GUARD)
    assert isinstance(store._tables["orders"], ColumnTable)
    assert order_totals(store, 5) == expected_totals(5)
    assert [c["name"] for c in store.all("customers")[-2:]] == ["Saved 1", "Saved 2"]
    store.close()


def test_a_close_during_a_pause_ends_it(
    full_parse_with_columns: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake clock never moves: a close that waited for the pause to end would hang."""
    store = columns_pausing(full_parse_with_columns, clock, monkeypatch)
    thread, done = in_thread(store.close)
    thread.join(GUARD)
    assert done.is_set() and store._columnizer is not None and not store._columnizer.is_alive()
    again = open_store(full_parse_with_columns)
    assert again.all("customers")[-1]["name"] == "Saved 1" and len(again.all("orders")) == ORDERS
    again.close()


def test_a_write_to_a_table_still_loading_is_not_held_by_the_pause_of_the_saves_before_it(
    db: Path, clock: FakeClock  # noqa: F811
) -> None:
    """The loader pauses for a save to customers; a save to orders (still loading) waits for
    the loader, which must not wait for the quiet time that save's own wait keeps away."""
    store = open_store(db, hold_load=True)
    save(store)
    store.release_load()
    assert clock.looked("custui-store-loader") and not store.loaded("orders")
    thread, done = in_thread(lambda: store.insert("orders", {"customer_id": 5, "total": 7}))
    thread.join(GUARD)
    assert done.is_set() and store.loaded("orders")
    assert order_totals(store, 5) == [*expected_totals(5), 7]
    clock.now += QUIET  # the rest of the load
    assert store.wait_loaded(GUARD) and len(store.all("customers")) == CUSTOMERS + 1
    store.close()


def test_a_read_of_a_table_still_loading_is_not_held_by_that_pause_either(
    db: Path, clock: FakeClock  # noqa: F811
) -> None:
    store = open_store(db, hold_load=True)
    save(store)
    store.release_load()
    assert clock.looked("custui-store-loader") and not store.loaded("orders")
    totals: list[list[int]] = []
    thread, done = in_thread(lambda: totals.append(order_totals(store, 5)))
    thread.join(GUARD)
    assert done.is_set() and totals == [expected_totals(5)]
    thread, done = in_thread(store.close)  # the loader still pausing for the save: cancelled
    thread.join(GUARD)
    assert done.is_set()


def test_the_open_caches_rebuild_waits_while_saves_are_made(
    db: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    sidecar_path(db).unlink()
    go = held_until(monkeypatch, rebuild, "_lower_priority")
    store = open_store(db)
    save(store)
    go.set()
    assert clock.looked("custui-store-rebuild")
    assert not store.finish_rebuild(0) and not sidecar_path(db).exists()
    clock.now += QUIET
    assert store.finish_rebuild(GUARD) and sidecar_path(db).exists()
    store.close()


def test_the_backups_copy_waits_while_saves_are_made(
    db: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    go = held_until(monkeypatch, backups, "copy_atomic")
    store = open_store(db)
    assert store.wait_loaded(GUARD)
    backup = list_backups(db)[0]
    assert backup.stat().st_ino == db.stat().st_ino  # the open's backup: a link, copied apart later
    save(store)
    go.set()
    assert clock.looked("custui-backup-copy")
    assert backup.stat().st_ino == db.stat().st_ino
    clock.now += QUIET
    assert store._unsharer is not None
    store._unsharer._thread.join(GUARD)
    assert backup.stat().st_ino != db.stat().st_ino and not store._unsharer._thread.is_alive()
    store.close()


def test_the_columns_long_steps_each_come_after_a_pause(
    full_parse_with_columns: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the columns and grouping them by customer are one step each (the grouping's
    first run imports numpy): each comes after a look at `stopped`, where the pause is."""
    monkeypatch.setattr(FileStore, "_columnize_later", lambda self: None)  # run by hand below
    store = open_store(full_parse_with_columns)
    seen: list[str] = []
    for owner, name in ((columns.ColumnBuilder, "build"), (ColumnTable, "index_customers")):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda self, real=real, name=name: seen.append(name) or real(self))

    assert store.columnize_table("orders", lambda: seen.append("look") or False)
    at = seen.index("build")
    assert seen[at - 1 : at + 3] == ["look", "build", "look", "index_customers"]
    assert order_totals(store, 5) == expected_totals(5)
    store.close()


def test_the_loaders_long_steps_each_come_after_a_pause(
    db: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The same in the loader (a table parsed into columns through the open cache)."""
    seen: list[str] = []
    for owner, name in ((columns.ColumnBuilder, "build"), (ColumnTable, "index_customers")):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda self, real=real, name=name: seen.append(name) or real(self))
    store = open_store(db, hold_load=True)
    store.pace_loading(lambda stopped: seen.append("look"))
    store.release_load()
    assert store.wait_loaded(GUARD) and "build" in seen
    for at, step in enumerate(seen):
        if step != "look":
            assert seen[at - 1] == "look", seen
    assert order_totals(store, 5) == expected_totals(5)
    store.close()


def test_a_close_with_saves_while_the_loader_makes_customers_lean_is_not_deadlocked(
    db: Path, clock: FakeClock  # noqa: F811
) -> None:
    """open, save, close (a CLI command): the close compacts holding the mutex and waits for
    the load, so the loader's customers (parsed at open, made lean first) must not wait for
    the mutex. Before, a close then hung for good; the pause after the save held the loader
    right there, so this test hits it every time."""
    store = open_store(db, hold_load=True)  # (a load not held may be done before the save)
    store.insert("customers", {"name": "Saved"})
    store.release_load()
    assert clock.looked("custui-store-loader") and not store.loaded("orders")
    thread, done = in_thread(store.close)
    thread.join(GUARD)
    assert done.is_set()
    again = open_store(db)
    assert again.all("customers")[-1]["name"] == "Saved" and len(again.all("customers")) == CUSTOMERS + 1
    assert order_totals(again, 5) == expected_totals(5)
    again.close()
