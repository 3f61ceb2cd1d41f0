"""A customer's records of a big table read from the file's bytes while the background loader
parses it (lazy.Peek.matching): a profile opened at launch does not wait for a million orders.
What it reads is always what the loaded table (file plus journal) holds; when the bytes cannot
prove that no record is missed, the read waits for the load instead."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from custui.app import make_app
from custui.errors import DatabaseCorrupt
from custui.screens.profile import ProfileScreen
from custui.services import lookup_cache
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.store import lazy
from custui.store.file_store import FileStore
from custui.store.open import open_store
from custui.store.sidecar import sidecar_path
from tests.conftest import NOW
from tests.pilot_helpers import keys_handled, post_keys, screen_text, wait_until
from tests.test_store_sidecar import Gate, gate, rebuilt  # noqa: F401 - fixtures

CUSTOMERS, ORDERS = 30, 2000
VICTIM = 497  # an order of customer 5 (1 + 497 % 29)
# strings a byte scan must not be fooled by: quotes, braces, backslashes, the key itself
ODD_NOTES = ['say "customer_id":5, ok', "back\\slash\\", '{"1":{', '},"9":{"customer_id":5}', "tab\tnew\nline",
             "“quoted”", '"customer_id":5}']


@pytest.fixture(autouse=True)
def big_tables_in_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "EAGER_BYTES", 0)
    monkeypatch.setattr(lazy, "PEEK_BYTES", 0)


def make_db(path: Path, order: Callable[[int], dict[str, Any]] | None = None) -> Path:
    store = open_store(path, create=True)
    with store.bulk():
        for i in range(1, CUSTOMERS + 1):
            store.insert("customers", {"name": f"Lê Văn {i}", "code": f"C{i:06d}", "referred_by": 1 + i % 4 if i > 4 else None})
        for i in range(1, ORDERS + 1):
            doc: dict[str, Any] = {"customer_id": 1 + i % (CUSTOMERS - 1), "total": i * 1000, "date": "2026-01-02",
                                   "note": ODD_NOTES[i % len(ODD_NOTES)]}
            if i % 5 == 0:  # nested decoys: another customer's id inside the record
                doc["items"] = [{"sku": "A", "customer_id": 5}, {"customer_id": 7}]
                doc["extra"] = {"by": {"customer_id": 5}}
            store.insert("orders", order(i) if order else doc)
        for i in range(1, 40):
            store.insert("complaints", {"customer_id": 2 + i % 5, "category": "delivery", "status": "open",
                                        "note": ODD_NOTES[i % len(ODD_NOTES)]})
        for i in range(1, 200):
            store.insert("interactions", {"customer_id": 1 + i % 9, "kind": "call", "at": "2026-01-01T10:00:00",
                                          "note": ODD_NOTES[i % len(ODD_NOTES)]})
    store.close()
    return path


def loaded_answer(store: FileStore, table: str, customer_id: int) -> list[Any]:
    return sorted((doc["id"], doc) for doc in store.children(table, customer_id))


def read_while_loading(store: FileStore, read: Callable[[], Any]) -> tuple[bool, Any]:
    """(answered while the load was held, the answer) for `read` in another thread."""
    out: list[Any] = []

    def reader() -> None:
        try:
            out.append(read())
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            out.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join(5)
    answered = not thread.is_alive()
    return answered, out


def test_a_customers_orders_are_read_from_the_bytes_and_are_those_the_load_holds(
    tmp_path: Path, gate: Gate  # noqa: F811
) -> None:
    store = open_store(make_db(tmp_path / "shop.json"), read_only=True)
    assert not store.loaded("orders")
    alone = {(table, cid): sorted((doc["id"], doc) for doc in store.children(table, cid))
             for table in ("orders", "interactions", "complaints") for cid in range(0, CUSTOMERS + 3)}
    referred = {cid: sorted(doc["id"] for doc in store.matching("customers", "referred_by", cid))
                for cid in range(1, 6)}
    assert not store.loaded("orders") and not store.loaded("customers")  # all from the bytes
    assert alone[("orders", 5)] and not alone[("orders", CUSTOMERS)]
    gate.open.set()
    assert store.wait_loaded(10)
    assert alone == {key: loaded_answer(store, *key) for key in alone}
    assert referred == {cid: sorted(doc["id"] for doc in store.all("customers") if doc.get("referred_by") == cid)
                        for cid in range(1, 6)}
    assert referred[2]
    store.close()


@pytest.mark.parametrize("how", ["escaped key", "float", "spaced", "numbered objects", "unicode letter"])
def test_bytes_that_could_hide_a_record_are_never_trusted(tmp_path: Path, gate: Gate, how: str) -> None:  # noqa: F811
    """A file custui did not write (stock TinyDB, a hand edit) given an open cache by the
    rebuild: a customer's order written so that a scan for `"customer_id":5` misses it must
    make the read wait for the load, never answer without it."""
    path = make_db(tmp_path / "shop.json")
    data = path.read_bytes()
    victim = b'"497":{"customer_id":5,'  # VICTIM
    assert victim in data
    hidden = {
        "escaped key": b'"497":{"customer_\\u0069d":5,',
        "float": b'"497":{"customer_id":5.0,',
        "spaced": b'"497":{"customer_id" : 5,',
        "numbered objects": b'"497":{"customer_id":5,"answers":{"1":{"a":1},"2":{"b":2}},',
        "unicode letter": b'"497":{"\\u0063ustomer_id":5,',
    }[how]
    path.write_bytes(data.replace(victim, hidden))
    sidecar_path(path).unlink()
    store = open_store(path, read_only=True)  # a full parse; the open cache is rebuilt for the file as it is
    assert rebuilt(store) == "written"
    store.close()

    gate.open.clear()
    store = open_store(path, read_only=True)
    assert store._layout is not None and not store.loaded("orders")  # the open cache was trusted
    answered, _ = read_while_loading(store, lambda: store.children("orders", 5))
    assert not answered  # it waits for the load
    gate.open.set()
    assert store.wait_loaded(10)
    orders = store.children("orders", 5)
    # the loaded table's answer (orders are columns of ints: a 5.0 is no customer's)
    assert (VICTIM in [doc["id"] for doc in orders]) is (how != "float")
    store.close()


def test_objects_keyed_by_numbers_inside_a_record_are_never_read_as_records(
    tmp_path: Path, gate: Gate  # noqa: F811
) -> None:
    """Objects keyed by numbers inside an order look like record boundaries to the scan; with
    as many real boundaries written unlike custui (a space) the count still agrees. The
    object between two of them (`"3":{"customer_id":5}`) must not pass for order 3."""
    path = make_db(tmp_path / "shop.json")
    head, orders = path.read_bytes().split(b'"orders":{', 1)
    decoy = b'"601":{"answers":{"a":{},"3":{"customer_id":5},"4":{}},'
    orders = orders.replace(b'"601":{', decoy, 1)
    for key in (b"102", b"1502"):  # two boundaries the scan no longer sees (no 5 around them)
        orders = orders.replace(b'},"' + key + b'":{', b'}, "' + key + b'":{', 1)
    path.write_bytes(head + b'"orders":{' + orders)
    sidecar_path(path).unlink()
    store = open_store(path, read_only=True)
    assert rebuilt(store) == "written"
    store.close()

    gate.open.clear()
    store = open_store(path, read_only=True)
    assert store._layout is not None and not store.loaded("orders")
    answered, found = read_while_loading(store, lambda: store.children("orders", 5))
    assert not answered or 3 not in [doc["id"] for doc in found[0]]
    gate.open.set()
    assert store.wait_loaded(10)
    assert 3 not in [doc["id"] for doc in store.children("orders", 5)]
    store.close()


def test_the_journal_versions_win_over_the_bytes(tmp_path: Path, gate: Gate) -> None:  # noqa: F811
    path = make_db(tmp_path / "shop.json")
    gate.open.set()
    store = open_store(path)
    store.update("orders", VICTIM, {"customer_id": 6})  # moved from customer 5 to 6 (a merge)
    store.update("orders", 499, {"total": 1})  # customer 7's
    added = store.insert("orders", {"customer_id": 5, "total": 77, "date": "2026-02-01"})
    store._journal.close()  # type: ignore[union-attr]  # a crash: the saves are only in the journal
    store._lock.release()  # type: ignore[union-attr]
    store._loader.stop()  # type: ignore[union-attr]

    gate.open.clear()
    reader = open_store(path, read_only=True)  # no recovery: the journal waits for the load
    assert not reader.loaded("orders")
    alone = {cid: loaded_answer(reader, "orders", cid) for cid in (5, 6, 7)}
    assert not reader.loaded("orders")
    ids = {cid: [doc_id for doc_id, _ in found] for cid, found in alone.items()}
    assert VICTIM not in ids[5] and VICTIM in ids[6] and added["id"] in ids[5]
    assert [doc["total"] for _, doc in alone[7] if doc["id"] == 499] == [1]
    gate.open.set()
    assert reader.wait_loaded(10)
    assert alone == {cid: loaded_answer(reader, "orders", cid) for cid in alone}
    reader.close()


def test_a_damaged_record_is_never_read_from_the_bytes(tmp_path: Path, gate: Gate) -> None:  # noqa: F811
    path = make_db(tmp_path / "shop.json")
    before = os.stat(path)
    data = bytearray(path.read_bytes())
    at = data.index(b'"1000":{"customer_id":') + len(b'"1000":{"customer_id":') + 2
    data[at : at + 1] = b"#"  # same size and time: only the record itself says it is broken
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    victim = 1 + 1000 % (CUSTOMERS - 1)

    store = open_store(path, read_only=True)
    assert store._layout is not None
    answered, _ = read_while_loading(store, lambda: store.children("orders", victim))
    assert not answered  # the damaged record makes it wait for the load ...
    gate.open.set()
    with pytest.raises(DatabaseCorrupt):  # ... which finds the file damaged
        store.children("orders", victim)
    store.close()


def hide_an_order(path: Path) -> None:
    """Customer 5's order VICTIM written so that a byte scan would miss it (an escaped key),
    the open cache rebuilt for the file as it is."""
    path.write_bytes(path.read_bytes().replace(b'"497":{"customer_id":5,', b'"497":{"customer_\\u0069d":5,'))
    sidecar_path(path).unlink()
    store = open_store(path, read_only=True)
    assert rebuilt(store) == "written"
    store.close()


def profile_lines(app: Any) -> list[str]:
    """The profile's head, tab labels and loyalty panel as shown."""
    lines = [line.strip() for line in screen_text(app).splitlines()]
    return [line for line in lines[1:12] if line and not line.startswith(("━", "╸", "─"))]


