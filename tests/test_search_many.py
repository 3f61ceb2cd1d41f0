"""Queries that match thousands of customers (a letter, "09") take a set-based path; it
must rank exactly as the scored path does (best match, then recent activity, then id)."""

from __future__ import annotations

import random

import pytest

from custui.services.search import CustomerIndex
from custui.store.memory import MemoryStore

SURNAMES = ["Nguyễn", "Nguyễn", "Trần", "Lê", "Ngô", "Phạm", "Nghiêm", "Smith", "Nam"]
GIVEN = ["Văn An", "Thị Ánh", "Minh", "Nga", "Anh", "Hùng", "John", "Ngọc"]


@pytest.fixture(scope="module")
def index() -> CustomerIndex:
    rng = random.Random(4)
    store = MemoryStore()
    for i in range(9000):
        day = f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        doc = {"name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", "code": f"C{i + 1:06d}",
               "phone_norm": f"09{rng.randrange(10**8):08d}" if i % 7 else f"03{rng.randrange(10**8):08d}",
               "archived": i % 11 == 0}
        if i % 5:
            doc["created_at"] = day + "T09:00:00"
        store.insert("customers", doc)
    for _ in range(3000):
        store.insert("orders", {"customer_id": rng.randrange(1, 9001), "total": 1000,
                                "date": f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 29):02d}"})
    built = CustomerIndex(store)
    built.ensure_built()
    return built


def scored(index: CustomerIndex, query: str, limit: int, archived: bool) -> list[int]:
    fast = index._many_matches
    index._many_matches = lambda *args: None  # type: ignore[method-assign]
    try:
        return index.search_ids(query, limit, archived)
    finally:
        index._many_matches = fast  # type: ignore[method-assign]


@pytest.mark.parametrize("query", ["n", "ng", "a", "t", "09", "0", "nguyen", "h", "c0"])
@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize("limit", [1, 100, 6000])
def test_many_matches_rank_as_the_scored_path(index: CustomerIndex, query: str, archived: bool, limit: int) -> None:
    got = index.search_ids(query, limit, archived)
    assert got == scored(index, query, limit, archived)


def test_the_fast_path_is_taken_for_a_letter(index: CustomerIndex) -> None:
    with index._lock:
        index._refresh()
        assert index._many_matches(index._groups("text", "n"), 100, False) is not None
        assert index._many_matches(index._groups("phone", "09"), 100, False) is not None
    assert len(index.search_ids("n", 100)) == 100
