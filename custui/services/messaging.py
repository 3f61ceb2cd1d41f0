"""Messages to customers: draft from messages.yaml, the outbox, sending, unsubscribes.

The outbox is the interactions table: a message is an interaction (type email/sms/zalo)
carrying a `message` document {status, purpose, to, subject, body, reason, reply,
attempts, not_before, sent_at}; status is pending (waiting: quiet hours, not tried yet,
or refused by the server: `reason` and `reply` say why; it is retried), sent, or
cancelled (consent changed before it went), or bounced (the recipient's server returned it
after accepting it: a bounce report, services.bounces, or a provider's report). So a failure
never loses the message, and
a sent one is already on the profile. A message made from a care-queue row carries the
row's key in `message.care_key`; once sent, the interaction takes it as `care_key`, which
closes the row.

Consent is asked of domain/consent.contact_refusal when a message is drafted and again
just before it goes. Sending runs in a worker (or the CLI), never in the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from custui.config.messages import PURPOSES, placeholders
from custui.domain.consent import CHANNEL_ADDRESS, consent_class, contact_refusal
from custui.domain.loyalty import tier_for
from custui.domain.messages import compose, quiet_until
from custui.domain.points import points_ledger
from custui.errors import BadInput
from custui.i18n import get_locale, t
from custui.services.loyalty import goodwill_events
from custui.services.roles import require
from custui.services.workspace import Workspace
from custui.store.base import Doc

CHANNELS = ("email", "sms", "zalo")
PENDING, SENT, CANCELLED, BOUNCED = "pending", "sent", "cancelled", "bounced"


@dataclass(frozen=True)
class Draft:
    customer_id: int
    purpose: str
    channel: str
    to: str
    subject: str
    body: str
    care_key: str | None = None
    empty: tuple[str, ...] = ()  # placeholders the template uses that this customer has no value for


class Transport(Protocol):
    """Sends one message; returns the server's reply, raises SendError when refused."""

    def send(self, to: str, subject: str, body: str) -> str: ...


class SendError(Exception):
    """The server refused the message or the connection failed; `reply` is what it said."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


def values_for(ws: Workspace, customer: Doc, locale: str | None = None) -> dict[str, object]:
    """The placeholders' values for one customer (points, tier and voucher as of today), the
    tier named in `locale` (the message's language; default the app's)."""
    cid = int(customer["id"])
    today = ws.today()
    loyalty = ws.config.loyalty
    orders = [o for o in ws.store.children("orders", cid) if not o.get("void")]
    points = points_ledger(orders, loyalty, today, (), goodwill_events(ws.store, cid)).balance
    tier = tier_for(orders, loyalty, today)
    open_vouchers = sorted(
        (v for v in ws.store.children("vouchers", cid)
         if not v.get("used_at") and str(v.get("expires_at") or "9999") >= today.isoformat()),
        key=lambda v: v["id"])
    messages = ws.config.messages
    return {
        "name": customer.get("name", ""),
        "code": customer.get("code", ""),
        "phone": customer.get("phone", ""),
        "points": points,
        "tier": tier.name.get(locale or get_locale()) if tier else "",
        "voucher_code": f"V{open_vouchers[0]['id']}" if open_vouchers else "",
        "shop": messages.shop,
        "survey_link": messages.survey_link,
    }


def marketing_sent(ws: Workspace, customer_id: int) -> list[str]:
    """When the customer's marketing messages went (for the per-customer limit)."""
    found = []
    for doc in ws.store.children("interactions", customer_id):
        message = doc.get("message")
        if isinstance(message, dict) and message.get("status") == SENT \
                and consent_class(str(message.get("purpose"))) == "marketing":
            found.append(str(message.get("sent_at") or doc.get("at")))
    return found


