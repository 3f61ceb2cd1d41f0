"""`custui explain` and services.explain: every points movement with its source and running
balance, and the tier's reasons. Property: the explanation ends on the balance shown everywhere
else (the profile's loyalty summary and the customers export), for every customer of a demo
database and for random purchase histories with redemptions, voids and goodwill."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from cli_helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custui.config.loader import AppConfig
from custui.services.demo import generate_demo
from custui.services.explain import (
    Explanation,
    explain_customer,
    explanation_json,
    explanation_lines,
)
from custui.services.exporter import customer_rows
from custui.services.loyalty import customer_loyalty
from custui.store.memory import MemoryStore
from custui.store.open import open_store

TODAY = date(2026, 11, 21)


def check_running(explanation: Explanation) -> None:
    """Each movement's balance is the one before plus its points; the last is the balance."""
    balance = 0
    for movement in explanation.movements:
        balance += movement.points
        assert movement.balance == balance, movement
        assert movement.balance >= 0
    assert balance == explanation.balance
    days = [m.day for m in explanation.movements]
    assert days == sorted(days)


def test_every_demo_customer_explains_the_balance_shown_elsewhere(shipped_config: AppConfig) -> None:
    store = MemoryStore()
    generate_demo(store, 120, 7, today=TODAY)
    exported = {row["code"]: row["points"] for row in customer_rows(store, shipped_config, TODAY)}
    sources: set[str] = set()
    for customer in store.all("customers"):
        cid = int(customer["id"])
        explanation = explain_customer(store, shipped_config, cid, TODAY)
        check_running(explanation)
        assert explanation.balance == customer_loyalty(store, shipped_config, cid, TODAY).balance
        assert explanation.balance == exported[customer["code"]]
        sources.update(m.source for m in explanation.movements)
    assert {"order", "expiry", "referral", "void"} <= sources


events_st = st.lists(
    st.fixed_dictionaries({
        "day": st.integers(0, 700),
        "kind": st.sampled_from(["order", "order", "order", "void", "goodwill"]),
        "total": st.integers(1_000, 30_000_000),
        "redeem": st.one_of(st.just(0), st.integers(1, 3_000)),
        "paid": st.booleans(),
    }),
    max_size=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=events_st)
def test_random_histories_explain_the_same_balance(shipped_config: AppConfig, events: list[dict[str, Any]]) -> None:
    store = MemoryStore()
    cid = store.insert("customers", {"code": "C1", "name": "Lan", "archived": False})["id"]
    start = TODAY - timedelta(days=700)
    for event in events:
        day = (start + timedelta(days=event["day"])).isoformat()
        if event["kind"] == "goodwill":
            store.insert("interactions", {"customer_id": cid, "type": "gift", "at": f"{day}T10:00:00",
                                          "points": event["redeem"]})
            continue
        order: dict[str, Any] = {"customer_id": cid, "date": day, "total": event["total"],
                                 "points_redeemed": event["redeem"], "void": event["kind"] == "void"}
        if event["paid"]:
            order["paid"] = max(0, event["total"] - event["redeem"] * 100)
        store.insert("orders", order)
    explanation = explain_customer(store, shipped_config, cid, TODAY)
    check_running(explanation)
    assert explanation.balance == customer_loyalty(store, shipped_config, cid, TODAY).balance
    assert explanation.balance == customer_rows(store, shipped_config, TODAY)[0]["points"]
    voids = sum(1 for e in events if e["kind"] == "void")
    assert sum(1 for m in explanation.movements if m.source == "void") == voids


def _lan(store: MemoryStore) -> int:
    """Lan: 1,250,000 on 5 January (125 points, member), 14 March a voided 800,000, 2 May
    600,000 paying 100 points (₫10,000) so 590,000 paid (59 points), goodwill 50 on 3 June."""
    cid = store.insert("customers", {"code": "C000007", "name": "[b]Lan[/b]", "archived": False})["id"]
    store.insert("orders", {"customer_id": cid, "date": "2026-01-05", "total": 1_250_000})
    store.insert("orders", {"customer_id": cid, "date": "2026-03-14", "total": 800_000, "void": True,
                            "void_reason": "returned"})
    store.insert("orders", {"customer_id": cid, "date": "2026-05-02", "total": 600_000,
                            "points_redeemed": 100, "paid": 590_000})
    store.insert("interactions", {"customer_id": cid, "type": "gift", "at": "2026-06-03T09:00:00",
                                  "points": 50})
    return cid


