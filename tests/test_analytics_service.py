"""Analytics over a small store: every built-in segment, custom rules, the dashboard, caching."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from custui.config.loader import AppConfig, load_config
from custui.services.analytics import Analytics
from custui.store.memory import MemoryStore

TODAY = date(2026, 5, 20)


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config(None)


def shop() -> tuple[MemoryStore, dict[str, int]]:
    """Four customers with orders worked out by hand (shipped segments.yaml / loyalty.yaml)."""
    store = MemoryStore()
    ids: dict[str, int] = {}
    people = {
        "an": {"kind": "individual", "scope": "external", "role": "buyer", "region": "Hà Nội"},
        "binh": {"kind": "business", "scope": "external", "role": "agent"},
        "chi": {"kind": "individual", "scope": "internal", "role": "department"},
        "dung": {"kind": "individual", "scope": "external", "role": "end_user"},
    }
    for key, fields in people.items():
        ids[key] = store.insert("customers", {"name": key, **fields})["id"]
    store.insert("customers", {"name": "gone", "kind": "individual", "archived": True})
    # an: 5 monthly orders of 1.5M in 2026 -> loyal, monthly, large baskets
    for day in ("2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05"):
        store.insert("orders", {"customer_id": ids["an"], "date": day, "total": 1_500_000})
    # binh: one promo order a year ago -> lapsed, bought once, price-sensitive
    store.insert("orders", {"customer_id": ids["binh"], "date": "2025-06-01", "total": 200_000, "promo": True})
    # dung: two orders 60 days apart, one on promo (share 0.5: not above the 0.5 threshold)
    store.insert("orders", {"customer_id": ids["dung"], "date": "2026-03-01", "total": 400_000, "promo": True})
    store.insert("orders", {"customer_id": ids["dung"], "date": "2026-04-30", "total": 400_000})
    store.insert("orders", {"customer_id": ids["dung"], "date": "2026-04-30", "total": 999, "void": True})
    return store, ids


def test_builtin_segments_by_hand(config: AppConfig) -> None:
    store, ids = shop()
    analytics = Analytics(store, config, lambda: TODAY)
    an, binh, chi, dung = ids["an"], ids["binh"], ids["chi"], ids["dung"]
    members = {s.id: set(analytics.members(s.id)) for s in analytics.segments()}
    assert members["potential"] == {chi}
    assert members["current"] == {dung}
    assert members["loyal"] == {an}
    assert members["lapsed"] == {binh}
    assert members["business"] == {binh} and members["individual"] == {an, chi, dung}
    assert members["internal"] == {chi} and members["agent"] == {binh}
    # tiers (any threshold): an has 5 orders and 7.5M in the window -> silver
    assert members["tier.silver"] == {an} and members["tier.member"] == {binh, chi, dung}
    # frequency: an every 30 days -> monthly; dung 60 days -> quarterly; binh once
    assert members["monthly"] == {an} and members["quarterly"] == {dung}
    assert members["frequency.once"] == {binh}
    # AOV bands: 1.5M large, 400k medium, 200k small
    assert (members["aov_large"], members["aov_medium"], members["aov_small"]) == ({an}, {dung}, {binh})
    assert members["price_sensitive"] == {binh}
    # three buyers: top 20 % = ceil(0.6) = 1 customer, by spend and by AOV
    assert members["top_spenders"] == {an} and members["high_value"] == {an}
    # RFM over n=3 buyers: recency 15, 20, 353 days; F 5, 2, 1; M 7.5M, 800k, 200k.
    # score = 1 + 5*worse//3: worse 0, 1, 2 -> 1, 2, 4
    assert members["rfm.champions"] == {an}  # (4, 4, 4)
    assert members["rfm.hibernating"] == {dung}  # (2, 2, 2)
    assert members["rfm.lost"] == {binh}  # (1, 1, 1)
    # custom rules from the shipped segments.yaml
    assert members["loyal_active"] == {an}
    assert members["business_buyers"] == {binh}
    assert members["top_tiers_drifting"] == set()
    assert ids["an"] + 4 not in set().union(*members.values())  # archived customer is left out


def test_summaries_and_customer_facts(config: AppConfig) -> None:
    store, ids = shop()
    analytics = Analytics(store, config, lambda: TODAY)
    by_id = {s.id: s for s in analytics.segments()}
    loyal = by_id["loyal"]
    assert loyal.count == 1 and loyal.customer_share == 0.25
    assert loyal.revenue == 7_500_000 and loyal.revenue_share == 7_500_000 / 8_500_000
    # CLV = AOV 1.5M x 5 orders/year (known < 1 year) x 3 years
    assert loyal.avg_clv == pytest.approx(22_500_000)
    assert by_id["potential"].avg_clv is None and by_id["potential"].revenue == 0
    facts = analytics.facts(ids["dung"])
    assert facts["orders"] == 2 and facts["avg_days_between_orders"] == 60
    assert facts["days_since_last_order"] == 20 and facts["promo_share"] == 0.5
    assert analytics.segment_ids_for(ids["binh"]) == [
        "lapsed", "business", "external", "agent", "tier.member", "frequency.once", "aov_small",
        "price_sensitive", "rfm.lost", "business_buyers",
    ]
    assert analytics.in_segment(ids["an"], "high_value") and not analytics.in_segment(ids["binh"], "high_value")
    with pytest.raises(KeyError):
        analytics.members("no_such_segment")


def test_cache_follows_store_revision(config: AppConfig) -> None:
    store, ids = shop()
    analytics = Analytics(store, config, lambda: TODAY)
    first = analytics.segments()
    assert analytics.segments() == first
    assert ids["chi"] in analytics.members("potential")
    store.insert("orders", {"customer_id": ids["chi"], "date": "2026-05-19", "total": 100_000})
    assert ids["chi"] in analytics.members("current")
    assert ids["chi"] not in analytics.members("potential")


def test_retention_1000_to_700(config: AppConfig) -> None:
    """The seeds' example: 1000 customers buy in April, 700 of them again in May."""
    store = MemoryStore()
    with store.batch():
        for n in range(1000):
            cid = store.insert("customers", {"name": f"k{n}"})["id"]
            store.insert("orders", {"customer_id": cid, "date": "2026-04-10", "total": 100_000})
            if n < 700:
                store.insert("orders", {"customer_id": cid, "date": "2026-05-10", "total": 100_000})
    figures = Analytics(store, config, lambda: TODAY).dashboard(date(2026, 5, 1), date(2026, 5, 31))
    assert figures.current.retention == pytest.approx(0.7)
    assert figures.current.churn == pytest.approx(0.3)
    assert figures.previous.start == date(2026, 4, 1) and figures.previous.end == date(2026, 4, 30)
    assert figures.previous.new_customers == 1000 and figures.current.new_customers == 0
    assert figures.months[-1].retention == pytest.approx(0.7)


