"""Who is slipping away, in Today and in segments: win-back rows ranked by value at risk with a
why line, the "at risk" segment, and the fall-back to the recency rule with too little data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from custui.config.loader import AppConfig
from custui.domain.care import CareRules, care_queue
from custui.domain.stats import compute_stats
from custui.domain.winback import at_risk
from custui.services import alive
from custui.services import care as service
from custui.services.analytics import Analytics
from custui.services.customer_view import alive_text
from custui.services.demo import generate_demo
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

TODAY = date(2026, 6, 15)


def _stats(days_ago: list[int], total: int = 100_000):
    return compute_stats([{"date": (TODAY - timedelta(days=d)).isoformat(), "total": total} for d in days_ago])


def test_ranked_by_value_at_risk_with_a_why_line() -> None:
    stats = {1: _stats([130, 171, 212, 253], 200_000), 2: _stats([130, 171, 212, 253], 900_000),
             3: _stats([100]), 4: _stats([20, 40])}
    rows = at_risk({1: 0.23, 2: 0.5, 3: 0.1, 4: 0.9}, stats, 0.6, TODAY)
    assert [row.customer_id for row in rows] == [2, 1]  # 3 bought once, 4 is likely alive
    customers = [{"id": 1, "name": "A"}, {"id": 2, "name": "B", "consent_to_contact": False},
                 {"id": 5, "name": "C"}]
    rules = CareRules(thank_you_days=None, feedback_request_days=None, birthday_days_ahead=None)
    items = care_queue(customers=customers, orders=[], complaints=[], interactions=[], feedback=[],
                       rules=rules, today=TODAY, now=datetime(2026, 6, 15, 9), at_risk=rows)
    (item,) = items  # B has not agreed to be contacted
    assert (item.kind, item.customer_id, item.key) == ("winback", 1, "winback:c1:2026-02-05")
    assert service.reason_text(item) == "P(alive) 23 %, usually buys every 41 days, last bought 130 days ago"
    assert item.value_at_risk == (1 - 0.23) * 800_000 / max(123 / 365.25, 1)
    # a loyal customer near lapsing (the recency rule) keeps the row, now explained and ranked
    loyal = {"id": 6, "name": "D", "status_override": "loyal"}
    orders = [{"id": 9, "customer_id": 6, "date": (TODAY - timedelta(days=160)).isoformat(), "total": 5}]
    rows.append(at_risk({6: 0.8}, {6: _stats([160, 200])}, 0.9, TODAY)[0])
    items = care_queue(customers=[*customers, loyal], orders=orders, complaints=[], interactions=[],
                       feedback=[], rules=rules, today=TODAY, now=datetime(2026, 6, 15, 9), at_risk=rows)
    assert [(i.customer_id, i.reason_key) for i in items] == [
        (1, "care.reason.winback_model"), (6, "care.reason.winback_model")]


def _demo_workspace(customers: int, config: AppConfig) -> Workspace:
    store = MemoryStore()
    now = datetime(2026, 11, 28, 10, 0)
    generate_demo(store, customers, seed=4, today=now.date())
    return Workspace(store=store, config=config, clock=lambda: now, operator="tester")


def test_enough_data_fits_ranks_today_and_fills_the_segment(shipped_config: AppConfig) -> None:
    settings = shipped_config.segments.alive.model_copy(update={"at_risk_below": 0.9})
    config = replace(shipped_config, segments=shipped_config.segments.model_copy(update={"alive": settings}))
    ws = _demo_workspace(400, config)
    fit = alive.alive_fit(ws)
    assert fit.fitted and fit.repeat_customers >= 200
    assert alive.alive_fit(ws) is fit  # cached until the data changes
    winbacks = [i for i in service.compute_queue(ws) if i.kind == "winback"]
    assert winbacks and all(i.reason_key == "care.reason.winback_model" for i in winbacks)
    values = [i.value_at_risk for i in winbacks]
    assert values == sorted(values, reverse=True) and len(winbacks) <= 20
    members = set(Analytics(ws.store, ws.config, ws.today, ws.derived).members("at_risk"))
    assert {i.customer_id for i in winbacks if fit.get(i.customer_id).p_alive < 0.9} <= members
    assert all(fit.get(cid).p_alive < 0.9 for cid in members)
    cid = winbacks[0].customer_id
    assert alive_text(ws, cid).startswith(f"P(alive) {fit.get(cid).p_alive * 100:.0f} % · ")
    # a new order changes the data: the next call refits
    ws.store.insert("orders", {"customer_id": cid, "date": "2026-11-28", "total": 10, "items": ""})
    assert alive.alive_fit(ws) is not fit


def test_too_little_data_says_so_and_keeps_the_recency_rule(workspace: Workspace) -> None:
    fit = alive.alive_fit(workspace)
    assert not fit.fitted
    assert alive_text(workspace, 1) == (
        "P(alive): too little data (1 repeat customer, 200 needed); win-back uses recency")
    assert service.at_risk_rows(workspace) is None
