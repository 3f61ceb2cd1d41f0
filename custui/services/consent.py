"""Recording consent per purpose (with history and audit) and who a campaign may reach."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from custui.domain.consent import consent_event, consent_given, contact_refusal, with_event
from custui.errors import BadInput
from custui.i18n import t
from custui.services.workspace import Workspace
from custui.store.base import Doc


def record_consent(ws: Workspace, customer_id: int, purpose: str, granted: bool,
                   channel: str, note: str = "") -> Doc:
    """Append a consent (or withdrawal) event for one purpose, by the current operator; the
    old `consent_to_contact` flag follows the marketing purpose. Audited as "consent"."""
    customer = ws.store.get("customers", customer_id)
    if customer is None:
        raise BadInput(t("customer.err.unknown", id=customer_id))
    try:
        event = consent_event(purpose, granted, ws.now_iso(), channel, ws.operator, note.strip())
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    before = consent_given(customer, purpose)
    update: dict[str, object] = {"consents": with_event(customer.get("consents"), event),
                                 "updated_at": event["at"]}
    if purpose == "marketing":
        update["consent_to_contact"] = bool(granted)
    with ws.store.batch():
        doc = ws.store.update("customers", customer_id, update)
        ws.store.insert("audit", {
            "customer_id": customer_id, "at": event["at"], "who": ws.operator, "action": "consent",
            "changes": {f"consent.{purpose}": [before, bool(granted)]},
            "channel": channel,
        })
    return doc


@dataclass
class Reach:
    """Who a campaign may contact, and how many were left out and why (reason id -> count)."""

    allowed: list[int] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)

    def left_out_text(self) -> str:
        return ", ".join(f"{n} {t(f'consent.reason.{why}')}" for why, n in self.refused.most_common())


def campaign_reach(ws: Workspace, customer_ids: Iterable[int], purpose: str = "campaign") -> Reach:
    """Members of a segment a campaign may use: profiled with consent, and contactable for
    `purpose` (marketing by default)."""
    reach = Reach()
    for customer_id in customer_ids:
        customer = ws.store.get("customers", customer_id)
        why = contact_refusal(customer, "profiling") or contact_refusal(customer, purpose)
        if why is None:
            reach.allowed.append(customer_id)
        else:
            reach.refused[why] += 1
    return reach
