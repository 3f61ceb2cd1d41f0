"""Disk full (ENOSPC/EFBIG) on a save or a compaction: a clear message saying whether the
change was saved, never an internal error, and nothing lost. The error is injected at the
write call itself."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from cli_helpers import run_cli
from pilot_helpers import open_profile, settle, wait_until
from tinydb import TinyDB

from custui.app import make_app
from custui.errors import DatabaseError, NotSaved
from custui.modals.purchase import PurchaseModal
from custui.services.workspace import Workspace
from custui.store import safe_files
from custui.store.open import open_store
from tests.conftest import NOW, seed_people
from tests.test_cli_refusals import assert_message


class DiskFull:
    """Makes the journal's writes (or every whole-file write) fail as a full disk would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
        self.on = False
        self.code = code
        real_write, real_fdopen = os.write, os.fdopen
        full = self

        def write(fd: int, data: bytes) -> int:
            if full.on and fd == full.journal_fd:
                raise OSError(full.code, os.strerror(full.code))
            return real_write(fd, data)

        class Full:
            def __init__(self, inner: object) -> None:
                self.inner = inner

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.inner.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> int:
                raise OSError(full.code, os.strerror(full.code))

        def fdopen(fd: int, *args: object, **kwargs: object) -> object:
            inner = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
            writing = "w" in str(args[0] if args else kwargs.get("mode", "r"))
            return Full(inner) if full.on and full.files and writing else inner

        self.journal_fd = -1
        self.files = False
        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(safe_files.os, "fdopen", fdopen)


@pytest.fixture
def full(monkeypatch: pytest.MonkeyPatch) -> DiskFull:
    return DiskFull(monkeypatch)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG])
def test_a_save_on_a_full_disk_is_refused_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    full = DiskFull(monkeypatch, code)
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0)
    kept = store.insert("customers", {"name": "saved before"})
    full.journal_fd, full.on = store._journal._fd, True
    with pytest.raises(NotSaved, match="Not saved: no space left on the disk"):
        store.insert("customers", {"name": "lost?"})
    with pytest.raises(NotSaved), store.batch():  # a purchase with its voucher: neither kept
        store.insert("orders", {"customer_id": kept["id"], "total": 5})
        store.insert("vouchers", {"customer_id": kept["id"], "amount": 1})
    with pytest.raises(NotSaved):
        store.update("customers", kept["id"], {"name": "renamed?"})
    # memory holds exactly what the disk holds
    assert [c["name"] for c in store.all("customers")] == ["saved before"]
    assert store.all("orders") == [] and store.children("orders", kept["id"]) == []
    full.on = False  # room again: the next save works and takes the next free id
    again = store.insert("customers", {"name": "saved after"})
    store.close()
    tiny = TinyDB(db)
    assert [c["name"] for c in tiny.table("customers").all()] == ["saved before", "saved after"]
    assert tiny.table("customers").get(doc_id=again["id"]) is not None
    tiny.close()


def test_a_compaction_on_a_full_disk_keeps_every_save_in_the_journal(tmp_path: Path, full: DiskFull) -> None:
    db = tmp_path / "shop.json"
    store = open_store(db, create=True, backups_kept=0, journal_compact_mb=1)
    before = db.read_bytes()
    full.files = full.on = True
    for i in range(120):  # past the compaction threshold: compactions fail, saves do not
        store.insert("customers", {"name": f"c{i}", "pad": "x" * 10_000})
    with pytest.raises(DatabaseError, match="kept in .*shop.json.journal") as err:
        store.close()
    assert "internal error" not in str(err.value)
    assert db.read_bytes() == before  # the file was never half rewritten
    assert not list(tmp_path.glob(".*.tmp"))
    full.on = False
    recovered = open_store(db, backups_kept=0)
    assert recovered.count("customers") == 120
    recovered.close()


def test_a_bulk_import_on_a_full_disk_says_nothing_was_imported(tmp_path: Path, full: DiskFull) -> None:
    db = tmp_path / "shop.json"
    open_store(db, create=True, backups_kept=0).close()
    before = db.read_bytes()
    rows = "".join(f"C{i},Khách {i},09{i:08d}\n" for i in range(1, 2101))  # above BULK_WRITES
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("code,name,phone\n" + rows, encoding="utf-8")
    full.files = full.on = True
    code, _, err = run_cli(["--db", str(db), "import", "customers", str(csv_file)])
    assert_message(code, err, 3)
    assert "Not saved" in err and "no space left" in err
    full.on = False
    assert db.read_bytes() == before
    assert open_store(db, read_only=True).count("customers") == 0


async def test_the_purchase_form_stays_as_typed_with_the_message(
    tmp_path: Path, shipped_config: object, full: DiskFull
) -> None:
    store = open_store(tmp_path / "shop.json", create=True, backups_kept=0)
    people = seed_people(store)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    customer = next(iter(people.values()))
    orders_before = len(store.children("orders", customer))
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, customer)
        await pilot.press("o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PurchaseModal)
        await pilot.press(*"1250000")
        full.journal_fd, full.on = store._journal._fd, True
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not modal.saving)
        assert app.screen is modal  # still open, as typed
        assert modal.query_one("#f-total").value == "1250000"  # type: ignore[attr-defined]
        assert "Not saved: no space left on the disk" in str(modal.query_one("#purchase-problem").render())
        assert len(store.children("orders", customer)) == orders_before
    full.on = False
    store.close()
