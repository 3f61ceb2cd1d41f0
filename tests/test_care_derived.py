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
