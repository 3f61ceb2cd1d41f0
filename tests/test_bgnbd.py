"""The BG/NBD model reproduces the paper on the CDNOW sample, and the app's fit follows the data."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from custui.domain import bgnbd
from custui.domain.models.segments import Alive
from custui.domain.stats import compute_stats
from custui.services.alive import fit_stats

CDNOW = Path(__file__).parent / "data" / "cdnow_customers_summary.csv"


def cdnow() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with CDNOW.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2357
    return tuple(np.array([float(r[k]) for r in rows]) for k in ("frequency", "recency", "T"))


def test_fit_reproduces_fader_hardie_lee_2005_on_cdnow() -> None:
    x, t_x, T = cdnow()
    params = bgnbd.fit(x, t_x, T)
    # the paper: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (two significant digits)
    assert (round(params.r, 2), round(params.alpha, 1), round(params.a, 2), round(params.b, 1)) == (
        0.24, 4.4, 0.79, 2.4)
    # the paper's worked example: x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in 39 weeks
    one = (np.array([2.0]), np.array([30.43]), np.array([38.86]))
    assert bgnbd.expected_purchases(params, 39, *one)[0] == pytest.approx(1.226, abs=0.005)
    assert 0.7 < bgnbd.p_alive(params, *one)[0] < 0.75
    # no repeat purchase: alive by the model's assumption; a long silence after many: gone
    assert bgnbd.p_alive(params, np.array([0.0]), np.array([0.0]), np.array([30.0]))[0] == 1.0
    assert bgnbd.p_alive(params, np.array([10.0]), np.array([5.0]), np.array([38.0]))[0] < 0.01


def test_summary_counts_distinct_days_after_the_first_up_to_the_day() -> None:
    day = date(2026, 1, 1).toordinal()
    summary = bgnbd.summarize([(1, (day, day, day + 14, day + 70)), (2, (day + 7,)), (3, (day + 100,))], day + 70)
    assert summary.ids.tolist() == [1, 2]
    assert summary.x.tolist() == [2.0, 0.0]
    assert summary.t_x.tolist() == [10.0, 0.0]
    assert summary.T.tolist() == [10.0, 9.0]


def _history(n: int, seed: int = 3) -> dict[int, object]:
    rng = np.random.default_rng(seed)
    start = date(2024, 1, 1)
    stats = {}
    for cid in range(1, n + 1):
        first = start + timedelta(days=int(rng.integers(0, 300)))
        days = [first]
        gap = float(rng.gamma(2.0, 20.0))
        while rng.random() > 0.3 and days[-1] < date(2026, 1, 1):
            days.append(days[-1] + timedelta(days=max(1, int(rng.exponential(gap)))))
        stats[cid] = compute_stats([{"date": d.isoformat(), "total": 100} for d in days])
    return stats


def test_too_little_data_says_so_and_enough_gives_values() -> None:
    settings = Alive(min_repeat_customers=200, at_risk_below=0.3, horizon_days=90)
    small = fit_stats(_history(100), date(2026, 1, 1), settings)
    assert not small.fitted and small.repeat_customers < 200 and small.values == {}
    big = fit_stats(_history(1500), date(2026, 1, 1), settings)
    assert big.fitted and big.repeat_customers >= 200
    assert len(big.values) == big.repeat_customers
    assert all(0 <= v.p_alive <= 1 and v.expected >= 0 for v in big.values.values())


def test_export_as_of_fits_on_the_orders_up_to_that_day(shipped_config) -> None:
    from custui.services.demo import generate_demo
    from custui.services.exporter import customer_rows
    from custui.store.memory import MemoryStore

    store = MemoryStore()
    today = date(2026, 11, 28)
    generate_demo(store, 400, seed=2, today=today)
    now = {r["code"]: r for r in customer_rows(store, shipped_config, today)}
    before = {r["code"]: r for r in customer_rows(store, shipped_config, date(2025, 6, 1))}
    scored = [r for r in now.values() if r["p_alive"] is not None]
    assert len(scored) >= 200
    assert all(r["orders"] >= 2 and 0 <= r["p_alive"] <= 1 and r["expected_purchases_90d"] >= 0 for r in scored)
    assert all(r["p_alive"] is None for r in now.values() if r["orders"] < 2)
    # a year and a half earlier: fewer repeat customers, other figures, nobody scored on later orders
    earlier = [code for code, r in before.items() if r["p_alive"] is not None]
    assert earlier and all(before[code]["orders"] >= 2 for code in earlier)
    assert [before[c]["p_alive"] for c in earlier] != [now[c]["p_alive"] for c in earlier]
