"""App start-up as an operator feels it: launch -> usable lookup after every kind of exit.

Drives the real app in tmux (via /work/shared/tools/tui.py, or any tui.py given with
--tui) on copies of a big database (`custui init --db PATH --demo --customers 100000`,
made once and reused: its files, sidecars included, are copied to a work folder at the
start of each sequence), and prints launch -> usable (rows on screen and a typed query
answered) for each of:

  init -> info -> launch            the files as `init` left them, `custui info`, then the app
  launch -> quit after 1 s -> launch
  kill -9 (once usable) -> launch
  the same launch on a 50-customer database (Python and Textual's own start)

beside the same sequences run with an earlier commit's code (--old DIR, e.g. a
`git worktree add /tmp/perf17/old 04e5ee8`) and a SQLite baseline of the same customers
and orders (bench/sqlite_baseline.py). Then, on the last launch: keystroke latency while
it warms up (--warm seconds) and settled, and RSS right after rows, peak and once idle.
--repeat N runs every sequence N times and prints each figure and the median. Each
sequence also prints the store log of this tree's runs (CUSTUI_STORE_LOG): which way each
open went (open cache or full parse, and why), how the background load ended, what close
did, and how long each quit took.

Prints figures, asserts nothing. Usage:
    .venv/bin/python bench/app_start.py --db /tmp/perf17/big.json [--old /tmp/perf17/old] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

QUERIES = ("nguyen van", "tran thi", "0903", "le anh", "c00012", "hoang")
ROWS_MARK = "most recently active"  # the lookup's status line with the empty query (en)
PROBE = "nguyen"  # typed once rows show: usable = its results are on screen

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sqlite_baseline  # noqa: E402


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


class Runner:
    """Launches one code tree's app on one database in tmux and times it."""

    def __init__(self, tui: ModuleType, command: list[str], size: tuple[int, int], session: str,
                 log: Path | None = None) -> None:
        self.tui, self.command, self.size, self.session = tui, command, size, session
        # what each open and close did (custui/store/trace.py; ignored by trees without it)
        self.env = {"CUSTUI_STORE_LOG": str(log)} if log else {}

    def start(self, db: Path) -> None:
        self.tui.start(self.session, [*self.command, "--db", str(db)], *self.size, env=self.env)

    def launch(self, db: Path, timeout: float = 120.0) -> tuple[float | None, float | None]:
        """Start the app; (launch -> rows, launch -> the probe query answered) in seconds."""
        tui, session = self.tui, self.session
        t0 = time.perf_counter()
        self.start(db)
        rows = wait_screen(tui, session, ROWS_MARK, timeout, step=0.02)
        rows_at = time.perf_counter() - t0 if rows is not None else None
        tui.send(session, PROBE, pause=0)
        answered = wait_screen(tui, session, f"“{PROBE}”", timeout, step=0.02)
        usable = time.perf_counter() - t0 if answered is not None else None
        tui.send(session, "C-u", pause=0)
        wait_screen(tui, session, ROWS_MARK, timeout)
        return rows_at, usable

    def quit(self, timeout: float = 120.0) -> float:
        """Ctrl+Q, again every second while the app lives (one typed while the database opens,
        before the app reads keys, is eaten by the terminal as XON); seconds until it exited."""
        start = last = time.perf_counter()
        self.tui.send(self.session, "C-q", pause=0)
        while self.tui.alive(self.session) and time.perf_counter() - start < timeout:
            time.sleep(0.05)
            if time.perf_counter() - last >= 1.0:
                self.tui.send(self.session, "C-q", pause=0)
                last = time.perf_counter()
        took = time.perf_counter() - start
        self.tui.stop(self.session)
        return took

    def kill9(self) -> None:
        os.kill(app_pid(self.tui, self.session), signal.SIGKILL)
        time.sleep(0.2)
        self.tui.stop(self.session)

    def info(self, db: Path) -> None:
        subprocess.run([*self.command, "--db", str(db), "info"], check=True, capture_output=True,
                       env={**os.environ, **self.env})


