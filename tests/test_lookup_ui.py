"""Pilot tests of the lookup screen: typing, results, opening a profile, archived toggle."""

from __future__ import annotations

from pilot_helpers import settle
from textual.pilot import Pilot
from textual.widgets import Input

from custui.app import CustuiApp, make_app
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace
from custui.widgets.customer_table import CustomerTable


def shown(app: CustuiApp) -> list[str]:
    return [row.name for row in app.screen.query_one(CustomerTable).rows_shown]


async def type_query(pilot: Pilot, text: str) -> None:  # type: ignore[type-arg]
    search = pilot.app.screen.query_one("#search", Input)
    search.value = ""
    await pilot.press(*text) if text else None
    await settle(pilot)


async def test_typing_filters_rows_as_you_type(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app)[0] == "[b]Eve[/]" and len(shown(app)) == 5
        await type_query(pilot, "dang")
        assert shown(app) == ["Đặng Văn Đức"]
        await type_query(pilot, "090.123")
        assert shown(app) == ["Nguyễn Thị Ánh"]
        await type_query(pilot, "hoagn")
        assert shown(app) == ["Công ty TNHH Hoàng Long"]


async def test_enter_opens_profile_and_escape_keeps_query_and_selection(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "example")
        assert len(shown(app)) == 3
        await pilot.press("down", "down")
        table = app.screen.query_one(CustomerTable)
        chosen = table.selected_id()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == chosen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.query_one("#search", Input).value == "example"
        assert app.screen.query_one(CustomerTable).selected_id() == chosen


async def test_enter_in_search_box_opens_best_match(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "+84 91 222 3333")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 2


async def test_archived_hidden_until_toggled(workspace: Workspace) -> None:
    workspace.store.update("customers", 5, {"archived": True})
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Trần Minh Khôi" not in shown(app)
        await pilot.press("escape", "a")  # leave the search box, toggle
        await settle(pilot)
        assert "Trần Minh Khôi" in shown(app)


async def test_slash_from_profile_returns_to_search(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert isinstance(app.focused, Input)


async def test_vietnamese_interface(workspace: Workspace) -> None:
    from custui.i18n import set_locale

    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "khách hàng hoạt động gần đây nhất" in status


async def test_long_similar_names_show_in_full_at_80_columns(workspace: Workspace) -> None:
    """The name column gets the room first: two names differing in their last letters read
    apart at 80 columns; a name longer than the room ends in "…"."""
    from pilot_helpers import screen_text

    store = workspace.store
    for code, name, phone in (("C000011", "Nguyễn Thị Phương Thảo", "0903000001"),
                              ("C000012", "Nguyễn Thị Phương Thanh", "0903000002"),
                              ("C000013", "Nguyễn Thị Phương Thanh Hương Giang", "0903000003")):
        store.insert("customers", {"code": code, "name": name, "kind": "individual",
                                   "phone": phone, "phone_norm": phone, "archived": False,
                                   "created_at": "2024-03-01T09:00:00"})
        store.insert("orders", {"customer_id": store.all("customers")[-1]["id"],
                                "date": "2026-11-20", "total": 1_250_000, "items": "",
                                "promo": False, "channel": "store", "points_redeemed": 0,
                                "created_at": "2026-11-20T12:00:00"})
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "phuong")
        text = screen_text(app)
        assert "Nguyễn Thị Phương Thảo " in text, text
        assert "Nguyễn Thị Phương Thanh " in text, text
        assert "Nguyễn Thị Phương Thanh Hương" not in text, text
        assert "Nguyễn Thị Phương Thanh…" in text, text  # cut: ends in "…"
        assert "2026-11" in text  # the last order's month: the date gave the name its room


def test_the_top_tier_name_is_not_cut_at_80_columns() -> None:
    from custui.widgets.customer_table import column_widths, fit

    widths = column_widths(80)
    assert fit("Diamond", widths["tier"]).plain == "Diamond"
    assert widths["name"] >= 25  # still 24 characters of name and a gap
