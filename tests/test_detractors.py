"""Every unhappy answer gets a person: detractor responses put a call-back in Today, late after
care.yaml's due time; resolving it logs a call; the dashboard shows the share called back in time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from custui.domain.care import CareRules, care_queue
from custui.domain.consent import contact_refusal
from custui.domain.detractors import DetractorRule, called_back_in_time, detractors, low_answers
from custui.services import care as service
from custui.services.analytics import Analytics
from custui.services.feedback import submit_feedback
from custui.services.workspace import Workspace
from tests.test_config_errors import problems

TYPES = {"after_purchase": {"q": "rating", "nps": "nps", "note": "text"}}


def test_thresholds_pick_nps_0_to_6_and_ratings_1_to_2() -> None:
    rule = DetractorRule()
    kinds = TYPES["after_purchase"]
    assert low_answers({"q": 2, "nps": 6, "note": "bad"}, kinds, rule) == [("q", 2), ("nps", 6)]
    assert low_answers({"q": 3, "nps": 7}, kinds, rule) == []
    assert low_answers({"nps": 0}, kinds, DetractorRule(nps_max=None)) == []
    assert low_answers({"q": 3}, kinds, DetractorRule(rating_max=3)) == [("q", 3)]


def _queue(feedback, interactions=(), now=datetime(2026, 6, 15, 9, 0), customers=None):
    return care_queue(
        customers=customers or [{"id": 1, "name": "A", "consent_to_contact": False}],
        orders=[], complaints=[], interactions=interactions, feedback=feedback,
        rules=CareRules(thank_you_days=None, feedback_request_days=None, winback_days_before_lapse=None,
                        birthday_days_ahead=None, detractors=DetractorRule(due_hours=24, keep_days=30)),
        today=now.date(), now=now, question_types=TYPES,
    )


def test_call_back_listed_at_once_with_answers_order_and_due_then_late() -> None:
    response = {"id": 7, "customer_id": 1, "order_id": 42, "survey_id": "after_purchase",
                "answers": {"q": 1, "nps": 9}, "created_at": "2026-06-15T08:30:00"}
    (item,) = _queue([response])
    # a customer who refused marketing still gets the call about their own complaint
    assert (item.kind, item.key, item.ref_id, item.overdue) == ("call_back", "call_back:f7", 42, False)
    assert item.values() == {"answers": "q 1", "order": "42", "due": "2026-06-16 08:30",
                             "survey": "after_purchase", "low": "q=1"}
    (late,) = _queue([response], now=datetime(2026, 6, 16, 9, 0))
    assert late.overdue
    done = {"customer_id": 1, "care_key": "call_back:f7", "at": "2026-06-15T10:00:00"}
    assert _queue([response], [done]) == []
    # happy answers, walk-ins and answers older than keep_days make no call-back
    happy = {**response, "answers": {"q": 4, "nps": 9}}
    walk_in = {**response, "customer_id": None}
    assert _queue([happy, walk_in]) == []
    assert _queue([response], now=datetime(2026, 7, 16, 9, 0)) == []


def test_call_back_reason_names_the_questions_in_the_chosen_language(workspace: Workspace) -> None:
    """Today's "Why" of a call-back names each low answer by its question's label in
    surveys.yaml, in Vietnamese too (it showed 'staff attitude 2' in a Vietnamese queue), and
    its due time as the language writes dates."""
    from custui.i18n import set_locale

    response = {"id": 7, "customer_id": 1, "order_id": None, "survey_id": "after_purchase",
                "answers": {"staff_attitude": 2, "nps": 6}, "created_at": "2026-06-15T08:30:00"}
    types = {"after_purchase": {"staff_attitude": "rating", "nps": "nps"}}
    (item,) = care_queue(
        customers=[{"id": 1, "name": "A"}], orders=[], complaints=[], interactions=[],
        feedback=[response], rules=CareRules(thank_you_days=None, feedback_request_days=None,
                                             winback_days_before_lapse=None, birthday_days_ahead=None),
        today=date(2026, 6, 15), now=datetime(2026, 6, 15, 9, 0), question_types=types,
    )
    assert service.reason_text(item, workspace) == "Unhappy: Staff attitude 2, NPS 6; call by 2026-06-16 08:30"
    set_locale("vi")
    assert service.reason_text(item, workspace) == (
        "Không hài lòng: Thái độ nhân viên 2, NPS 6; gọi trước 16/06/2026 08:30")


def test_share_called_back_in_time() -> None:
    rule = DetractorRule(due_hours=24)
    docs = [{"id": n, "customer_id": 1, "survey_id": "after_purchase", "answers": {"nps": 3},
             "created_at": "2026-06-10T09:00:00"} for n in (1, 2, 3)]
    docs.append({**docs[0], "id": 4, "created_at": "2026-06-15T08:00:00"})  # not due yet: not counted
    found = detractors(docs, TYPES, rule)
    done = {"call_back:f1": "2026-06-10T15:00:00", "call_back:f2": "2026-06-12T09:00:00"}
    share = called_back_in_time(found, done, datetime(2026, 6, 15, 9, 0))
    assert (share.detractors, share.in_time) == (3, 1)


def test_resolving_logs_a_call_and_dashboard_counts_it(workspace: Workspace) -> None:
    # NOW is 2026-11-28 10:00; Ánh (id 1) answers with NPS 2 about her order of 2026-11-20
    order = workspace.store.children("orders", 1)[0]
    answers = {"product_quality": 4, "staff_attitude": 2, "information_accuracy": 4,
               "policy_clarity": 4, "nps": 2}
    doc = submit_feedback(workspace, "after_purchase", answers, customer_id=1, order_id=order["id"])
    item = next(i for i in service.compute_queue(workspace) if i.kind == "call_back")
    assert service.reason_text(item) == (
        f"Unhappy: staff attitude 2, nps 2 (order #{order['id']}); call by 2026-11-29 10:00")
    call = service.mark_done(workspace, item, "apologised, sending a voucher")
    assert (call["type"], call["care_key"], call["feedback_id"]) == ("call", f"call_back:f{doc['id']}", doc["id"])
    assert item.key not in [i.key for i in service.compute_queue(workspace)]
    analytics = Analytics(workspace.store, workspace.config, workspace.clock)
    figures = analytics.dashboard(date(2026, 11, 1), date(2026, 11, 30))
    assert (figures.current.detractors, figures.current.called_back) == (1, 1.0)


def test_consent_refusals() -> None:
    assert contact_refusal({"consent_to_contact": True}, "campaign") is None
    assert contact_refusal({"consent_to_contact": False}, "campaign") == "no_consent"
    assert contact_refusal({"archived": True}, "campaign") == "archived"
    gone = {"unsubscribes": [{"at": "2026-01-01", "channel": "email"}]}
    assert contact_refusal(gone, "win_back", channel="email") == "unsubscribed"
    assert contact_refusal({**gone, "phone": "09"}, "win_back", channel="sms") is None
    assert contact_refusal({"email": ""}, "thank_you", channel="email") == "no_address"
    now = datetime(2026, 6, 15, 9, 0)
    sent = ["2026-06-10T09:00:00", "2026-06-14T09:00:00"]
    assert contact_refusal({"email": "a@b"}, "campaign", channel="email", marketing_sent=sent,
                           marketing_limit=(2, 7), now=now) == "limit"
    assert contact_refusal({"email": "a@b"}, "complaint_resolved", channel="email", marketing_sent=sent,
                           marketing_limit=(2, 7), now=now) is None


def test_care_yaml_thresholds_are_validated(tmp_path: Path) -> None:
    care = (Path(__file__).parents[1] / "config" / "care.yaml").read_text(encoding="utf-8")
    bad = care.replace("  nps_max: 6", "  nps_max: 11").replace("  rating_max: 2", "  rating_max: two")
    found = problems(tmp_path, care=bad)
    assert any("care.yaml:" in p and "detractors.nps_max" in p and "less than or equal to 10" in p for p in found)
    assert any("detractors.rating_max" in p for p in found)
