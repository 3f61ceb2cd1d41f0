"""kill -9 at random moments never loses an acknowledged save nor leaves a file that won't open."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from custui.store import lazy
from custui.store.open import open_store

ROOT = Path(__file__).resolve().parent.parent
WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from custui.store import lazy
lazy.EAGER_BYTES = 0  # every reopen loads orders in the background, journal replay deferred
from custui.store.open import open_store
store = open_store(sys.argv[2], create=True, backups_kept=2)
store._compact_bytes = 20_000  # compact often, so kills also land inside compactions
n = 0
while True:
    n += 1
    token = f"{sys.argv[3]}-{n}"
    if n % 7 == 0:
        with store.batch():
            a = store.insert("customers", {"token": token + "a"})
            b = store.insert("orders", {"customer_id": a["id"], "token": token + "b"})
        print("customers", a["id"], token + "a", flush=True)
        print("orders", b["id"], token + "b", flush=True)
    else:
        doc = store.insert("customers", {"token": token, "pad": "x" * (n % 50)})
        print("customers", doc["id"], token, flush=True)
"""


def run_and_kill(db: Path, round_no: int, rng: random.Random) -> list[tuple[str, int, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ROOT), str(db), str(round_no)],
        stdout=subprocess.PIPE,
    )
    time.sleep(rng.uniform(0.15, 0.45))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    acked = []
    for line in out.split(b"\n")[:-1]:  # a line cut by the kill is not an acknowledgement
        table, doc_id, token = line.decode().split()
        acked.append((table, int(doc_id), token))
    return acked


def test_sigkill_loses_no_acknowledged_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    db = tmp_path / "shop.json"
    rng = random.Random(1234)
    acknowledged: list[tuple[str, int, str]] = []
    for round_no in range(15):
        acknowledged += run_and_kill(db, round_no, rng)
        if db.exists():  # must open (read-only: leave the recovery to the next writer)
            open_store(db, read_only=True).close()
    assert len(acknowledged) > 15
    store = open_store(db)
    for table, doc_id, token in acknowledged:
        doc = store.get(table, doc_id)
        assert doc is not None and doc["token"] == token, (table, doc_id, token)
    store.close()
    assert not list(tmp_path.glob(".*.tmp"))  # half-written snapshots were cleared away
    tiny = TinyDB(db)
    assert len(tiny.table("customers")) == store.count("customers")
    tiny.close()