def refusal(ws: Workspace, customer: Doc | None, purpose: str, channel: str) -> str | None:
    """Why this customer may not get this message now (None: they may)."""
    limit = ws.config.messages.marketing_limit
    cid = int(customer["id"]) if customer else 0
    return contact_refusal(
        customer, purpose, channel=channel,
        marketing_sent=marketing_sent(ws, cid) if customer and limit else (),
        marketing_limit=(limit.count, limit.days) if limit else None,
        now=ws.clock().replace(tzinfo=None),
    )


def draft(ws: Workspace, customer_id: int, purpose: str, channel: str = "email",
          care_key: str | None = None) -> Draft:
    """The message as it would go (for the preview). Raises BadInput when the customer may
    not be contacted (the reason, translated) or there is no such template."""
    if purpose not in PURPOSES or purpose not in ws.config.messages.templates:
        raise BadInput(t("msg.err.no_template", purpose=purpose))
    customer = ws.store.get("customers", customer_id)
    reason = refusal(ws, customer, purpose, channel)
    if reason is not None:
        raise BadInput(t("msg.refused", reason=t(f"consent.reason.{reason}")))
    assert customer is not None
    return _draft(ws, customer, purpose, channel, care_key)


def _draft(ws: Workspace, customer: Doc, purpose: str, channel: str, care_key: str | None) -> Draft:
    messages = ws.config.messages
    template = messages.templates[purpose]
    locale = str(customer.get("locale") or get_locale())
    values = values_for(ws, customer, locale)
    subject, body = compose(template.subject.get(locale), template.body.get(locale),
                            messages.unsubscribe.get(locale), values)
    to = str(customer.get(CHANNEL_ADDRESS[channel]) or "").strip()
    used = placeholders(template.subject.get(locale)) + placeholders(template.body.get(locale))
    empty = tuple(dict.fromkeys(name for name in used if values.get(name) in ("", None)))
    return Draft(int(customer["id"]), purpose, channel, to, subject, body, care_key, empty)


def queue(ws: Workspace, message: Draft) -> Doc:
    """Put a drafted message in the outbox (an interaction, pending)."""
    return ws.store.insert("interactions", {
        "customer_id": message.customer_id,
        "type": message.channel if message.channel in ("email", "sms") else "sms",
        "summary": message.subject,
        "outcome": t("msg.outcome.queued"),
        "at": ws.now_iso(),
        "follow_up_due": None,
        "follow_up_done": False,
        "who": ws.operator,
        "message": {
            "status": PENDING, "purpose": message.purpose, "template": message.purpose,
            "channel": message.channel, "to": message.to, "subject": message.subject,
            "body": message.body, "care_key": message.care_key, "reason": "", "reply": "",
            "attempts": 0, "not_before": None, "sent_at": None,
        },
    })


def pending(ws: Workspace, channel: str | None = None) -> list[Doc]:
    """Messages waiting in the outbox, oldest first."""
    rows = [d for d in ws.store.all("interactions")
            if isinstance(d.get("message"), dict) and d["message"].get("status") == PENDING
            and (channel is None or d["message"].get("channel") == channel)]
    return sorted(rows, key=lambda d: (str(d.get("at", "")), d["id"]))


def _update(ws: Workspace, doc: Doc, outcome: str, **changes: Any) -> Doc:
    message = {**doc["message"], **changes}
    fields: dict[str, Any] = {"message": message, "outcome": outcome}
    if message.get("status") == SENT and message.get("care_key"):
        fields["care_key"] = message["care_key"]  # closes the care-queue row
    ws.store.update("interactions", doc["id"], fields)
    return {**doc, **fields}


def mark_sent(ws: Workspace, doc: Doc, reply: str, message_id: str | None = None) -> Doc:
    """Sent; `message_id` (the e-mail's Message-ID) lets a bounce report find it later."""
    extra = {"message_id": message_id} if message_id else {}
    return _update(ws, doc, t("msg.outcome.sent", reply=reply), status=SENT, reply=reply,
                   reason="", sent_at=ws.now_iso(), attempts=int(doc["message"].get("attempts", 0)) + 1,
                   **extra)


