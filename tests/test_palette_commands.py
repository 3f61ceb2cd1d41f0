"""The palette knows where you are: on a profile Ctrl+P offers that customer's actions (run as
their keys run them, role checks included); a screen's name typed and Enter at once opens it."""

from __future__ import annotations

import pytest
from pilot_helpers import burst, open_profile, settle, wait_until
from textual.command import CommandList, CommandPalette

from custui.app import make_app
from custui.i18n import set_locale
from custui.modals.purchase import PurchaseModal
from custui.modals.void_order import VoidOrderModal
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace

ANH = 1


def palette_titles(app: object) -> list[str]:
    listing = app.screen.query_one(CommandList)  # type: ignore[attr-defined]
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_on_a_profile_the_palette_offers_the_customers_actions(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, ANH)
        await burst(pilot, "ctrl+p", *"export customer data")
        assert await wait_until(
            pilot, lambda: palette_titles(app)[:1] == ["Nguyễn Thị Ánh: export customer data"])
        await burst(pilot, "escape")
        assert app.screen is profile
        # typed as one burst, Enter before the search has listed anything: the form opens
        await burst(pilot, "ctrl+p", *"record purchase", "enter", *"450000", "ctrl+s")
        assert app.screen is profile
        assert 450_000 in [o["total"] for o in workspace.store.children("orders", ANH)]
        await burst(pilot, "ctrl+p", *"void the highlighted order", "enter")
        assert isinstance(app.screen, VoidOrderModal)


async def test_the_palettes_actions_keep_the_role_checks(workspace: Workspace) -> None:
    workspace.role, workspace.operator = "clerk", "binh"
    app = make_app(workspace)
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, ANH)
        profile.notify = lambda message, **kw: shown.append(str(message))  # type: ignore[method-assign]
        await burst(pilot, "ctrl+p", *"export customer data", "enter")
        assert app.screen is profile  # no dialog
        assert shown == ["Exporting customer data needs a manager."]


async def test_the_palette_on_the_lookup_has_no_customer_actions(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+p", *"record purchase", "enter")
        assert not isinstance(app.screen, PurchaseModal)


@pytest.mark.parametrize(("locale", "cases"), [
    ("en", [("dashboard", "dashboard"), ("today", "care"), ("Segments", "segments")]),
    ("vi", [("hôm nay", "care"), ("tong quan", "dashboard"), ("phân khúc", "segments"),
            ("dashboard", "dashboard")]),
])
async def test_a_screen_name_and_enter_at_once_opens_that_screen(
    workspace: Workspace, locale: str, cases: list[tuple[str, str]],
) -> None:
    set_locale(locale)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:  # one app per language: each name from a profile
        profile = await open_profile(pilot, ANH)
        for typed, mode in cases:
            await burst(pilot, "ctrl+p", *typed, "enter")
            assert not isinstance(app.screen, CommandPalette), typed
            assert app.current_mode == mode, typed
            app.switch_mode("lookup")  # back to the profile, where the lookup mode left it
            await settle(pilot)
            assert app.screen is profile, typed


async def test_a_screen_name_ranks_that_screen_first(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+p", *"complaints")
        assert await wait_until(pilot, lambda: palette_titles(app)[:1] == ["go: Complaints"])
        assert isinstance(app.screen, CommandPalette)
        assert not isinstance(app.screen, ProfileScreen)


async def test_a_row_picked_with_the_arrows_is_what_enter_runs(workspace: Workspace) -> None:
    from custui.modals.complaint import ComplaintModal

    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, ANH)
        await burst(pilot, "ctrl+p", *"khiếu nại")  # names the Complaints screen exactly
        expected = ["đi tới: Khiếu nại", "Nguyễn Thị Ánh: ghi khiếu nại"]
        ok = await wait_until(pilot, lambda: palette_titles(app)[:2] == expected, 5)
        assert ok, palette_titles(app)
        await burst(pilot, "down", "enter")  # the second row, not the screen named
        assert isinstance(app.screen, ComplaintModal)
        assert app.current_mode == "lookup"