def fresh_copy(source: Path, work: Path) -> Path:
    """The database's files (sidecars too) as `init` left them, copied into `work`."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for found in source.parent.glob(source.name + "*"):
        if not found.name.endswith(".sqlite"):
            shutil.copy2(found, work / found.name)
    return work / source.name


def sequences(runner: Runner, source: Path, small: Path, work: Path) -> dict[str, tuple[float | None, float | None]]:
    db = fresh_copy(source, work)
    log = work.parent / f"{work.name}.store.log"
    log.unlink(missing_ok=True)
    runner.env = {"CUSTUI_STORE_LOG": str(log)}

    def mark(step: str) -> None:
        with open(log, "a") as f:
            f.write(f"-- {step}\n")

    out: dict[str, tuple[float | None, float | None]] = {}
    mark("info")
    runner.info(db)
    mark("launch (after info)")
    out["init -> info -> launch"] = runner.launch(db)
    mark(f"quit took {runner.quit():.2f} s")
    mark("launch, quit after 1 s")
    runner.start(db)
    time.sleep(1.0)
    mark(f"quit took {runner.quit():.2f} s")
    mark("launch (after the quick quit)")
    out["launch -> quit after 1 s -> launch"] = runner.launch(db)
    runner.kill9()
    mark("launch (after kill -9)")
    out["kill -9 -> launch"] = runner.launch(db)
    runner.quit()
    mark("50 customers")
    out["50 customers: launch"] = runner.launch(small)
    runner.quit()
    if log.exists():  # what each open and close did (trees with custui/store/trace.py)
        print(f"store log of {' '.join(runner.command)[-60:]}:")
        print("".join(f"    {line}" for line in log.read_text().splitlines(keepends=True)), flush=True)
    return out


def fmt(value: float | None) -> str:
    return "timeout" if value is None else f"{value:5.2f} s"


def med(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def typing_and_memory(tui: ModuleType, session: str, command: list[str], db: Path, size: tuple[int, int],
                      warm_for: float) -> None:
    t0 = time.perf_counter()
    tui.start(session, [*command, "--db", str(db)], *size)
    pid = app_pid(tui, session)
    wait_screen(tui, session, ROWS_MARK, 120, step=0.03)
    rows_at = time.perf_counter() - t0
    rss_rows = status(pid)["VmRSS"]
    print(f"  launch -> rows {rows_at:.2f} s; RSS then {rss_rows} MB")
    warm: list[tuple[float, float]] = []
    k = 0
    while time.perf_counter() - t0 < warm_for:
        warm += type_query(tui, session, QUERIES[k % len(QUERIES)], 15)
        k += 1
    print(f"  typing from {rows_at:.1f} s to {time.perf_counter() - t0:.1f} s after launch:")
    summary("warm-up", warm)
    idle = wait_idle(pid)
    mem = status(pid)
    print(f"  idle {time.perf_counter() - t0:.1f} s after launch (waited {idle:.1f} s); "
          f"RSS settled {mem['VmRSS']} MB, peak {mem['VmHWM']} MB; CPU used {cpu_seconds(pid):.1f} s")
    after: list[tuple[float, float]] = []
    for query in QUERIES:
        after += type_query(tui, session, query, 15)
    summary("settled", after)
    tui.stop(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/perf17/big.json", help="the big database, made once by init")
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--warm", type=float, default=10.0, help="seconds of typing right after launch")
    parser.add_argument("--tui", default="/work/shared/tools/tui.py")
    parser.add_argument("--app", default=str(Path(sys.executable).with_name("custui")))
    parser.add_argument("--old", metavar="DIR", default=None, help="an earlier commit's checkout to run beside")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", default=None, help="work folder for the copies (default: beside --db)")
    parser.add_argument("--no-typing", action="store_true", help="skip the keystroke/memory part")
    args = parser.parse_args()
    os.environ.setdefault("TUI_SOCKET", f"bench-start-{os.getpid()}")
    tui = load_tui(args.tui)
    width, height = (int(n) for n in args.size.lower().split("x"))
    source = Path(args.db)
    work = Path(args.work) if args.work else source.parent / "app_start_work"
    small = work.parent / "app_start_small" / "small.json"
    if not small.exists():
        small.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([args.app, "init", "--demo", "--customers", "50", "--db", str(small)],
                       check=True, capture_output=True)
    trees = {"this tree": [args.app]}
    if args.old:
        trees[args.old] = [sys.executable, "-c",
                           f"import sys; sys.path.insert(0, {args.old!r}); from custui.cli import main; main()"]
    print(f"database {source} at {args.size}; usable = rows shown and “{PROBE}” answered; "
          f"{args.repeat} run(s) each, median last")
    results: dict[str, dict[str, list[tuple[float | None, float | None]]]] = {t: {} for t in trees}
    try:
        for _ in range(args.repeat):  # interleaved, so both trees see the same machine load
            for name, command in trees.items():
                runner = Runner(tui, command, (width, height), "perf17-start")
                for label, figures in sequences(runner, source, small, work).items():
                    results[name].setdefault(label, []).append(figures)
        sqlite = sqlite_baseline.measure(source)
        for name, by_label in results.items():
            print(f"{name}:")
            for label, runs in by_label.items():
                usable = [u for _, u in runs]
                rows = [r for r, _ in runs]
                print(f"  {label:36} launch -> usable {fmt(med(usable))} (rows {fmt(med(rows))}) "
                      f"runs: {', '.join(fmt(u) for u in usable)}")
            base = med([u for _, u in by_label["50 customers: launch"]])
            worst = [med([u for _, u in runs]) for label, runs in by_label.items() if not label.startswith("50")]
            if base is not None and None not in worst:
                print(f"  slowest big-database launch minus the 50-customer launch: "
                      f"{max(w for w in worst if w is not None) - base:+.2f} s (goal <= +1 s)")
        print(sqlite_baseline.line(sqlite))
        if not args.no_typing:
            print("this tree, launched once more after the sequences:")
            typing_and_memory(tui, "perf17-start", trees["this tree"], work / source.name, (width, height), args.warm)
    finally:
        tui.stop("perf17-start")
        tui._tmux("kill-server", check=False)


if __name__ == "__main__":
    main()
