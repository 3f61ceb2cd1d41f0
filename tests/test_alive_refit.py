"""The P(alive) model after a write: scored at once with the last fit on the changed data (no
refit on the write's path or the UI thread), refitted in the background, and the "at risk"
segment then equals what the slow way (a full summary and a fresh scoring) gives."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

import pytest

from custui.app import make_app
from custui.config.loader import AppConfig
from custui.domain import bgnbd
from custui.domain.winback import at_risk, members
from custui.services import alive
from custui.services.analytics import Analytics
from custui.services.demo import generate_demo
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore
from tests.pilot_helpers import wait_until

NOW = datetime(2026, 11, 28, 10, 0)


def _workspace(config: AppConfig) -> Workspace:
    settings = config.segments.alive.model_copy(update={"at_risk_below": 0.97})
    config = replace(config, segments=config.segments.model_copy(update={"alive": settings}))
    store = MemoryStore()
    generate_demo(store, 400, seed=4, today=NOW.date())
    return Workspace(store=store, config=config, clock=lambda: NOW, operator="tester")


def _slow_scores(ws: Workspace, params: bgnbd.Params) -> dict[int, float]:
    """P(alive) of every repeat customer by a full summary of the current data."""
    stats = ws.derived.snapshot().stats
    summary = bgnbd.summarize(((cid, s.order_days) for cid, s in stats.items()), NOW.date().toordinal())
    repeat = summary.x > 0
    p = bgnbd.p_alive(params, summary.x[repeat], summary.t_x[repeat], summary.T[repeat])
    return dict(zip(summary.ids[repeat].tolist(), p.tolist(), strict=True))


def _writes(ws: Workspace) -> list[int]:
    """An order for a repeat customer, a first and a second order for someone who never bought,
    and every order of another customer voided: customers whose model rows change or go."""
    store = ws.store
    fit = alive.latest(ws)
    assert fit is not None and fit.summary is not None
    repeat = int(fit.summary.ids[0])
    never = next(c["id"] for c in store.all("customers") if not store.children("orders", c["id"]))
    gone = int(fit.summary.ids[-1])
    store.insert("orders", {"customer_id": repeat, "date": "2026-11-28", "total": 10_000, "items": ""})
    for day in ("2026-10-01", "2026-11-20"):
        store.insert("orders", {"customer_id": never, "date": day, "total": 20_000, "items": ""})
    for order in store.children("orders", gone):
        store.update("orders", order["id"], {"void": True})
    return [repeat, never, gone]


def test_a_write_is_scored_with_the_last_fit_without_refitting(
        shipped_config: AppConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(shipped_config)
    analytics = Analytics(ws.store, ws.config, ws.today, ws.derived)
    first = alive.alive_fit(ws)
    assert first.fitted and first.current
    analytics.members("at_risk")
    repeat, never, gone = _writes(ws)

    def no_fit(*args: object, **kwargs: object) -> bgnbd.Params:
        raise AssertionError("refitted on a write's path")

    monkeypatch.setattr(bgnbd, "fit", no_fit)
    scored = alive.current(ws)
    assert scored.params == first.params and not scored.current
    expected = _slow_scores(ws, first.params)  # type: ignore[arg-type]
    assert scored.p_alive() == expected
    assert never in expected and gone not in expected and expected[repeat] != first.p_alive()[repeat]
    below = ws.config.segments.alive.at_risk_below
    stats = ws.derived.snapshot().stats
    wanted = members(at_risk({c: p for c, p in expected.items() if p < below}, stats, below, NOW.date()))
    assert wanted and set(analytics.members("at_risk")) == wanted
    assert alive.refit_due(ws)

    monkeypatch.undo()
    refit = alive.alive_fit(ws)
    assert refit.current and refit.params != first.params and not alive.refit_due(ws)
    assert refit.p_alive() == _slow_scores(ws, refit.params)  # type: ignore[arg-type]
    # a cold fit (no previous parameters to start from) finds the same maximum
    cold = alive.fit_stats(stats, NOW.date(), ws.config.segments.alive)
    assert cold.params is not None and refit.params is not None
    for name in ("r", "alpha", "a", "b"):
        assert getattr(refit.params, name) == pytest.approx(getattr(cold.params, name), rel=1e-3)
    fresh = {c: p for c, p in _slow_scores(ws, refit.params).items() if p < below}  # type: ignore[arg-type]
    assert set(analytics.members("at_risk")) == members(at_risk(fresh, stats, below, NOW.date()))


def test_customer_values_match_the_full_table(shipped_config: AppConfig) -> None:
    ws = _workspace(shipped_config)
    fit = alive.alive_fit(ws)
    assert fit.values and all(fit.get(cid) == values for cid, values in fit.values.items())
    assert fit.get(-1) is None


async def test_the_app_refits_in_a_worker_after_a_write(
        shipped_config: AppConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(shipped_config)
    real_fit = bgnbd.fit
    threads: list[bool] = []

    def recording_fit(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(bgnbd, "fit", recording_fit)
    app = make_app(ws)
    async with app.run_test() as pilot:
        assert await wait_until(pilot, lambda: alive.latest(ws) is not None, seconds=60)
        assert len(threads) == 1
        ws.store.insert("orders", {"customer_id": 1, "date": "2026-11-28", "total": 10_000, "items": ""})
        assert await wait_until(pilot, lambda: len(threads) == 2 and not alive.refit_due(ws), seconds=60)
        fit = alive.latest(ws)
        assert fit is not None and fit.current
    assert threads == [False, False]  # both fits ran in workers, none on the UI thread
