"""Quitting the app while a big database still loads: the exit waits for neither the lookup's
index build nor the background load, and the open cache is kept for the next launch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pilot_helpers import wait_until

from custui.app import make_app
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.store.memory import MemoryStore
from custui.store.open import open_store
from tests.conftest import NOW
from tests.test_store_sidecar import (  # noqa: F401 - fixtures
    Blocked,
    db,
    everything_but_customers_in_background,
    expected_totals,
    order_totals,
)


async def test_a_quit_during_the_background_load_stops_it_and_keeps_the_cache(
    db: Path, monkeypatch: pytest.MonkeyPatch, shipped_config: object  # noqa: F811
) -> None:
    blocked = Blocked(monkeypatch)
    store = open_store(db, hold_load=True)  # as run_app opens it: the app releases the load
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        # the lookup answers first, then the held load begins (and is stuck in its first table)
        assert await wait_until(pilot, blocked.started.is_set, workers=False)
        assert len(app.index.search_ids("tran thi", 100)) == 40
        await pilot.press("ctrl+q")
    # the exit itself stopped the load: no worker waiting for orders held it up
    assert blocked.saw_stop and not store._loader.running  # type: ignore[union-attr]
    store.close()
    monkeypatch.undo()
    again = open_store(db, read_only=True)
    assert again.open_path == "open cache" and order_totals(again, 3) == expected_totals(3)
    again.close()


class Slow(MemoryStore):
    """Customers handed out one by one, the app quitting after the fifth."""

    index: CustomerIndex

    def all(self, table: str) -> list[Doc]:
        docs = super().all(table)
        if table != "customers":
            return docs

        def one_by_one() -> Iterator[Doc]:
            for n, doc in enumerate(docs):
                if n == 5:
                    self.index.close()
                yield doc

        return one_by_one()  # type: ignore[return-value]


def test_closing_the_index_stops_its_build() -> None:
    store = Slow("slow")
    for i in range(20):
        store.insert("customers", {"name": f"Lê Văn {i}", "phone": f"09{i:08d}"})
    store.index = index = CustomerIndex(store)
    index.prepare()  # the app's warm-up, cut short by the exit
    assert not index._built and len(index._names) == 5
    assert index.search_ids("le van", 5) == []  # and no search starts the build again
    assert not index._built
