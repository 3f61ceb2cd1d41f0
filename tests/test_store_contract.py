"""The Store contract every service relies on, run against each backend: memory, file, postgresql.

Backend-specific behaviour (file durability and locks, PostgreSQL concurrency)
is tested in test_store_file.py and test_pg_*.py; this file is what all share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_server import require_server

from custui.errors import ReadOnlyStore
from custui.store.base import SCHEMA_VERSION, Store
from custui.store.memory import MemoryStore
from custui.store.open import open_store
from custui.store.transfer import plain

BACKENDS = ["memory", "file", "postgresql"]


class Backend:
    """Opens stores of one kind on one database; `reopen` reads it back from where it lives."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind = kind
        self.opened: list[Any] = []
        self._memory: MemoryStore | None = None
        if kind == "file":
            self.location: Any = tmp_path / "db.json"
        elif kind == "postgresql":
            self.location = require_server().new_schema()

    def open(self, *, read_only: bool = False, create: bool = False) -> Any:
        if self.kind == "memory":
            if self._memory is None or create:
                self._memory = MemoryStore()
            if read_only:
                ro = MemoryStore(read_only=True)
                ro._tables = self._memory._tables
                return ro
            return self._memory
        if self.kind == "file":
            store = open_store(self.location, read_only=read_only, create=create, backups_kept=0)
        else:
            from custui.store.pg_open import open_pg

            store = open_pg(self.location, read_only=read_only, create=create)
        self.opened.append(store)
        return store

    def reopen(self, store: Any) -> Any:
        """The same database seen afresh (the memory store is its own truth)."""
        if self.kind == "memory":
            return store
        store.close()
        return self.open()

    def close_all(self) -> None:
        for store in self.opened:
            store.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    made = Backend(request.param, tmp_path)
    yield made
    made.close_all()


@pytest.fixture
def store(backend: Backend) -> Any:
    return backend.open(create=True)


def customer(name: str = "Nguyễn Thị Ánh", **extra: Any) -> dict[str, Any]:
    return {"code": "C000001", "name": name, "kind": "individual", "phone": "0901 234 567",
            "phone_norm": "0901234567", "tags": ["vip", "sỉ"], "archived": False,
            "birth_year": None, "consent_to_contact": True, **extra}


def test_every_backend_is_a_store(store: Any) -> None:
    assert isinstance(store, Store)


def test_insert_assigns_distinct_ids_and_get_returns_the_doc(store: Any, backend: Backend) -> None:
    first = store.insert("customers", customer())
    second = store.insert("customers", customer("Đặng Văn Đức", code="C000002"))
    assert first["id"] != second["id"] and second["id"] > first["id"]
    assert plain("customers", store.get("customers", first["id"])) == {**customer(), "id": first["id"]}
    assert store.get("customers", 999_999) is None
    again = backend.reopen(store)
    assert plain("customers", again.get("customers", second["id"])) == {
        **customer("Đặng Văn Đức", code="C000002"), "id": second["id"]}


def test_documents_round_trip_exactly(store: Any, backend: Backend) -> None:
    doc = {"customer_id": 1, "survey_id": "after_sale", "answers": {"q1": 5, "q2": ["a", "b"],
           "note": "Rất tốt 👍 \"quoted\" \\ back"}, "channel": "", "order_id": None,
           "score": 4.5, "big": 12_345_678_901, "flag": False}
    stored = store.insert("feedback", doc)
    again = backend.reopen(store)
    assert again.get("feedback", stored["id"]) == {**doc, "id": stored["id"]}


def test_insert_copies_its_input(store: Any) -> None:
    source = customer()
    stored = store.insert("customers", source)
    source["name"] = "changed after saving"
    assert store.get("customers", stored["id"])["name"] == "Nguyễn Thị Ánh"


def test_all_and_count_per_table(store: Any) -> None:
    cid = store.insert("customers", customer())["id"]
    for total in (100, 200, 300):
        store.insert("orders", {"customer_id": cid, "total": total, "date": "2026-11-01"})
    assert store.count("orders") == 3 and store.count("customers") == 1
    assert sorted(d["total"] for d in store.all("orders")) == [100, 200, 300]
    assert store.count("complaints") == 0 and store.all("complaints") == []


def test_children_are_one_customers_records(store: Any) -> None:
    a = store.insert("customers", customer())["id"]
    b = store.insert("customers", customer("B", code="C000002"))["id"]
    mine = store.insert("orders", {"customer_id": a, "total": 1})
    store.insert("orders", {"customer_id": b, "total": 2})
    store.insert("interactions", {"customer_id": a, "type": "call", "summary": "hi"})
    assert [d["id"] for d in store.children("orders", a)] == [mine["id"]]
    assert [d["type"] for d in store.children("interactions", a)] == ["call"]
    assert store.children("feedback", a) == []
    store.update("orders", mine["id"], {"customer_id": b})  # a merge moves records
    assert store.children("orders", a) == []
    assert sorted(d["total"] for d in store.children("orders", b)) == [1, 2]


