"""Keys at the counter mean one thing wherever the focus is: `/` in the search box selects the
query (it never becomes text), and a field filled in from a failed search is replaced by what
the clerk types there, so a burst that types the phone again gives it once."""

from __future__ import annotations

from pilot_helpers import burst, settle, wait_until
from textual.widgets import Input

from custui.app import make_app
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


async def test_slash_in_the_focused_search_box_selects_the_query(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        await burst(pilot, *"nguyen", "slash", *"dang")
        assert search.has_focus and search.value == "dang"
        await burst(pilot, "slash", "slash", *"C000002", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 2


async def test_slash_in_a_segments_member_filter_selects_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+g")
        await burst(pilot, "enter")
        box = app.screen.query_one("#members-filter", Input)
        await burst(pilot, "slash", *"nguyen", "slash", *"tran")
        assert box.has_focus and box.value == "tran"


async def test_n_then_the_phone_typed_again_in_one_burst_gives_the_phone_once(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """0909111222 Enter finds nobody; `n` opens the form with Phone filled in; a clerk who
    types the phone there anyway (Tab to Phone) in the same burst gets it once, not twice."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"0909111222", "enter", "n", *"Lan Anh", "tab", "tab", "tab", "tab",
                    *"0909111222", "ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ProfileScreen))
        doc = store.get("customers", app.screen.customer_id)  # type: ignore[attr-defined]
        assert doc is not None
        assert (doc["name"], doc["phone"]) == ("Lan Anh", "0909111222")


async def test_a_prefilled_name_is_replaced_by_the_name_typed(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"Lan Anh", "enter", "n", *"Lan Anh Tran")
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.screen.query_one("#f-name", Input).value == "Lan Anh Tran"
