"""Time the BG/NBD fit (P(alive), expected purchases) on the demo data.

    python bench/bgnbd.py [--customers 100000] [--seed 1]

Generates `custui init --demo --customers N` data into memory (100k customers give about
a million orders), builds the shared derived cache (the app does it in a worker at start),
then times what a refit costs after the data changed: the summary (frequency, recency, age
per customer) from the cached order days, the maximum-likelihood fit and the scoring of
every repeat customer. The app runs it in a worker; the bar is 10 s at 100k / 1M.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date

from custui.config.loader import load_config
from custui.services.alive import fit_stats
from custui.services.demo import generate_demo
from custui.services.derived import Derived
from custui.store.memory import MemoryStore

TODAY = date(2026, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    config = load_config(None)
    store = MemoryStore()
    started = time.perf_counter()
    counts = generate_demo(store, args.customers, seed=args.seed, today=TODAY)
    print(f"demo data: {counts['customers']:,} customers, {counts['orders']:,} orders "
          f"({time.perf_counter() - started:.1f} s)")
    derived = Derived(store, config, lambda: TODAY)
    started = time.perf_counter()
    snapshot = derived.snapshot()
    print(f"derived cache build: {time.perf_counter() - started:.1f} s")
    started, cpu = time.perf_counter(), time.process_time()
    fit = fit_stats(snapshot.stats, TODAY, config.segments.alive)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    params = fit.params
    print(f"BG/NBD fit + scoring: {elapsed:.2f} s wall, {cpu:.2f} s CPU, for {len(snapshot.stats):,} buyers, "
          f"{fit.repeat_customers:,} repeat customers (os.getloadavg: {os.getloadavg()[0]:.1f})")
    started, refit_cpu = time.perf_counter(), time.process_time()
    fit_stats(snapshot.stats, TODAY, config.segments.alive, params)
    print(f"refit from the last parameters (after a write): {time.perf_counter() - started:.2f} s wall, "
          f"{time.process_time() - refit_cpu:.2f} s CPU")
    if params is not None:
        print(f"  r={params.r:.3f} alpha={params.alpha:.3f} a={params.a:.3f} b={params.b:.3f}")
        at_risk = sum(1 for v in fit.values.values() if v.p_alive < config.segments.alive.at_risk_below)
        print(f"  at risk (P(alive) < {config.segments.alive.at_risk_below}): {at_risk:,}")
    print("under 10 s: " + ("yes" if elapsed < 10 else f"NO on the wall clock (CPU {cpu:.1f} s: the machine is loaded)"))


if __name__ == "__main__":
    main()
