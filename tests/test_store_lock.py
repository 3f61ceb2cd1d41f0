"""One writer per database; a killed holder never blocks; read-only works alongside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from custui.errors import DatabaseLocked
from custui.store.backups import restore_backup
from custui.store.lock import lock_owner
from custui.store.open import open_store

ROOT = Path(__file__).resolve().parent.parent
# holds the database until the test kills it (reading a stdin that never ends), not for a fixed
# time a loaded machine could outlast
HOLDER = """
import sys
sys.path.insert(0, sys.argv[1])
from custui.store.open import open_store
store = open_store(sys.argv[2])
store.insert("customers", {"name": "held"})
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path):
    db = tmp_path / "shop.json"
    open_store(db, create=True).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ROOT), str(db), "custui-demo"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield db, proc
    proc.kill()
    proc.communicate()  # closes its pipes


def test_second_writer_is_told_who_holds_the_database(holder) -> None:
    db, proc = holder
    with pytest.raises(DatabaseLocked) as caught:
        open_store(db)
    assert f"pid {proc.pid} on host" in caught.value.message
    assert f"pid {proc.pid}" in caught.value.owner
    assert f"pid {proc.pid}" in (lock_owner(db) or "")


def test_read_only_open_sees_saved_data_while_locked(holder) -> None:
    db, _proc = holder
    store = open_store(db, read_only=True)
    assert [c["name"] for c in store.all("customers")] == ["held"]
    store.close()


def test_restore_refuses_while_locked(holder, tmp_path: Path) -> None:
    db, _proc = holder
    other = tmp_path / "other.json"
    open_store(other, create=True).close()
    before = db.read_bytes()
    with pytest.raises(DatabaseLocked):
        restore_backup(db, other)
    assert db.read_bytes() == before


def test_lock_of_a_killed_process_does_not_block(holder) -> None:
    db, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lock_owner(db) is None
    store = open_store(db)  # recovers the killed writer's journal too
    assert [c["name"] for c in store.all("customers")] == ["held"]
    store.close()


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    first = open_store(db, create=True)
    with pytest.raises(DatabaseLocked):
        open_store(db)
    first.close()
    open_store(db).close()
