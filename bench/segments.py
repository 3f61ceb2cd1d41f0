"""Time the shared Derived cache, all segments and the dashboard at 10k and 100k customers.

Synthetic data goes straight into a MemoryStore; orders round-trip through orjson
so strings are not shared, as when read from a file. Prints, per size (medians
over --repeat runs):
  derived build        one pass over all orders + facts for every customer
                       (the app does this in a worker at start)
  first segments       build + all segments: what the first segments() after open costs
  segments cold        all segments with summaries on a built cache
  dashboard cold       last 12 months + the 12 before + monthly series, built cache
  after one write      segments (then dashboard) after inserting one order: incremental
  old path             Base(store, config, today): the private full build reports use
  reference            the same after-write figures with the pure-Python sums (Base.columnar
                       False, what the code did before), timed in the same run, and a check
                       that both give identical segments and dashboard figures
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import orjson
from bench_load import load_tables

from custui.config.loader import load_config
from custui.services.analytics import Analytics
from custui.services.analytics_base import Base
from custui.services.derived import Derived
from custui.store.memory import MemoryStore

TODAY = date(2026, 11, 28)


def make_store(customers: int, orders_each: int, seed: int = 1) -> MemoryStore:
    rng = random.Random(seed)
    days = [(TODAY - timedelta(days=d)).isoformat() for d in range(1095)]
    kinds, roles = ("individual", "business"), ("end_user", "buyer", "agent", "supplier")
    tables: dict[str, dict[str, dict]] = {"customers": {}, "orders": {}, "feedback": {}, "complaints": {}}
    for cid in range(1, customers + 1):
        tables["customers"][str(cid)] = {
            "name": f"Khách {cid}", "kind": rng.choice(kinds), "scope": "external", "role": rng.choice(roles),
            "region": rng.choice(("Hà Nội", "TP HCM", "Đà Nẵng")), "tags": ["vip"] if cid % 17 == 0 else [],
            "birth_year": rng.randrange(1960, 2005), "archived": False,
        }
    oid = fid = kid = 0
    for _ in range(customers * orders_each):
        oid += 1
        cid = rng.randrange(1, customers + 1)
        day = rng.choice(days)
        tables["orders"][str(oid)] = {
            "customer_id": cid, "date": day, "total": rng.randrange(10, 5000) * 1000,
            "promo": rng.random() < 0.25, "void": rng.random() < 0.01, "items": "Áo sơ mi x1",
        }
        if oid % 20 == 0:
            fid += 1
            tables["feedback"][str(fid)] = {
                "customer_id": cid, "survey_id": "after_purchase", "created_at": f"{day}T10:00:00",
                "answers": {"nps": rng.randrange(0, 11), "product_quality": rng.randrange(1, 6)},
            }
        if oid % 50 == 0:
            kid += 1
            tables["complaints"][str(kid)] = {
                "customer_id": cid, "category": "transaction", "status": "resolved",
                "opened_at": f"{day}T09:00:00", "due_at": f"{day}T21:00:00",
                "resolved_at": f"{day}T{rng.randrange(10, 24):02d}:00:00",
            }
    store = MemoryStore()
    load_tables(store, orjson.loads(orjson.dumps(tables)))
    return store


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def show(label: str, seconds: float) -> None:
    print(f"  {label:<36} {seconds:7.3f} s")


def run(size: int, orders_each: int, repeat: int) -> None:
    config = load_config(None)
    period = (date(2025, 12, 1), date(2026, 11, 30))
    store = make_store(size, orders_each)
    print(f"{size:,} customers, {store.count('orders'):,} orders (median of {repeat})")

    def build() -> Derived:
        derived = Derived(store, config, lambda: TODAY)
        derived.ensure_built()
        return derived

    show("derived build", median_time(build, repeat))

    def first_segments() -> None:
        derived = Derived(store, config, lambda: TODAY)
        Analytics(store, config, lambda: TODAY, derived).segments()

    show("first segments after open (build incl.)", median_time(first_segments, repeat))
    derived = build()
    show("all segments, cold (cache built)",
         median_time(lambda: Analytics(store, config, lambda: TODAY, derived).segments(), repeat))
    show("dashboard 12 months, cold (cache built)",
         median_time(lambda: Analytics(store, config, lambda: TODAY, derived).dashboard(*period), repeat))
    rng = random.Random(5)

    def after_writes(label: str, analytics: Analytics) -> None:
        """Segments, then the dashboard, after each of `repeat` order inserts (medians)."""
        analytics.segments()
        analytics.dashboard(*period)
        segs: list[float] = []
        dash: list[float] = []
        for _ in range(repeat):
            store.insert("orders", {"customer_id": rng.randrange(1, size + 1), "date": "2026-11-27",
                                    "total": rng.randrange(1, 3000) * 1000, "promo": rng.random() < 0.3})
            segs.append(median_time(analytics.segments, 1))
            dash.append(median_time(lambda: analytics.dashboard(*period), 1))
        show(f"{label}segments after one order write", statistics.median(segs))
        show(f"{label}dashboard after one order write", statistics.median(dash))

    analytics = Analytics(store, config, lambda: TODAY, derived)
    after_writes("", analytics)
    show("segments, cached", median_time(analytics.segments, repeat))
    Base.columnar = False
    try:
        reference = Analytics(store, config, lambda: TODAY, derived)
        after_writes("reference (pure Python): ", reference)
        expected = (reference.segment_list(), reference.segments(), reference.dashboard(*period))
    finally:
        Base.columnar = True
    same = expected == (analytics.segment_list(), analytics.segments(), analytics.dashboard(*period))
    print(f"  identical results, columnar vs pure Python: {same}")
    if not same:
        raise SystemExit("columnar and pure-Python analytics differ")
    show("old path: Base(store, config, today)", median_time(lambda: Base(store, config, TODAY), 1))
    print(f"  ({len(analytics.segments())} segments)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--orders-each", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.orders_each, args.repeat)


if __name__ == "__main__":
    main()