def mark_failed(ws: Workspace, doc: Doc, reply: str) -> Doc:
    return _update(ws, doc, t("msg.outcome.refused", reply=reply), reason="refused", reply=reply,
                   attempts=int(doc["message"].get("attempts", 0)) + 1)


def mark_bounced(ws: Workspace, doc: Doc, reply: str) -> Doc:
    """Returned by the recipient's server: the outcome says so with its reply, and the care-queue
    row the message closed opens again (the customer never got it). Not retried."""
    message = {**doc["message"], "status": BOUNCED, "reason": "bounced", "reply": reply,
               "bounced_at": ws.now_iso()}
    fields: dict[str, Any] = {"message": message, "outcome": t("msg.outcome.bounced", reply=reply)}
    if doc.get("care_key"):
        fields["care_key"] = None
    ws.store.update("interactions", doc["id"], fields)
    return {**doc, **fields}


@dataclass
class SendReport:
    sent: list[Doc] = field(default_factory=list)
    failed: list[Doc] = field(default_factory=list)
    waiting: list[Doc] = field(default_factory=list)  # quiet hours
    cancelled: list[Doc] = field(default_factory=list)  # consent changed since drafted


def send_pending(ws: Workspace, transport: Transport | None = None, ids: Iterable[int] | None = None) -> SendReport:
    """Send the e-mails in the outbox (or those of `ids`) whose time has come. Call from a worker."""
    wanted = set(ids) if ids is not None else None
    report = SendReport()
    now = ws.clock().replace(tzinfo=None)
    quiet = ws.config.messages.quiet_hours
    for doc in pending(ws, "email"):
        if wanted is not None and doc["id"] not in wanted:
            continue
        message = doc["message"]
        customer = ws.store.get("customers", doc["customer_id"])
        reason = refusal(ws, customer, str(message["purpose"]), "email")
        if reason is not None:
            report.cancelled.append(_update(ws, doc, t("msg.outcome.cancelled", reason=t(f"consent.reason.{reason}")),
                                            status=CANCELLED, reason=reason))
            continue
        until = quiet_until(now, quiet.start, quiet.end) if quiet else None
        if until is not None:
            report.waiting.append(_update(ws, doc, t("msg.outcome.quiet", until=until.isoformat(timespec="minutes")),
                                          reason="quiet_hours", not_before=until.isoformat(timespec="minutes")))
            continue
        if transport is None:
            from custui.services.smtp import SmtpTransport

            transport = SmtpTransport(ws.config.messages.email)
        try:
            reply = transport.send(str(message["to"]), str(message["subject"]), str(message["body"]))
        except SendError as err:
            report.failed.append(mark_failed(ws, doc, err.reply))
            continue
        report.sent.append(mark_sent(ws, doc, reply, getattr(transport, "last_message_id", None)))
    close = getattr(transport, "close", None)
    if close is not None:
        close()
    return report


# -- campaigns ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CampaignPlan:
    purpose: str
    channel: str
    receive: tuple[int, ...]
    skipped: dict[str, int]  # reason id -> customers


def campaign_plan(ws: Workspace, customer_ids: Sequence[int], purpose: str = "campaign",
                  channel: str = "email") -> CampaignPlan:
    """Who of `customer_ids` would receive the message, and how many are skipped and why.
    Raises Refused (logged) unless the operator may run a campaign (services.roles)."""
    require(ws, "campaign", check_pin_too=False)  # the PIN, where needed, is asked by the screen
    receive: list[int] = []
    skipped: dict[str, int] = {}
    for cid in customer_ids:
        reason = refusal(ws, ws.store.get("customers", cid), purpose, channel)
        if reason is None:
            receive.append(cid)
        else:
            skipped[reason] = skipped.get(reason, 0) + 1
    return CampaignPlan(purpose, channel, tuple(receive), skipped)


