"""The numpy sums behind segments and the dashboard give exactly what the pure-Python
reference gives (Base.columnar = False), fresh and after writes followed incrementally."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from custui.config.loader import AppConfig, load_config
from custui.domain.detractors import call_back_key
from custui.domain.models.segments import CustomSegment
from custui.domain.segments import quintile_scores, top_share
from custui.services import analytics_base
from custui.services.analytics import Analytics, parse_custom
from custui.services.analytics_base import Base
from custui.services.analytics_dashboard import Records
from custui.services.analytics_segments import SegmentSet, quintiles, rule_mask, top_rows
from custui.services.demo import generate_demo
from custui.services.derived import Derived
from custui.services.privacy import forget
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

TODAY = date(2026, 5, 20)
PERIODS = [(date(2026, 1, 1), date(2026, 5, 20)), (date(2025, 5, 21), date(2026, 5, 20)),
           (date(2026, 5, 20), date(2026, 5, 20))]


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config(None)


@pytest.fixture
def reference() -> Iterator[None]:
    yield
    Base.columnar = True


def figures(store: MemoryStore, config: AppConfig, columnar: bool, today: date = TODAY) -> tuple[object, ...]:
    Base.columnar = columnar
    analytics = Analytics(store, config, lambda: today)
    return (analytics.segment_list(), analytics.segments(),
            *(analytics.dashboard(*period) for period in PERIODS))


@pytest.mark.parametrize("seed", [1, 2])
def test_columnar_figures_equal_the_pure_python_ones(config: AppConfig, seed: int, reference: None) -> None:
    store = MemoryStore()
    generate_demo(store, 120, seed=seed, today=TODAY)
    expected = figures(store, config, columnar=False)
    assert figures(store, config, columnar=True) == expected
    assert any(s.revenue for s in expected[1])  # the demo has sales to sum


def test_incremental_columnar_equals_a_fresh_pure_python_run(config: AppConfig, reference: None) -> None:
    store = MemoryStore()
    generate_demo(store, 80, seed=5, today=TODAY)
    live = Derived(store, config, lambda: TODAY)
    shared = Analytics(store, config, lambda: TODAY, live)
    rng = random.Random(3)
    customers = [c["id"] for c in store.all("customers")]
    for step in range(4):
        store.insert("orders", {"customer_id": rng.choice(customers), "date": f"2026-0{1 + step}-1{step}",
                                "total": rng.randrange(1, 900) * 1000, "promo": step % 2 == 0})
        order = rng.choice(store.all("orders"))
        store.update("orders", order["id"], {"void": True})
        Base.columnar = True
        got = (shared.segment_list(), shared.segments(), *(shared.dashboard(*p) for p in PERIODS))
        assert got == figures(store, config, columnar=False)


def test_empty_store_and_no_orders(config: AppConfig, reference: None) -> None:
    store = MemoryStore()
    assert figures(store, config, True) == figures(store, config, False)
    store.insert("customers", {"name": "an", "kind": "individual"})
    assert figures(store, config, True) == figures(store, config, False)


# custom segments over every kind of rule field the customer columns give (and two they do not:
# tags and region run on lists), with all/any/not
EXTRA_RULES: dict[str, dict[str, Any]] = {
    "big_or_dear": {"any": [{"field": "total_spend", "gte": 20_000_000}, {"field": "avg_order_value", "gt": 2_000_000}]},
    "promo_not_sensitive": {"all": [{"field": "promo_share", "gte": 0.3},
                                    {"not": {"field": "price_sensitive", "is": True}}]},
    "old_top": {"all": [{"field": "days_since_first_order", "gte": 100}, {"field": "top_spender", "is": True}]},
    "steady": {"all": [{"field": "orders", "gte": 3}, {"field": "spend_last_365d", "gt": 1_000_000},
                       {"field": "avg_days_between_orders", "lt": 120}, {"field": "high_value", "is": False},
                       {"field": "frequency_band", "in": ["weekly", "monthly", "quarterly"]}]},
    "quiet_people": {"all": [{"field": "kind", "not_in": ["business"]}, {"field": "days_since_last_order", "gte": 30},
                             {"field": "orders_last_30d", "is": 0}, {"field": "promo_orders", "lte": 2},
                             {"field": "aov_band", "is_not": "aov_large"}, {"field": "role", "is_not": None}]},
    "tagged_or_north": {"any": [{"field": "tags", "contains": "vip"}, {"field": "region", "contains": "ha noi"}]},
}
LIST_RULES = {"tagged_or_north"}  # fields without a Coded column


def with_rules(config: AppConfig) -> AppConfig:
    extra = [CustomSegment.model_validate({"id": key, "name": {"en": key, "vi": key}, "rule": rule})
             for key, rule in EXTRA_RULES.items()]
    segments = config.segments.model_copy(update={"custom": [*config.segments.custom, *extra]})
    return dataclasses.replace(config, segments=segments)


def test_every_kind_of_write_keeps_segments_and_dashboard_exact(
        config: AppConfig, reference: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments and dashboard after each kind of write, computed incrementally (customer columns
    patched for the customers written, member sets edited, summaries kept, order columns, feedback
    and complaint views and call-backs reused), equal a fresh pure-Python run. Each write changes
    the figures, so an update the incremental path missed would show."""
    config = with_rules(config)
    store = MemoryStore()
    generate_demo(store, 150, seed=9, today=TODAY)
    day = [TODAY]
    shared = Analytics(store, config, lambda: day[0], Derived(store, config, lambda: day[0]))
    assert not shared.rule_problems
    builds: list[int] = []
    real_build = analytics_base.build

    def counted(*args: Any, **kwargs: Any) -> Any:
        builds.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(analytics_base, "build", counted)
    customers = [c["id"] for c in store.all("customers")]
    rng = random.Random(11)

    def some_order() -> int:
        return int(rng.choice([o for o in store.all("orders") if not o.get("void")])["id"])

    def order(cid: int, total: int = 450_000, when: str = "2026-05-19") -> dict[str, Any]:
        return {"customer_id": cid, "date": when, "total": total, "promo": True}

    def call_back_one() -> None:
        """Mark a detractor's call-back done in time: the dashboard's called-back share moves."""
        found = {call_back_key(d.feedback["id"]): d for d in Records(Base(store, config, day[0])).detractors(*PERIODS[1])}
        done = {i.get("care_key") for i in store.all("interactions")}
        key = next(k for k in sorted(found) if k not in done)
        store.insert("interactions", {"customer_id": found[key].feedback["customer_id"], "kind": "call",
                                      "care_key": key, "at": found[key].feedback["created_at"]})

    def import_batch() -> None:
        with store.batch():
            new = store.insert("customers", {"name": "imported", "kind": "business", "scope": "external",
                                             "tags": ["vip"]})
            for k in range(3):
                store.insert("orders", order(new["id"], 9_000_000 + k, f"2026-05-1{k}"))
            store.insert("orders", order(rng.choice(customers), 25_000_000, "2026-04-02"))

    def forget_one() -> None:
        tagged = [c["id"] for c in store.all("customers") if "vip" in (c.get("tags") or []) and not c.get("forgotten")]
        forget(Workspace(store=store, config=config, clock=lambda: datetime(2026, 5, 20, 12), operator="t"),
               tagged[0])

    def two_writes() -> None:  # two revisions before the next read
        store.insert("orders", order(rng.choice(customers), 3_000_000))
        store.update("customers", rng.choice(customers), {"role": "agent"})

    writes: list[tuple[str, Callable[[], object]]] = [
        ("order", lambda: store.insert("orders", order(rng.choice(customers)))),
        ("void", lambda: store.update("orders", some_order(), {"void": True})),
        ("edited kind", lambda: store.update("customers", rng.choice(customers), {"kind": "business"})),
        ("archived", lambda: store.update("customers", rng.choice(customers), {"archived": True})),
        ("new customer", lambda: store.insert("customers", {"name": "new", "kind": "individual", "scope": "external"})),
        ("new buyer", lambda: store.insert("orders", order(max(c["id"] for c in store.all("customers")), 5_000_000))),
        ("feedback", lambda: store.insert("feedback", {"customer_id": rng.choice(customers), "survey_id": "after_purchase",
                                                       "created_at": "2026-05-18T10:00:00", "answers": {"nps": 2}})),
        ("complaint", lambda: store.insert("complaints", {"customer_id": rng.choice(customers), "category": "quality",
                                                          "status": "open", "opened_at": "2026-05-18T09:00:00",
                                                          "due_at": "2026-05-19T09:00:00"})),
        ("interaction", call_back_one),
        ("order moved", lambda: store.update("orders", some_order(), {"customer_id": rng.choice(customers)})),
        ("forget", forget_one),
        ("import batch", import_batch),
        ("two writes", two_writes),
        ("new day", lambda: day.__setitem__(0, TODAY + timedelta(days=1))),
    ]
    before = figures(store, config, columnar=False, today=day[0])
    for name, write in writes:
        Base.columnar = True
        shared.segments()
        shared.dashboard(*PERIODS[0])  # the revision before the write is fully computed
        write()
        Base.columnar = True
        got = (shared.segment_list(), shared.segments(), *(shared.dashboard(*p) for p in PERIODS))
        expected = figures(store, config, columnar=False, today=day[0])
        assert got == expected, name
        assert expected != before, f"{name} changed nothing: it tests nothing"
        before = expected
    assert len(builds) == 2  # the first revision, and the new day: every other one was patched


