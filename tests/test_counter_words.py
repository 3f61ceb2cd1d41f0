"""What the counter reads at 80x24: counts with the right noun in English, the language's
decimal mark and date format on every screen, and nothing cut without saying so."""

from __future__ import annotations

from pilot_helpers import burst, open_profile, screen_text, settle, wait_until

from custui.app import make_app
from custui.i18n import format_day, percent_text, set_locale, t
from custui.services.period_text import change_text
from custui.services.workspace import Workspace


def test_counts_take_the_singular_for_one_in_english_only() -> None:
    assert t("lookup.matches", shown=1, query="C000042") == "1 best match for “C000042”"
    assert t("lookup.matches", shown=3, query="an") == "3 best matches for “an”"
    assert t("profile.orders_spend", orders=1, spend="₫1") == "1 order, ₫1"
    assert t("explain.orders_n", count="15,076") == "15,076 orders"
    set_locale("vi")
    assert t("profile.orders_spend", orders=1, spend="1 ₫") == "1 đơn, 1 ₫"


def test_decimals_and_dates_follow_the_language() -> None:
    assert (percent_text(0.126), change_text(-8.9, "points"), format_day("2026-12-07")) == (
        "12.6 %", "▼ -8.9 pts", "2026-12-07")
    set_locale("vi")
    assert (percent_text(0.126), change_text(-8.9, "points"), change_text(0.477)) == (
        "12,6 %", "▼ -8,9 điểm", "▲ +47,7%")
    assert format_day("2026-12-07") == "07/12/2026"


async def test_one_match_and_one_order_read_in_the_singular(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"C000002")
        assert await wait_until(pilot, lambda: "1 best match for “C000002”" in screen_text(app))
        await burst(pilot, "enter")
        assert await wait_until(pilot, lambda: "1 order, ₫5,000,000" in screen_text(app))


async def test_profile_and_loyalty_tab_write_dates_one_way(workspace: Workspace) -> None:
    """English: ISO in the header, the tabs and the Loyalty tab (it showed 05/01/2026 there)."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        assert "2026-11-20" in screen_text(app)
        await burst(pilot, "6")
        assert await wait_until(pilot, lambda: "points on 2026-11-28" in screen_text(app))
        assert "/2026" not in screen_text(app)
