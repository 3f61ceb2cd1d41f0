"""The demo data: deterministic, and covering every kind of customer and record."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from custui.domain.enums import INTERACTION_TYPES, KINDS, LIFECYCLES, ROLES, SCOPES
from custui.domain.lifecycle import lifecycle
from custui.domain.models.segments import Lifecycle
from custui.domain.stats import EMPTY_STATS, stats_by_customer
from custui.services.demo import HOSTILE_NAME, generate_demo
from custui.store.memory import MemoryStore

TODAY = date(2026, 6, 30)
DATA_TABLES = ("customers", "orders", "feedback", "complaints", "interactions")
VN_MOBILE = re.compile(r"^0(3[2-9]|7[06-9]|8[1-9]|9\d)\d{7}$")


def build(customers: int = 500, seed: int = 0) -> MemoryStore:
    store = MemoryStore()
    generate_demo(store, customers, seed, today=TODAY)
    return store


@pytest.fixture(scope="module")
def demo() -> MemoryStore:
    return build()


def dump(store: MemoryStore) -> dict[str, list[dict]]:
    return {table: store.all(table) for table in DATA_TABLES}


def test_same_seed_gives_identical_documents(demo: MemoryStore) -> None:
    assert dump(build()) == dump(demo)


def test_another_seed_gives_other_data(demo: MemoryStore) -> None:
    other = build(seed=1)
    assert [c["name"] for c in other.all("customers")] != [c["name"] for c in demo.all("customers")]


def test_counts_returned_match_what_was_written() -> None:
    store = MemoryStore()
    counts = generate_demo(store, 60, 3, today=TODAY)
    assert counts == {table: store.count(table) for table in DATA_TABLES}
    assert counts["customers"] == 60


def test_every_kind_scope_role_and_lifecycle_appears(demo: MemoryStore) -> None:
    customers = demo.all("customers")
    assert {c["kind"] for c in customers} == set(KINDS)
    assert {c["scope"] for c in customers} == set(SCOPES)
    assert {c["role"] for c in customers} == set(ROLES)
    stats = stats_by_customer(demo.all("orders"))
    groups = Counter(
        lifecycle(stats.get(c["id"], EMPTY_STATS), TODAY, Lifecycle()) for c in customers
    )
    assert set(groups) == set(LIFECYCLES)
    assert all(count >= 10 for count in groups.values()), groups


def test_names_carry_vietnamese_diacritics_and_businesses(demo: MemoryStore) -> None:
    names = [c["name"] for c in demo.all("customers")]
    assert any(n.startswith(("Nguyễn", "Trần", "Đặng", "Lê")) for n in names)
    assert any(n.startswith("Công ty TNHH") or n.endswith("JSC") for n in names)
    assert names.count(HOSTILE_NAME) == 1
    codes = [c["code"] for c in demo.all("customers")]
    assert codes[0] == "C000001" and len(set(codes)) == len(codes)


def test_phones_normalise_to_vietnamese_mobile_numbers(demo: MemoryStore) -> None:
    with_phone = [c for c in demo.all("customers") if c["phone"]]
    assert len(with_phone) > 400
    assert all(VN_MOBILE.match(c["phone_norm"]) for c in with_phone)
    assert any(" " in c["phone"] for c in with_phone)  # stored as typed


def test_orders_are_realistic_vnd_over_the_last_two_years(demo: MemoryStore) -> None:
    orders = demo.all("orders")
    assert 7 <= len(orders) / demo.count("customers") <= 13
    assert all(isinstance(o["total"], int) and o["total"] > 0 for o in orders)
    assert sum(o["total"] > 1_000_000 for o in orders) > len(orders) // 10
    assert any(o.get("promo") for o in orders) and not all(o.get("promo") for o in orders)
    # lean records (the memory goal at 1M orders): at most 10 keys each
    assert max(len(o) for o in orders) <= 10
    assert {o["channel"] for o in orders} == {"store", "phone", "online"}
    dates = sorted(o["date"] for o in orders)
    assert "2024-06-30" < dates[0] and dates[-1] <= TODAY.isoformat()


def test_feedback_answers_the_after_purchase_survey(demo: MemoryStore) -> None:
    feedback = demo.all("feedback")
    assert feedback and {f["survey_id"] for f in feedback} == {"after_purchase"}
    for doc in feedback:
        answers = doc["answers"]
        for question in ("product_quality", "staff_attitude", "information_accuracy", "policy_clarity",
                         "after_sales_support"):
            assert 1 <= answers[question] <= 5
        assert 0 <= answers["nps"] <= 10
    assert any("comment" in f["answers"] for f in feedback)


def test_complaints_cover_six_categories_and_every_status(demo: MemoryStore) -> None:
    complaints = demo.all("complaints")
    assert {c["category"] for c in complaints} == {
        "product_quality", "wrong_information", "staff_attitude", "transaction", "unclear_policy",
        "after_sales"}
    assert {c["status"] for c in complaints} == {"open", "in_progress", "resolved", "closed"}
    assert {c["severity"] for c in complaints} == {"low", "medium", "high"}
    for doc in complaints:
        assert doc["history"][0]["status"] == "open"
        assert doc["history"][-1]["status"] == doc["status"]
        assert doc["due_at"] > doc["opened_at"]
        assert (doc["resolved_at"] is not None) == (doc["status"] in ("resolved", "closed"))


def test_interactions_of_every_type(demo: MemoryStore) -> None:
    assert {i["type"] for i in demo.all("interactions")} == set(INTERACTION_TYPES)


def test_child_records_point_at_existing_customers_and_orders(demo: MemoryStore) -> None:
    for table in ("orders", "feedback", "complaints", "interactions"):
        assert all(demo.get("customers", d["customer_id"]) for d in demo.all(table))
    for table in ("feedback", "complaints"):
        assert all(demo.get("orders", d["order_id"]) for d in demo.all(table))
    referrers = [c["referred_by"] for c in demo.all("customers") if c["referred_by"]]
    assert referrers and all(demo.get("customers", r) for r in referrers)
