"""Cross-screen changes: every save reaches the screens through the app's `records_changed`
Signal, once per burst; the screen on top refreshes at once, the others when they come back."""

from __future__ import annotations

from typing import Any

from pilot_helpers import open_profile, settle, wait_until
from textual.widgets import Input

from custui.app import make_app
from custui.modals.confirm import ConfirmModal
from custui.modals.purchase import PurchaseModal
from custui.screens.care import CareScreen, header_text
from custui.screens.changes import ChangeFeed, Changes, StoreChanged
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.dashboard import DashboardScreen
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.care import compute_counts
from custui.services.interactions import log_interaction
from custui.services.orders import record_order
from custui.services.workspace import Workspace
from custui.widgets.customer_table import CustomerTable

LAN = 5  # phone 0988777666


def lookup_row(app: Any, customer_id: int) -> Any:
    screen = next(s for s in app.screen_stack if isinstance(s, LookupScreen))
    return next(row for row in screen.query_one(CustomerTable).rows_shown if row.customer_id == customer_id)


def order(workspace: Workspace, customer_id: int, total: int, day: str = "2026-11-27") -> None:
    from datetime import date

    from custui.domain.purchase import OrderDraft

    record_order(workspace.store, workspace.config, customer_id,
                 OrderDraft(date=date.fromisoformat(day), total=total), workspace.today())


async def test_a_purchase_shows_in_the_profile_the_lookup_row_today_and_the_dashboard(
        workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for area in ("ctrl+t", "ctrl+b", "escape"):  # Today and the dashboard open, then lookup
            await pilot.press(area)
            await settle(pilot)
        today = app.get_screen_stack("care")[0]
        dashboard = app.get_screen_stack("dashboard")[0]
        assert isinstance(today, CareScreen) and isinstance(dashboard, DashboardScreen)
        assert dashboard.figures is not None
        revenue = dashboard.figures.current.revenue
        assert not any(key.startswith(f"thank_you:c{LAN}:") for key in today.items)
        await pilot.press(*"0988777666")
        await settle(pilot)
        spend = lookup_row(app, LAN).spend
        await pilot.press("enter")
        await settle(pilot)
        profile = app.screen
        assert isinstance(profile, ProfileScreen) and profile.data is not None
        orders = len(profile.data.orders)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PurchaseModal)
        app.screen.query_one("#f-date", Input).value = "27/11/2026"  # thank-you due today
        await pilot.press(*"450k", "ctrl+s")
        assert await wait_until(pilot, lambda: app.screen is profile)
        assert await wait_until(pilot, lambda: profile.data is not None and len(profile.data.orders) == orders + 1)
        await pilot.press("escape")  # back to the lookup
        assert await wait_until(pilot, lambda: lookup_row(app, LAN).spend != spend)
        await pilot.press("ctrl+t")
        assert await wait_until(pilot, lambda: f"thank_you:c{LAN}:2026-11-27" in today.items)
        await pilot.press("ctrl+b")
        assert await wait_until(pilot, lambda: dashboard.figures is not None
                                and dashboard.figures.current.revenue == revenue + 450_000)


async def test_a_save_made_elsewhere_shows_in_the_open_profile_and_the_header(workspace: Workspace) -> None:
    """Records saved by another screen's worker (a campaign, Today's d, a service) reach the
    profile on screen, not only those saved by its own dialogs."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        assert profile.data is not None
        orders = len(profile.data.orders)
        before = app.sub_title
        order(workspace, 1, 300_000)
        log_interaction(workspace, 1, "call", "call back", follow_up_due="2026-11-20")
        assert await wait_until(pilot, lambda: profile.data is not None and len(profile.data.orders) == orders + 1)
        counts = header_text(compute_counts(workspace))
        assert counts not in before
        assert await wait_until(pilot, lambda: counts in app.sub_title)


async def test_a_hidden_screen_refreshes_when_it_comes_back(workspace: Workspace) -> None:
    """A profile under another customer's profile reloads when the operator returns to it."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_profile(pilot, 1)
        await open_profile(pilot, 4)
        order(workspace, 1, 300_000)
        assert await wait_until(pilot, lambda: first.stale)  # told, but nobody sees it yet
        assert first.data is not None and len(first.data.orders) == 2
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is first and not first.stale)
        assert await wait_until(pilot, lambda: first.data is not None and len(first.data.orders) == 3)


async def test_a_burst_of_saves_is_published_once_with_every_customer(workspace: Workspace) -> None:
    app = make_app(workspace)
    published: list[Changes] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.records_changed.subscribe(app, published.append, immediate=True)
        # saves made on the UI thread queue one StoreChanged each before the app handles any
        for customer_id in (1, 2, 4, 1, 2):
            log_interaction(workspace, customer_id, "note", "burst")
        assert await wait_until(pilot, lambda: bool(published))
        await settle(pilot)
        assert len(published) == 1
        assert published[0].customers == frozenset({1, 2, 4}) and published[0].remote == frozenset()


def test_the_feed_hands_each_change_over_once(workspace: Workspace) -> None:
    class Target:
        def __init__(self) -> None:
            self.posted: list[object] = []

        def post_message(self, message: object) -> bool:
            self.posted.append(message)
            return True

    target = Target()
    feed = ChangeFeed(target)  # type: ignore[arg-type]
    feed.follow(workspace.store)
    log_interaction(workspace, 2, "note", "one")
    assert all(isinstance(message, StoreChanged) for message in target.posted) and target.posted
    first, second = target.posted[0], target.posted[-1]
    assert isinstance(first, StoreChanged) and first.can_replace(second)  # type: ignore[arg-type]
    changes = feed.take()
    assert changes is not None and changes.touches(2) and not changes.remote
    assert feed.take() is None


async def test_ctrl_q_finds_a_changed_form_left_in_another_area(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CustomerFormScreen(workspace, 1))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        form.query_one("#f-needs", Input).value = "typed, not saved"
        await pilot.press("ctrl+t")  # Today: the form waits in the lookup's area
        await settle(pilot)
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
