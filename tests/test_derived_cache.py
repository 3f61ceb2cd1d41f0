"""The shared Derived cache: after any writes it equals a fresh full build."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from custui.config.loader import AppConfig, load_config
from custui.services.analytics import Analytics
from custui.services.derived import Derived, DerivedSnapshot
from custui.store.memory import MemoryStore

TODAY = date(2026, 5, 20)


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config(None)


def day_pairs(snap: DerivedSnapshot) -> dict[int, list[tuple[int, int]]]:
    """Day buckets as sorted (customer, total) pairs (order within a day is not part of the contract)."""
    return {day: sorted(zip(snap.day_cids[day], snap.day_totals[day], strict=True)) for day in snap.day_cids}


def assert_same(live: Derived, store: MemoryStore, config: AppConfig, today: date) -> None:
    fresh = Derived(store, config, lambda: today).snapshot()
    mine = live.snapshot()
    assert mine.today == fresh.today
    assert mine.stats == fresh.stats
    assert mine.facts == fresh.facts
    assert day_pairs(mine) == day_pairs(fresh)


def random_day(rng: random.Random) -> str:
    return (TODAY - timedelta(days=rng.randrange(-3, 900))).isoformat()


def random_writes(store: MemoryStore, rng: random.Random, steps: int) -> None:
    """Inserts, corrections, voids, merges that move orders, archives and overrides."""
    for _ in range(steps):
        customers = [c["id"] for c in store.all("customers")]
        orders = [o["id"] for o in store.all("orders")]
        move = rng.random()
        if move < 0.1 or not customers:
            store.insert("customers", {"name": f"c{rng.random()}", "kind": "individual"})
        elif move < 0.5 or not orders:
            store.insert("orders", {
                "customer_id": rng.choice(customers), "date": random_day(rng),
                "total": rng.randrange(0, 3_000_000), "promo": rng.random() < 0.3,
            })
        elif move < 0.6:
            store.update("orders", rng.choice(orders), {"void": True})
        elif move < 0.7:
            store.update("orders", rng.choice(orders), {"total": rng.randrange(0, 3_000_000), "date": random_day(rng)})
        elif move < 0.8:  # a merge: every order of one customer moves to another, which is archived
            keep, gone = rng.choice(customers), rng.choice(customers)
            with store.batch():
                for order in store.children("orders", gone):
                    store.update("orders", order["id"], {"customer_id": keep})
                if keep != gone:
                    store.update("customers", gone, {"archived": True, "merged_into": keep})
        elif move < 0.85:  # an order moves alone (a correction to the wrong customer)
            store.update("orders", rng.choice(orders), {"customer_id": rng.choice(customers)})
        elif move < 0.9:
            store.update("customers", rng.choice(customers), {"status_override": rng.choice([None, "loyal", "lapsed"])})
        elif move < 0.95:
            store.update("customers", rng.choice(customers), {"archived": rng.random() < 0.5})
        else:
            store.insert("complaints", {"customer_id": rng.choice(customers), "category": "quality", "status": "open"})


@pytest.mark.parametrize("seed", range(12))
def test_incremental_equals_fresh_build(config: AppConfig, seed: int) -> None:
    rng = random.Random(seed)
    store = MemoryStore()
    random_writes(store, rng, 40)
    live = Derived(store, config, lambda: TODAY)
    live.ensure_built()
    for _ in range(6):
        random_writes(store, rng, rng.randrange(1, 15))
        assert_same(live, store, config, TODAY)


def test_writes_before_the_build_are_not_lost(config: AppConfig) -> None:
    store = MemoryStore()
    cid = store.insert("customers", {"name": "an"})["id"]
    live = Derived(store, config, lambda: TODAY)  # subscribed, not built yet
    store.insert("orders", {"customer_id": cid, "date": "2026-05-01", "total": 100})
    assert live.stats(cid).total_spend == 100
    store.insert("orders", {"customer_id": cid, "date": "2026-05-02", "total": 50})
    assert live.stats(cid).orders == 2
    assert_same(live, store, config, TODAY)


def test_a_new_day_refreshes_facts_without_a_write(config: AppConfig) -> None:
    store = MemoryStore()
    cid = store.insert("customers", {"name": "an"})["id"]
    store.insert("orders", {"customer_id": cid, "date": "2026-05-01", "total": 100})
    today = [TODAY]
    live = Derived(store, config, lambda: today[0])
    assert live.facts(cid).lifecycle == "current"
    before = live.revision
    today[0] = TODAY + timedelta(days=200)  # lapsed after 180 days without an order
    assert live.facts(cid).lifecycle == "lapsed"
    assert live.revision > before
    assert_same(live, store, config, today[0])


def test_lookup_values_and_moved_orders(config: AppConfig) -> None:
    store = MemoryStore()
    a = store.insert("customers", {"name": "a"})["id"]
    b = store.insert("customers", {"name": "b"})["id"]
    order = store.insert("orders", {"customer_id": a, "date": "2026-05-10", "total": 700})
    live = Derived(store, config, lambda: TODAY)
    values = live.lookup_values([a, b, 999])
    assert set(values) == {a, b}
    assert values[a].total_spend == 700 and values[a].last_order == date(2026, 5, 10)
    assert values[b].lifecycle == "potential" and values[b].orders == 0
    store.update("orders", order["id"], {"customer_id": b})
    values = live.lookup_values([a, b])
    assert values[a].orders == 0 and values[a].lifecycle == "potential"
    assert values[b].total_spend == 700 and values[b].lifecycle == "current"


def test_analytics_on_a_shared_cache_follows_writes(config: AppConfig) -> None:
    store = MemoryStore()
    rng = random.Random(7)
    random_writes(store, rng, 80)
    live = Derived(store, config, lambda: TODAY)
    shared = Analytics(store, config, lambda: TODAY, live)
    for _ in range(4):
        random_writes(store, rng, 5)
        fresh = Analytics(store, config, lambda: TODAY)
        assert shared.segments() == fresh.segments()
        period = (date(2026, 1, 1), date(2026, 5, 20))
        assert shared.dashboard(*period) == fresh.dashboard(*period)


def odd_orders(n: int = 900) -> dict[int, dict[str, object]]:
    """Orders with what a hand-edited or imported file may hold: voids as True, 1, "" and
    None or absent, promos as True, 1, "yes" and False, totals as floats and bools, dates with
    a time, orders with no customer, several key orders."""
    docs: dict[int, dict[str, object]] = {}
    voids: list[object] = [True, 1, "", None, False, 0]
    promos: list[object] = [True, 1, "yes", False, None, 0]
    for i in range(1, n + 1):
        doc: dict[str, object] = {"customer_id": 1 + i % 37, "date": f"2026-0{1 + i % 5}-{1 + i % 27:02d}",
                                  "total": 1000 * (i % 17)}
        if i % 4 == 0:
            doc["void"] = voids[i % len(voids)]
        if i % 3 == 0:
            doc["promo"] = promos[i % len(promos)]
        if i % 29 == 0:
            doc["customer_id"] = None
        if i % 31 == 0:
            doc = {"total": 7.5, **doc, "date": f"2026-03-0{1 + i % 9}T23:59:00"}  # another key order
        docs[i] = doc
    docs[5]["total"] = True
    docs[6]["total"] = -0.0
    return docs


def dict_build(orders: list[dict[str, object]]) -> tuple[dict[int, object], dict[int, list[tuple[int, object]]]]:
    """Stats and day buckets as the build made them from records (before it read fields)."""
    from custui.domain.stats import day_number, stats_by_customer

    live = [o for o in orders if not o.get("void") and o.get("customer_id") is not None]
    buckets: dict[int, list[tuple[int, object]]] = {}
    for order in live:
        buckets.setdefault(day_number(str(order["date"])), []).append((order["customer_id"], order["total"]))
    return dict(stats_by_customer(live)), buckets  # type: ignore[arg-type]


def test_the_build_reads_fields_and_equals_the_build_from_records(config: AppConfig, tmp_path) -> None:
    """The build reads the orders' fields, never their records, on a memory store and on a file
    store keeping orders as columns (with saves on top), and gives what records gave."""
    from custui.store.columns import ColumnTable
    from custui.store.file_store import FileStore

    docs = odd_orders()
    raw = {"orders": {str(k): {**v, "id": k} for k, v in docs.items()},
           "customers": {str(c): {"id": c, "name": f"c{c}"} for c in range(1, 38)}, "meta": {"1": {"id": 1}}}
    file = FileStore(tmp_path / "shop.json", raw)  # type: ignore[arg-type]
    assert isinstance(file._tables["orders"], ColumnTable)
    file.start_journal()
    plain = MemoryStore()
    plain.put_many("customers", [dict(c) for c in raw["customers"].values()])
    plain.put_many("orders", [{**v, "id": k} for k, v in docs.items()])
    for store in (plain, file):
        store.update("orders", 8, {"void": True})
        store.update("orders", 9, {"customer_id": 3, "total": 1})
        store.insert("orders", {"customer_id": 2, "date": "2026-05-19", "total": 5, "promo": 1})
    for store in (plain, file):
        records = store.all("orders")
        expected_stats, expected_days = dict_build(records)

        def no_records(table: str, _all=store.all) -> list[dict[str, object]]:
            assert table != "orders", "the build made every order's record"
            return _all(table)

        store.all = no_records  # type: ignore[method-assign]
        live = Derived(store, config, lambda: TODAY)
        snap = live.snapshot()
        assert dict(snap.stats) == expected_stats
        assert {d: list(zip(snap.day_cids[d], snap.day_totals[d], strict=True)) for d in snap.day_cids} == expected_days
        assert live._owner.get(9) == 3 and live._owner.get(29) is None  # orders' customers
    file.close()
