"""Time the shared Derived cache, all segments and the dashboard at 10k and 100k customers.

Synthetic data goes straight into a MemoryStore; orders round-trip through orjson
so strings are not shared, as when read from a file. Prints, per size (medians
over --repeat runs):
  derived build        one pass over all orders + facts for every customer
                       (the app does this in a worker at start)
  first segments       build + all segments: what the first segments() after open costs
  segments cold        all segments with summaries on a built cache
  dashboard cold       last 12 months + the 12 before + monthly series, built cache
  after one write      segments (then dashboard) after inserting one order, and after editing
                       one customer: incremental (customer columns patched, sums kept)
  old path             Base(store, config, today): the private full build reports use
  reference            the same after-write figures with the pure-Python sums (Base.columnar
                       False, what the code did before), timed in the same run, and a check
                       that both give identical segments and dashboard figures
Each figure is the median wall time and the median CPU time (process_time: the machine's
other load does not inflate it). --baseline REV runs the same bench first on the code of
commit REV (custui from `git archive`, in a subprocess) and prints both side by side with
the CPU ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

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


Timing = tuple[float, float]  # (wall, CPU) seconds


def median_time(fn: Callable[[], object], repeat: int) -> Timing:
    """Median wall and median CPU (process_time: what the machine's other load does not add)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def run(size: int, orders_each: int, repeat: int) -> dict[str, Timing]:
    """Every figure of one size, printed and returned (label -> (wall, CPU))."""
    config = load_config(None)
    period = (date(2025, 12, 1), date(2026, 11, 30))
    store = make_store(size, orders_each)
    print(f"{size:,} customers, {store.count('orders'):,} orders (median of {repeat}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)
    found: dict[str, Timing] = {}

    def show(label: str, timing: Timing) -> None:
        found[label] = timing
        print(f"  {label:<58} wall {timing[0]:7.3f} s  CPU {timing[1]:7.3f} s", flush=True)

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

    def add_order() -> None:
        store.insert("orders", {"customer_id": rng.randrange(1, size + 1), "date": "2026-11-27",
                                "total": rng.randrange(1, 3000) * 1000, "promo": rng.random() < 0.3})

    def edit_customer() -> None:
        store.update("customers", rng.randrange(1, size + 1), {"kind": rng.choice(("individual", "business"))})

    def after_writes(label: str, analytics: Analytics, write: Callable[[], None], what: str) -> None:
        """Segments, then the dashboard, after each of `repeat` writes (medians)."""
        analytics.segments()
        analytics.dashboard(*period)
        segs: list[Timing] = []
        dash: list[Timing] = []
        for _ in range(repeat):
            write()
            segs.append(median_time(analytics.segments, 1))
            dash.append(median_time(lambda: analytics.dashboard(*period), 1))
        for name, times in (("segments", segs), ("dashboard", dash)):
            show(f"{label}{name} after one {what}",
                 (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)))

    analytics = Analytics(store, config, lambda: TODAY, derived)
    after_writes("", analytics, add_order, "order write")
    after_writes("", analytics, edit_customer, "customer edit")
    show("segments, cached", median_time(analytics.segments, repeat))
    Base.columnar = False
    try:
        reference = Analytics(store, config, lambda: TODAY, derived)
        after_writes("reference (pure Python): ", reference, add_order, "order write")
        expected = (reference.segment_list(), reference.segments(), reference.dashboard(*period))
    finally:
        Base.columnar = True
    same = expected == (analytics.segment_list(), analytics.segments(), analytics.dashboard(*period))
    print(f"  identical results, columnar vs pure Python: {same}")
    if not same:
        raise SystemExit("columnar and pure-Python analytics differ")
    for name in ("segments", "dashboard"):
        now = found[f"{name} after one order write"]
        slow = found[f"reference (pure Python): {name} after one order write"]
        print(f"  {name} after a write: pure Python / columnar = {slow[1] / now[1]:.1f}x CPU, "
              f"{slow[0] / now[0]:.1f}x wall")
    show("old path: Base(store, config, today)", median_time(lambda: Base(store, config, TODAY), 1))
    print(f"  ({len(analytics.segments())} segments)")
    return found


def baseline(rev: str, sizes: str, orders_each: int, repeat: int) -> dict[str, dict[str, Timing]]:
    """This bench run on the code of another commit (custui and config/ from `git archive rev`), in a
    subprocess; its figures by size."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="segments-baseline-") as where:
        archive = subprocess.run(["git", "-C", str(root), "archive", rev, "custui", "config"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
        print(f"== baseline: custui as of {rev} ==", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--sizes", sizes, "--orders-each", str(orders_each), "--repeat", str(repeat),
             "--json-to", f"{where}/figures.json"],
            env={**os.environ, "PYTHONPATH": where}, check=True)
        del child
        return json.loads(Path(where, "figures.json").read_text())


def compare(before: dict[str, Timing], now: dict[str, Timing], rev: str) -> None:
    print(f"  {'':<58} {'baseline ' + rev[:10]:>22}  {'this tree':>22}  CPU ratio")
    for label, (wall, cpu) in now.items():
        if label not in before:
            continue
        old_wall, old_cpu = before[label]
        print(f"  {label:<58} {old_wall:8.3f} / {old_cpu:6.3f} s  {wall:8.3f} / {cpu:6.3f} s  "
              f"{old_cpu / cpu if cpu else float('inf'):6.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--orders-each", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV",
                        help="also run on the code of this commit (wall / CPU side by side, ratios)")
    parser.add_argument("--json-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    before = baseline(args.baseline, args.sizes, args.orders_each, args.repeat) if args.baseline else {}
    if args.baseline:
        print("== this tree ==", flush=True)
    found = {size: run(int(size), args.orders_each, args.repeat) for size in args.sizes.split(",")}
    if args.json_to:
        Path(args.json_to).write_text(json.dumps(found))
    for size, figures in found.items():
        if size in before:
            print(f"== {int(size):,} customers: baseline {args.baseline} against this tree (wall / CPU) ==")
            compare({k: tuple(v) for k, v in before[size].items()}, figures, args.baseline)


if __name__ == "__main__":
    main()
