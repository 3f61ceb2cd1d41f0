"""Durable save latency, cold open time and memory: custui's FileStore vs stock TinyDB.

    .venv/bin/python bench/store.py            # 10k customers / 100k orders
    .venv/bin/python bench/store.py --large    # 100k customers / 1M orders

Goals at --large: save p95 <= 2 ms and >= 1000x stock TinyDB; cold open <= 3 s; RSS <= 1.2 GB;
issue 17: save p95 <= 0.2 ms. The saves are timed twice in the full-parse child: right after the
open (the store's background work, columns, the open cache's rebuild and the backup's copy, still
going: it waits between its steps while saves are made, FileStore.pause_for_writes) and again once
it is all done.
Cold opens run in a fresh subprocess so the RSS figure is the open's own. Printed beside them,
from the same run and data: SQLite (WAL, synchronous=FULL; bench/sqlite_baseline.py) and, with
--old DIR (a checkout of an earlier commit, e.g. `git worktree add /tmp/perf17/old 04e5ee8`),
that commit's FileStore on a copy of the same file. --repeat N takes medians of N cold opens.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

import sqlite_baseline  # noqa: E402

from custui.store.file_store import dump_snapshot, write_atomic  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Smith", "Brown", "Võ", "Bùi"]
GIVEN = ["Văn Đức", "Thị Ánh", "Minh", "Lan", "Anh", "Hùng", "John", "Mary", "Quốc Bảo", "Thu"]
CHANNELS = ["store", "website", "phone", "marketplace", "social"]
ITEMS = ["Áo sơ mi", "Giày da", "Túi xách", "Laptop stand", "Cà phê 1kg", "Bàn phím"]


def synth(customers: int, orders: int, seed: int = 7, fat: bool = False) -> dict[str, dict[int, dict]]:
    """Synthetic tables. Orders are lean by default: fields at their default (promo False,
    voucher_id None, points_redeemed 0, updated_at == created_at) are left out, which keeps
    each order dict at 10 keys or fewer (352 bytes instead of 632); `fat` stores them all."""
    rng = random.Random(seed)
    cust: dict[int, dict] = {}
    for i in range(1, customers + 1):
        phone = f"09{rng.randrange(10**8):08d}"
        cust[i] = {
            "id": i, "code": f"C{i:06d}",
            "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            "kind": "business" if i % 9 == 0 else "individual", "scope": "external",
            "role": "end_user", "phone": phone, "phone_norm": phone,
            "email": f"user{i}@example.vn", "address": f"{i} Lê Lợi, Quận 1", "region": "HCM",
            "gender": rng.choice(["female", "male"]), "birth_year": rng.randrange(1950, 2005),
            "tags": [], "consent_to_contact": True, "source": "walk_in", "archived": False,
            "created_at": "2024-01-05T09:00:00", "updated_at": "2024-01-05T09:00:00",
        }
    ords: dict[int, dict] = {}
    for i in range(1, orders + 1):
        day = f"202{rng.randrange(4, 6)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        order = {
            "id": i, "customer_id": rng.randrange(1, customers + 1), "date": day,
            "total": rng.randrange(50, 5000) * 1000, "items": rng.choice(ITEMS),
            "channel": rng.choice(CHANNELS), "created_at": day + "T10:00:00",
        }
        promo = rng.random() < 0.2
        if fat:
            order.update(promo=promo, voucher_id=None, points_redeemed=0, updated_at=order["created_at"])
        elif promo:
            order["promo"] = True
        ords[i] = order
    meta = {1: {"id": 1, "schema_version": 1, "created_at": "2024-01-01T00:00:00"}}
    return {"customers": cust, "orders": ords, "meta": meta}


CHILD = r"""
import json, os, resource, statistics, sys, time
sys.path.insert(0, sys.argv[1])
path, saves = sys.argv[2], int(sys.argv[3])
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
t0 = time.perf_counter()
from custui.store.open import open_store
store = open_store(path, backups_kept=2)
store.all("customers")  # what the lookup screen needs
opened = time.perf_counter() - t0
lazy = not store.loaded()
rss = rss_mb()
store.wait_loaded()
loaded = time.perf_counter() - t0
rss_loaded = rss_mb()
t = time.perf_counter()
store.children("orders", 1)  # the first use builds the orders-by-customer index if not built yet
index = time.perf_counter() - t
rss_index = rss_mb()
def save_all(base):
    times = []
    for i in range(saves):
        t = time.perf_counter()
        store.insert("orders", {"customer_id": 1 + (base + i) % 1000, "date": "2026-11-28", "total": 250000,
                                "items": "bench", "promo": False, "channel": "store"})
        times.append(time.perf_counter() - t)
    for i in range(saves // 5):
        t = time.perf_counter()
        store.update("customers", 1 + base + i, {"needs": "bench update"})
        times.append(time.perf_counter() - t)
    return times
times = save_all(0)  # right after the open: the store's background work is still going
t = time.perf_counter()
store.wait_settled()
store.finish_rebuild(60)
unsharer = getattr(store, "_unsharer", None)  # the open's backup copied apart: I/O beside the saves
if unsharer is not None and unsharer._thread.ident is not None:  # (started: not if closed first)
    unsharer._thread.join(120)
settle = time.perf_counter() - t
times_settled = save_all(saves) if saves else []  # the same saves with no background work left
t = time.perf_counter()
store.close()
closed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"open": opened, "rss": rss, "peak": peak, "close": closed, "times": times,
                  "times_settled": times_settled, "settle": settle,
                  "index": index, "rss_index": rss_index, "loaded": loaded, "lazy": lazy,
                  "rss_loaded": rss_loaded}))
