"""Settled resident memory of the running app, per launch path, on copies of a big database.

Each path starts from a fresh copy of the database's files (sidecars too) in a work folder,
then removes the sidecars that path goes without:

  open cache        the files as `init` left them: <db>.idx (open cache) and <db>.lookup
  no lookup index   <db>.lookup removed: the lookup's index is built at launch
  full parse        <db>.idx and <db>.lookup removed: the whole file is parsed at open

and launches the app in tmux (/work/shared/tools/tui.py), waits for rows, types a query,
waits until the app is idle (its start-up workers done: < 5 % of a core over 1 s), and
prints RSS right after rows, peak (VmHWM) and settled, the app's CPU time and the wall
time to idle, with the load average beside them. --code DIR runs another checkout's code
(e.g. the commit before a change) on the same copies, interleaved, so both see the same load.

    nice .venv/bin/python bench/app_memory.py --db /tmp/mem17/big.json [--code DIR] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_start import (  # noqa: E402
    PROBE,
    ROWS_MARK,
    app_pid,
    cpu_seconds,
    load_tui,
    status,
    wait_idle,
    wait_screen,
)

PATHS: dict[str, tuple[str, ...]] = {
    "open cache": (),
    "no lookup index": (".lookup",),
    "full parse": (".idx", ".lookup"),
}


def copy_for(source: Path, work: Path, drop: tuple[str, ...]) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for found in source.parent.glob(source.name + "*"):
        suffix = found.name[len(source.name):]
        if suffix not in drop and not found.name.endswith((".sqlite", ".lock")):
            shutil.copy2(found, work / found.name)
    return work / source.name


def measure(tui, session: str, command: list[str], db: Path, size: tuple[int, int]) -> dict[str, float]:
    t0 = time.perf_counter()
    tui.start(session, [*command, "--db", str(db)], *size)
    pid = app_pid(tui, session)
    wait_screen(tui, session, ROWS_MARK, 180, step=0.03)
    rows_at = time.perf_counter() - t0
    rss_rows = status(pid)["VmRSS"]
    tui.send(session, PROBE, pause=0)
    wait_screen(tui, session, f"“{PROBE}”", 120, step=0.03)
    wait_idle(pid, timeout=180)
    mem = status(pid)
    figures = {"rows s": rows_at, "RSS rows": rss_rows, "RSS settled": mem["VmRSS"],
               "RSS peak": mem["VmHWM"], "CPU s": cpu_seconds(pid), "idle s": time.perf_counter() - t0,
               "load": os.getloadavg()[0]}
    tui.stop(session)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--work", default=None, help="work folder (default: beside --db)")
    parser.add_argument("--code", action="append", default=[], help="another checkout to run beside")
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated subset of " + ", ".join(PATHS))
    parser.add_argument("--only-code", action="store_true", help="run only the --code checkouts")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--tui", default="/work/shared/tools/tui.py")
    parser.add_argument("--app", default=str(Path(sys.executable).with_name("custui")))
    args = parser.parse_args()
    os.environ.setdefault("TUI_SOCKET", f"bench-memory-{os.getpid()}")
    tui = load_tui(args.tui)
    size = tuple(int(n) for n in args.size.lower().split("x"))
    source = Path(args.db)
    work = Path(args.work) if args.work else source.parent / "app_memory_work"
    trees = {} if args.only_code else {"this tree": [args.app]}
    for code in args.code:
        trees[code] = [sys.executable, "-c",
                       f"import sys; sys.path.insert(0, {code!r}); from custui.cli import main; main()"]
    paths = [p.strip() for p in args.paths.split(",")]
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for _ in range(args.repeat):
            for path in paths:
                for name, command in trees.items():
                    db = copy_for(source, work, PATHS[path])
                    found = measure(tui, "mem-bench", command, db, size)  # type: ignore[arg-type]
                    results.setdefault((name, path), []).append(found)
                    print(f"{name:>12} | {path:15} | rows {found['rows s']:5.2f} s | RSS rows "
                          f"{found['RSS rows']:5.0f} MB, settled {found['RSS settled']:5.0f} MB, peak "
                          f"{found['RSS peak']:5.0f} MB | CPU {found['CPU s']:5.1f} s, idle after "
                          f"{found['idle s']:5.1f} s | load {found['load']:.2f}", flush=True)
    finally:
        tui.stop("mem-bench")
        tui._tmux("kill-server", check=False)
    print("medians:")
    for (name, path), runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{name:>12} | {path:15} | settled {med['RSS settled']:5.0f} MB (runs "
              f"{', '.join(str(int(r['RSS settled'])) for r in runs)}), peak {med['RSS peak']:5.0f} MB, "
              f"CPU {med['CPU s']:5.1f} s, idle after {med['idle s']:5.1f} s")


if __name__ == "__main__":
    main()