def queue_campaign(ws: Workspace, plan: CampaignPlan) -> list[Doc]:
    """Queue the plan's messages (one batch); consent is checked again when each goes.
    Raises Refused (logged) unless the operator may run a campaign."""
    require(ws, "campaign", check_pin_too=False)
    queued = []
    with ws.store.batch():
        for cid in plan.receive:
            customer = ws.store.get("customers", cid)
            if customer is not None:
                queued.append(queue(ws, _draft(ws, customer, plan.purpose, plan.channel, None)))
    return queued


def skipped_text(skipped: dict[str, int]) -> str:
    return ", ".join(f"{t(f'consent.reason.{reason}')} {count}" for reason, count in sorted(skipped.items())) or "—"


# -- unsubscribes and channels custui cannot send itself -----------------------------------------
def unsubscribe(ws: Workspace, customer_id: int, channel: str = "all", purpose: str | None = None,
                via: str = "") -> Doc:
    """Record that the customer asked for no more messages (on `channel`, "all" for every one)."""
    customer = ws.store.get("customers", customer_id)
    if customer is None:
        raise BadInput(t("care.err.no_customer", id=customer_id))
    record = {"at": ws.now_iso(), "channel": channel, "purpose": purpose, "via": via, "who": ws.operator}
    with ws.store.batch():
        ws.store.update("customers", customer_id, {"unsubscribes": [*(customer.get("unsubscribes") or ()), record]})
        from custui.services.interactions import log_interaction

        log_interaction(ws, customer_id, "note", t("msg.unsubscribed", channel=channel), outcome=via)
    return record


OUTBOX_COLUMNS = ("id", "phone", "name", "message")


def outbox_rows(ws: Workspace, channel: str) -> list[dict[str, object]]:
    """Pending messages of a channel custui cannot send (sms, zalo), for the provider's import:
    the interaction id (to record the result), the phone, the name and the text."""
    rows = []
    for doc in pending(ws, channel):
        message = doc["message"]
        customer = ws.store.get("customers", doc["customer_id"]) or {}
        text = f"{message['subject']}: {message['body']}".replace("\n\n--\n", " -- ")
        rows.append({"id": doc["id"], "phone": message.get("to") or customer.get("phone", ""),
                     "name": customer.get("name", ""), "message": " ".join(text.split())})
    return rows


def record_sent(ws: Workspace, rows: Iterable[dict[str, str]]) -> tuple[int, int, int]:
    """Record a provider's report (columns id, status sent|failed|bounced, reply): (sent,
    failed, bounced). "bounced" may also come later for a message reported sent (the provider's
    delivery report). Raises BadInput naming every bad row before writing anything."""
    planned: list[tuple[Doc, str, str]] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        raw_id, status = str(row.get("id", "")).strip(), str(row.get("status", "")).strip().lower()
        doc = ws.store.get("interactions", int(raw_id)) if raw_id.isdigit() else None
        current = doc["message"].get("status") if doc is not None and isinstance(doc.get("message"), dict) else None
        if doc is None or current is None:
            problems.append(t("msg.err.row_id", row=number, id=raw_id))
        elif status not in ("sent", "failed", "bounced"):
            problems.append(t("msg.err.row_status", row=number, status=status))
        elif current != PENDING and not (status == "bounced" and current == SENT):
            problems.append(t("msg.err.row_done", row=number, id=raw_id))
        else:
            planned.append((doc, status, str(row.get("reply", "")).strip()))
    if problems:
        raise BadInput("\n".join(problems))
    marks = {"sent": mark_sent, "failed": mark_failed, "bounced": mark_bounced}
    with ws.store.batch():
        for doc, status, reply in planned:
            marks[status](ws, doc, reply or status)
    counts = [sum(1 for _, status, _ in planned if status == wanted) for wanted in ("sent", "failed", "bounced")]
    return counts[0], counts[1], counts[2]
