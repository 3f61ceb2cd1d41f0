"""Second thoughts before a purchase is saved: an amount far above the shop's usual largest
orders, and the same total for the same customer again within minutes, ask first (y/Enter
saves, n/Esc returns to the form as typed); a normal purchase goes straight through."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pilot_helpers import burst, open_profile, screen_text
from textual.widgets import Input

from custui.app import make_app
from custui.config.loader import load_config
from custui.domain.purchase import likely_double, percentile, unusual_ratio
from custui.errors import ConfigError
from custui.i18n import set_locale
from custui.modals.confirm import ConfirmModal
from custui.modals.purchase import PurchaseModal
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace

ANH = 1  # orders of 1.250.000 and 300.000; the shop's largest order is 5.000.000 (p99)
HUGE = "999999999999"


def orders_of(ws: Workspace, customer_id: int) -> list[int]:
    return sorted(int(o["total"]) for o in ws.store.children("orders", customer_id))


async def test_a_huge_amount_asks_and_esc_keeps_the_form_as_typed(workspace: Workspace) -> None:
    before = orders_of(workspace, ANH)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst(pilot, "o", *HUGE, "ctrl+s")
        assert isinstance(app.screen, ConfirmModal)
        shown = screen_text(app)
        assert "₫999,999,999,999 is 199,999× this shop's usual largest orders" in shown
        assert "(₫5,000,000). Save anyway?" in shown and "Save (y)" in shown
        await burst(pilot, "escape")
        form = app.screen
        assert isinstance(form, PurchaseModal)
        assert form.query_one("#f-total", Input).value == HUGE  # as typed
        assert "Saving" not in screen_text(app)
        assert orders_of(workspace, ANH) == before  # nothing saved
        await burst(pilot, "ctrl+s", "n")  # n answers the same way
        assert isinstance(app.screen, PurchaseModal)
        assert orders_of(workspace, ANH) == before


@pytest.mark.parametrize("answer", ["y", "enter"])
async def test_a_huge_amount_is_saved_when_confirmed(workspace: Workspace, answer: str) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst(pilot, "o", *HUGE, "ctrl+s", answer)
        assert isinstance(app.screen, ProfileScreen)
        assert 999_999_999_999 in orders_of(workspace, ANH)


async def test_the_same_total_again_within_minutes_asks_before_a_double_entry(workspace: Workspace) -> None:
    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst(pilot, "o", *"450000", "ctrl+s")  # a normal purchase: no question
        assert isinstance(app.screen, ProfileScreen)
        assert orders_of(workspace, ANH).count(450_000) == 1
        await burst(pilot, "o", *"450000", "ctrl+s")
        assert isinstance(app.screen, ConfirmModal)
        shown = screen_text(app)
        assert "của khách này vừa ghi lúc 10:00" in shown and "Vẫn lưu" in shown
        await burst(pilot, "escape")
        assert isinstance(app.screen, PurchaseModal)
        assert orders_of(workspace, ANH).count(450_000) == 1
        await burst(pilot, "ctrl+s", "y")
        assert isinstance(app.screen, ProfileScreen)
        assert orders_of(workspace, ANH).count(450_000) == 2
        # another total, or the same total for another customer, goes straight through
        await burst(pilot, "o", *"460000", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert orders_of(workspace, ANH).count(460_000) == 1


def test_unusual_ratio_and_percentile() -> None:
    assert percentile([], 99) is None
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([7], 99) == 7
    assert unusual_ratio(999_999_999_999, 5_000_000, 1_250_000, 100) == 199_999
    assert unusual_ratio(500_000_000, 5_000_000, 0, 100) is None  # exactly 100x: fine
    assert unusual_ratio(600_000_000, 5_000_000, 10_000_000, 100) is None  # the customer's usual
    assert unusual_ratio(600_000_000, None, 0, 100) is None  # no history: nothing to compare
    assert unusual_ratio(600_000_000, 5_000_000, 0, None) is None  # switched off


def test_likely_double_looks_back_the_configured_minutes() -> None:
    now = datetime(2026, 11, 28, 10, 0)
    recent = {"id": 7, "total": 450_000, "created_at": "2026-11-28T09:55:00"}
    assert likely_double(450_000, [recent], now, 10) == recent
    assert likely_double(450_000, [recent], now, 3) is None
    assert likely_double(450_000, [recent], now, 0) is None
    assert likely_double(460_000, [recent], now, 10) is None
    assert likely_double(450_000, [{**recent, "void": True}], now, 10) is None


def test_the_thresholds_are_configured_in_loyalty_yaml_and_checked_strictly(tmp_path: Path) -> None:
    (tmp_path / "loyalty.yaml").write_text("unusual_amount_factor: 20\ndouble_entry_minutes: 0\n",
                                           encoding="utf-8")
    loyalty = load_config(tmp_path).loyalty
    assert (loyalty.unusual_amount_factor, loyalty.double_entry_minutes) == (20, 0)
    (tmp_path / "loyalty.yaml").write_text('unusual_amount_factor: "100"\ndouble_entry_minutes: -1\n',
                                           encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    problems = caught.value.problems
    assert any(p.endswith("loyalty.yaml:1: unusual_amount_factor: Input should be a valid integer (got '100')")
               for p in problems), problems
    assert any("loyalty.yaml:2: double_entry_minutes:" in p for p in problems), problems
