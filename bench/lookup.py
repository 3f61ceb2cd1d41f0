"""Lookup speed: time from a query string to ranked results at 10k and 100k customers.

Fills a MemoryStore with demo data (services.demo.generate_demo), builds the index
once (timed separately), then runs a mix of name, phone, typo, code and short
queries as typed. Goal at 100k: p95 <= 10 ms, single letters <= 30 ms. Beside each
figure, in the same run: the scored path alone (the set-based path for queries matching
thousands of customers turned off, as before), checked to rank identically, and the same
queries after gc.freeze() (as the file store leaves the heap after its load). Wall and CPU
(process_time) per query, and the cyclic collections that ran during the queries. Usage:
    .venv/bin/python bench/lookup.py [--sizes 10000 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

from bench_load import load_tables

from custui.domain.text import fold
from custui.services.demo import generate_demo
from custui.services.search import CustomerIndex
from custui.store.memory import MemoryStore


def make_queries(store: MemoryStore, count: int, seed: int = 1) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from real customers: names, phones, typos, codes, prefixes."""
    rng = random.Random(seed)
    docs = store.all("customers")
    queries: list[tuple[str, str]] = []
    while len(queries) < count:
        doc = rng.choice(docs)
        name = str(doc.get("name") or "")
        words = name.split()
        phone = str(doc.get("phone_norm") or "")
        kind = rng.choice(("name", "name", "phone", "typo", "code", "prefix", "phone_tail"))
        if kind == "name" and len(words) >= 2:
            query = fold(" ".join(rng.sample(words, 2)))
        elif kind == "phone" and phone:
            query = f"+84 {phone[1:3]} {phone[3:6]} {phone[6:]}"
        elif kind == "phone_tail" and phone:
            query = phone[-4:]
        elif kind == "typo" and words:
            word = max(words, key=len)
            i = rng.randrange(len(word) - 1) if len(word) > 2 else 0
            query = fold(word[:i] + word[i + 1] + word[i] + word[i + 2:]) + " " + fold(words[-1])
        elif kind == "code":
            query = str(doc.get("code"))
        elif kind == "prefix" and words:
            query = fold(words[-1][:3])
        else:
            continue
        queries.append((kind, query))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(size: int, count: int, db: str | None = None) -> None:
    started = time.perf_counter()
    if db:  # a database made once by `custui init --demo --customers N` (much quicker than a fill)
        import orjson

        store = MemoryStore()
        load_tables(store, orjson.loads(Path(db).read_bytes()))
        size = store.count("customers")
    else:
        store = MemoryStore()
        generate_demo(store, customers=size, seed=0, today=date(2026, 11, 28))
    filled = time.perf_counter() - started
    index = CustomerIndex(store)
    started = time.perf_counter()
    index.ensure_built()
    index.search_ids("warm up")
    built = time.perf_counter() - started
    queries = make_queries(store, count)
    fast_path = index._many_matches
    pauses: list[float] = []  # ms of each cyclic collection while the queries run
    began: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began.append(time.perf_counter())
        elif began:
            pauses.append((time.perf_counter() - began.pop()) * 1000)

    gc.callbacks.append(watch)

    def scored_only(*args: object) -> None:
        return None

    runs = (("", fast_path, False), ("reference (scored path only): ", scored_only, False),
            ("after gc.freeze() (what the file store does after its load): ", fast_path, True))
    for label, path, freeze in runs:
        index._many_matches = path  # type: ignore[method-assign]
        if freeze:
            gc.collect()
            gc.freeze()
        pauses.clear()
        walls: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}
        hits = 0
        for kind, query in queries:
            started, cpu = time.perf_counter(), time.process_time()
            found = index.search(query, limit=100)
            cpus.setdefault(kind, []).append((time.process_time() - cpu) * 1000)
            walls.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        every = [t for values in walls.values() for t in values]
        every_cpu = [t for values in cpus.values() for t in values]
        print(f"\n{label}{size:,} customers, {store.count('orders'):,} orders "
              f"(demo fill {filled:.1f} s, index build {built * 1000:.0f} ms); "
              f"{len(every)} queries, {hits} with results; load average {os.getloadavg()[0]:.1f}")
        print(f"  {'all':<11} p50 {statistics.median(every):6.2f} ms  p95 {percentile(every, 0.95):6.2f} ms"
              f"  max {max(every):6.2f} ms   CPU p50 {statistics.median(every_cpu):6.2f} ms"
              f"  p95 {percentile(every_cpu, 0.95):6.2f} ms  max {max(every_cpu):6.2f} ms")
        print(f"  cyclic GC during the queries: {len(pauses)} collections, {sum(pauses):.1f} ms in all, "
              f"longest {max(pauses, default=0.0):.1f} ms")
        for kind, values in sorted(walls.items()):
            print(f"  {kind:<11} p50 {statistics.median(values):6.2f} ms  "
                  f"p95 {percentile(values, 0.95):6.2f} ms   CPU p50 {statistics.median(cpus[kind]):6.2f} ms"
                  f"  p95 {percentile(cpus[kind], 0.95):6.2f} ms  (n={len(values)})")
        for typed in ("", "n", "t", "a", "ng", "nguyen", "09", "0"):
            times, cpu_times = [], []
            for _ in range(5):
                started, cpu = time.perf_counter(), time.process_time()
                index.search(typed, limit=100)
                times.append((time.perf_counter() - started) * 1000)
                cpu_times.append((time.process_time() - cpu) * 1000)
            print(f"  as typed {typed!r:<10} median of 5 {statistics.median(times):6.2f} ms"
                  f"  (CPU {statistics.median(cpu_times):6.2f} ms)")
    gc.unfreeze()
    gc.callbacks.remove(watch)
    index._many_matches = fast_path  # type: ignore[method-assign]
    same = all(index.search_ids(q) == _scored(index, q) for _, q in queries[:100])
    print(f"  identical ranking, fast vs scored path (100 queries + letters): "
          f"{same and all(index.search_ids(q) == _scored(index, q) for q in ('n', 't', 'a', '09', '0'))}")


def _scored(index: CustomerIndex, query: str) -> list[int]:
    fast = index._many_matches
    index._many_matches = lambda *args: None  # type: ignore[method-assign]
    try:
        return index.search_ids(query)
    finally:
        index._many_matches = fast  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--db", default=None, help="read customers and orders from this custui JSON file")
    args = parser.parse_args()
    for size in [0] if args.db else args.sizes:
        run(size, args.queries, args.db)


if __name__ == "__main__":
    main()
