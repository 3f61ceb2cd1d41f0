"""kill -9 the running app (in tmux) while it records purchases; nothing acknowledged is lost.

Each round starts `custui` on a demo database in a private tmux server, opens one
customer and records purchases from the keyboard (o, total, Ctrl+S), each with a
unique total. After a random number of purchases it presses Ctrl+S and kills the app
with SIGKILL after a random delay (often in the middle of the save). Then
`custui info` must exit 0, every purchase whose "Order saved" notice was on screen
must be in the database, and the app must open again.

    .venv/bin/python bench/kill_app.py [--rounds 6] [--seed 1]

Needs tmux. Prints one line per round and a summary; exits 1 on a lost save.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUSTUI = str(ROOT / ".venv" / "bin" / "custui")
SOCKET = f"custui-kill-{os.getpid()}"
SAVED = re.compile(r"Order saved: ₫([\d,]+)")


def tmux(*args: str) -> str:
    out = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    return out.stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "k")


def wait_for(text: str, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in screen():
            return True
        time.sleep(0.05)
    return False


def keys(*names: str, literal: bool = False) -> None:
    for name in names:
        tmux("send-keys", "-t", "k", *(["-l"] if literal else []), name)
        time.sleep(0.03)


def app_pid() -> int | None:
    """The custui process in the pane (the pane runs `exec env ... custui`)."""
    pane = tmux("display", "-p", "-t", "k", "#{pane_pid}").strip()
    return int(pane) if pane.isdigit() else None


def start(db: Path) -> None:
    tmux("kill-server")
    env = f"env -i PATH=/usr/bin:/bin HOME={os.environ.get('HOME', '/tmp')} TERM=xterm-256color LANG=C.UTF-8"
    tmux("new-session", "-d", "-s", "k", "-x", "100", "-y", "30", f"exec {env} {CUSTUI} --db {db}",
         ";", "set-option", "-p", "-t", "k", "remain-on-exit", "on")


def stored_totals(db: Path, customer_code: str) -> set[int]:
    sys.path.insert(0, str(ROOT))
    from custui.store.open import open_store

    store = open_store(db, read_only=True)
    try:
        ids = {c["id"] for c in store.all("customers") if c.get("code") == customer_code}
        return {int(o["total"]) for o in store.all("orders") if o.get("customer_id") in ids}
    finally:
        close = getattr(store, "close", None)
        if close:
            close()


def one_round(db: Path, code: str, rng: random.Random, next_total: int) -> tuple[set[int], int, str]:
    """Returns (totals whose notice was seen, next unused total, where the kill landed)."""
    start(db)
    if not wait_for("Search", 30):
        raise SystemExit("app did not start:\n" + screen())
    keys(code, literal=True)
    if not wait_for(code):
        raise SystemExit("customer not found:\n" + screen())
    time.sleep(0.5)
    keys("Enter")
    if not wait_for("Orders ("):
        raise SystemExit("profile did not open:\n" + screen())
    seen: set[int] = set()
    purchases = rng.randint(1, 4)
    where = "idle"
    for n in range(purchases):
        keys("o")
        if not wait_for("New purchase"):
            break
        total = next_total
        next_total += 1
        keys(str(total), literal=True)
        time.sleep(0.2)
        keys("C-s")
        last = n == purchases - 1
        if last:  # kill while this one is being saved
            time.sleep(rng.uniform(0.0, 0.4))
            where = "saving"
            break
        end = time.monotonic() + 10
        while time.monotonic() < end and total not in seen:
            seen |= {int(m.replace(",", "")) for m in SAVED.findall(screen())}
            time.sleep(0.05)
    seen |= {int(m.replace(",", "")) for m in SAVED.findall(screen())}
    pid = app_pid()
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            where = "exited"
    time.sleep(0.3)
    return seen, next_total, where


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kill.json"
        subprocess.run([CUSTUI, "init", "--db", str(db), "--demo", "--customers", "300"],
                       check=True, capture_output=True)
        code = "C000003"
        before = stored_totals(db, code)
        acknowledged: set[int] = set()
        next_total = 100_001
        try:
            for round_no in range(1, args.rounds + 1):
                seen, next_total, where = one_round(db, code, rng, next_total)
                acknowledged |= seen
                info = subprocess.run([CUSTUI, "info", "--db", str(db)], capture_output=True, text=True)
                stored = stored_totals(db, code) - before
                lost = sorted(acknowledged - stored)
                ok = info.returncode == 0 and not lost
                failures += not ok
                print(f"round {round_no}: killed while {where}; notices {len(seen)}, "
                      f"info rc={info.returncode}, stored {len(stored)}, lost {lost or 'none'}")
                if info.returncode != 0:
                    print(info.stdout + info.stderr)
            start(db)  # and it opens once more
            reopened = wait_for("Search", 30)
            print(f"reopens after {args.rounds} kills: {'yes' if reopened else 'NO'}")
            failures += not reopened
        finally:
            tmux("kill-server")
    print("PASS" if not failures else f"FAIL ({failures})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
