"""Consent per purpose: the one function that says whether a customer may be contacted."""

from __future__ import annotations

from custui.app import make_app
from custui.domain.consent import (
    consent_event,
    consent_given,
    consent_summary,
    contact_refusal,
    with_event,
)
from custui.screens.profile_tabs import details_text
from custui.services.campaign import log_campaign
from custui.services.consent import campaign_reach, record_consent
from custui.services.customers import update_customer
from custui.services.workspace import Workspace
from tests.pilot_helpers import open_profile, settle


def _customer(**fields: object) -> dict[str, object]:
    return {"id": 1, "name": "An", "phone": "0901234567", **fields}


def test_old_records_read_consent_to_contact_as_marketing_and_surveys_not_profiling() -> None:
    yes, no = _customer(consent_to_contact=True), _customer(consent_to_contact=False)
    assert contact_refusal(yes, "marketing") is None
    assert contact_refusal(yes, "feedback_request") is None
    assert contact_refusal(yes, "profiling") == "no_consent"
    assert contact_refusal(no, "marketing") == "no_consent"
    assert contact_refusal(no, "survey") == "no_consent"
    assert contact_refusal(no, "call_back") is None  # service: no consent needed
    assert contact_refusal(no, "call_back", channel="call") is None


def test_a_written_service_message_never_goes_to_someone_who_said_no() -> None:
    yes, no = _customer(consent_to_contact=True, email="an@x.vn"), _customer(consent_to_contact=False, email="an@x.vn")
    assert contact_refusal(yes, "complaint_resolved", channel="email") is None
    assert contact_refusal(no, "complaint_resolved", channel="email") == "no_consent"
    gone = _customer(consent_to_contact=True, email="an@x.vn",
                     unsubscribes=[{"at": "2026-11-01T10:00:00", "channel": "email"}])
    assert contact_refusal(gone, "complaint_resolved", channel="email") == "unsubscribed"
    assert contact_refusal(gone, "complaint_resolved", channel="sms") is None


def test_each_purpose_is_granted_and_withdrawn_on_its_own_with_history_kept() -> None:
    customer = _customer(consent_to_contact=False)
    consents = with_event(None, consent_event("profiling", True, "2026-01-02T10:00:00", "paper", "lan"))
    consents = with_event(consents, consent_event("marketing", True, "2026-01-03T10:00:00", "phone", "lan"))
    customer["consents"] = consents
    assert contact_refusal(customer, "profiling") is None
    assert contact_refusal(customer, "campaign") is None
    assert contact_refusal(customer, "survey") == "no_consent"  # the old flag says no
    consents = with_event(consents, consent_event("marketing", False, "2026-02-01T10:00:00", "email", "binh"))
    customer["consents"] = consents
    assert contact_refusal(customer, "birthday") == "withdrawn"
    assert contact_refusal(customer, "profiling") is None
    assert len(customer["consents"]) == 3  # nothing rewritten
    summary = consent_summary(customer)
    assert summary["marketing"] is not None and summary["marketing"]["who"] == "binh"
    assert consent_given(customer, "marketing") is False


def test_forgotten_and_archived_customers_are_never_contacted() -> None:
    assert contact_refusal(_customer(forgotten=True, consent_to_contact=True), "marketing") == "forgotten"
    assert contact_refusal(_customer(archived=True), "service") == "archived"


# -- recording consent and what it gates ------------------------------------------------


def test_recording_keeps_history_follows_the_old_flag_and_is_audited(workspace: Workspace) -> None:
    record_consent(workspace, 1, "marketing", False, "phone", "asked by phone")
    doc = workspace.store.get("customers", 1)
    assert doc is not None and doc["consent_to_contact"] is False
    assert [(e["purpose"], e["granted"], e["channel"], e["who"]) for e in doc["consents"]] == [
        ("profiling", True, "paper", "tester"), ("marketing", False, "phone", "tester")]
    audit = [a for a in workspace.store.children("audit", 1) if a["action"] == "consent"]
    assert audit[-1]["changes"] == {"consent.marketing": [True, False]}
    assert contact_refusal(doc, "thank_you") == "withdrawn"


def test_the_form_box_records_a_marketing_event(workspace: Workspace) -> None:
    update_customer(workspace, 2, {"consent_to_contact": False})
    doc = workspace.store.get("customers", 2)
    assert doc is not None and doc["consents"][-1]["purpose"] == "marketing"
    assert doc["consents"][-1]["granted"] is False


def test_campaigns_reach_only_customers_who_agreed_to_profiling_and_marketing(workspace: Workspace) -> None:
    record_consent(workspace, 1, "profiling", False, "email")
    record_consent(workspace, 2, "marketing", False, "email")
    reach = campaign_reach(workspace, [1, 2, 3])
    assert reach.allowed == [3] and reach.refused == {"withdrawn": 2}
    assert log_campaign(workspace, [1, 2, 3], "sms", "December voucher") == 1
    assert [d["customer_id"] for d in workspace.store.all("interactions")] == [3]


async def test_profile_k_withdraws_profiling_consent_and_shows_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("k", "3", "2", "2", "ctrl+s")
        await settle(pilot)
        profile = app.screen
        assert profile.data is not None
        text = details_text(profile.data).plain
    doc = workspace.store.get("customers", 1)
    assert doc is not None
    assert (doc["consents"][-1]["purpose"], doc["consents"][-1]["granted"],
            doc["consents"][-1]["channel"]) == ("profiling", False, "phone")
    assert contact_refusal(doc, "profiling") == "withdrawn"
    assert "Profiling for segments: no · 2026-11-28 10:00:00 · phone · by tester" in text


def test_permission_table_clerk_records_manager_also_changes_and_takes_data_out() -> None:
    from custui.domain.permissions import allowed

    for action in ("lookup", "record_purchase", "feedback", "complaint", "interaction", "consent"):
        assert allowed("clerk", action) and allowed("manager", action)
    for action in ("void_order", "goodwill", "merge", "edit_loyalty_fields", "export", "forget", "restore"):
        assert not allowed("clerk", action) and allowed("manager", action)
    assert allowed(None, "forget")  # no operators configured: the single user may do anything
    assert not allowed("manager", "no-such-action")  # unknown actions fail closed
