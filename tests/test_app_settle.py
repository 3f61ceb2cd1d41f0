"""After a full parse the store makes its big tables columns in the background: the app keeps
what it builds for the session (the derived cache) until that is over, so that it does not sit
between the parsed records and keep their memory once they are freed; a quit meanwhile does not
wait for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pilot_helpers import wait_until

from custui.app import make_app
from custui.services.workspace import Workspace
from custui.store import file_store
from custui.store.columns import ColumnTable
from custui.store.file_store import FileStore
from custui.store.memory import MemoryStore
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path
from tests.conftest import NOW
from tests.test_store_columns import db  # noqa: F401 - fixture


class HeldColumns:
    """The store's background making of columns waits for `go` (or the store's stop)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.go = threading.Event()
        self.started = threading.Event()
        real = FileStore.columnize_table

        def held(store: FileStore, table: str, stopped: Callable[[], bool]) -> bool:
            self.started.set()
            while not self.go.wait(0.01):
                if stopped():
                    return False
            return real(store, table, stopped)

        monkeypatch.setattr(FileStore, "columnize_table", held)
        monkeypatch.setattr(file_store, "COLUMNS_LATER", 0)  # every table is "big"


def full_parse(db: Path) -> FileStore:  # noqa: F811
    sidecar_path(db).unlink()
    return open_store(db, hold_load=True)  # as run_app opens it


def test_wait_settled_waits_for_the_columns(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    held = HeldColumns(monkeypatch)
    store = full_parse(db)
    assert store.wait_loaded(0) and held.started.wait(10)
    assert not store.wait_settled(0.05)  # loaded, not settled
    held.go.set()
    assert store.wait_settled(60)
    assert isinstance(store._tables["orders"], ColumnTable)
    store.close()
    assert MemoryStore().wait_settled(0)
    again = open_store(db)  # through the open cache: settled once loaded
    assert again.wait_settled(60) and again.open_path == "open cache"
    again.close()


async def test_the_derived_cache_is_built_once_the_store_settled(
    db: Path, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    held = HeldColumns(monkeypatch)
    store = full_parse(db)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: app.index.activity_folded, workers=False)
        assert len(app.index.search_ids("le thi", 100)) == 40  # the lookup answers meanwhile
        assert held.started.is_set() and not ws.derived.built
        held.go.set()
        assert await wait_until(pilot, lambda: ws.derived.built, workers=False)
        assert isinstance(store._tables["orders"], ColumnTable)
    store.close()


async def test_a_quit_while_the_store_settles_does_not_wait_for_it(
    db: Path, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    held = HeldColumns(monkeypatch)
    store = full_parse(db)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: app.index.activity_folded, workers=False)
        assert held.started.is_set()
        await pilot.press("ctrl+q")
    started = time.perf_counter()
    store.close()  # stops the held columns
    assert time.perf_counter() - started < 5 and not ws.derived.built