def test_custom_rules_run_on_columns(config: AppConfig) -> None:
    """Every extra rule but the tags/region one is evaluated on Coded columns (not lists)."""
    config = with_rules(config)
    store = MemoryStore()
    generate_demo(store, 60, seed=4, today=TODAY)
    sets = SegmentSet(Base(store, config, TODAY), parse_custom(config)[0])
    cols = sets.base.cols
    assert cols is not None
    on_columns = {spec.id for spec, rule in sets.custom if rule_mask(rule, sets.coded, cols.listed) is not None}
    assert on_columns == {spec.id for spec, _ in sets.custom} - LIST_RULES
    assert all(seg.members for seg in sets.segments if seg.id in EXTRA_RULES)  # each selects somebody


@pytest.mark.parametrize("seed", range(6))
def test_array_ranks_equal_the_domain_ones_with_ties(seed: int) -> None:
    """quintiles (bincount and unique paths) and top_rows (partition, ties to the lower id) give
    what domain.segments gives, on values full of ties."""
    rng = random.Random(seed)
    n = rng.randrange(1, 400)
    ids = sorted(rng.sample(range(5 * n), n))
    spread = rng.choice([3, 50, 10**9])  # few distinct values, a small range, a wide one
    values = [rng.randrange(spread) for _ in ids]
    array = np.array(values, dtype=np.int64)
    for better in (True, False):
        expected = quintile_scores(dict(zip(ids, values, strict=True)), higher_is_better=better)
        assert dict(zip(ids, quintiles(array, better).tolist(), strict=True)) == expected
    for share in (0.2, 0.05, 0.5, 1.0):
        rows = top_rows(np.array(ids, dtype=np.int64), array, share)
        assert rows is not None
        assert frozenset(rows.tolist()) == top_share(dict(zip(ids, values, strict=True)), share)
        floats = top_rows(np.array(ids, dtype=np.int64), array / 7, share)
        assert floats is not None
        assert frozenset(floats.tolist()) == top_share(dict(zip(ids, (v / 7 for v in values), strict=True)), share)


