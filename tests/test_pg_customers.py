"""Several operators on customers: stale saves refused (service and form), codes unique when
created at once, and another operator's save showing up in an open profile."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pg_server as pgs
import pytest
from conftest import NOW, seed_people
from pilot_helpers import settle, wait_until
from textual.widgets import Input

from custui.app import make_app
from custui.config.loader import AppConfig
from custui.errors import StaleRecord
from custui.modals.confirm import ConfirmModal
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.profile import ProfileScreen
from custui.services.customers import archive_customer, create_customer, update_customer
from custui.services.workspace import Workspace
from custui.store.base import VERSION_FIELD, Doc
from custui.store.memory import MemoryStore
from custui.store.pg_open import open_pg
from custui.store.pg_store import PgStore

pg_server = pgs.pg_server  # fixtures shared by the PostgreSQL tests
pg_url = pgs.pg_url
opened = pgs.opened


class VersionedMemoryStore(MemoryStore):
    """A MemoryStore that versions customers as the PostgreSQL store does (service tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.passed: list[Any] = []

    def insert(self, table: str, doc: Mapping[str, Any]) -> Doc:
        return super().insert(table, {**doc, VERSION_FIELD: 1} if table == "customers" else doc)

    def update(self, table: str, doc_id: int, changes: Mapping[str, Any]) -> Doc:
        if table != "customers":
            return super().update(table, doc_id, changes)
        expected = changes.get(VERSION_FIELD)
        self.passed.append(expected)
        current = self.get(table, doc_id) or {}
        if expected is not None and expected != current[VERSION_FIELD]:
            raise StaleRecord(f"Not saved: {current['code']} was updated by another operator "
                              "(binh) at 10:42: phone.")
        stored = {**current, **changes, "id": doc_id, VERSION_FIELD: current[VERSION_FIELD] + 1}
        self._write(table, stored)
        return stored


def pg_workspace(url: str, opened: list[PgStore], config: AppConfig, operator: str) -> Workspace:
    store = open_pg(url, create=True, operator=operator)
    opened.append(store)
    return Workspace(store=store, config=config, clock=lambda: NOW, operator=operator)


def an_binh_and_anh(url: str, opened: list[PgStore], config: AppConfig) -> tuple[Workspace, Workspace, int]:
    """Two operators on one database, and the id of the customer both will edit."""
    an = pg_workspace(url, opened, config, "an")
    binh = pg_workspace(url, opened, config, "binh")
    return an, binh, seed_people(an.store)["C000001"]  # type: ignore[arg-type]


# -- the service path ---------------------------------------------------------------------
def test_service_passes_the_version_read_and_a_refused_save_writes_nothing(
        shipped_config: AppConfig) -> None:
    store = VersionedMemoryStore()
    ids = seed_people(store)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="an")
    anh = ids["C000001"]
    read = store.get("customers", anh)[VERSION_FIELD]  # type: ignore[index]
    store.update("customers", anh, {"phone": "0999 000 111"})  # another operator's save
    audits = store.count("audit")
    with pytest.raises(StaleRecord) as refused:
        update_customer(ws, anh, {"email": "anh@new.vn"}, version=read)
    assert "phone" in refused.value.message
    assert store.count("audit") == audits and store.get("customers", anh)["email"] != "anh@new.vn"  # type: ignore[index]
    with pytest.raises(StaleRecord):
        archive_customer(ws, anh, version=read)
    saved = update_customer(ws, anh, {"email": "anh@new.vn"}, version=read + 1)  # after reloading
    assert (saved["email"], saved["phone"]) == ("anh@new.vn", "0999 000 111")
    assert store.passed[-1] == read + 1


def test_single_writer_stores_save_without_a_version(workspace: Workspace) -> None:
    """The file and memory stores' docs have no version: the form passes None, saves work."""
    doc = update_customer(workspace, 1, {"email": "anh@new.vn"}, version=None)
    assert doc["email"] == "anh@new.vn" and VERSION_FIELD not in doc


def test_service_refuses_a_stale_save_on_postgresql(pg_url: str, opened: list[PgStore],
                                                    shipped_config: AppConfig) -> None:
    an = pg_workspace(pg_url, opened, shipped_config, "an")
    binh = pg_workspace(pg_url, opened, shipped_config, "binh")
    ids = seed_people(an.store)  # type: ignore[arg-type]
    anh = ids["C000001"]
    read = an.store.get("customers", anh)[VERSION_FIELD]  # type: ignore[index]
    pgs.wait_for(lambda: binh.store.get("customers", anh) is not None)
    update_customer(binh, anh, {"phone": "0999 000 111"},
                    version=binh.store.get("customers", anh)[VERSION_FIELD])  # type: ignore[index]
    audits = len(an.store.children("audit", anh))
    with pytest.raises(StaleRecord) as refused:
        update_customer(an, anh, {"email": "anh@new.vn"}, version=read)
    assert "binh" in refused.value.message and "phone" in refused.value.message
    assert len(an.store.children("audit", anh)) == audits
    # the refusal leaves the current record in the cache: a reload shows their phone
    assert an.store.get("customers", anh)["phone"] == "0999 000 111"  # type: ignore[index]


