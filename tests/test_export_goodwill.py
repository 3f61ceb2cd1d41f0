"""Exported points match the profile's: goodwill granted on a complaint counts."""

from __future__ import annotations

from datetime import date

from custui.config.loader import load_config
from custui.services.exporter import customer_rows
from custui.store.memory import MemoryStore


def test_exported_points_include_goodwill_granted_before_the_as_of_date() -> None:
    config = load_config(None)
    store = MemoryStore()
    cid = store.insert("customers", {"code": "C1", "name": "Lan", "archived": False})["id"]
    # 1 point per 10,000 ₫ in the shipped loyalty.yaml: 1,000,000 ₫ earns 100 points
    store.insert("orders", {"customer_id": cid, "date": "2026-11-01", "total": 1_000_000})
    store.insert("interactions", {"customer_id": cid, "type": "gift", "summary": "goodwill",
                                  "at": "2026-11-10T09:00:00", "points": 50})
    before = customer_rows(store, config, date(2026, 11, 5))[0]
    after = customer_rows(store, config, date(2026, 11, 28))[0]
    assert before["points"] == 100
    assert after["points"] == 150
