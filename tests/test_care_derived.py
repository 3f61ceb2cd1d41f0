"""The Today queue read through the shared derived cache (only the orders of customers a
purchase or win-back rule can act on) lists exactly what a pass over every order lists."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from custui.config.loader import AppConfig
from custui.domain.care import care_queue, queue_counts, rules_from_config
from custui.services import care as service
from custui.services.demo import generate_demo
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

START = datetime(2026, 5, 20, 15, 0)


def full_scan(ws: Workspace) -> list[object]:
    store = ws.store
    return care_queue(
        customers=store.all("customers"), orders=store.all("orders"), complaints=store.all("complaints"),
        interactions=store.all("interactions"), feedback=store.all("feedback"),
        rules=rules_from_config(ws.config.care, ws.config.segments), today=ws.today(), now=ws.clock(),
        question_types=service.question_types(ws), at_risk=service.at_risk_rows(ws),
    )


def test_queue_through_the_derived_cache_equals_a_full_scan(shipped_config: AppConfig) -> None:
    store = MemoryStore()
    generate_demo(store, 250, seed=5, today=START.date())
    rng = random.Random(7)
    customers = [c["id"] for c in store.all("customers")]
    for cid in rng.sample(customers, 25):  # staff overrides, some forced loyal
        store.update("customers", cid, {"status_override": rng.choice(["loyal", "lapsed", "current"])})
    orders = store.all("orders")
    for order in rng.sample(orders, 40):  # voids and orders moved to another customer
        if rng.random() < 0.5:
            store.update("orders", order["id"], {"void": True})
        else:
            store.update("orders", order["id"], {"customer_id": rng.choice(customers)})
    clock = {"now": START}
    ws = Workspace(store=store, config=shipped_config, clock=lambda: clock["now"])
    ws.derived.ensure_built()
    checked = 0
    for step in range(0, 400, 9):
        clock["now"] = START + timedelta(days=step - 200)
        queue = service.compute_queue(ws)
        assert queue == full_scan(ws)
        assert service.compute_counts(ws) == queue_counts(queue)
        checked += sum(item.kind == "winback" for item in queue)
        if queue and step % 27 == 0:  # done and snooze marks, and a purchase today
            service.mark_done(ws, queue[0])
            service.snooze(ws, queue[-1])
            store.insert("orders", {"customer_id": rng.choice(customers), "date": ws.today().isoformat(),
                                    "total": 500_000, "items": ""})
    assert checked > 20  # the win-back rule really was exercised


def test_the_queue_reads_fields_not_every_order_and_interaction(shipped_config: AppConfig) -> None:
    """With and without the derived cache, the queue reads the orders' and interactions' fields
    (and only the interactions it lists or that mark items done or snoozed), and lists exactly
    what a pass over every record lists."""
    store = MemoryStore()
    generate_demo(store, 150, seed=9, today=START.date())
    customers = [c["id"] for c in store.all("customers")]
    rng = random.Random(3)
    for cid in rng.sample(customers, 12):  # follow-ups due, done, not due; marks with odd values
        store.insert("interactions", {"customer_id": cid, "type": "call", "at": "2026-05-01T10:00:00",
                                      "follow_up_due": rng.choice(["2026-05-10", "2026-06-30", ""]),
                                      "follow_up_done": rng.random() < 0.3})
    store.insert("interactions", {"customer_id": customers[0], "type": "note", "care_key": "", "at": "x"})
    store.insert("orders", {"customer_id": None, "date": "2026-05-19", "total": 1, "void": 0})
    for built in (False, True):
        ws = Workspace(store=store, config=shipped_config, clock=lambda: START)
        if built:
            ws.derived.ensure_built()
        expected = full_scan(ws)
        assert any(item.kind == "follow_up" for item in expected)
        real = store.all

        def no_records(table: str, real=real) -> list[dict[str, object]]:
            assert table not in ("orders", "interactions"), f"the queue made every {table} record"
            return real(table)

        store.all = no_records  # type: ignore[method-assign]
        try:
            assert service.compute_queue(ws) == expected
        finally:
            del store.all
