"""The numpy sums behind segments and the dashboard give exactly what the pure-Python
reference gives (Base.columnar = False), fresh and after writes followed incrementally."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest

from custui.config.loader import AppConfig, load_config
from custui.services.analytics import Analytics
from custui.services.analytics_base import Base
from custui.services.demo import generate_demo
from custui.services.derived import Derived
from custui.store.memory import MemoryStore

TODAY = date(2026, 5, 20)
PERIODS = [(date(2026, 1, 1), date(2026, 5, 20)), (date(2025, 5, 21), date(2026, 5, 20)),
           (date(2026, 5, 20), date(2026, 5, 20))]


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config(None)


@pytest.fixture
def reference() -> Iterator[None]:
    yield
    Base.columnar = True


def figures(store: MemoryStore, config: AppConfig, columnar: bool) -> tuple[object, ...]:
    Base.columnar = columnar
    analytics = Analytics(store, config, lambda: TODAY)
    return (analytics.segment_list(), analytics.segments(),
            *(analytics.dashboard(*period) for period in PERIODS))


@pytest.mark.parametrize("seed", [1, 2])
def test_columnar_figures_equal_the_pure_python_ones(config: AppConfig, seed: int, reference: None) -> None:
    store = MemoryStore()
    generate_demo(store, 120, seed=seed, today=TODAY)
    expected = figures(store, config, columnar=False)
    assert figures(store, config, columnar=True) == expected
    assert any(s.revenue for s in expected[1])  # the demo has sales to sum


def test_incremental_columnar_equals_a_fresh_pure_python_run(config: AppConfig, reference: None) -> None:
    store = MemoryStore()
    generate_demo(store, 80, seed=5, today=TODAY)
    live = Derived(store, config, lambda: TODAY)
    shared = Analytics(store, config, lambda: TODAY, live)
    rng = random.Random(3)
    customers = [c["id"] for c in store.all("customers")]
    for step in range(4):
        store.insert("orders", {"customer_id": rng.choice(customers), "date": f"2026-0{1 + step}-1{step}",
                                "total": rng.randrange(1, 900) * 1000, "promo": step % 2 == 0})
        order = rng.choice(store.all("orders"))
        store.update("orders", order["id"], {"void": True})
        Base.columnar = True
        got = (shared.segment_list(), shared.segments(), *(shared.dashboard(*p) for p in PERIODS))
        assert got == figures(store, config, columnar=False)


def test_empty_store_and_no_orders(config: AppConfig, reference: None) -> None:
    store = MemoryStore()
    assert figures(store, config, True) == figures(store, config, False)
    store.insert("customers", {"name": "an", "kind": "individual"})
    assert figures(store, config, True) == figures(store, config, False)


def test_every_kind_of_write_keeps_segments_and_dashboard_exact(config: AppConfig, reference: None) -> None:
    """Segments and dashboard after each kind of write, computed incrementally (member sets,
    customer lists, order columns and feedback views kept from the revision before), equal a
    fresh pure-Python run."""
    store = MemoryStore()
    generate_demo(store, 150, seed=9, today=TODAY)
    shared = Analytics(store, config, lambda: TODAY, Derived(store, config, lambda: TODAY))
    customers = [c["id"] for c in store.all("customers")]
    rng = random.Random(11)
    writes = [
        lambda: store.insert("orders", {"customer_id": rng.choice(customers), "date": "2026-05-19",
                                        "total": 450_000, "promo": True}),
        lambda: store.update("orders", rng.choice(store.all("orders"))["id"], {"void": True}),
        lambda: store.update("customers", rng.choice(customers), {"kind": "business"}),
        lambda: store.update("customers", rng.choice(customers), {"archived": True}),
        lambda: store.insert("customers", {"name": "new", "kind": "individual", "scope": "external"}),
        lambda: store.insert("feedback", {"customer_id": rng.choice(customers), "survey_id": "after_purchase",
                                          "created_at": "2026-05-18T10:00:00", "answers": {"nps": 2}}),
        lambda: store.insert("complaints", {"customer_id": rng.choice(customers), "category": "quality",
                                            "status": "open", "opened_at": "2026-05-18T09:00:00",
                                            "due_at": "2026-05-19T09:00:00"}),
        lambda: store.update("orders", rng.choice(store.all("orders"))["id"], {"customer_id": rng.choice(customers)}),
    ]
    for write in writes:
        Base.columnar = True
        shared.segments()
        shared.dashboard(*PERIODS[0])  # the revision before the write is fully computed
        write()
        got = (shared.segment_list(), shared.segments(), *(shared.dashboard(*p) for p in PERIODS))
        assert got == figures(store, config, columnar=False)
