"""Time the purchase use-cases on a large in-memory store: python bench/bench_loyalty.py [customers] [orders_each]."""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from custui.config.loader import load_config
from custui.domain.purchase import OrderDraft
from custui.services.loyalty import customer_loyalty, preview_purchase
from custui.services.orders import record_order, void_order
from custui.store.memory import MemoryStore


def main() -> None:
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    each = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    config = load_config(None)
    store = MemoryStore()
    rng = random.Random(7)
    start = date(2025, 1, 1)
    today = date(2026, 11, 28)
    with store.batch():
        for n in range(customers):
            cid = store.insert("customers", {"name": f"C{n}", "archived": False})["id"]
            for _ in range(each):
                day = start + timedelta(days=rng.randrange(0, 690))
                store.insert("orders", {"customer_id": cid, "date": day.isoformat(),
                                        "total": rng.randrange(50, 5_000) * 1_000, "points_redeemed": 0})
    heavy = store.insert("customers", {"name": "heavy", "archived": False})["id"]
    with store.batch():
        for i in range(2_000):
            day = start + timedelta(days=i % 690)
            store.insert("orders", {"customer_id": heavy, "date": day.isoformat(), "total": 900_000})
    print(f"{customers} customers x {each} orders + one customer with 2000 orders")

    def timed(label: str, fn, repeat: int = 5) -> None:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        print(f"{label:45s} {(time.perf_counter() - t0) / repeat * 1000:8.1f} ms")

    draft = OrderDraft(date=today, total=1_250_000)
    timed("preview_purchase (cold high-value cache)", lambda: (store.insert("meta", {}), preview_purchase(store, config, 1, draft, today)))
    timed("preview_purchase (warm cache)", lambda: preview_purchase(store, config, 1, draft, today))
    timed("record_order", lambda: record_order(store, config, 1, draft, today))
    timed("customer_loyalty (10 orders)", lambda: customer_loyalty(store, config, 1, today))
    timed("customer_loyalty (2000 orders)", lambda: customer_loyalty(store, config, heavy, today))
    order_id = record_order(store, config, 2, draft, today).order["id"]
    timed("void_order", lambda: void_order(store, config, order_id, "bench", today), repeat=1)


if __name__ == "__main__":
    main()