def test_odd_record_values_give_the_pure_python_figures(config: AppConfig, reference: None) -> None:
    """Kinds of mixed types (True and 1 test apart), missing ones, a list where a choice belongs,
    a NaN: the columns code what they can, fall back to lists where they cannot, and segments and
    the dashboard stay equal to the pure-Python ones, before and after writes."""
    config = with_rules(config)
    store = MemoryStore()
    generate_demo(store, 90, seed=3, today=TODAY)
    ids = [c["id"] for c in store.all("customers")]
    odd: list[Any] = [True, 1, "business", None, 1.5, "Business"]
    for cid, value in zip(ids, odd, strict=False):
        store.update("customers", cid, {"kind": value})
    Base.columnar = True
    assert Base(store, config, TODAY).cols is not None  # mixed types are coded
    shared = Analytics(store, config, lambda: TODAY, Derived(store, config, lambda: TODAY))
    assert shared.segment_list() and figures(store, config, columnar=True) == figures(store, config, columnar=False)
    Base.columnar = True
    shared.segments()
    for changes in ({"kind": float("nan")}, {"kind": "individual"}, {"role": ["agent"]}):
        store.update("customers", ids[10], changes)
        Base.columnar = True
        got = (shared.segment_list(), shared.segments(), *(shared.dashboard(*p) for p in PERIODS))
        assert got == figures(store, config, columnar=False), changes
    Base.columnar = True
    assert Base(store, config, TODAY).cols is None  # a list where a choice belongs: lists throughout


def test_the_dashboards_call_backs_read_the_care_marks_not_every_interaction(
        config: AppConfig, reference: None) -> None:
    store = MemoryStore()
    generate_demo(store, 150, seed=4, today=TODAY)
    detractors = Records(Base(store, config, TODAY)).detractors(*PERIODS[1])
    assert detractors
    for found in detractors[:3]:  # called back: the share moves
        store.insert("interactions", {"customer_id": found.feedback["customer_id"], "kind": "call",
                                      "care_key": call_back_key(found.feedback["id"]),
                                      "at": found.feedback["created_at"]})
    expected = figures(store, config, columnar=False)
    real = store.all

    def no_interactions(table: str) -> list[dict[str, Any]]:
        assert table != "interactions", "the dashboard made every interaction"
        return real(table)

    store.all = no_interactions  # type: ignore[method-assign]
    assert figures(store, config, columnar=True) == expected
