"""Messages: templates checked at load, consent before drafting and before sending, and real
SMTP (a test server on 127.0.0.1): headers, Vietnamese UTF-8, the unsubscribe line; a refusal
or a hang-up leaves the message queued with the reason, and a retry sends it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from custui.domain.messages import fill, quiet_until
from custui.errors import BadInput
from custui.i18n import set_locale
from custui.services import care as care_service
from custui.services import messaging
from custui.services.smtp import SmtpTransport
from custui.services.workspace import Workspace
from tests.smtp_server import smtp_server
from tests.test_config_errors import problems


def at_port(ws: Workspace, port: int, clock: datetime | None = None) -> Workspace:
    messages = ws.config.messages
    config = replace(ws.config, messages=messages.model_copy(update={
        "email": messages.email.model_copy(update={"host": "127.0.0.1", "port": port, "security": "none"})}))
    return Workspace(store=ws.store, config=config, clock=(lambda: clock) if clock else ws.clock, operator="lan")


def test_unknown_placeholder_is_named_with_file_line_and_key(tmp_path: Path) -> None:
    shipped = (Path(__file__).parents[1] / "config" / "messages.yaml").read_text(encoding="utf-8")
    bad = shipped.replace('en: "We miss you, {name}"', 'en: "We miss you, {nmae}"')
    found = problems(tmp_path, messages=bad)
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "{nmae}" in text)
    assert found == [f"messages.yaml:{line}: templates.win_back.subject.en: unknown placeholder {{nmae}} "
                     "(placeholders: name, code, points, tier, voucher_code, shop, survey_link, phone, unsubscribe)"]
    missing = shipped.replace("  campaign:\n", "  campaing:\n")
    assert any("unknown purpose 'campaing'" in p for p in problems(tmp_path, messages=missing))


def test_values_are_text_and_quiet_hours_span_midnight() -> None:
    assert fill("Hi {name}, {points} pts", {"name": "{points} [b]x", "points": 5}) == "Hi {points} [b]x, 5 pts"
    assert quiet_until(datetime(2026, 6, 1, 22, 30), "21:00", "08:00") == datetime(2026, 6, 2, 8, 0)
    assert quiet_until(datetime(2026, 6, 1, 7, 0), "21:00", "08:00") == datetime(2026, 6, 1, 8, 0)
    assert quiet_until(datetime(2026, 6, 1, 12, 0), "21:00", "08:00") is None


def test_vietnamese_message_arrives_with_headers_and_unsubscribe_line(workspace: Workspace) -> None:
    set_locale("vi")
    item = next(i for i in care_service.compute_queue(workspace) if i.customer_id == 1 and i.kind == "thank_you")
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        message = messaging.draft(ws, 1, "thank_you", care_key=item.key)
        doc = messaging.queue(ws, message)
        assert item.key in [i.key for i in care_service.compute_queue(ws)]  # queued is not done
        report = messaging.send_pending(ws)
    assert [d["id"] for d in report.sent] == [doc["id"]]
    (mail,) = inbox.received
    assert mail["Subject"] == "Cảm ơn anh/chị Nguyễn Thị Ánh"
    assert mail["To"] == "anh.nguyen@example.vn" and mail["From"] == "cskh@ankhang.example.vn"
    assert mail["Message-ID"] and mail["Date"] and "unsubscribe" in mail["List-Unsubscribe"]
    body = mail.get_content()
    assert "Cảm ơn anh/chị đã mua sắm tại Cửa hàng An Khang" in body
    assert body.rstrip().endswith("Để ngừng nhận tin, trả lời STOP hoặc báo cho Cửa hàng An Khang.")
    stored = workspace.store.get("interactions", doc["id"])
    assert stored["type"] == "email" and stored["summary"] == mail["Subject"]
    assert stored["message"]["status"] == "sent" and stored["message"]["template"] == "thank_you"
    assert stored["message"]["reply"].startswith("250") and stored["care_key"] == item.key
    assert item.key not in [i.key for i in care_service.compute_queue(ws)]  # the row is done


@pytest.mark.parametrize("mode", ["refuse", "disconnect"])
def test_a_refusal_or_hang_up_keeps_the_message_queued_and_retry_sends_it(workspace: Workspace, mode: str) -> None:
    with smtp_server(mode) as (inbox, port):
        ws = at_port(workspace, port)
        doc = messaging.queue(ws, messaging.draft(ws, 2, "win_back"))
        report = messaging.send_pending(ws)
        assert report.failed and not report.sent and inbox.received == []
    stored = workspace.store.get("interactions", doc["id"])
    assert stored["message"]["status"] == "pending" and stored["message"]["attempts"] == 1
    reply = stored["message"]["reply"]
    assert reply.startswith("550 5.7.1") if mode == "refuse" else reply
    assert "still queued" in stored["outcome"]
    assert [d["id"] for d in messaging.pending(ws)] == [doc["id"]]
    with smtp_server() as (inbox, port):
        retried = messaging.send_pending(at_port(workspace, port), ids=[doc["id"]])
    assert [d["id"] for d in retried.sent] == [doc["id"]] and len(inbox.received) == 1
    assert messaging.pending(workspace) == []


def test_consent_unsubscribe_limit_and_quiet_hours(workspace: Workspace) -> None:
    store = workspace.store
    store.update("customers", 3, {"consent_to_contact": False})
    with pytest.raises(BadInput, match="no consent"):
        messaging.draft(workspace, 3, "campaign")
    with pytest.raises(BadInput, match="no address"):
        messaging.draft(workspace, 5, "campaign")  # Khôi has no e-mail
    assert messaging.draft(workspace, 1, "win_back").empty == ("voucher_code",)
    plan = messaging.campaign_plan(workspace, [1, 2, 3, 4, 5])
    assert plan.receive == (1, 2, 4) and plan.skipped == {"no_consent": 1, "no_address": 1}
    record = messaging.unsubscribe(workspace, 2, "email", via="reply STOP")
    assert record["at"] == "2026-11-28T10:00:00" and record["channel"] == "email"
    assert messaging.campaign_plan(workspace, [2]).skipped == {"unsubscribed": 1}
    # a message queued before the unsubscribe is not sent after it
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        queued = messaging.queue(ws, messaging.draft(ws, 1, "campaign"))
        messaging.unsubscribe(ws, 1, "all")
        report = messaging.send_pending(ws)
        assert [d["id"] for d in report.cancelled] == [queued["id"]] and inbox.received == []
    # two marketing messages a week at most; a complaint answer is not marketing
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        for _ in range(2):
            messaging.queue(ws, messaging.draft(ws, 4, "campaign"))
            messaging.send_pending(ws)
        with pytest.raises(BadInput, match="limit"):
            messaging.draft(ws, 4, "win_back")
        assert messaging.draft(ws, 4, "complaint_resolved").to == "eve@example.com"
        assert len(inbox.received) == 2
    # at night the message waits for the morning
    with smtp_server() as (inbox, port):
        night = at_port(workspace, port, datetime(2026, 11, 28, 22, 15))
        doc = messaging.queue(night, messaging.draft(night, 4, "complaint_resolved"))
        report = messaging.send_pending(night)
        assert [d["id"] for d in report.waiting] == [doc["id"]] and inbox.received == []
    assert store.get("interactions", doc["id"])["message"]["not_before"] == "2026-11-29T08:00"


def test_sms_outbox_export_and_sent_import(workspace: Workspace) -> None:
    doc = messaging.queue(workspace, messaging.draft(workspace, 5, "thank_you", channel="sms"))
    (row,) = messaging.outbox_rows(workspace, "sms")
    assert row["id"] == doc["id"] and row["phone"] == "0988777666" and "Thank you" in row["message"]
    with pytest.raises(BadInput, match="row 3"):
        messaging.record_sent(workspace, [{"id": str(doc["id"]), "status": "sent"}, {"id": "999", "status": "sent"}])
    assert messaging.pending(workspace, "sms")  # nothing partial
    assert messaging.record_sent(workspace, [{"id": str(doc["id"]), "status": "sent", "reply": "ok 1"}]) == (1, 0, 0)
    assert workspace.store.get("interactions", doc["id"])["message"]["status"] == "sent"
    assert messaging.outbox_rows(workspace, "sms") == []


def test_password_comes_from_the_environment_and_is_never_shown(workspace: Workspace) -> None:
    with smtp_server() as (_, port):
        settings = workspace.config.messages.email.model_copy(update={
            "host": "127.0.0.1", "port": port, "security": "none", "user": "shop", "password_env": "SHOP_PW"})
        transport = SmtpTransport(settings, environ={})
        with pytest.raises(messaging.SendError, match="SHOP_PW") as caught:
            transport.send("a@example.vn", "x", "y")
        assert "hunter2" not in str(caught.value)


def test_cli_export_outbox_and_import_sent(tmp_path: Path, shipped_config) -> None:
    import csv
    import io

    from cli_helpers import run_cli_bytes as run

    from custui.store.open import open_store
    from tests.test_export_cli import _customer

    db = tmp_path / "db.json"
    store = open_store(db, create=True)
    cid = _customer(store, "C1", "Phạm Thị Mai", "0903111222", consent_to_contact=True)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: datetime(2026, 11, 28, 10, 0))
    set_locale("vi")
    doc = messaging.queue(ws, messaging.draft(ws, cid, "birthday", channel="sms"))
    set_locale("en")
    store.close()
    env = {"CUSTUI_DB": str(db)}
    code, out, err = run(["export", "outbox", "--channel", "sms"], env)
    assert code == 0, err
    (row,) = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert row["id"] == str(doc["id"]) and row["phone"] == "0903111222"
    assert row["message"].startswith("Chúc mừng sinh nhật anh/chị Phạm Thị Mai!") and "STOP" in row["message"]
    report = tmp_path / "report.csv"
    report.write_text(f"id,status,reply\n{doc['id']},sent,accepted 7781\n999,sent,\n", encoding="utf-8")
    code, _, err = run(["import", "sent", str(report)], env)
    assert code == 2 and "row 3" in err
    report.write_text(f"id,status,reply\n{doc['id']},sent,accepted 7781\n", encoding="utf-8")
    code, out, err = run(["import", "sent", str(report), "--format", "json"], env)
    assert code == 0, err
    assert out.decode().replace(" ", "").replace("\n", "") == '{"sent":1,"failed":0,"bounced":0}'
    code, out, _ = run(["export", "outbox", "--channel", "sms"], env)
    assert out.decode().strip() == "id,phone,name,message"