def test_update_merges_changes_and_keeps_other_fields(store: Any, backend: Backend) -> None:
    doc = store.insert("customers", customer())
    updated = store.update("customers", doc["id"], {"phone": "0988", "email": "a@b.vn"})
    assert (updated["phone"], updated["email"], updated["name"]) == ("0988", "a@b.vn", "Nguyễn Thị Ánh")
    assert store.get("customers", doc["id"])["phone"] == "0988"
    again = backend.reopen(store)
    assert plain("customers", again.get("customers", doc["id"])) == {
        **customer(), "phone": "0988", "email": "a@b.vn", "id": doc["id"]}


def test_an_update_with_the_version_read_saves_and_never_stores_that_number(
        store: Any, backend: Backend) -> None:
    """Services pass the version they read; single-writer stores accept the save and do
    not keep the caller's number as data, PostgreSQL bumps its own."""
    doc = store.insert("customers", customer())
    read = store.get("customers", doc["id"]).get("version")
    updated = store.update("customers", doc["id"], {"phone": "0988", "version": read})
    if backend.kind == "postgresql":
        assert updated["version"] == read + 1
    else:
        assert "version" not in updated and "version" not in store.get("customers", doc["id"])
    # a stale number on a single-writer store is no data either: nothing to refuse there
    if backend.kind != "postgresql":
        store.update("customers", doc["id"], {"email": "a@b.vn", "version": 7})
        assert "version" not in backend.reopen(store).get("customers", doc["id"])


def test_update_of_a_missing_record_raises_key_error(store: Any) -> None:
    with pytest.raises(KeyError):
        store.update("orders", 4242, {"total": 1})


def test_batch_writes_are_visible_inside_and_durable_after(store: Any, backend: Backend) -> None:
    heard: list[str] = []
    store.subscribe(lambda table, doc: heard.append(table))
    with store.batch():
        cid = store.insert("customers", customer())["id"]
        order = store.insert("orders", {"customer_id": cid, "total": 5})
        assert store.get("orders", order["id"])["total"] == 5
        assert [d["id"] for d in store.children("orders", cid)] == [order["id"]]
        store.update("orders", order["id"], {"total": 6})
        assert heard == []  # listeners hear of writes once they are durable
    assert heard == ["customers", "orders", "orders"]
    again = backend.reopen(store)
    assert again.get("orders", order["id"])["total"] == 6
    assert again.count("customers") == 1


def test_nested_batches_commit_once(store: Any, backend: Backend) -> None:
    with store.batch():
        with store.batch():
            store.insert("orders", {"customer_id": 1, "total": 1})
        store.insert("orders", {"customer_id": 1, "total": 2})
    assert backend.reopen(store).count("orders") == 2


def test_subscribers_hear_every_write(store: Any) -> None:
    heard: list[tuple[str, Any]] = []
    store.subscribe(lambda table, doc: heard.append((table, doc["id"])))
    doc = store.insert("customers", customer())
    store.update("customers", doc["id"], {"name": "Ánh"})
    assert heard == [("customers", doc["id"]), ("customers", doc["id"])]


def test_revision_increases_on_every_write(store: Any) -> None:
    seen = [store.revision]
    doc = store.insert("customers", customer())
    seen.append(store.revision)
    store.update("customers", doc["id"], {"name": "x"})
    seen.append(store.revision)
    with store.batch():
        store.insert("orders", {"customer_id": doc["id"], "total": 1})
    seen.append(store.revision)
    assert seen == sorted(seen) and len(set(seen)) == 4


def test_meta_holds_the_schema_version(store: Any) -> None:
    assert store.meta()["schema_version"] == SCHEMA_VERSION


def test_read_only_store_refuses_writes_and_reads(store: Any, backend: Backend) -> None:
    cid = store.insert("customers", customer())["id"]
    if backend.kind == "file":
        store.close()
    ro = backend.open(read_only=True)
    assert ro.read_only
    assert ro.get("customers", cid)["name"] == "Nguyễn Thị Ánh"
    with pytest.raises(ReadOnlyStore):
        ro.insert("orders", {"customer_id": cid, "total": 1})
    with pytest.raises(ReadOnlyStore):
        ro.update("customers", cid, {"name": "x"})


def test_info_names_the_database_and_counts_records(store: Any, backend: Backend) -> None:
    store.insert("customers", customer())
    store.insert("orders", {"customer_id": 1, "total": 1})
    info = store.info()
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["tables"]["customers"] == 1 and info["tables"]["orders"] == 1
    assert "secret" not in str(info)  # the test server's password never shows
    if backend.kind != "memory":
        assert str(info["path"]).startswith(str(backend.location).split(":secret@")[0].split("://")[0])


def test_writes_from_worker_threads_all_land(store: Any, backend: Backend) -> None:
    import threading

    cid = store.insert("customers", customer())["id"]

    def work(offset: int) -> None:
        for n in range(25):
            store.insert("orders", {"customer_id": cid, "total": offset + n})

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count("orders") == 100
    assert len({d["id"] for d in store.all("orders")}) == 100
    assert backend.reopen(store).count("orders") == 100


def _ids(docs: list[dict[str, Any]]) -> list[int]:
    return sorted(d["id"] for d in docs)


Check = Callable[[Any], None]
