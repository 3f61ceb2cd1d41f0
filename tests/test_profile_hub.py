"""The profile as the place everything meets: focus and row actions on each tab, complaint
status from the profile, feedback answers under their labels, goodwill points in the
balance, and the app header's care counts after a save."""

from __future__ import annotations

from datetime import date
from typing import Any

from pilot_helpers import open_profile, screen_text, settle, wait_until
from textual.widgets import DataTable

from custui.app import CustuiApp, make_app
from custui.domain.models.loyalty import Loyalty
from custui.domain.points import points_ledger
from custui.i18n import set_locale
from custui.modals.complaint import ComplaintStatusModal
from custui.modals.feedback_view import FeedbackAnswersModal
from custui.modals.purchase import PurchaseModal
from custui.modals.void_order import VoidOrderModal
from custui.screens.profile import ProfileScreen
from custui.services.complaints import change_status, open_complaint
from custui.services.interactions import log_interaction
from custui.services.loyalty import customer_loyalty
from custui.services.workspace import Workspace


def footer_keys(app: CustuiApp) -> str:
    return str(screen_text(app).splitlines()[-1])


# -- focus and the highlighted order --------------------------------------------------------
async def test_profile_opens_on_the_orders_table_and_v_enter_act_on_the_highlighted_order(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        table = profile.query_one("#table-orders", DataTable)
        assert app.focused is table
        assert [o["date"] for o in profile.records("orders")] == ["2026-11-20", "2026-10-02"]
        await pilot.press("down")
        assert table.cursor_row == 1
        older = profile.records("orders")[1]["id"]

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VoidOrderModal) and app.screen.order_id == older
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PurchaseModal) and app.screen.order_id == older


async def test_tab_keys_focus_that_tabs_table_and_the_footer_shows_its_action(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        footer = footer_keys(app)
        for shown in ("o Order", "f Feedback", "c Complaint", "i Interaction", "e Edit", "v Void"):
            assert shown in footer
        await pilot.press("3")
        await settle(pilot)
        assert app.focused is profile.query_one("#table-complaints", DataTable)
        assert "Status" in footer_keys(app) and "v Void" not in footer_keys(app)
        await pilot.press("v")  # not an action on the Complaints tab
        await settle(pilot)
        assert app.screen is profile
        await pilot.press("4")
        await settle(pilot)
        assert app.focused is profile.query_one("#table-interactions", DataTable)


# -- complaints ---------------------------------------------------------------------------
async def test_complaint_tab_shows_labels_and_enter_changes_its_status(workspace: Workspace) -> None:
    doc = open_complaint(workspace, 1, "staff_attitude", "high", "[b]rude[/] at the counter")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("3")
        await settle(pilot)
        text = screen_text(app)
        assert "Staff attitude" in text and "High" in text and "open" in text
        assert "staff_attitude" not in text
        assert "2026-11-28 14:00" in text  # 4 h SLA from 10:00
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintStatusModal) and app.screen.complaint_id == doc["id"]
        await pilot.press(*"called back", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        saved = workspace.store.get("complaints", doc["id"])
        assert saved is not None and saved["status"] == "in_progress"
        assert saved["history"][-1]["note"] == "called back"
        assert "in progress" in screen_text(app)


async def test_overdue_complaint_is_marked_without_colour(workspace: Workspace) -> None:
    workspace.store.insert("complaints", {
        "customer_id": 1, "category": "transaction", "severity": "high", "status": "open",
        "description": "x", "opened_at": "2026-11-27T08:00:00", "due_at": "2026-11-27T10:00:00",
        "history": [],
    })
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("3")
        await settle(pilot)
        assert "! OVERDUE 24 h" in screen_text(app)


# -- feedback -----------------------------------------------------------------------------
async def test_feedback_enter_shows_labelled_answers_and_a_removed_question_by_id(
    workspace: Workspace,
) -> None:
    workspace.store.insert("feedback", {
        "customer_id": 1, "order_id": None, "survey_id": "after_purchase", "channel": "in_person",
        "answers": {"product_quality": 4, "nps": 9, "old_question": "[red]kept[/]"},
        "created_at": "2026-11-21T09:00:00", "who": "tester",
    })
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("2")
        await settle(pilot)
        row = screen_text(app)
        assert "Satisfaction" in row and "4 · 9 · [red]kept[/]" in row
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackAnswersModal)
        text = screen_text(app)
        assert "How satisfied are you with the product or service quality?" in text
        assert "How likely are you to recommend us" in text
        assert "old_question" in text and "[red]kept[/]" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)