def test_dashboard_figures_by_hand(config: AppConfig) -> None:
    store, ids = shop()
    survey = config.surveys.surveys[0]
    kinds = {q.type: q.id for q in survey.questions}
    for nps in (10, 9, 7, 3):  # 2 promoters, 1 detractor of 4 -> +25
        store.insert("feedback", {"customer_id": ids["an"], "survey_id": survey.id, "created_at": "2026-04-02T10:00:00",
                                  "answers": {kinds["nps"]: nps, kinds["rating"]: 4}})
    store.insert("feedback", {"customer_id": ids["an"], "survey_id": survey.id, "created_at": "2025-01-01T10:00:00",
                              "answers": {kinds["nps"]: 0}})  # outside the period
    complaint = {"customer_id": ids["dung"], "category": "transaction", "opened_at": "2026-04-01T09:00:00",
                 "due_at": "2026-04-02T09:00:00"}
    store.insert("complaints", {**complaint, "status": "resolved", "resolved_at": "2026-04-03T09:00:00"})  # late
    store.insert("complaints", {**complaint, "status": "resolved", "resolved_at": "2026-04-01T12:00:00"})  # in time
    store.insert("complaints", {**complaint, "status": "open", "category": "after_sales"})  # open past due
    analytics = Analytics(store, config, lambda: datetime(2026, 5, 20, 8, 0))
    figures = analytics.dashboard(date(2026, 3, 1), date(2026, 4, 30))
    now = figures.current
    # March-April: an 2 orders (3M), dung 2 orders (800k)
    assert (now.revenue, now.orders, now.active_customers) == (3_800_000, 4, 2)
    assert now.aov == 950_000
    assert now.new_customers == 1  # dung's first order is 2026-03-01
    assert now.new_customer_revenue == 800_000
    assert now.returning_revenue_share == pytest.approx(3_000_000 / 3_800_000)
    assert now.revenue_by_lifecycle == {"potential": 0, "current": 800_000, "loyal": 3_000_000, "lapsed": 0}
    assert now.pareto_share == pytest.approx(3_000_000 / 3_800_000)  # top 20 % of 2 = 1 customer
    # previous period: Jan-Feb, an only; retention of an into Mar-Apr = 100 %
    assert figures.previous.start == date(2026, 1, 1) and figures.previous.revenue == 3_000_000
    assert now.retention == 1.0
    assert (now.nps, now.nps_responses, now.avg_rating, now.rating_responses) == (25.0, 4, 4.0, 4)
    assert now.complaints == 3 and now.sla_breaches == 2
    assert now.complaints_by_category["transaction"] == 2 and now.complaints_by_category["after_sales"] == 1
    assert figures.change("revenue") == pytest.approx(800_000 / 3_000_000)
    assert figures.lifecycle_counts == {"potential": 1, "current": 1, "loyal": 1, "lapsed": 1}
    months = {m.month: m for m in figures.months}
    assert len(figures.months) == 12 and figures.months[-1].month == "2026-04"
    assert months["2026-03"].revenue == 1_900_000 and months["2026-04"].orders == 2
    assert months["2026-04"].complaints_by_category["transaction"] == 2
