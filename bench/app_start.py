"""App start-up as an operator feels it: launch -> rows, keystroke latency, settled memory.

Drives the real app in tmux (via /work/shared/tools/tui.py, or any tui.py given with
--tui) on a copy of a big database (`custui init --db PATH --demo --customers 100000`),
typing queries one key at a time and polling the screen:

- launch -> first screen, launch -> the lookup showing rows;
- per keystroke during warm-up (the first --warm seconds) and after everything settled:
  echo (the typed text is on screen) and results (the status line names the query);
- RSS right after the rows appeared, peak (VmHWM) and once the process is idle.

Prints figures, asserts nothing. Usage:
    .venv/bin/python bench/app_start.py --db /tmp/perf/d.json [--size 100x30] [--warm 10]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

QUERIES = ("nguyen van", "tran thi", "0903", "le anh", "c00012", "hoang")
ROWS_MARK = "most recently active"  # the lookup's status line with the empty query (en)


def load_tui(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("tui", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM in MB."""
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key = line.split(":")[0]
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(line.split()[1]) // 1024
    return found


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def app_pid(tui: ModuleType, session: str) -> int:
    out = tui._tmux("list-panes", "-t", session, "-F", "#{pane_pid}").stdout.strip()
    return int(out.splitlines()[0])


def wait_screen(tui: ModuleType, session: str, text: str, timeout: float, step: float = 0.01) -> float | None:
    """Seconds until `text` is on screen (None at timeout)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in tui.screen(session):
            return time.perf_counter() - start
        time.sleep(step)
    return None


def type_query(tui: ModuleType, session: str, query: str, timeout: float) -> list[tuple[float, float]]:
    """Type `query` key by key; per key (echo s, results s); results = status line names it."""
    figures: list[tuple[float, float]] = []
    for n in range(1, len(query) + 1):
        typed = query[:n]
        tui.send(session, query[n - 1], pause=0)
        start = time.perf_counter()
        echo = result = None
        while time.perf_counter() - start < timeout:
            text = tui.screen(session)
            now = time.perf_counter() - start
            if echo is None and typed.rstrip() in text:
                echo = now
            if f"“{typed}”" in text:
                result = now
                echo = echo if echo is not None else now
                break
            time.sleep(0.005)
        figures.append((echo if echo is not None else timeout, result if result is not None else timeout))
    tui.send(session, "C-u", pause=0)
    wait_screen(tui, session, ROWS_MARK, timeout)
    return figures


def summary(label: str, figures: list[tuple[float, float]]) -> None:
    if not figures:
        print(f"  {label}: no keystrokes")
        return
    for i, name in ((0, "echo"), (1, "results")):
        values = sorted(f[i] * 1000 for f in figures)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"  {label} {name:7}: n={len(values):3} p50={statistics.median(values):7.0f} ms "
              f"p95={p95:7.0f} ms max={values[-1]:7.0f} ms")


def wait_idle(pid: int, timeout: float = 90.0, window: float = 1.0) -> float:
    """Seconds until the process used < 5 % of a core over `window`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        before = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - before < 0.05 * window:
            return time.perf_counter() - start
    return timeout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/perf/d.json")
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--warm", type=float, default=10.0, help="seconds of typing right after launch")
    parser.add_argument("--tui", default="/work/shared/tools/tui.py")
    parser.add_argument("--app", default=str(Path(sys.executable).with_name("custui")))
    args = parser.parse_args()
    os.environ.setdefault("TUI_SOCKET", f"bench-start-{os.getpid()}")
    tui = load_tui(args.tui)
    width, height = (int(n) for n in args.size.lower().split("x"))
    session = "start"
    command = [args.app, "--db", args.db]
    t0 = time.perf_counter()
    tui.start(session, command, width, height)
    try:
        pid = app_pid(tui, session)
        first = wait_screen(tui, session, "custui", 30, step=0.03)
        rows = wait_screen(tui, session, ROWS_MARK, 30, step=0.03)
        rows_at = time.perf_counter() - t0
        rss_rows = status(pid)["VmRSS"]
        print(f"database {args.db} at {args.size}")
        print(f"  launch -> first screen: {first if first is None else round(first, 2)} s; "
              f"launch -> rows: {round(rows_at, 2) if rows is not None else 'timeout'} s; RSS then {rss_rows} MB")
        warm: list[tuple[float, float]] = []
        k = 0
        while time.perf_counter() - t0 < args.warm:
            warm += type_query(tui, session, QUERIES[k % len(QUERIES)], 15)
            k += 1
        print(f"  typing from {rows_at:.1f} s to {time.perf_counter() - t0:.1f} s after launch:")
        summary("warm-up", warm)
        idle = wait_idle(pid)
        settled_at = time.perf_counter() - t0
        mem = status(pid)
        print(f"  idle {settled_at:.1f} s after launch (waited {idle:.1f} s); "
              f"RSS settled {mem['VmRSS']} MB, peak {mem['VmHWM']} MB; CPU used {cpu_seconds(pid):.1f} s")
        after: list[tuple[float, float]] = []
        for query in QUERIES:
            after += type_query(tui, session, query, 15)
        summary("settled", after)
    finally:
        tui.stop(session)
        tui._tmux("kill-server", check=False)


if __name__ == "__main__":
    main()
