"""May this customer be contacted or processed for this purpose? One answer for the whole app.

Every place that contacts a customer (care queue rows, messages, campaigns) or profiles
one (segments used for a campaign) asks `contact_refusal`: None means go ahead,
anything else is a reason id (i18n key `consent.reason.<id>`).

Consent is recorded per purpose (CONSENT_PURPOSES: marketing, survey, profiling) in the
customer's `consents` list, oldest first, never rewritten:
    {"purpose": "marketing", "granted": true, "at": "2026-12-07T09:15:00",
     "channel": "in_person", "who": "lan", "note": ""}
A withdrawal is an event with `granted: false`; the newest event of a purpose decides.

Older records have only `consent_to_contact` (bool). With no event for a purpose, it
is read as that purpose's consent for marketing and survey (the old checkbox said
"agrees to be contacted"; a missing field counts as agreed, as before). Profiling was
never asked, so with no event it is refused.

What else is read from the customer document:
- `archived` / `forgotten`: nobody archived or forgotten is contacted;
- `unsubscribes`: a list of {at, channel, purpose?}; one with no purpose (or the
  purpose's consent class) and the same channel (or channel "all") refuses;
- the address the channel needs (`email` for e-mail, `phone` for sms/zalo/call).

Message purposes map to consent classes (marketing, survey, service, profiling).
Service contact needs no marketing or survey consent, but only a person's call back (channel
"call", or no channel: a row in Today) goes to someone who said no: a written service message
(a resolved complaint by e-mail or SMS) is never sent to a customer whose `consent_to_contact`
is false or who unsubscribed from it. Marketing messages
also count against a per-customer limit (`marketing_limit` = (count, days), and the
ISO timestamps of the marketing messages already sent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

# the purposes consent is asked and recorded for, in display order
CONSENT_PURPOSES = ("marketing", "survey", "profiling")
# how the customer gave or withdrew it
CONSENT_CHANNELS = ("in_person", "phone", "email", "sms", "web", "paper", "other")
# message purpose -> consent class
PURPOSE_CLASS: dict[str, str] = {
    "thank_you": "marketing",
    "birthday": "marketing",
    "win_back": "marketing",
    "campaign": "marketing",
    "feedback_request": "survey",
    "complaint_resolved": "service",
    "call_back": "service",
    "marketing": "marketing",
    "survey": "survey",
    "service": "service",
    "profiling": "profiling",
    "segment": "profiling",
}
# where each channel sends to
CHANNEL_ADDRESS: dict[str, str] = {"email": "email", "sms": "phone", "zalo": "phone", "call": "phone"}
REASONS = ("archived", "forgotten", "no_consent", "withdrawn", "unsubscribed", "no_address", "limit")
# purposes the old `consent_to_contact` flag stands for when no event is recorded
_LEGACY_PURPOSES = ("marketing", "survey")


def consent_class(purpose: str) -> str:
    """The consent class of a message purpose (unknown purposes count as marketing)."""
    return PURPOSE_CLASS.get(purpose, "marketing")


def consent_events(customer: Mapping[str, Any], purpose: str | None = None) -> list[Mapping[str, Any]]:
    """The recorded consent events (of one purpose, or all), oldest first."""
    events = [e for e in customer.get("consents") or () if isinstance(e, Mapping)]
    if purpose is not None:
        events = [e for e in events if e.get("purpose") == purpose]
    return sorted(events, key=lambda e: str(e.get("at") or ""))


def consent_given(customer: Mapping[str, Any], purpose: str) -> bool | None:
    """The customer's current answer for a consent purpose: True, False, or None when
    never asked (no event, and no old `consent_to_contact` that stands for it)."""
    events = consent_events(customer, purpose)
    if events:
        return bool(events[-1].get("granted"))
    if purpose in _LEGACY_PURPOSES:
        legacy = customer.get("consent_to_contact")
        return True if legacy is None else bool(legacy)
    return None


def consent_summary(customer: Mapping[str, Any]) -> dict[str, Mapping[str, Any] | None]:
    """Per purpose: the newest event (or a synthetic one from the old flag), None if never asked."""
    summary: dict[str, Mapping[str, Any] | None] = {}
    for purpose in CONSENT_PURPOSES:
        events = consent_events(customer, purpose)
        if events:
            summary[purpose] = events[-1]
        elif (given := consent_given(customer, purpose)) is not None:
            summary[purpose] = {"purpose": purpose, "granted": given, "legacy": True}
        else:
            summary[purpose] = None
    return summary


def consent_event(purpose: str, granted: bool, at: str, channel: str, who: str,
                  note: str = "") -> dict[str, Any]:
    """A new consent event; ValueError for an unknown purpose or channel."""
    if purpose not in CONSENT_PURPOSES:
        raise ValueError(f"unknown consent purpose: {purpose}")
    if channel not in CONSENT_CHANNELS:
        raise ValueError(f"unknown consent channel: {channel}")
    return {"purpose": purpose, "granted": bool(granted), "at": at, "channel": channel,
            "who": who, "note": note}


def with_event(consents: Sequence[Mapping[str, Any]] | None, event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The consent history with `event` appended (a new list; the old one is untouched)."""
    return [dict(e) for e in consents or ()] + [dict(event)]


def unsubscribed(customer: Mapping[str, Any], purpose: str, channel: str | None = None) -> bool:
    """True when an unsubscribe on record covers this purpose and channel (None: any channel)."""
    wanted = consent_class(purpose)
    for record in customer.get("unsubscribes") or ():
        if not isinstance(record, Mapping):
            continue
        scope = record.get("purpose")
        if scope not in (None, "", "all", wanted, purpose):
            continue
        on = record.get("channel") or "all"
        if channel is None or on in ("all", channel):
            return True
    return False


def contact_refusal(
    customer: Mapping[str, Any] | None,
    purpose: str,
    *,
    channel: str | None = None,
    marketing_sent: Iterable[str] = (),
    marketing_limit: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> str | None:
    """None when `customer` may be contacted (or profiled) for `purpose` (on `channel`),
    else a reason id (one of REASONS)."""
    if customer is None or customer.get("archived"):
        return "archived"
    if customer.get("forgotten"):
        return "forgotten"
    cls = consent_class(purpose)
    if cls == "service" and channel not in (None, "call"):
        if customer.get("consent_to_contact") is False:
            return "no_consent"
        if unsubscribed(customer, purpose, channel):
            return "unsubscribed"
    if cls != "service":
        given = consent_given(customer, cls)
        if not given:
            return "withdrawn" if consent_events(customer, cls) else "no_consent"
        if unsubscribed(customer, purpose, channel):
            return "unsubscribed"
    if channel is not None:
        field = CHANNEL_ADDRESS.get(channel)
        if field is not None and not str(customer.get(field) or "").strip():
            return "no_address"
    if marketing_limit is not None and now is not None and cls == "marketing":
        count, days = marketing_limit
        since = (now - timedelta(days=days)).isoformat(timespec="seconds")
        if sum(1 for at in marketing_sent if str(at) >= since) >= count:
            return "limit"
    return None
