"""Bounced e-mails: a message accepted by the test SMTP server and later returned by the
recipient's server (a delivery status report saved from the shop's mailbox) is recorded as
that message's outcome by `custui import bounces`, found by the Message-ID custui kept; the
care-queue row it closed opens again; importing the same mailbox twice changes nothing."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from cli_helpers import run_cli_bytes as run

from custui.domain.bounces import bounces_in, split_mailbox
from custui.services import messaging
from custui.services.workspace import Workspace
from custui.store.open import open_store
from tests.smtp_server import smtp_server
from tests.test_export_cli import _customer
from tests.test_messages import at_port

CARE_KEY = "thank:c1:2026-11-20"


def bounce_report(recipient: str, message_id: str | None, action: str = "failed") -> bytes:
    """A delivery status notification as Postfix writes one (RFC 3464)."""
    body = (f"Reporting-MTA: dns; mx.example.vn\n\nFinal-Recipient: rfc822; {recipient.upper()}\n"
            f"Action: {action}\nStatus: 5.1.1\n"
            f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\n")
    headers = "From: shop@example.vn\nTo: " + recipient + "\n"
    if message_id:
        headers += f"Message-ID: {message_id}\n"
    raw = (b"From: MAILER-DAEMON@mx.example.vn\nTo: shop@example.vn\n"
           b"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
           b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
           b"--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
           b"--B\nContent-Type: message/delivery-status\n\n" + body.encode() +
           b"\n--B\nContent-Type: text/rfc822-headers\n\n" + headers.encode() + b"\n--B--\n")
    return raw


def sent_message(tmp_path: Path, shipped_config) -> tuple[Path, int, str]:  # type: ignore[no-untyped-def]
    """A database file with one thank-you e-mail sent through the test SMTP server."""
    db = tmp_path / "shop.json"
    store = open_store(db, create=True)
    cid = _customer(store, "C000001", "Lê Thu Hà", "0912000999", email="Ha.Le@example.vn",
                    consent_to_contact=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: datetime(2026, 11, 28, 10, 0))
    with smtp_server() as (inbox, port):
        sender = at_port(ws, port)
        doc = messaging.queue(sender, messaging.draft(sender, cid, "thank_you", care_key=CARE_KEY))
        report = messaging.send_pending(sender)
        assert [d["id"] for d in report.sent] == [doc["id"]]
        (mail,) = inbox.received
    store.close()
    return db, doc["id"], str(mail["Message-ID"])


def test_a_bounce_from_the_mailbox_becomes_the_messages_outcome(tmp_path: Path, shipped_config) -> None:  # type: ignore[no-untyped-def]
    db, doc_id, message_id = sent_message(tmp_path, shipped_config)
    mailbox = tmp_path / "Inbox.mbox"  # the bounce, a reply from a customer, a stranger's bounce
    reply = b"From: a@example.vn\nTo: shop@example.vn\nSubject: Re: hello\n\nFrom now on call me.\n"
    mailbox.write_bytes(b"From MAILER-DAEMON Sat Nov 28 10:05:00 2026\n" + bounce_report("ha.le@example.vn", message_id)
                        + b"\nFrom a@example.vn Sat Nov 28 11:00:00 2026\n" + reply.replace(b"\nFrom now", b"\n>From now")
                        + b"\nFrom MAILER-DAEMON Sat Nov 28 12:00:00 2026\n" + bounce_report("x@example.org", None))
    env = {"CUSTUI_DB": str(db), "CUSTUI_OPERATOR": ""}
    code, out, err = run(["import", "bounces", str(mailbox), "--format", "json"], env)
    assert code == 0, err
    assert json.loads(out) == {"recorded": 1, "already": 0, "unmatched": ["x@example.org"]}
    store = open_store(db, read_only=True)
    doc = store.get("interactions", doc_id)
    store.close()
    assert doc is not None
    assert doc["message"]["status"] == "bounced"
    assert "550 5.1.1 <ha.le@example.vn>: Recipient address rejected" in doc["outcome"]
    assert doc["outcome"].startswith("bounced: the recipient's server returned it")
    assert doc["care_key"] is None and doc["message"]["care_key"] == CARE_KEY  # the row opens again
    code, out, err = run(["import", "bounces", str(mailbox)], env)  # the same mailbox again
    assert code == 0, err
    assert out.decode().strip() == ("Recorded 0 bounce(s); 1 recorded before; "
                                    "1 not about a message custui sent.")


def test_a_file_without_a_delivery_report_is_refused_and_nothing_recorded(
        tmp_path: Path, shipped_config) -> None:  # type: ignore[no-untyped-def]
    db, doc_id, message_id = sent_message(tmp_path, shipped_config)
    good, plain = tmp_path / "bounce.eml", tmp_path / "note.eml"
    good.write_bytes(bounce_report("ha.le@example.vn", message_id))
    plain.write_bytes(b"From: a@example.vn\nSubject: hello\n\nNot a bounce.\n")
    code, out, err = run(["import", "bounces", str(good), str(plain)], {"CUSTUI_DB": str(db)})
    assert (code, out) == (2, b"") and f"{plain}: no delivery report in it" in err
    store = open_store(db, read_only=True)
    assert store.get("interactions", doc_id)["message"]["status"] == "sent"  # type: ignore[index]
    store.close()


def test_a_delayed_report_is_not_a_bounce_and_the_address_finds_the_message() -> None:
    assert bounces_in(bounce_report("ha.le@example.vn", None, action="delayed")) == []
    (bounce,) = bounces_in(bounce_report("ha.le@example.vn", None))
    assert (bounce.recipient, bounce.status, bounce.message_id) == ("ha.le@example.vn", "5.1.1", None)
    assert split_mailbox(b"Subject: x\n\nbody\n") == [b"Subject: x\n\nbody\n"]


def test_a_providers_report_can_say_bounced(workspace: Workspace) -> None:
    first = messaging.queue(workspace, messaging.draft(workspace, 5, "thank_you", channel="sms"))
    second = messaging.queue(workspace, messaging.draft(workspace, 5, "birthday", channel="sms"))
    assert messaging.record_sent(workspace, [{"id": str(first["id"]), "status": "sent"},
                                             {"id": str(second["id"]), "status": "bounced",
                                              "reply": "number not in service"}]) == (1, 0, 1)
    # the provider's delivery report comes later for the first one
    assert messaging.record_sent(workspace, [{"id": str(first["id"]), "status": "bounced"}]) == (0, 0, 1)
    statuses = [workspace.store.get("interactions", d["id"])["message"]["status"] for d in (first, second)]  # type: ignore[index]
    assert statuses == ["bounced", "bounced"] and messaging.outbox_rows(workspace, "sms") == []


async def test_the_profile_says_a_message_bounced(workspace: Workspace) -> None:
    from custui.app import make_app
    from tests.pilot_helpers import open_profile, screen_text, settle, wait_until

    doc = messaging.queue(workspace, messaging.draft(workspace, 1, "thank_you"))
    messaging.mark_bounced(workspace, messaging.mark_sent(workspace, doc, "250 ok"), "550 5.1.1 no such user")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("4")  # interactions
        await settle(pilot)
        assert await wait_until(pilot, lambda: "BOUNCED Thank you" in screen_text(app))
