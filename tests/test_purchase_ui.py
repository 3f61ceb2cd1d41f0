"""Pilot tests of the purchase form, voiding and correcting orders, and the loyalty panel."""

from __future__ import annotations

from datetime import date

import pytest
from pilot_helpers import settle
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from custui.app import CustuiApp, make_app
from custui.i18n import set_locale
from custui.modals.confirm import ConfirmModal
from custui.modals.purchase import PurchaseModal
from custui.modals.void_order import VoidOrderModal
from custui.screens.profile import ProfileScreen
from custui.services.loyalty import customer_loyalty
from custui.services.workspace import Workspace

DUC = 2  # Đặng Văn Đức: the high-value list's customer (5.000.000 ₫ order), tier Silver (x1.2)
ANH = 1
EVE = 4


async def open_purchase(pilot: Pilot) -> PurchaseModal:  # type: ignore[type-arg]
    """Press o on the open profile and return the purchase form."""
    await pilot.press("o")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, PurchaseModal)
    return modal



def screen_text(app: CustuiApp) -> str:
    """The terminal as plain text (no-break spaces as spaces)."""
    strips = app.screen._compositor.render_strips()
    text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
    return text.replace("\u00a0", " ")


async def open_profile(pilot: Pilot, customer_id: int) -> ProfileScreen:  # type: ignore[type-arg]
    await settle(pilot)
    pilot.app.open_customer(customer_id)  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfileScreen)
    return pilot.app.screen


def balance(ws: Workspace, customer_id: int) -> int:
    return customer_loyalty(ws.store, ws.config, customer_id, ws.today()).balance


@pytest.mark.parametrize("typed", ["1.250.000", "1,25tr"])
async def test_record_a_purchase_typed_the_vietnamese_way(workspace: Workspace, typed: str) -> None:
    set_locale("vi")
    before = balance(workspace, DUC)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, DUC)
        modal = await open_purchase(pilot)
        assert modal.focused is modal.query_one("#f-total")  # the most common field first
        await pilot.press(*typed)
        await settle(pilot)
        preview = screen_text(app)
        assert "+150 điểm" in preview  # 125 points x1.2 (Silver)
        assert "Khách chi tiêu cao, hóa đơn lớn: 100.000 ₫" in preview  # the seeds' voucher
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        [order] = [o for o in workspace.store.children("orders", DUC) if o["date"] == "2026-11-28"]
        assert order["total"] == 1_250_000 and order["channel"] == "store" and not order["void"]
        [voucher] = workspace.store.children("vouchers", DUC)
        assert (voucher["rule"], voucher["amount"], voucher["source_order_id"]) == (
            "high_value_big_invoice", 100_000, order["id"])
        assert balance(workspace, DUC) == before + 150
        shown = screen_text(app)
        assert "1.250.000 ₫" in shown  # the new row in the Orders tab
        assert f"Điểm      {before + 150}" in shown  # the loyalty panel
        assert f"#{voucher['id']} Giảm 100.000 ₫ · Còn hiệu lực đến 25/02/2027" in shown


async def test_void_takes_back_points_and_voucher_and_keeps_the_reason(workspace: Workspace) -> None:
    before = balance(workspace, DUC)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, DUC)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"1250000", "ctrl+s")
        await settle(pilot)
        assert balance(workspace, DUC) == before + 150
        await pilot.press("v")  # the new order is the top row
        await settle(pilot)
        assert isinstance(app.screen, VoidOrderModal)
        await pilot.press("enter")  # no reason: refused in place
        await settle(pilot)
        assert "Give a reason" in screen_text(app)
        await pilot.press(*"wrong amount", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        [order] = [o for o in workspace.store.children("orders", DUC) if o["date"] == "2026-11-28"]
        assert order["void"] and order["void_reason"] == "wrong amount"
        [voucher] = workspace.store.children("vouchers", DUC)
        assert voucher["void"]
        assert balance(workspace, DUC) == before
        shown = screen_text(app)
        assert "VOID: wrong amount" in shown
        assert f"Points    {before}" in shown and "Revoked" in shown
        await pilot.press("v")  # voiding it again is refused
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)