def shown(app: Any) -> bool:
    text = screen_text(app)
    return isinstance(app.screen, ProfileScreen) and "Orders (" in text and "Loading" not in text


@pytest.mark.parametrize("hidden", [False, True])
async def test_a_profile_opened_while_the_big_tables_load_shows_what_the_loaded_tables_hold(
    tmp_path: Path, gate: Gate, shipped_config: object, hidden: bool  # noqa: F811
) -> None:
    """A customer served right at launch: the profile shows their orders, figures and points
    without waiting for the load, the same as once it is done; when the file's bytes cannot
    prove that none of their orders is missed, it says it is loading, never a partial sum."""
    path = make_db(tmp_path / "shop.json")
    if hidden:
        hide_an_order(path)
    gate.open.clear()
    store = open_store(path)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_customer(5)
        if hidden:
            assert await wait_until(pilot, lambda: isinstance(app.screen, ProfileScreen), workers=False)
            await pilot.pause(0.5)
            assert "Loading…" in screen_text(app) and "Orders (" not in screen_text(app)
            assert not store.loaded("orders")
            gate.open.set()
        assert await wait_until(pilot, lambda: shown(app), workers=False), screen_text(app)
        while_loading = profile_lines(app)
        assert store.loaded("orders") is hidden  # (shown from the file's bytes unless hidden)
        gate.open.set()
        assert await wait_until(pilot, lambda: store.loaded(), workers=False)
        await pilot.press("escape")
        app.open_customer(5)
        assert await wait_until(pilot, lambda: shown(app), workers=False)
        orders = len(store.children("orders", 5))
        assert f"Orders ({orders})" in screen_text(app)
        assert profile_lines(app) == while_loading
        await pilot.press("ctrl+q")
    store.close()


