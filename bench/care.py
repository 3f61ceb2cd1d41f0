"""How long the Today queue takes at 100k customers / 1M orders (prints figures; not a test).

    .venv/bin/python bench/care.py [customers] [orders]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta

from custui.config.loader import load_config
from custui.services.care import compute_queue
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


def build(customers: int, orders: int, today: date) -> MemoryStore:
    rng = random.Random(7)
    store = MemoryStore()
    with store.batch():
        for cid in range(1, customers + 1):
            birthday = f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.5 else None
            store.insert("customers", {"name": f"Customer {cid}", "birthday": birthday})
        for _ in range(orders):
            day = today - timedelta(days=int(rng.expovariate(1 / 300)))
            store.insert("orders", {"customer_id": rng.randint(1, customers), "date": day.isoformat(),
                                    "total": rng.randint(1, 50) * 10_000})
        for n in range(customers // 20):
            store.insert("complaints", {"customer_id": rng.randint(1, customers), "status": "open",
                                        "due_at": f"{(today - timedelta(days=n % 30)).isoformat()}T12:00:00"})
            store.insert("interactions", {"customer_id": rng.randint(1, customers), "type": "call",
                                          "summary": "x", "at": "2026-01-01T10:00:00",
                                          "follow_up_due": (today + timedelta(days=n % 20 - 10)).isoformat()})
    return store


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    orders = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    today = date(2026, 11, 28)
    start = time.perf_counter()
    store = build(customers, orders, today)
    print(f"built {customers} customers / {orders} orders in {time.perf_counter() - start:.1f} s")
    ws = Workspace(store=store, config=load_config(None), clock=lambda: datetime(2026, 11, 28, 9))
    for run in range(3):
        start = time.perf_counter()
        items = compute_queue(ws)
        print(f"run {run + 1}: {len(items)} items in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
