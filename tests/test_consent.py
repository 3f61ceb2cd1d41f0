"""Consent per purpose: the one function that says whether a customer may be contacted."""

from __future__ import annotations

from custui.domain.consent import (
    consent_event,
    consent_given,
    consent_summary,
    contact_refusal,
    with_event,
)


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
