"""The care queue rules, each on hand-made data, and done/snooze marks removing items."""

from __future__ import annotations

from datetime import date, datetime

from custui.domain.care import CareRules, care_queue

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 9, 0)
RULES = CareRules(thank_you_days=1, feedback_request_days=3, winback_days_before_lapse=30,
                  birthday_days_ahead=7, keep_days=7, loyal_min_orders=3,
                  loyal_window_days=365, lapsed_after_days=180)


def customer(cid: int, **extra) -> dict:
    return {"id": cid, "name": f"C{cid}", **extra}


def order(oid: int, cid: int, day: str, **extra) -> dict:
    return {"id": oid, "customer_id": cid, "date": day, "total": 100_000, **extra}


def queue(customers=(), orders=(), complaints=(), interactions=(), feedback=(), rules=RULES):
    return care_queue(customers=customers, orders=orders, complaints=complaints,
                      interactions=interactions, feedback=feedback, rules=rules,
                      today=TODAY, now=NOW)


def kinds(items) -> list[tuple[str, int]]:
    return sorted((i.kind, i.customer_id) for i in items)


def test_thank_you_one_day_after_purchase_once_per_day() -> None:
    items = queue([customer(1), customer(2)],
                  [order(1, 1, "2026-06-14"), order(2, 1, "2026-06-14"), order(3, 2, "2026-06-15")])
    thanks = [i for i in items if i.kind == "thank_you"]
    assert [(i.customer_id, i.ref_id, i.overdue) for i in thanks] == [(1, 2, False)]
    assert thanks[0].key == "thank_you:c1:2026-06-14"


def test_purchase_items_drop_off_after_keep_days_and_skip_no_consent() -> None:
    items = queue([customer(1), customer(2, consent_to_contact=False)],
                  [order(1, 1, "2026-06-01"), order(2, 2, "2026-06-12")])
    assert [i.kind for i in items if i.customer_id == 1] == []
    assert [i for i in items if i.customer_id == 2] == []


def test_feedback_request_three_days_after_unless_feedback_given() -> None:
    customers = [customer(1), customer(2)]
    orders = [order(1, 1, "2026-06-12"), order(2, 2, "2026-06-12")]
    feedback = [{"id": 1, "customer_id": 2, "survey_id": "after_purchase",
                 "created_at": "2026-06-13T10:00:00", "answers": {}}]
    items = queue(customers, orders, feedback=feedback)
    asks = [i for i in items if i.kind == "feedback_request"]
    assert [(i.customer_id, i.ref_id, i.survey_id) for i in asks] == [(1, 1, "after_purchase")]


def test_complaints_due_today_or_overdue() -> None:
    complaints = [
        {"id": 1, "customer_id": 1, "status": "open", "due_at": "2026-06-14T17:00:00", "category": "transaction"},
        {"id": 2, "customer_id": 1, "status": "in_progress", "due_at": "2026-06-15T17:00:00"},
        {"id": 3, "customer_id": 1, "status": "open", "due_at": "2026-06-16T09:00:00"},
        {"id": 4, "customer_id": 1, "status": "resolved", "due_at": "2026-06-01T09:00:00"},
    ]
    items = [i for i in queue([customer(1)], complaints=complaints) if i.kind == "complaint"]
    assert [(i.ref_id, i.overdue) for i in items] == [(1, True), (2, False)]
    assert items[0].reason_key == "care.reason.complaint_overdue"


def test_follow_ups_from_interactions() -> None:
    interactions = [
        {"id": 1, "customer_id": 1, "type": "call", "summary": "quote", "at": "2026-06-01T10:00:00",
         "follow_up_due": "2026-06-15"},
        {"id": 2, "customer_id": 1, "type": "call", "at": "2026-06-01T10:00:00", "follow_up_due": "2026-06-20"},
        {"id": 3, "customer_id": 1, "type": "call", "at": "2026-06-01T10:00:00",
         "follow_up_due": "2026-06-10", "follow_up_done": True},
    ]
    items = [i for i in queue([customer(1)], interactions=interactions) if i.kind == "follow_up"]
    assert [i.ref_id for i in items] == [1]