# -- codes ---------------------------------------------------------------------------------
def test_operators_creating_customers_at_the_same_moment_get_distinct_codes(
        pg_url: str, opened: list[PgStore], shipped_config: AppConfig) -> None:
    workspaces = [pg_workspace(pg_url, opened, shipped_config, f"op{n}") for n in range(4)]
    start = threading.Barrier(len(workspaces))
    errors: list[BaseException] = []

    def create_many(ws: Workspace) -> None:
        try:
            start.wait()
            for n in range(15):
                create_customer(ws, {"name": f"{ws.operator} {n}"})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=create_many, args=(ws,)) for ws in workspaces]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    fresh = open_pg(pg_url, listen=False)
    opened.append(fresh)
    codes = sorted(doc["code"] for doc in fresh.all("customers"))
    assert codes == [f"C{n:06d}" for n in range(1, 61)]


# -- the form and the profile in the app ---------------------------------------------------
async def test_second_save_of_a_customer_is_refused_in_the_form_and_keeps_the_typing(
        pg_url: str, opened: list[PgStore], shipped_config: AppConfig) -> None:
    an, binh, anh = an_binh_and_anh(pg_url, opened, shipped_config)
    app = make_app(an)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CustomerFormScreen(an, anh))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        form.query_one("#f-email", Input).value = "anh@typed.vn"
        form.query_one("#f-needs", Input).value = "quiet room"
        # meanwhile another operator changes the phone and saves
        pgs.wait_for(lambda: binh.store.get("customers", anh) is not None)
        update_customer(binh, anh, {"phone": "0999 000 111"},
                        version=binh.store.get("customers", anh)[VERSION_FIELD])  # type: ignore[index]
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = app.screen.message  # type: ignore[attr-defined]
        assert "another operator (binh)" in question and "phone" in question
        assert an.store.get("customers", anh)["email"] == "anh.nguyen@example.vn"  # type: ignore[index]
        assert form.query_one("#f-email", Input).value == "anh@typed.vn"  # kept while asked
        await pilot.press("y")  # load their changes
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#f-phone", Input).value == "0999 000 111"  # theirs
        assert form.query_one("#f-email", Input).value == "anh@typed.vn"  # ours, kept
        assert form.query_one("#f-needs", Input).value == "quiet room"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_until(pilot, lambda: not isinstance(app.screen, CustomerFormScreen))
    saved = an.store.get("customers", anh) or {}
    assert (saved["phone"], saved["email"], saved["needs"]) == ("0999 000 111", "anh@typed.vn", "quiet room")


async def test_where_both_changed_a_field_the_typing_stays_and_theirs_is_shown(
        shipped_config: AppConfig) -> None:
    store = VersionedMemoryStore()
    anh = seed_people(store)["C000001"]
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="an")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CustomerFormScreen(ws, anh))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        form.query_one("#f-phone", Input).value = "0911 111 111"
        store.update("customers", anh, {"phone": "0999 000 111", "region": "Huế"})  # theirs
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await settle(pilot)
        assert form.query_one("#f-phone", Input).value == "0911 111 111"
        assert form.query_one("#f-region", Input).value == "Huế"
        assert "0999 000 111" in str(form.query_one("#err-phone").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = store.get("customers", anh) or {}
    assert (saved["phone"], saved["region"]) == ("0911 111 111", "Huế")


async def test_another_operators_purchase_appears_in_the_open_profile(
        pg_url: str, opened: list[PgStore], shipped_config: AppConfig) -> None:
    an, binh, anh = an_binh_and_anh(pg_url, opened, shipped_config)
    app = make_app(an)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ProfileScreen(an, anh))
        await settle(pilot)
        profile = app.screen
        assert isinstance(profile, ProfileScreen) and profile.data is not None
        assert len(profile.data.orders) == 2
        binh.store.insert("orders", {"customer_id": anh, "date": "2026-11-28", "total": 777_000,
                                     "items": "", "channel": "store", "created_at": "2026-11-28T10:05:00"})
        binh.store.update("customers", anh, {"needs": "gift wrap"})
        assert await wait_until(pilot, lambda: profile.data is not None and len(profile.data.orders) == 3)
        assert await wait_until(pilot, lambda: profile.data is not None
                           and profile.data.customer.get("needs") == "gift wrap")


async def test_the_form_warns_once_when_another_operator_saves_the_customer_being_edited(
        pg_url: str, opened: list[PgStore], shipped_config: AppConfig) -> None:
    from custui.i18n import t

    an, binh, anh = an_binh_and_anh(pg_url, opened, shipped_config)
    app = make_app(an)

    def warnings() -> int:
        return sum(str(n.message) == t("pg.changed_meanwhile") for n in app._notifications)

    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CustomerFormScreen(an, anh))
        await settle(pilot)
        form = app.screen
        form.query_one("#f-needs", Input).value = "typed here"
        update_customer(an, anh, {"email": "anh@ours.vn"},  # this app's own save is no news
                        version=an.store.get("customers", anh)[VERSION_FIELD])  # type: ignore[index]
        pgs.wait_for(lambda: (binh.store.get("customers", anh) or {}).get("email") == "anh@ours.vn")
        await settle(pilot)
        assert warnings() == 0
        update_customer(binh, anh, {"phone": "0999 000 111"},
                        version=binh.store.get("customers", anh)[VERSION_FIELD])  # type: ignore[index]
        assert await wait_until(pilot, lambda: warnings() == 1)
        update_customer(binh, anh, {"region": "Huế"},
                        version=binh.store.get("customers", anh)[VERSION_FIELD])  # type: ignore[index]
        pgs.wait_for(lambda: (an.store.get("customers", anh) or {}).get("region") == "Huế")
        await settle(pilot)
        assert warnings() == 1 and app.screen is form
        assert form.query_one("#f-needs", Input).value == "typed here"
