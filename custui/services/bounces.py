"""Bounces: which sent message a bounce report is about, recorded as that message's outcome.

A report (domain/bounces.py) is matched to a sent e-mail by the Message-ID custui recorded
when it sent it, else to the latest e-mail sent to the address that failed. The message
becomes "bounced" with the server's reply (messaging.mark_bounced), and the care-queue row it
had closed opens again. A report already recorded, or about mail custui did not send (the
shop's own correspondence), changes nothing and is counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from custui.domain.bounces import Bounce
from custui.services.messaging import BOUNCED, SENT, mark_bounced
from custui.services.workspace import Workspace
from custui.store.base import Doc


@dataclass
class BounceReport:
    recorded: list[Doc] = field(default_factory=list)
    already: int = 0  # reports of messages recorded as bounced before
    unmatched: list[Bounce] = field(default_factory=list)  # not about a message custui sent


def _sent_emails(ws: Workspace) -> list[Doc]:
    return [d for d in ws.store.all("interactions")
            if isinstance(d.get("message"), dict) and d["message"].get("channel") == "email"
            and d["message"].get("status") in (SENT, BOUNCED)]


def _match(bounce: Bounce, emails: list[Doc]) -> Doc | None:
    if bounce.message_id:
        for doc in emails:
            if doc["message"].get("message_id") == bounce.message_id:
                return doc
    to_them = [d for d in emails if str(d["message"].get("to", "")).strip().lower() == bounce.recipient]
    latest_sent = max((d for d in to_them if d["message"].get("status") == SENT),
                      key=lambda d: (str(d["message"].get("sent_at") or ""), d["id"]), default=None)
    return latest_sent or (to_them[-1] if to_them else None)


def record_bounces(ws: Workspace, bounces: Iterable[Bounce]) -> BounceReport:
    """Record each bounce as its message's outcome (one batch); see the module doc."""
    report = BounceReport()
    emails = _sent_emails(ws)
    with ws.store.batch():
        for bounce in bounces:
            doc = _match(bounce, emails)
            if doc is None:
                report.unmatched.append(bounce)
            elif doc["message"].get("status") == BOUNCED:
                report.already += 1
            else:
                reply = bounce.diagnostic or bounce.status or "bounced"
                updated = mark_bounced(ws, doc, reply)
                report.recorded.append(updated)
                emails = [updated if d["id"] == doc["id"] else d for d in emails]
    return report
