"""Customer stats, lifecycle and the sources' formulas, with hand-computed numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from custui.domain.lifecycle import lifecycle
from custui.domain.metrics import (
    Period,
    active_customers,
    active_from_stats,
    average_clv,
    clv,
    customer_value,
    last_12_months,
    last_month,
    month_periods,
    new_customers,
    pareto_share,
    period_totals,
    previous_period,
    purchases_per_year,
    retention,
    revenue_by_customer,
    revenue_share_by_group,
    this_month,
    this_quarter,
    this_year,
    top_customers,
)
from custui.domain.models.segments import Lifecycle
from custui.domain.stats import EMPTY_STATS, compute_stats, stats_by_customer

TODAY = date(2026, 6, 30)
RULES = Lifecycle(loyal_min_orders=5, loyal_window_days=365, lapsed_after_days=180)


def order(cid: int, day: str, total: int, promo: bool = False, void: bool = False) -> dict:
    return {"customer_id": cid, "date": day, "total": total, "promo": promo, "void": void}


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


# -- stats -------------------------------------------------------------------------------
def test_stats_leave_out_void_orders_and_sort_dates() -> None:
    orders = [
        order(1, "2026-03-01", 2_000_000, promo=True),
        order(1, "2026-01-15", 500_000),
        order(1, "2026-02-01", 9_999_000, void=True),
        order(2, "2026-04-01T10:30:00", 100_000),
    ]
    stats = stats_by_customer(orders)
    one = stats[1]
    assert (one.orders, one.total_spend, one.promo_orders) == (2, 2_500_000, 1)
    assert one.first_order == date(2026, 1, 15) and one.last_order == date(2026, 3, 1)
    assert one.order_dates == (date(2026, 1, 15), date(2026, 3, 1))
    assert one.avg_order_value == Decimal(1_250_000)
    assert one.promo_share == 0.5
    assert stats[2].last_order == date(2026, 4, 1)
    assert compute_stats([o for o in orders if o["customer_id"] == 1]) == one


def test_customer_with_only_void_orders_has_no_stats() -> None:
    assert stats_by_customer([order(3, "2026-01-01", 10, void=True)]) == {}
    assert compute_stats([order(3, "2026-01-01", 10, void=True)]) == EMPTY_STATS
    assert EMPTY_STATS.first_order is None and EMPTY_STATS.avg_order_value == 0


def test_orders_within_counts_the_last_n_days_including_today() -> None:
    stats = compute_stats([order(1, ago(0), 1), order(1, ago(364), 1), order(1, ago(365), 1)])
    assert stats.orders_within(365, TODAY) == 2  # 365 days ago falls outside a 365-day window
    assert stats.orders_within(1, TODAY) == 1
    assert stats.orders_between("2025-06-30", "2026-06-30") == 2  # [start, end)
    assert stats.days_since_last(TODAY) == 0


# -- lifecycle ---------------------------------------------------------------------------
def test_lifecycle_groups_with_the_shipped_thresholds() -> None:
    assert lifecycle(EMPTY_STATS, TODAY, RULES) == "potential"
    five_this_year = compute_stats([order(1, ago(d), 1) for d in (1, 50, 100, 200, 300)])
    assert lifecycle(five_this_year, TODAY, RULES) == "loyal"
    four_this_year = compute_stats([order(1, ago(d), 1) for d in (1, 50, 100, 400, 500)])
    assert lifecycle(four_this_year, TODAY, RULES) == "current"
    # no order for 180 days: lapsed even with many orders before that
    stopped = compute_stats([order(1, ago(d), 1) for d in (180, 190, 200, 210, 220, 230)])
    assert lifecycle(stopped, TODAY, RULES) == "lapsed"
    assert lifecycle(compute_stats([order(1, ago(179), 1)]), TODAY, RULES) == "current"


def test_staff_override_wins_and_unknown_override_is_ignored() -> None:
    assert lifecycle(EMPTY_STATS, TODAY, RULES, status_override="loyal") == "loyal"
    assert lifecycle(EMPTY_STATS, TODAY, RULES, status_override="bogus") == "potential"


def test_lifecycle_refuses_arguments_in_the_wrong_order() -> None:
    with pytest.raises(TypeError):
        lifecycle(EMPTY_STATS, RULES, TODAY)  # type: ignore[arg-type]


# -- customer value and CLV --------------------------------------------------------------
def test_clv_is_average_value_times_frequency_times_lifespan() -> None:
    # 4 orders of 1,500,000 VND over exactly two years (730.5 days known = 2 years)
    first = TODAY - timedelta(days=730)
    stats = compute_stats([order(1, (first + timedelta(days=d)).isoformat(), 1_500_000) for d in (0, 200, 400, 730)])
    days_known = Decimal(731) / Decimal("365.25")
    assert purchases_per_year(stats, TODAY) == Decimal(4) / days_known
    value = customer_value(stats, TODAY)
    assert round(value) == round(Decimal(1_500_000) * 4 / days_known)  # ≈ 2,997,948 VND a year
    assert round(clv(stats, TODAY, 3)) == round(value * 3)
    assert clv(stats, TODAY, RULES) == clv(stats, TODAY, RULES.expected_lifespan_years)


def test_a_fresh_customer_counts_a_full_year() -> None:
    stats = compute_stats([order(1, ago(0), 2_000_000)])
    assert purchases_per_year(stats, TODAY) == 1
    assert clv(stats, TODAY, 3) == 6_000_000


def test_average_clv_skips_customers_without_orders() -> None:
    a = compute_stats([order(1, ago(0), 1_000_000)])
    b = compute_stats([order(2, ago(0), 3_000_000)])
    assert average_clv([a, b, EMPTY_STATS], TODAY, 2) == 4_000_000
    assert average_clv([], TODAY, 2) == 0


# -- retention ---------------------------------------------------------------------------
def test_seeds_example_1000_customers_700_stay() -> None:
    before = set(range(1000))
    now = set(range(300, 1000)) | set(range(5000, 5200))  # 200 new customers do not count
    result = retention(before, now)
    assert (result.base, result.retained) == (1000, 700)
    assert result.rate == pytest.approx(0.70) and result.churn == pytest.approx(0.30)


def test_retention_with_nobody_before_is_undefined() -> None:
    assert retention(set(), {1, 2}).rate is None and retention(set(), set()).churn is None


def test_active_customers_in_half_open_periods() -> None:
    orders = [
        order(1, "2026-05-31", 1), order(2, "2026-06-01", 1), order(3, "2026-06-30T23:00:00", 1),
        order(4, "2026-07-01", 1), order(5, "2026-06-10", 1, void=True),
    ]
    june = this_month(TODAY)
    assert active_customers(orders, june) == {2, 3}
    assert active_from_stats(stats_by_customer(orders), june) == {2, 3}
    assert new_customers(stats_by_customer(orders), june) == {2, 3}


# -- revenue shares and Pareto -----------------------------------------------------------
def test_revenue_share_by_lifecycle_matches_the_seeds_65_percent() -> None:
    revenue = {1: 650, 2: 250, 3: 100}
    groups = {1: "current", 2: "loyal", 3: "lapsed"}
    shares = revenue_share_by_group(revenue, groups)
    assert shares == {"potential": 0.0, "current": 0.65, "loyal": 0.25, "lapsed": 0.1}


def test_revenue_share_with_no_revenue_is_all_zero() -> None:
    assert set(revenue_share_by_group({}, {}).values()) == {0.0}


def test_pareto_share_of_top_20_percent() -> None:
    # ten customers: top two spend 8,000,000 of 10,000,000 → the 80/20 rule
    spend = {cid: 250_000 for cid in range(3, 11)} | {1: 5_000_000, 2: 3_000_000}
    assert top_customers(spend) == [1, 2]
    assert pareto_share(spend) == pytest.approx(0.8)


def test_pareto_ties_go_to_the_lower_id_and_small_counts_round_up() -> None:
    spend = {7: 100, 3: 100, 5: 100}
    assert top_customers(spend) == [3]  # ceil(0.2 × 3) = 1
    assert pareto_share(spend) == pytest.approx(1 / 3)
    assert pareto_share({}) == 0.0 and top_customers({}) == []


def test_revenue_and_totals_in_a_period() -> None:
    orders = [order(1, "2026-06-02", 1_200_000), order(1, "2026-05-02", 800_000),
              order(2, "2026-06-03", 300_000), order(2, "2026-06-04", 50, void=True)]
    june = this_month(TODAY)
    assert revenue_by_customer(orders, june) == {1: 1_200_000, 2: 300_000}
    assert revenue_by_customer(orders) == {1: 2_000_000, 2: 300_000}
    totals = period_totals(orders, june)
    assert (totals.revenue, totals.orders, totals.avg_order_value) == (1_500_000, 2, 750_000)


# -- periods -----------------------------------------------------------------------------
def test_dashboard_periods_and_the_one_before() -> None:
    today = date(2026, 3, 31)
    assert this_month(today) == Period(date(2026, 3, 1), date(2026, 4, 1))
    assert last_month(today) == Period(date(2026, 2, 1), date(2026, 3, 1))
    assert previous_period(this_quarter(today)) == Period(date(2025, 10, 1), date(2026, 1, 1))
    assert previous_period(this_year(today)) == Period(date(2025, 1, 1), date(2026, 1, 1))
    twelve = last_12_months(today)
    assert twelve == Period(date(2025, 4, 1), date(2026, 4, 1))
    custom = Period(date(2026, 3, 10), date(2026, 3, 20))
    assert previous_period(custom) == Period(date(2026, 2, 28), date(2026, 3, 10))
    assert [p.start.month for p in month_periods(today, 3)] == [1, 2, 3]
    assert "2026-03-31" in this_month(today) and date(2026, 4, 1) not in this_month(today)
