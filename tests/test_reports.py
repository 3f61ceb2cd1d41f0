"""`custui report`: period figures for hand-made data, default periods, the 1000 -> 700 example."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import run_cli

from custui.config.loader import AppConfig
from custui.services.reports import choose_periods, period_report
from custui.store.memory import MemoryStore
from custui.store.open import open_store

TODAY = date(2026, 11, 28)


def test_default_periods() -> None:
    # month to date (28 November) against the same days of October
    p = choose_periods(TODAY)
    assert (p.current.start, p.current.end, p.previous.start, p.previous.end) == (
        date(2026, 11, 1), date(2026, 11, 28), date(2026, 10, 1), date(2026, 10, 28))
    assert p.basis == "to_date" and p.partial
    p = choose_periods(TODAY, date(2026, 11, 10), date(2026, 11, 19))
    assert (p.previous.start, p.previous.end) == (date(2026, 10, 31), date(2026, 11, 9))
    assert p.basis == "custom" and not p.partial
    p = choose_periods(TODAY, period="last-year")
    assert (p.current.start, p.current.end, p.previous.start) == (
        date(2025, 1, 1), date(2025, 12, 31), date(2024, 1, 1))
    p = choose_periods(date(2024, 3, 31), period="month-to-date")
    assert (p.previous.start, p.previous.end) == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError, match="does not go with"):
        choose_periods(TODAY, date(2026, 1, 1), period="last-month")
    with pytest.raises(ValueError, match="go together"):
        choose_periods(TODAY, vs_start=date(2026, 1, 1))
    with pytest.raises(ValueError, match="is after"):
        choose_periods(TODAY, date(2026, 2, 1), date(2026, 1, 1))


def _seed_retention(store: MemoryStore) -> None:
    """1000 customers buy in October; 700 of them and 50 newcomers buy in November."""
    with store.batch():
        for n in range(1050):
            cid = store.insert("customers", {"code": f"C{n:04d}", "name": f"K {n}"})["id"]
            if n < 1000:
                store.insert("orders", {"customer_id": cid, "date": "2026-10-15", "total": 100_000})
            if n < 700 or n >= 1000:
                store.insert("orders", {"customer_id": cid, "date": "2026-11-10",
                                        "total": 500_000 if n < 10 else 100_000})


def test_seeds_retention_example(shipped_config: AppConfig) -> None:
    store = MemoryStore()
    _seed_retention(store)
    report = period_report(store, shipped_config, choose_periods(TODAY), TODAY)
    assert report["active_comparison"] == 1000
    assert report["active"] == 750
    assert report["retained"] == 700
    assert report["new"] == 50
    assert report["retention_rate"] == 0.7
    assert report["churn_rate"] == 0.3
    assert report["orders"] == 750
    assert report["revenue"] == 10 * 500_000 + 740 * 100_000
    assert report["avg_order_value"] == round((5_000_000 + 74_000_000) / 750)
    # top 20 % of the 750 active = 150 customers: the 10 big ones and 140 others
    assert report["top20_revenue_share"] == round((5_000_000 + 140 * 100_000) / 79_000_000, 6)


def test_report_cli_json_and_text(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = open_store(db, create=True)
    with store.batch():
        a = store.insert("customers", {"code": "A", "name": "Ánh"})["id"]
        b = store.insert("customers", {"code": "B", "name": "Bình"})["id"]
        store.insert("orders", {"customer_id": a, "date": "2026-01-05", "total": 300_000})
        store.insert("orders", {"customer_id": a, "date": "2026-02-05", "total": 100_000})
        store.insert("orders", {"customer_id": b, "date": "2026-02-06", "total": 200_000})
        store.insert("orders", {"customer_id": b, "date": "2026-02-07", "total": 999_000, "void": True})
        store.insert("complaints", {"customer_id": b, "category": "transaction",
                                    "opened_at": "2026-02-07T10:00:00", "status": "open"})
    store.close()
    env = {"CUSTUI_DB": str(db), "CUSTUI_CONFIG": str(tmp_path)}
    code, out, err = run_cli(["report", "--from", "2026-02-01", "--to", "28/02/2026", "--format", "json"], env)
    assert code == 0, err
    report = json.loads(out)
    assert report["period"] == {"from": "2026-02-01", "to": "2026-02-28"}
    assert report["comparison"] == {"from": "2026-01-01", "to": "2026-01-31"}
    assert (report["active"], report["active_comparison"], report["new"], report["retained"]) == (2, 1, 1, 1)
    assert (report["retention_rate"], report["churn_rate"]) == (1.0, 0.0)
    assert (report["revenue"], report["orders"], report["avg_order_value"]) == (300_000, 2, 150_000)
    assert report["complaints_by_category"]["transaction"] == 1
    assert set(report) >= {"revenue_share_by_lifecycle", "top20_revenue_share", "nps"}
    code, _, err = run_cli(["report", "--from", "2026-02-01", "--to", "2026-02-28", "--vs-from", "2026-03-01"], env)
    assert code == 2
    assert "--vs-from and --vs-to go together" in err