async def test_a_burst_typed_at_launch_opens_the_profile_and_acts_in_order(
    tmp_path: Path, gate: Gate, shipped_config: object  # noqa: F811
) -> None:
    """The clerk types a code, Enter and a tab's key in one burst while the big tables load:
    the profile opens on that customer, from the file's bytes, with that tab."""
    path = make_db(tmp_path / "shop.json")
    gate.open.set()
    store = open_store(path)
    index = CustomerIndex(store)
    index.prepare()
    store.close()
    assert lookup_cache.write(index, store)  # what the last quit kept
    gate.open.clear()
    store = open_store(path, hold_load=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")  # type: ignore[arg-type]
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: "Lê Văn" in screen_text(app), workers=False)
        keys = ["slash", *"C000005", "enter", "4"]
        post_keys(app, *keys)
        await keys_handled(pilot, len(keys))
        assert await wait_until(pilot, lambda: shown(app), workers=False)
        screen = app.screen
        assert isinstance(screen, ProfileScreen) and screen.customer_id == 5
        assert screen.active_tab() == "interactions"
        assert not store.loaded("orders")
        await pilot.press("ctrl+q")
    gate.open.set()
    store.close()


def test_a_table_waited_for_loads_without_the_pauses_for_typing(tmp_path: Path) -> None:
    """The app pauses the background load while the operator types; a read that waits for a
    table (a screen that cannot be shown from the file's bytes) ends those pauses until it has it."""
    store = open_store(make_db(tmp_path / "shop.json"), hold_load=True)
    pauses: list[int] = []

    def typing(stopped: Callable[[], bool]) -> None:  # an operator who never stops typing
        pauses.append(1)
        while not stopped():
            threading.Event().wait(0.01)

    store.pace_loading(typing)
    answered, out = read_while_loading(store, lambda: store.count("orders"))
    assert answered and out == [ORDERS] and pauses
    store.close()