async def test_enter_on_an_order_row_corrects_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, ANH)
        newest = profile.data.orders[0] if profile.data else {}
        profile.query_one("#table-orders", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PurchaseModal) and modal.order_id == newest["id"]
        assert modal.query_one("#f-total", Input).value == "1,250,000"
        assert modal.query_one("#f-date", Input).value == "2026-11-20"
        assert "Correct order #" in screen_text(app)
        modal.query_one("#f-total", Input).value = "2tr"
        modal.query_one("#f-items", Input).value = "2 áo dài"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert len(workspace.store.children("orders", ANH)) == 2  # corrected, not added
        fixed = workspace.store.get("orders", newest["id"])
        assert fixed is not None and (fixed["total"], fixed["items"]) == (2_000_000, "2 áo dài")
        assert "₫2,000,000" in screen_text(app)


async def test_invalid_total_is_flagged_next_to_the_field_in_the_current_language(
    workspace: Workspace,
) -> None:
    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"1tr2x", "ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PurchaseModal)  # not saved, still open
        error = modal.query_one("#err-total", Static)
        assert error.has_class("-shown") and modal.query_one("#row-total").has_class("-invalid")
        assert "✗ Không phải số tiền" in screen_text(app)
        assert len(workspace.store.children("orders", ANH)) == 2
        modal.query_one("#f-total", Input).value = "1,2tr"
        await settle(pilot)
        assert not error.has_class("-shown")  # fixing the field clears the flag


async def test_future_date_and_too_many_points_are_flagged(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        modal = await open_purchase(pilot)
        modal.query_one("#f-date", Input).value = "01/12/2026"
        modal.query_one("#f-points", Input).value = "100"
        await pilot.press(*"500k", "ctrl+s")
        await settle(pilot)
        assert "✗ The date 2026-12-01 is after today (2026-11-28)." in screen_text(app)
        modal.query_one("#f-date", Input).value = "26/11/2026"
        modal.query_one("#f-points", Input).value = "999"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = modal.query_one("#err-points", Static)
        assert error.has_class("-shown") and isinstance(app.screen, PurchaseModal)
        assert str(error.render()) == "✗ Only 155 points can be redeemed on this order (999 asked)."
        modal.query_one("#f-points", Input).value = "100"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        saved = [o for o in workspace.store.children("orders", ANH) if o["date"] == "2026-11-26"]
        assert [(o["total"], o["points_redeemed"]) for o in saved] == [(500_000, 100)]


async def test_escape_asks_before_discarding_a_changed_form(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("9", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PurchaseModal)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert len(workspace.store.children("orders", ANH)) == 2


async def test_a_usable_voucher_can_be_applied_and_lowers_the_amount_due(workspace: Workspace) -> None:
    voucher = workspace.store.insert("vouchers", {
        "customer_id": ANH, "rule": "first_purchase", "amount": 50_000, "percent": None,
        "issued_at": "2026-11-01", "expires_at": "2026-12-31", "used_at": None, "used_order_id": None,
    })
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        modal = await open_purchase(pilot)
        select = modal.query_one("#f-voucher")
        assert not select.disabled
        select.value = voucher["id"]  # type: ignore[attr-defined]
        await pilot.press(*"300000")
        await settle(pilot)
        assert "₫250,000 (₫50,000 off)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [order] = [o for o in workspace.store.children("orders", ANH) if o["date"] == "2026-11-28"]
        assert order["voucher_id"] == voucher["id"]
        used = workspace.store.get("vouchers", voucher["id"])
        assert used is not None and used["used_order_id"] == order["id"]
        assert f"voucher #{voucher['id']}" in screen_text(app)  # on the order row


async def test_hostile_name_in_the_purchase_title_is_shown_literally(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, EVE)
        await pilot.press("o")
        await settle(pilot)
        assert "New purchase · [b]Eve[/] (C000004)" in screen_text(app)


async def test_find_by_phone_and_record_a_purchase_in_three_keys_plus_typing(
    workspace: Workspace,
) -> None:
    """Lookup → phone → Enter (opens the top match) → o → total → Ctrl+S."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"0988777666")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 5
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"450k", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        orders = workspace.store.children("orders", 5)
        assert [(o["date"], o["total"]) for o in orders][-1] == (date(2026, 11, 28).isoformat(), 450_000)
