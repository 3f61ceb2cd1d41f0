"""PostgreSQL store figures: save p50/p95 (one order, and a customer update), lookup p95, open time.

    python bench/pg_store.py postgresql://user@host/db [--customers 10000] [--orders-per 10]

The database must be empty or hold no custui schema (the bench creates and fills it).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from custui.store.pg_open import create_pg, open_pg


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders-per", type=int, default=10)
    parser.add_argument("--import-customers", type=int, default=3_000, help="for the batch vs bulk figure")
    args = parser.parse_args()
    store, _ = create_pg(args.url, force=True)
    start = time.perf_counter()
    with store.bulk():
        for n in range(args.customers):
            store.put("customers", {"id": n + 1, "code": f"C{n + 1:06d}", "name": f"Khách {n}",
                                    "phone_norm": f"09{n:08d}", "archived": False})
        orders = [{"id": i + 1, "customer_id": i % args.customers + 1, "total": 100_000 + i,
                   "date": date(2026, 1, 1).isoformat()} for i in range(args.customers * args.orders_per)]
        store.put_many("orders", orders)
    print(f"fill {args.customers:,} customers / {len(orders):,} orders: {time.perf_counter() - start:.1f} s")
    store.close()
    start = time.perf_counter()
    store = open_pg(args.url)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    store.all("orders")
    print(f"open: {opened * 1000:.0f} ms (customers cached); first all('orders'): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    saves, updates, lookups = [], [], []
    for i in range(500):
        t0 = time.perf_counter()
        store.insert("orders", {"customer_id": i + 1, "total": 5000, "date": "2026-11-28"})
        saves.append(time.perf_counter() - t0)
        doc = store.get("customers", i + 1)
        t0 = time.perf_counter()
        store.update("customers", i + 1, {"email": f"k{i}@example.vn", "version": doc["version"]})
        updates.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        store.children("orders", i + 1)
        store.all("orders")
        lookups.append(time.perf_counter() - t0)
    print(f"save order    p50 {pct(saves, .5):.2f} ms  p95 {pct(saves, .95):.2f} ms")
    print(f"save customer p50 {pct(updates, .5):.2f} ms  p95 {pct(updates, .95):.2f} ms (version-checked)")
    print(f"children+all  p95 {pct(lookups, .95):.3f} ms (cache)  mean {statistics.mean(lookups) * 1000:.3f} ms")
    # what an import writes: a customer, its audit entry and orders, in one transaction;
    # batch() (an INSERT round trip each, as imports wrote before) against bulk() (COPY)
    for label in ("batch() (INSERT each)", "bulk() (COPY)", "batch() again", "bulk() again"):
        writes = store.batch() if label.startswith("batch") else store.bulk()
        t0 = time.perf_counter()
        with writes:
            for i in range(args.import_customers):
                cid = store.insert("customers", {"code": f"I{i:06d}-{label[:4]}", "name": f"Nhập {i}"})["id"]
                store.insert("audit", {"customer_id": cid, "action": "create", "via": "import"})
                for k in range(4):
                    store.insert("orders", {"customer_id": cid, "total": 1000 * k, "date": "2026-11-28"})
        rows = args.import_customers * 6
        print(f"import-like writes, {label:22}: {time.perf_counter() - t0:6.2f} s for {rows:,} inserts")
    store.close()


if __name__ == "__main__":
    main()