# -- interactions ---------------------------------------------------------------------------
async def test_interactions_tab_translates_types_shows_follow_up_and_hides_snoozes(
    workspace: Workspace,
) -> None:
    log_interaction(workspace, 1, "call", "asked about warranty", follow_up_due="2026-11-25")
    log_interaction(workspace, 1, "note", "snoozed", care_key="thank_you:o1", snoozed_until="2026-12-01")
    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("4")
        await settle(pilot)
        text = screen_text(app)
        assert "gọi điện" in text and "! 25/11/2026" in text  # follow-up past due
        assert "snoozed" not in text and "Tương tác (1)" in text


# -- goodwill points ----------------------------------------------------------------------
def test_goodwill_points_are_bonus_lots_that_expire_and_are_redeemed_first_in_first_out() -> None:
    loyalty = Loyalty.model_validate({
        "earn": {"per_amount": 10_000, "points": 1}, "point_value": 100, "tiers": [],
        "points_expiry_days": 30,
    })
    orders = [
        {"id": 1, "date": "2026-01-10", "total": 1_000_000},  # +100, expires 09/02
        {"id": 2, "date": "2026-02-05", "total": 1_000_000, "points_redeemed": 120},  # -120, +100
    ]
    goodwill = [(date(2026, 1, 20), 50)]  # +50, expires 19/02
    assert points_ledger(orders, loyalty, date(2026, 1, 19), bonuses=goodwill).balance == 100
    on_20_jan = points_ledger(orders, loyalty, date(2026, 1, 20), bonuses=goodwill)
    assert on_20_jan.balance == 150 and on_20_jan.entries[-1].kind == "goodwill"
    # the redemption takes the 100 earned first, then 20 of the goodwill lot: 30 left in it
    on_18_feb = points_ledger(orders, loyalty, date(2026, 2, 18), bonuses=goodwill)
    assert on_18_feb.balance == 130 and on_18_feb.next_expiry == (date(2026, 2, 19), 30)
    on_19_feb = points_ledger(orders, loyalty, date(2026, 2, 19), bonuses=goodwill)
    assert on_19_feb.balance == 100 and on_19_feb.expired == 30
    assert on_19_feb.earned == 250  # 100 + 50 + 100


def resolve_with_points(workspace: Workspace) -> dict[str, Any]:
    doc = open_complaint(workspace, 1, "product_quality", "low", "scratched")
    return change_status(workspace, doc["id"], "resolved", "sorry", grant_points=True)


async def test_goodwill_points_from_a_resolved_complaint_count_in_the_balance(workspace: Workspace) -> None:
    assert customer_loyalty(workspace.store, workspace.config, 1, workspace.today()).balance == 155
    resolve_with_points(workspace)  # care.yaml: 100 goodwill points
    summary = customer_loyalty(workspace.store, workspace.config, 1, workspace.today())
    assert summary.balance == 255
    assert summary.ledger.next_expiry is None or summary.ledger.next_expiry[0] > workspace.today()
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        text = screen_text(app)
        assert "Points 255" in text
        assert "gift" in text or "Interactions (1)" in text


async def test_goodwill_points_can_be_redeemed_on_the_next_purchase(workspace: Workspace) -> None:
    from custui.domain.purchase import OrderDraft
    from custui.services.loyalty import preview_purchase

    resolve_with_points(workspace)
    draft = OrderDraft(date=workspace.today(), total=10_000_000, points_redeemed=255)
    preview = preview_purchase(workspace.store, workspace.config, 1, draft, workspace.today())
    assert preview.balance_before == 255 and preview.max_redeemable == 255


# -- header ---------------------------------------------------------------------------------
async def test_vi_header_groups_points_the_vi_way_and_keeps_a_long_phone(workspace: Workspace) -> None:
    workspace.store.insert("orders", {
        "customer_id": 2, "date": "2026-11-01", "total": 145_760_000, "items": "", "promo": False,
        "channel": "store", "points_redeemed": 0,
    })
    workspace.store.update("customers", 2, {"name": "Đặng Văn Đức " * 8})
    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 2)
        lines = screen_text(app).splitlines()
        assert any("+84 91 222 3333" in line and "C000002" in line for line in lines)
        assert any("Điểm 1" in line and "." in line.split("Điểm ")[1].split()[0] for line in lines)
        assert not any("Điểm 1" in line and "," in line.split("Điểm ")[1].split()[0] for line in lines)


async def test_header_counts_refresh_after_a_save(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.sub_title
        assert "today" in before
        await open_profile(pilot, 1)
        log_interaction(workspace, 1, "call", "call back", follow_up_due="2026-11-20")
        total = int(before.split("today ")[1].split()[0])
        assert await wait_until(pilot, lambda: f"today {total + 1} " in app.sub_title)