def test_winback_for_loyal_customers_close_to_lapsing() -> None:
    # last order 160 days ago: lapses in 20 days, inside the 30-day win-back window
    loyal_close = [order(i, 1, d) for i, d in enumerate(["2025-09-01", "2025-11-01", "2026-01-06"], 1)]
    # just as close to lapsing but only 2 orders: not loyal
    occasional = [order(10 + i, 2, d) for i, d in enumerate(["2025-12-01", "2026-01-06"])]
    # loyal but bought 100 days ago: not close yet
    recent_loyal = [order(20 + i, 3, d) for i, d in enumerate(["2025-09-01", "2025-12-01", "2026-03-07"])]
    forced = [order(30, 4, "2026-01-06")]
    items = queue([customer(1), customer(2), customer(3), customer(4, status_override="loyal")],
                  loyal_close + occasional + recent_loyal + forced)
    wins = [i for i in items if i.kind == "winback"]
    assert [(i.customer_id, i.values()["days"]) for i in wins] == [(1, "20"), (4, "20")]
    assert wins[0].key == "winback:c1:2026-01-06"


def test_birthdays_this_week_wrap_the_year_end() -> None:
    customers = [customer(1, birthday="06-15"), customer(2, birthday="06-22"),
                 customer(3, birthday="06-23"), customer(4, birthday="06-14"),
                 customer(5, birthday="06-20", archived=True)]
    items = [i for i in queue(customers) if i.kind == "birthday"]
    assert [(i.customer_id, i.due) for i in items] == [(1, date(2026, 6, 15)), (2, date(2026, 6, 22))]
    late = care_queue(customers=[customer(1, birthday="01-02")], orders=[], complaints=[],
                      interactions=[], feedback=[], rules=RULES, today=date(2026, 12, 30), now=NOW)
    assert [(i.key, i.due) for i in late] == [("birthday:c1:2027", date(2027, 1, 2))]


def test_rules_switched_off_produce_nothing() -> None:
    rules = CareRules(thank_you_days=None, feedback_request_days=None,
                      winback_days_before_lapse=None, birthday_days_ahead=None)
    items = queue([customer(1, birthday="06-15")], [order(1, 1, "2026-06-14")], rules=rules)
    assert items == []


def test_done_removes_an_item_and_snooze_hides_it_until_the_day() -> None:
    customers = [customer(1)]
    orders = [order(1, 1, "2026-06-14")]
    key = queue(customers, orders)[0].key
    done = [{"id": 9, "customer_id": 1, "type": "note", "care_key": key, "at": "2026-06-15T10:00:00"}]
    assert queue(customers, orders, interactions=done) == []
    snoozed = [{"id": 9, "customer_id": 1, "type": "note", "care_key": key,
                "snoozed_until": "2026-06-16", "at": "2026-06-15T10:00:00"}]
    assert queue(customers, orders, interactions=snoozed) == []
    tomorrow = care_queue(customers=customers, orders=orders, complaints=[], interactions=snoozed,
                          feedback=[], rules=RULES, today=date(2026, 6, 16), now=NOW)
    assert [i.key for i in tomorrow] == [key]
    assert tomorrow[0].overdue


def test_overdue_items_come_first() -> None:
    items = queue([customer(1), customer(2)], [order(1, 1, "2026-06-14"), order(2, 2, "2026-06-10")])
    assert [i.overdue for i in items] == sorted((i.overdue for i in items), reverse=True)


def test_a_snoozed_purchase_item_outlives_keep_days() -> None:
    customers, orders = [customer(1)], [order(1, 1, "2026-06-07")]  # thank-you due 06-08, kept to 06-15
    key = "thank_you:c1:2026-06-07"
    snoozed = [{"id": 9, "customer_id": 1, "type": "note", "care_key": key,
                "snoozed_until": "2026-06-17", "at": "2026-06-15T10:00:00"}]
    later = care_queue(customers=customers, orders=orders, complaints=[], interactions=snoozed,
                       feedback=[], rules=RULES, today=date(2026, 6, 17), now=NOW)
    assert key in [i.key for i in later]
    unsnoozed = care_queue(customers=customers, orders=orders, complaints=[], interactions=[],
                           feedback=[], rules=RULES, today=date(2026, 6, 17), now=NOW)
    assert key not in [i.key for i in unsnoozed]


def test_thank_you_asks_marketing_consent_and_feedback_requests_ask_survey_consent() -> None:
    no_marketing = [{"purpose": "marketing", "granted": False, "at": "2026-06-01T09:00:00",
                     "channel": "phone", "who": "lan"}]
    no_surveys = [{"purpose": "survey", "granted": False, "at": "2026-06-01T09:00:00",
                   "channel": "phone", "who": "lan"}]
    items = queue([customer(1, consents=no_marketing), customer(2, consents=no_surveys)],
                  [order(1, 1, "2026-06-11"), order(2, 2, "2026-06-11")])
    assert kinds(items) == [("feedback_request", 1), ("thank_you", 2)]
