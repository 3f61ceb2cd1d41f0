"""Time `custui import orders --create-customers` of a generated POS export.

Default: 70,000 order rows for 25,000 new customers (goal: under 10 s), into a fresh
FileStore database on a temp dir, then the same file again (must add nothing), then
an export of the customers. Prints the figures.

    python bench/import.py [--rows 70000] [--customers 25000] [--keep DIR]
    python bench/import.py --rows 20000 --customers 5000 --postgres   # also PostgreSQL

--postgres imports the same file into a fresh PostgreSQL database (a throwaway cluster from
tests/pg_server.py, or --pg-url URL of an empty database) and prints it beside the file
store (goal: within 1.5x).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Smith", "Brown"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", ""]
LAST = ["Ánh", "Bình", "Chi", "Dũng", "Hà", "Khôi", "Lan", "Nam", "Phúc", "Quỳnh", "John", "Emma"]
ITEMS = ["Áo sơ mi", "Quần jean", "Giày thể thao", "Túi xách", "Bàn làm việc", "Ghế xoay", ""]


def generate(path: Path, rows: int, customers: int, seed: int = 1) -> None:
    """A semicolon CSV with a BOM, dd/mm/yyyy dates and dotted VND amounts, like a POS export."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    names = [f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}".replace("  ", " ")
             for _ in range(customers)]
    lines = ["Mã KH;Tên khách hàng;Ngày;Thành tiền;Sản phẩm"]
    for number in range(rows):
        who = number if number < customers else rng.randrange(customers)
        day = start + timedelta(days=rng.randrange(730))
        amount = rng.randrange(20, 5000) * 1000
        lines.append(f"{who:06d};{names[who]};{day:%d/%m/%Y};{amount:,}".replace(",", ".")
                     + f";{rng.choice(ITEMS)}")
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())


def timed(args: list[str], env_db: Path | str, cfg: Path, code: str | None = None) -> tuple[float, str]:
    env = {"CUSTUI_DB": str(env_db), "CUSTUI_CONFIG": str(cfg), "PATH": "/usr/bin:/bin"}
    if code:  # another checkout's custui
        env["PYTHONPATH"] = code
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "custui", *args], env=env, capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"custui {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--customers", type=int, default=25_000)
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR and keep it")
    parser.add_argument("--postgres", action="store_true", help="also import into PostgreSQL")
    parser.add_argument("--old", metavar="DIR", default=None,
                        help="with --postgres: also the PostgreSQL import with an earlier checkout's code")
    parser.add_argument("--pg-url", default=None, help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="custui-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    cfg = work / "cfg"
    cfg.mkdir(exist_ok=True)
    db = work / "bench.json"
    csv_path = work / "orders.csv"
    try:
        began = time.perf_counter()
        generate(csv_path, args.rows, args.customers)
        print(f"generated {args.rows:,} rows / {args.customers:,} customers "
              f"({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.2f} s")
        db.unlink(missing_ok=True)
        timed(["init"], db, cfg)
        first, summary = timed(["import", "orders", str(csv_path), "--create-customers"], db, cfg)
        print(f"import (new customers):  {first:6.2f} s   {summary}   goal < 10 s")
        again, summary = timed(["import", "orders", str(csv_path), "--create-customers"], db, cfg)
        print(f"re-import (no change):   {again:6.2f} s   {summary}")
        out = work / "customers.csv"
        exported, _ = timed(["export", "customers", "--out", str(out)], db, cfg)
        written = next(work.glob("customers*.csv"))  # the name may gain a .personal-data part
        print(f"export customers:        {exported:6.2f} s   {sum(1 for _ in written.open()) - 1:,} rows")
        print(f"database size: {db.stat().st_size / 1e6:.1f} MB")
        if args.postgres or args.pg_url:
            url = args.pg_url
            if url is None:
                sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
                import pg_server

                url = pg_server.start_server().new_database()
            timed(["init"], url, cfg)
            pg_first, summary = timed(["import", "orders", str(csv_path), "--create-customers"], url, cfg)
            print(f"PostgreSQL import (new customers): {pg_first:6.2f} s   {summary}   "
                  f"{pg_first / first:.2f}x the file store's {first:.2f} s (goal <= 1.5x)")
            pg_again, _ = timed(["import", "orders", str(csv_path), "--create-customers"], url, cfg)
            print(f"PostgreSQL re-import (no change): {pg_again:6.2f} s")
            if args.old and not args.pg_url:
                old_url = pg_server.start_server().new_database()
                timed(["init"], old_url, cfg, args.old)
                old, _ = timed(["import", "orders", str(csv_path), "--create-customers"], old_url, cfg, args.old)
                print(f"PostgreSQL import with {args.old}: {old:6.2f} s ({old / first:.2f}x the file store)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
