"""Resident memory after each step of the app's start-up, without the terminal.

Opens a copy of a big database as the app does (held load), then runs the app's warm-up
steps one by one in a worker thread (the lookup's index, the background load, folding
activity, the derived cache, the care counts) and prints RSS after each, the peak, CPU
(process time) and wall. --drop .idx,.lookup removes sidecars of the copy first (a full
parse); --code DIR imports another checkout's custui (the same steps, for a before/after).

    nice .venv/bin/python bench/memory_steps.py --db /tmp/mem17/big.json [--drop .idx,.lookup]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path


def rss() -> tuple[int, int]:
    found = {}
    with open("/proc/self/status") as f:
        for line in f:
            key = line.split(":")[0]
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(line.split()[1]) // 1024
    return found["VmRSS"], found["VmHWM"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--work", default=None)
    parser.add_argument("--drop", default="", help="sidecar suffixes to remove, e.g. .idx,.lookup")
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--columns-first", action="store_true",
                        help="after a full parse, wait for the columns before the other steps")
    parser.add_argument("--columns-before-derived", action="store_true",
                        help="after a full parse, wait for the columns after the lookup index, before the rest")
    parser.add_argument("--as-before", action="store_true",
                        help="do not wait for the store to settle before the derived cache (as before)")
    parser.add_argument("--malloc-stats", action="store_true", help="pymalloc's arena statistics at the end")
    parser.add_argument("--segments", action="store_true", help="then every segment and the dashboard")
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    source = Path(args.db)
    work = Path(args.work) if args.work else source.parent / "memory_steps_work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    drop = tuple(d for d in args.drop.split(",") if d)
    for found in source.parent.glob(source.name + "*"):
        suffix = found.name[len(source.name):]
        if suffix not in drop and not found.name.endswith((".sqlite", ".lock")):
            shutil.copy2(found, work / found.name)
    db = work / source.name

    from custui import app as app_module
    from custui.clock import app_clock
    from custui.config.loader import load_config
    from custui.services import lookup_cache
    from custui.services.care import compute_counts
    from custui.services.search import CustomerIndex
    from custui.services.workspace import Workspace
    from custui.store.dispatch import open_any

    t0, c0 = time.perf_counter(), time.process_time()
    last = [t0, c0]

    def step(label: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        mem, peak = rss()
        print(f"  {label:28} RSS {mem:5} MB (peak {peak:5} MB) | step wall {now - last[0]:5.2f} s, "
              f"CPU {cpu - last[1]:5.2f} s | load {os.getloadavg()[0]:.2f}", flush=True)
        last[:] = [now, cpu]

    print(f"{args.code}: {db} (sidecars dropped: {', '.join(drop) or 'none'})")
    step("imported")
    config = load_config(None)
    import inspect

    as_app = {"in_parts": True} if "in_parts" in inspect.signature(open_any).parameters else {}
    store = open_any(db, hold_load=True, **as_app)  # as the app opens it
    step("opened")
    ws = Workspace(store=store, config=config, clock=app_clock(), operator="bench")
    index = CustomerIndex(store, defer_activity=True, saved=lambda: lookup_cache.read(store))
    release = getattr(app_module, "release_memory", lambda: None)

    def warm_up() -> None:
        if args.columns_first and getattr(store, "_columnizer", None) is not None:
            store._columnizer.join()
            step("columns made first")
            release()
            step("trim")
        index.prepare()
        step("lookup index")
        store.release_load()
        store.wait_loaded()
        step("background load")
        if not index.activity_folded:
            index.fold_activity()
        release()
        step("activity folded + trim")
        if args.columns_before_derived and getattr(store, "_columnizer", None) is not None:
            store._columnizer.join()
            step("columns made")
            release()
            step("trim")
        if hasattr(store, "wait_settled") and not args.as_before:  # what the app's warm-up does
            store.wait_settled()
            step("store settled")
        ws.derived.ensure_built()
        step("derived built")
        release()
        step("trim")
        compute_counts(ws)
        step("care counts")
        release()
        step("trim")

    worker = threading.Thread(target=warm_up)
    worker.start()
    worker.join()
    columnizer = getattr(store, "_columnizer", None)  # after a full parse: columns in the background
    if columnizer is not None:
        columnizer.join()
        step("columns made (full parse)")
        release()
        step("trim")
    time.sleep(3)  # a background copy of the backup may still run
    step("3 s later")
    if args.malloc_stats:
        sys._debugmallocstats()  # pymalloc's arenas, on stderr
    if args.segments:
        from datetime import timedelta

        from custui.services.analytics import Analytics

        analytics = Analytics(store, config, ws.clock, ws.derived)
        analytics.segments()
        step("every segment")
        today = ws.today()
        analytics.dashboard(today - timedelta(days=364), today)
        step("dashboard, 12 months")
        release()
        step("trim")
    print(f"  total wall {time.perf_counter() - t0:.2f} s, CPU {time.process_time() - c0:.2f} s")
    store.close()


if __name__ == "__main__":
    main()
