"""A care lead sends a win-back message from Today: m previews it, Ctrl+S sends it through a
real SMTP server (started by the test), the row closes and the profile has the interaction."""

from __future__ import annotations

from textual.widgets import DataTable

from custui.app import make_app
from custui.modals.message import MessageModal
from custui.screens.care import CareScreen
from custui.services import messaging
from custui.services.workspace import Workspace
from tests.pilot_helpers import screen_text, settle, wait_until
from tests.smtp_server import smtp_server
from tests.test_messages import at_port


def _slipping_customer(workspace: Workspace) -> int:
    store = workspace.store
    doc = store.insert("customers", {
        "code": "C000009", "name": "Lê Thu Hà", "kind": "individual", "scope": "external",
        "role": "end_user", "phone": "0912000999", "email": "ha.le@example.vn", "archived": False,
        "consent_to_contact": True, "status_override": "loyal", "tags": [],
    })
    store.insert("orders", {"customer_id": doc["id"], "date": "2026-06-20", "total": 800_000,
                            "items": "", "promo": False, "channel": "store"})
    return int(doc["id"])


async def test_win_back_message_from_today_goes_out_and_closes_the_row(workspace: Workspace) -> None:
    cid = _slipping_customer(workspace)
    key = f"winback:c{cid}:2026-06-20"
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        app = make_app(ws)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+t")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CareScreen)
            table = screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index(key))
            await pilot.press("m")
            assert await wait_until(pilot, lambda: isinstance(app.screen, MessageModal))
            shown = screen_text(app)
            assert "ha.le@example.vn" in shown and "We miss you, Lê Thu Hà" in shown
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: len(inbox.received) == 1 and key not in screen.items)
            assert isinstance(app.screen, CareScreen)
    (mail,) = inbox.received
    assert mail["To"] == "ha.le@example.vn" and mail["Subject"] == "We miss you, Lê Thu Hà"
    (sent,) = [i for i in workspace.store.children("interactions", cid) if i.get("message")]
    assert (sent["type"], sent["care_key"], sent["message"]["status"], sent["message"]["purpose"]) == (
        "email", key, "sent", "win_back")
    assert sent["message"]["reply"].startswith("250")
    assert messaging.pending(workspace) == []


async def test_campaign_to_a_segment_says_who_is_skipped_then_sends(workspace: Workspace) -> None:
    from tests.test_segments_screen import open_segment

    workspace.store.update("customers", 2, {"consent_to_contact": False})
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        app = make_app(ws)
        async with app.run_test(size=(80, 24)) as pilot:
            members = await open_segment(pilot, "individual")  # Ánh, Đức, Eve, Khôi
            await pilot.press("m")
            assert await wait_until(pilot, lambda: isinstance(app.screen, MessageModal))
            shown = screen_text(app)
            assert "2 will receive it; 2 skipped (no address for this channel 1, no consent" in shown
            assert "News from Cửa hàng An Khang" in shown
            assert "Dear [b]Eve[/]," in shown and "To stop these messages, reply STOP" in shown
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: len(inbox.received) == 2 and app.screen is members)
    assert sorted(mail["To"] for mail in inbox.received) == ["anh.nguyen@example.vn", "eve@example.com"]
    sent = [i for i in workspace.store.all("interactions") if i.get("message")]
    assert sorted(i["message"]["status"] for i in sent) == ["sent", "sent"]


async def test_a_clerk_pressing_the_campaign_keys_is_refused_and_nothing_is_sent(workspace: Workspace) -> None:
    from custui.services.access_log import read_log
    from tests.test_segments_screen import open_segment

    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        ws.role, ws.operator = "clerk", "binh"
        app = make_app(ws)
        shown: list[str] = []
        async with app.run_test(size=(80, 24)) as pilot:
            members = await open_segment(pilot, "individual")
            app.notify = members.notify = lambda message, **kw: shown.append(str(message))  # type: ignore[method-assign]
            for count, key in enumerate(("m", "c"), start=1):  # e-mail the campaign, log a campaign
                await pilot.press(key)
                assert await wait_until(pilot, lambda n=count: len(shown) == n)
                await settle(pilot)
                assert app.screen is members, key  # no preview, no dialog
    assert shown == ["A campaign to a segment (logging or e-mailing it) needs a manager."] * 2
    assert inbox.received == [] and messaging.pending(workspace) == []
    assert not [i for i in workspace.store.all("interactions") if i.get("message") or i.get("campaign")]
    assert [(e["who"], e["action"], e["what"]) for e in read_log(workspace.store)] == [
        ("binh", "refused", "campaign")] * 2


def test_the_messaging_service_refuses_a_clerks_campaign_itself(workspace: Workspace) -> None:
    import pytest

    from custui.services.campaign import log_campaign
    from custui.services.roles import Refused

    workspace.role, workspace.operator = "clerk", "binh"
    with pytest.raises(Refused, match="needs a manager"):
        messaging.campaign_plan(workspace, [1, 2, 3])
    with pytest.raises(Refused, match="needs a manager"):
        messaging.queue_campaign(workspace, messaging.CampaignPlan("campaign", "email", (1,), {}))
    with pytest.raises(Refused, match="needs a manager"):
        log_campaign(workspace, [1, 2], "email", "Tết offer")
    assert messaging.pending(workspace) == []
    workspace.role = "manager"
    assert messaging.campaign_plan(workspace, [1]).receive == (1,)


async def test_the_profiles_s_key_sends_a_message_through_the_smtp_server(workspace: Workspace) -> None:
    from tests.pilot_helpers import open_profile

    workspace.store.update("customers", 1, {"locale": "vi"})  # Nguyễn Thị Ánh reads Vietnamese
    with smtp_server() as (inbox, port):
        ws = at_port(workspace, port)
        app = make_app(ws)
        async with app.run_test(size=(80, 24)) as pilot:
            profile = await open_profile(pilot, 1)
            await pilot.press("s")
            await settle(pilot)
            await pilot.press("1")  # thank-you
            assert await wait_until(pilot, lambda: isinstance(app.screen, MessageModal))
            shown = screen_text(app)
            assert "anh.nguyen@example.vn" in shown and "Cảm ơn anh/chị Nguyễn Thị Ánh" in shown
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: len(inbox.received) == 1 and app.screen is profile)
    (mail,) = inbox.received
    assert mail["To"] == "anh.nguyen@example.vn" and mail["Subject"] == "Cảm ơn anh/chị Nguyễn Thị Ánh"
    body = mail.get_content()
    assert "Cảm ơn anh/chị đã mua sắm tại Cửa hàng An Khang" in body
    assert "(hạng Thành viên)" in body  # the tier in the customer's language too
    assert body.endswith("Để ngừng nhận tin, trả lời STOP hoặc báo cho Cửa hàng An Khang.\n")
    (sent,) = [i for i in workspace.store.children("interactions", 1) if i.get("message")]
    assert (sent["type"], sent["message"]["status"], sent["message"]["purpose"], sent["summary"]) == (
        "email", "sent", "thank_you", "Cảm ơn anh/chị Nguyễn Thị Ánh")
    assert sent["message"]["reply"].startswith("250") and messaging.pending(workspace) == []
