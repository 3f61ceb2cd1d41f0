"""Time generate_demo into a MemoryStore (and the file store with --file) at N customers."""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from custui.services.demo import generate_demo
from custui.store.memory import MemoryStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--file", action="store_true", help="also write through open_store")
    args = parser.parse_args()
    today = date(2026, 6, 30)
    start = time.perf_counter()
    counts = generate_demo(MemoryStore(), args.customers, args.seed, today=today)
    print(f"memory store: {time.perf_counter() - start:.1f} s  {counts}")
    if args.file:
        from custui.store.open import open_store

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            store = open_store(Path(tmp) / "demo.json", create=True)
            counts = generate_demo(store, args.customers, args.seed, today=today)
            store.close()
            print(f"file store (incl. close): {time.perf_counter() - start:.1f} s  {counts}")


if __name__ == "__main__":
    main()
