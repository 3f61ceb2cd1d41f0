"""Lookup rows and profile headers read off the shared derived cache show what a fresh
computation from the customer's orders shows, also right after saves."""

from __future__ import annotations

from datetime import date, datetime

from custui.config.loader import AppConfig
from custui.services.customer_view import CustomerViews, from_derived, summarize
from custui.services.demo import generate_demo
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

NOW = datetime(2026, 5, 20, 10, 0)


def workspace(config: AppConfig) -> Workspace:
    store = MemoryStore()
    generate_demo(store, 150, seed=3, today=NOW.date())
    return Workspace(store=store, config=config, clock=lambda: NOW)


def test_summaries_from_the_derived_cache_equal_fresh_ones(shipped_config: AppConfig) -> None:
    ws = workspace(shipped_config)
    ws.derived.ensure_built()
    today = ws.today()
    for doc in ws.store.all("customers"):
        assert from_derived(ws, doc["id"], today) == summarize(ws, doc["id"], today)


def test_after_a_purchase_and_a_void_the_row_shows_the_new_figures(shipped_config: AppConfig) -> None:
    ws = workspace(shipped_config)
    ws.derived.ensure_built()
    views = CustomerViews(ws)
    cid = ws.store.all("customers")[0]["id"]
    before = views.summary(cid)
    order = ws.store.insert("orders", {"customer_id": cid, "date": "2026-05-19", "total": 2_000_000,
                                       "items": "", "channel": "store"})
    after = views.summary(cid)
    assert after.orders == before.orders + 1
    assert after.total_spend == before.total_spend + 2_000_000
    assert after.last_order == date(2026, 5, 19)
    assert after == summarize(ws, cid)
    ws.store.update("orders", order["id"], {"void": True})
    assert views.summary(cid) == before


def test_without_a_built_cache_the_summary_is_computed_from_orders(shipped_config: AppConfig) -> None:
    ws = workspace(shipped_config)
    cid = ws.store.all("customers")[0]["id"]
    assert from_derived(ws, cid, ws.today()) is None  # never builds the cache on the lookup's thread
    assert CustomerViews(ws).summary(cid) == summarize(ws, cid)
