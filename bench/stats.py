"""Time stats_by_customer over N orders (default 1,000,000 for 100,000 customers).

Orders round-trip through orjson so strings are not shared, as when read from a file.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

import orjson

from custui.domain.stats import stats_by_customer


def make_orders(count: int, customers: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    days = [(date(2026, 1, 1) - timedelta(days=d)).isoformat() for d in range(730)]
    orders = [
        {
            "id": i + 1, "customer_id": rng.randrange(1, customers + 1), "date": rng.choice(days),
            "total": rng.randrange(10, 5000) * 1000, "items": "Áo sơ mi x1",
            "promo": rng.random() < 0.25, "channel": "store", "void": rng.random() < 0.01,
        }
        for i in range(count)
    ]
    return orjson.loads(orjson.dumps(orders))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    orders = make_orders(args.orders, args.customers)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        stats = stats_by_customer(orders)
        times.append(time.perf_counter() - start)
    print(
        f"stats_by_customer: {args.orders:,} orders, {len(stats):,} customers: "
        f"best {min(times):.3f} s, median {statistics.median(times):.3f} s"
    )


if __name__ == "__main__":
    main()
