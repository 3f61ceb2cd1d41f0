"""A customer served at launch: Enter on a lookup row -> the profile's orders and figures shown.

Drives the real app in tmux (via /work/shared/tools/tui.py, or --tui) on a fresh copy of a
big database (its sidecars too) for each run: launch, wait for the lookup's rows, type a
customer's code (--code), wait for its row, Enter, and time until the profile shows its
orders (the Orders tab's label carries their count only once they are all shown). With
--typing S the operator types for S seconds before the code (each key pauses the store's
background load). --old DIR runs the same with another code tree first (PYTHONPATH=DIR,
e.g. a `git worktree add` of an earlier commit) for a before/after in one run. Prints each
run, the median, the load average and the store log's load line. Asserts nothing.

    .venv/bin/python bench/profile_at_launch.py --db /tmp/pf/big.json [--old DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_start import load_tui  # noqa: E402

ROWS_MARK = "most recently active"
SHOWN = re.compile(r"Orders \(\d+\)")


def wait(tui: ModuleType, session: str, found: str | re.Pattern[str], timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = tui.screen(session)
        if (found.search(text) if isinstance(found, re.Pattern) else found in text):
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


def fresh_copy(source: Path, work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for found in source.parent.glob(source.name + "*"):
        if found.is_file():
            shutil.copy2(found, work / found.name)
    return work / source.name


def one_run(tui: ModuleType, python: str, tree: str | None, source: Path, work: Path, code: str,
            typing: float, log: Path) -> tuple[float | None, float | None, str]:
    db = fresh_copy(source, work)
    log.unlink(missing_ok=True)
    # -m would put the working directory (tmux's: this tree) first on the path
    env = {"CUSTUI_STORE_LOG": str(log), "PYTHONSAFEPATH": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    if tree:
        env["PYTHONPATH"] = tree
    session = "pf-bench"
    t0 = time.perf_counter()
    tui.start(session, [python, "-m", "custui", "--db", str(db)], 100, 30, env=env)
    rows = wait(tui, session, ROWS_MARK, 120)
    if rows is None:
        tui.stop(session)
        return None, None, "no rows"
    launched = time.perf_counter() - t0
    end_typing = time.monotonic() + typing
    while time.monotonic() < end_typing:  # a word typed and erased, again and again
        for ch in "nguyen":
            tui.send(session, ch, pause=0.12)
        tui.send(session, "C-u", pause=0.12)
    tui.send(session, code, pause=0)
    wait(tui, session, f"“{code}”", 60)
    time.sleep(0.1)
    tui.send(session, "Enter", pause=0)
    start = time.perf_counter()
    shown = wait(tui, session, SHOWN, 180)
    entered_at = start - t0
    screen = tui.screen(session)
    tui.send(session, "Escape", pause=0.3)
    tui.send(session, "C-q", pause=0)
    for _ in range(200):
        if not tui.alive(session):
            break
        time.sleep(0.05)
    tui.stop(session)
    loaded = ""
    if log.exists():
        found = re.search(r"background load done ([\d.]+) s", log.read_text())
        loaded = f"load done {found.group(1)} s after open" if found else "load not done"
    head = [line for line in screen.splitlines() if line.strip()][1:3]
    return entered_at, shown, f"launch->rows {launched:.1f} s; {loaded}; {' | '.join(h.strip()[:60] for h in head)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--code", default="C099961")
    parser.add_argument("--old")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--typing", type=float, default=0.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pf/bench-run"))
    parser.add_argument("--tui", default="/work/shared/tools/tui.py")
    args = parser.parse_args()
    tui = load_tui(args.tui)
    here = str(Path(__file__).resolve().parent.parent)
    trees = ([("before", args.old)] if args.old else []) + [("after", here)]
    results: dict[str, list[float]] = {name: [] for name, _ in trees}
    for n in range(args.repeat):
        for name, tree in trees:
            entered, shown, note = one_run(tui, sys.executable, tree, args.db, args.work, args.code,
                                           args.typing, args.work.parent / "bench-run.store.log")
            print(f"{name} run {n + 1}: Enter at {entered or 0:.1f} s after launch; "
                  f"Enter->profile shown {shown if shown is None else round(shown, 2)} s; {note}", flush=True)
            if shown is not None:
                results[name].append(shown)
    load = os.getloadavg()
    for name, values in results.items():
        if values:
            print(f"{name}: median {statistics.median(values):.2f} s of {len(values)} "
                  f"({', '.join(f'{v:.2f}' for v in values)})")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