def test_worked_explanation(shipped_config: AppConfig) -> None:
    store = MemoryStore()
    cid = _lan(store)
    explanation = explain_customer(store, shipped_config, cid, TODAY)
    rows = [(m.day.isoformat(), m.source, m.points, m.balance) for m in explanation.movements]
    assert rows == [
        ("2026-01-05", "order", 125, 125),
        ("2026-03-14", "void", 0, 125),
        ("2026-05-02", "redemption", -100, 25),
        ("2026-05-02", "order", 59, 84),
        ("2026-06-03", "goodwill", 50, 134),
    ]
    assert explanation.balance == 134
    lines = explanation_lines(explanation, shipped_config)
    text = "\n".join(lines)
    assert lines[0] == "[b]Lan[/b] (C000007) · points on 2026-11-21: 134"
    assert "order #3: ₫590,000 paid, Member x1" in text
    assert "used on order #3: ₫10,000 off" in text
    assert "order #2 (₫800,000) voided: returned:" in text  # the rest wraps under Why
    assert "order #2 (₫800,000) voided: returned: counts for nothing" in " ".join(text.split())
    assert "Tier Member: in the 365 days 2025-11-22 – 2026-11-21, 2 orders, ₫1,850,000." in text
    assert "Orders counted: #1 2026-01-05 ₫1,250,000 · #3 2026-05-02 ₫600,000" in text
    assert "₫3,150,000 or 3 more orders to Silver by 2027-01-04" in text
    assert all(len(line) <= 78 for line in lines)


def test_explain_cli_text_json_and_unknown_code(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = open_store(db, create=True)
    with store.batch():
        _lan(store)  # type: ignore[arg-type]
    store.close()
    env = {"CUSTUI_DB": str(db), "CUSTUI_CONFIG": str(tmp_path), "CUSTUI_TODAY": TODAY.isoformat()}
    code, out, err = run_cli(["explain", "c000007", "--format", "json"], env)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["balance"] == 134 and doc["as_of"] == "2026-11-21"
    assert [m["source"] for m in doc["movements"]] == ["order", "void", "redemption", "order", "goodwill"]
    assert doc["movements"][3] == {"date": "2026-05-02", "source": "order", "points": 59, "balance": 84,
                                   "order_id": 3, "amount": 590_000, "base": "paid", "tier": "member",
                                   "multiplier": 1.0}
    assert doc["tier"]["id"] == "member" and doc["tier"]["order_count"] == 2
    assert doc["tier"]["next"] == {"id": "silver", "spend_needed": 3_150_000, "orders_needed": 3,
                                   "by": "2027-01-04"}
    code, out, _ = run_cli(["--lang", "vi", "explain", "C000007"], env)
    assert code == 0 and "điểm ngày 21/11/2026: 134" in out and "bồi thường" in out
    code, _, err = run_cli(["explain", "C999999"], env)
    assert code == 2 and "C999999" in err


def test_json_is_plain_data(shipped_config: AppConfig) -> None:
    store = MemoryStore()
    cid = _lan(store)
    doc = explanation_json(explain_customer(store, shipped_config, cid, TODAY), shipped_config)
    assert json.loads(json.dumps(doc)) == doc


async def test_profile_loyalty_tab_shows_the_explanation_at_80x24(shipped_config: AppConfig) -> None:
    from pilot_helpers import open_profile, screen_text, settle

    from custui.app import make_app
    from custui.services.workspace import Workspace

    store = MemoryStore()
    cid = _lan(store)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: datetime(2026, 11, 21, 10, 0),
                   operator="tester")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, cid)
        await pilot.press("6")
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Lan[/b] (C000007) · points on 2026-11-21: 134" in text  # a name is text, not markup
        assert "goodwill" in text and "redemption" in text and "void" in text
        assert app.focused is not None and app.focused.id == "loyalty-scroll"


def test_a_long_why_wraps_under_its_column_within_78_cells(shipped_config: AppConfig) -> None:
    """A long reason (a void's, in Vietnamese the order texts are longer too) continues under
    the Why column, not at column 0 of the Loyalty tab; every line fits 80 columns."""
    from custui.i18n import set_locale

    store = MemoryStore()
    cid = _lan(store)
    store.update("orders", 2, {"void_reason": "the customer brought the whole set back unopened "
                                              "with the receipt and asked for a refund"})
    for locale in ("en", "vi"):
        set_locale(locale)
        lines = explanation_lines(explain_customer(store, shipped_config, cid, TODAY), shipped_config)
        assert all(len(line) <= 78 for line in lines), lines
        head = next(i for i, line in enumerate(lines) if "#2 (" in line)
        column = lines[head].index("#2 (") - len("order ") if locale == "en" else lines[head].index("đơn #2")
        follow = lines[head + 1]
        assert follow[:column].strip() == "" and follow[column:column + 1].strip(), lines
        assert "refund" in " ".join(lines[head:head + 5])
