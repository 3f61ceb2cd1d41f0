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
