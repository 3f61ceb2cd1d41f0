"""kill -9 at any moment never loses an acknowledged save, never keeps part of a batch, and
never leaves a file that won't open. The parent kills after N saves the child reported on its
stdout (acknowledged: durable before the line is printed), never after a guessed sleep."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
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

BATCH_WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from custui.store.open import open_store
store = open_store(sys.argv[2], create=True, backups_kept=0, journal_compact_mb=1024)
batch = 0
while True:
    batch += 1
    with store.batch():
        for i in range(2000):
            store.insert("customers", {"batch": batch, "i": i, "pad": "y" * 40})
    print(batch, flush=True)
"""


def run_and_kill(script: str, db: Path, round_no: int, acks: int) -> list[str]:
    """Start a writer, read `acks` acknowledgement lines from it, kill -9 it; every line it wrote."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(ROOT), str(db), str(round_no)],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    lines = []
    try:
        while len(lines) < acks:
            line = proc.stdout.readline()
            assert line, "the writer died before it acknowledged enough saves"
            lines.append(line)
    finally:
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    lines += out.split(b"\n")[:-1]  # a line cut by the kill is not an acknowledgement
    return [line.decode().strip() for line in lines if line.strip()]


def test_sigkill_loses_no_acknowledged_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    db = tmp_path / "shop.json"
    rng = random.Random(1234)
    acknowledged: list[tuple[str, int, str]] = []
    for round_no in range(15):
        for line in run_and_kill(WRITER, db, round_no, rng.randrange(1, 120)):
            table, doc_id, token = line.split()
            acknowledged.append((table, int(doc_id), token))
        open_store(db, read_only=True).close()  # must open (read-only: recovery is the writer's)
    store = open_store(db)
    for table, doc_id, token in acknowledged:
        doc = store.get(table, doc_id)
        assert doc is not None and doc["token"] == token, (table, doc_id, token)
    store.close()
    assert not list(tmp_path.glob(".*.tmp"))  # half-written snapshots were cleared away
    tiny = TinyDB(db)
    assert len(tiny.table("customers")) == store.count("customers")
    tiny.close()


def test_sigkill_during_big_batches_keeps_each_batch_whole(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    rng = random.Random(99)
    acked_batches = 0
    for round_no in range(6):
        acked_batches += len(run_and_kill(BATCH_WRITER, db, round_no, rng.randrange(1, 4)))
        store = open_store(db)  # recovers: folds whole batches in, drops a torn one
        sizes: dict[tuple[int, int], int] = {}
        for doc in store.all("customers"):
            key = (doc["id"] - 1) // 2000, doc["batch"]
            sizes[key] = sizes.get(key, 0) + 1
        store.close()
        assert all(size == 2000 for size in sizes.values()), sizes  # all or nothing
        assert len(sizes) >= acked_batches  # every acknowledged batch is there
