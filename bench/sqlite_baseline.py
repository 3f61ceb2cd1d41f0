"""What a user would pick instead: SQLite (WAL, synchronous=FULL) holding the same data.

`measure(json_path)` copies the customers and orders tables of a custui JSON file into
`<json_path>.sqlite` (once; rebuilt when the JSON is newer) and then, in a fresh
subprocess so that the RSS is SQLite's own: open + read every customer, one committed
insert into orders at a time (p50/p95), RSS after the read and at the end.

    .venv/bin/python bench/sqlite_baseline.py /tmp/perf17/big.json [--inserts 500]

bench/store.py and bench/app_start.py print these figures beside their own.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

TABLES = ("customers", "orders")

MEASURE = r"""
import json, sqlite3, statistics, sys, time
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
path, inserts = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
rows = db.execute("SELECT * FROM customers").fetchall()
opened = time.perf_counter() - t0
rss = rss_mb()
times = []
for i in range(inserts):
    t = time.perf_counter()
    db.execute("BEGIN")
    db.execute("INSERT INTO orders (customer_id, date, total, items, channel, promo) VALUES (?,?,?,?,?,?)",
               (1 + i, "2026-11-28", 250000, "bench", "store", 0))
    db.execute("COMMIT")
    times.append(time.perf_counter() - t)
db.execute("DELETE FROM orders WHERE items = 'bench'")
db.close()
print(json.dumps({"open": opened, "customers": len(rows), "rss": rss, "rss_end": rss_mb(), "times": times}))
"""


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def build(json_path: Path, target: Path) -> None:
    """customers and orders of the JSON file as two SQLite tables, one column per field."""
    import orjson

    data = orjson.loads(json_path.read_bytes())
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("PRAGMA journal_mode=WAL")
    for table in TABLES:
        docs = data.get(table, {})
        fields: dict[str, None] = {}
        for doc in docs.values():
            fields.update(dict.fromkeys(k for k in doc if k != "id"))
        if table == "orders":  # what MEASURE inserts
            fields.update(dict.fromkeys(("customer_id", "date", "total", "items", "channel", "promo")))
        names = list(fields)
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, {', '.join(names)})")
        marks = ", ".join("?" * (len(names) + 1))
        db.executemany(
            f"INSERT INTO {table} VALUES ({marks})",
            ([int(key), *(_cell(doc.get(n)) for n in names)] for key, doc in docs.items()),
        )
        if table == "orders":
            db.execute("CREATE INDEX orders_customer ON orders (customer_id)")
    db.commit()
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.replace(target)


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def measure(json_path: str | Path, inserts: int = 200) -> dict[str, Any]:
    """Build (if needed) and time the SQLite copy in a fresh subprocess."""
    source = Path(json_path)
    target = Path(str(source) + ".sqlite")
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        # a subprocess too, so the caller's RSS does not carry the parsed JSON
        subprocess.run([sys.executable, __file__, str(source), "--build-only"], check=True)
    out = subprocess.run([sys.executable, "-c", MEASURE, str(target), str(inserts)],
                         check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out)
    times = result.pop("times")
    result["insert_p50"] = pct(times, 50) if times else 0.0
    result["insert_p95"] = pct(times, 95) if times else 0.0
    result["insert_max"] = max(times, default=0.0)
    result["file_mb"] = target.stat().st_size / 1e6
    return result


def line(result: dict[str, Any]) -> str:
    return (f"SQLite (WAL, synchronous=FULL): open + read {result['customers']:,} customers "
            f"{result['open']:.2f} s (RSS {result['rss']:.0f} MB); insert p50 {result['insert_p50'] * 1000:.3f} ms, "
            f"p95 {result['insert_p95'] * 1000:.3f} ms; RSS at end {result['rss_end']:.0f} MB; "
            f"file {result['file_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_path")
    parser.add_argument("--inserts", type=int, default=200)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    if args.build_only:
        build(Path(args.json_path), Path(args.json_path + ".sqlite"))
        return
    print(line(measure(args.json_path, args.inserts)))


if __name__ == "__main__":
    main()
