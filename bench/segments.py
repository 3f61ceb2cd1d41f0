"""Time all segments and the dashboard at 10k and 100k customers (10 orders each).

Synthetic data goes straight into a MemoryStore; orders round-trip through orjson
so strings are not shared, as when read from a file. Prints, per size:
  snapshot   the two passes over all orders (stats_by_customer + day buckets)
  segments   all segments with summaries, snapshot included (cold), and again (cached)
  dashboard  last 12 months + the 12 before + monthly series, on a fresh snapshot (cold)
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

import orjson

from custui.config.loader import load_config
from custui.services.analytics import Analytics
from custui.services.analytics_base import Base
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
    store._load_tables(orjson.loads(orjson.dumps(tables)))
    return store


def timed(label: str, fn) -> object:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return result


def run(size: int, orders_each: int) -> None:
    config = load_config(None)
    period = (date(2025, 12, 1), date(2026, 11, 30))
    store = make_store(size, orders_each)
    print(f"{size:,} customers, {store.count('orders'):,} orders")
    timed("snapshot (2 passes over orders)", lambda: Base(store, config, TODAY))
    analytics = Analytics(store, config, lambda: TODAY)
    segments = timed("all segments, cold", analytics.segments)
    timed("all segments, cached", analytics.segments)
    timed("dashboard 12 months, warm snapshot", lambda: analytics.dashboard(*period))
    fresh = Analytics(store, config, lambda: TODAY)
    timed("dashboard 12 months, cold", lambda: fresh.dashboard(*period))
    timed("segment_ids_for one customer", lambda: analytics.segment_ids_for(1))
    print(f"  ({len(segments)} segments)")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--orders-each", type=int, default=10)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.orders_each)


if __name__ == "__main__":
    main()