"""


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def median_run(runs: list[dict]) -> dict:
    """Per-figure medians of several cold-open runs (lists taken from the first)."""
    merged = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float):
            merged[key] = statistics.median(r[key] for r in runs)
    return merged


def stock_tinydb(path: Path, inserts: int) -> tuple[float, list[float]]:
    from tinydb import TinyDB

    t0 = time.perf_counter()
    db = TinyDB(path)
    len(db.table("orders"))
    opened = time.perf_counter() - t0
    times = []
    for i in range(inserts):
        t = time.perf_counter()
        db.table("orders").insert({"customer_id": 1 + i, "date": "2026-11-28", "total": 250000})
        times.append(time.perf_counter() - t)
    db.close()
    return opened, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="100k customers / 1M orders")
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--fat", action="store_true", help="orders carry every field, defaults too")
    parser.add_argument("--stock-inserts", type=int, default=0, help="default 10, or 3 with --large")
    parser.add_argument("--old", metavar="DIR", default=None,
                        help="a checkout of an earlier commit: its FileStore timed on a copy of the same file")
    parser.add_argument("--repeat", type=int, default=1, help="cold opens per figure (medians)")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="also time the PostgreSQL store on URL (an empty database; it is filled)")
    args = parser.parse_args()
    customers, orders = (100_000, 1_000_000) if args.large else (10_000, 100_000)
    stock_n = args.stock_inserts or (3 if args.large else 10)

    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        path = Path(tmp) / "bench.json"
        t = time.perf_counter()
        tables = synth(customers, orders, fat=args.fat)
        write_atomic(path, dump_snapshot(tables))
        del tables
        print(f"data: {customers:,} customers / {orders:,} {'fat' if args.fat else 'lean'} orders, file "
              f"{path.stat().st_size / 1e6:.0f} MB (built in {time.perf_counter() - t:.1f} s)")

        def child(saves: int, root: Path = ROOT, db: Path = path) -> dict:
            done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(db), str(saves)],
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"the timed open of {db} ({root}) failed:\n{done.stderr}")
            return json.loads(done.stdout)

        def cold(root: Path, db: Path) -> tuple[dict, dict, dict]:
            """(full parse with saves, with sidecar, again): medians over --repeat opens."""
            runs = [child(args.saves, root, db)]
            for _ in range(args.repeat - 1):
                for extra in Path(db).parent.glob(Path(db).name + ".*"):
                    if extra.is_dir():  # its backups
                        shutil.rmtree(extra)
                    else:
                        extra.unlink()
                runs.append(child(0, root, db))
            full = median_run(runs)
            full["times"], full["times_settled"] = runs[0]["times"], runs[0]["times_settled"]
            res = median_run([child(0, root, db) for _ in range(args.repeat)])
            return full, res, median_run([child(0, root, db)])

        old_path = path.with_name("old.json")
        if args.old:
            shutil.copy(path, old_path)
        # no <db>.idx yet (as after stock TinyDB or a restore): full parse; close writes one
        full, res, res2 = cold(ROOT, path)
        ours = full["times"]
        old = cold(Path(args.old), old_path) if args.old else None
        t = time.perf_counter()
        json.loads(path.read_bytes())
        stdlib_load = time.perf_counter() - t
        sqlite = sqlite_baseline.measure(path, args.saves)
        stock_open, stock = stock_tinydb(path, stock_n)

    ms = 1000

    def saves(times: list[float]) -> str:
        return (f"save p50 {pct(times, 50) * ms:.3f} ms, p95 {pct(times, 95) * ms:.3f} ms, "
                f"max {max(times) * ms:.2f} ms ({len(times)} fsynced saves)")

    def report(who: str, ours: list[float], full: dict, res: dict, res2: dict) -> None:
        print(f"{who}:\n  during background work (right after a full-parse open): {saves(ours)}\n"
              f"  after the store settled ({full['settle']:.2f} s later): {saves(full['times_settled'])}")
        for label, r in (("with sidecar", res), ("again", res2), ("no sidecar (full parse)", full)):
            print(f"  cold open, {label}{'' if r['lazy'] or label[0] == 'n' else ' [NOT lazy]'}: "
                  f"open -> customers usable {r['open']:.2f} s (RSS {r['rss']:.0f} MB); "
                  f"open -> all tables loaded {r['loaded']:.2f} s (RSS {r['rss_loaded']:.0f} MB); "
                  f"first children() {r['index'] * 1000:.0f} ms; peak RSS {r['peak']:.0f} MB, "
                  f"close {r['close']:.2f} s")

    report("custui FileStore (this tree)", ours, full, res, res2)
    if old:
        report(f"custui FileStore ({args.old})", old[0]["times"], *old)
    print(f"stdlib json.loads of the same file: {stdlib_load:.2f} s (beside the full-parse 'all tables loaded')")
    print(sqlite_baseline.line(sqlite) + f", max {sqlite['insert_max'] * ms:.2f} ms")
    print(f"stock TinyDB:     insert p50 {statistics.median(stock) * ms:.1f} ms "
          f"(of {len(stock)} inserts, no fsync), open {stock_open:.2f} s")
    print(f"ratio: stock TinyDB insert p50 / custui save p95 = {statistics.median(stock) / pct(ours, 95):,.0f}x; "
          f"p50/p50 = {statistics.median(stock) / pct(ours, 50):,.0f}x; "
          f"SQLite insert p95 / custui save p95 = {sqlite['insert_p95'] / pct(ours, 95):,.1f}x")
    if args.postgres:
        for size in (10_000, 100_000) if args.large else (10_000,):
            print(f"PostgreSQL store, {size:,} customers / {size * 10:,} orders:", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / "pg_store.py"), args.postgres,
                            "--customers", str(size)], check=True)


if __name__ == "__main__":
    main()
