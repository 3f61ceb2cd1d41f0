"""Keys typed ahead land where they were typed: each main flow pressed as ONE burst (all keys in
the app's queue at once, as a fast typist, a paste or a slow SSH link delivers them) ends as the
same keys typed slowly, and the database says so."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pilot_helpers import (
    HeldCall,
    burst,
    burst_during,
    open_profile,
    open_segment,
    point_at_segment,
    post_keys,
    settle,
    wait_until,
)
from textual.widgets import Input

from custui.app import make_app
from custui.modals.purchase import PurchaseModal
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


def add_customers(store: MemoryStore, count: int) -> None:
    """Customers C000006… so that a code's first digits match many of them."""
    with store.batch():
        for number in range(6, 6 + count):
            store.insert("customers", {
                "code": f"C{number:06d}", "name": f"Khách {number}", "kind": "individual",
                "scope": "external", "role": "end_user", "phone": "", "phone_norm": "",
                "email": "", "archived": False, "created_at": "2024-03-01T09:00:00",
                "updated_at": "2024-03-01T09:00:00", "tags": [], "consent_to_contact": True,
            })


async def test_a_code_and_enter_in_one_burst_open_that_customer_not_a_stale_match(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """A scanner sends `C000042` + Enter at once; the search of the whole code is slow (held
    here until Enter has been read): Enter waits for it and opens C000042, never the top row
    of the list shown for `C00004`."""
    add_customers(store, 60)
    app = make_app(workspace)
    release = threading.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)
        search = lookup.index.search

        def slow_search(query: str, *args: Any, **kwargs: Any) -> Any:
            if query == "C000042":
                release.wait(timeout=60)
            return search(query, *args, **kwargs)

        lookup.index.search = slow_search  # type: ignore[method-assign]
        post_keys(app, *"C000042", "enter")
        # Enter has been read: a profile opened (from the stale list) or the lookup waits
        assert await wait_until(pilot, lambda: isinstance(app.screen, ProfileScreen)
                                or getattr(lookup, "opening", None) == "C000042", workers=False)
        release.set()
        assert await wait_until(pilot, lambda: isinstance(app.screen, ProfileScreen), 60)
        await settle(pilot)
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        opened = store.get("customers", profile.customer_id)
        assert opened is not None and opened["code"] == "C000042"


async def test_a_code_and_enter_typed_while_the_app_starts_open_that_customer(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """Typed before the app took the terminal (a scanner firing as custui opens), Enter reaches
    it as a newline (Ctrl+J): it still opens the customer, and the next key goes to the profile."""
    add_customers(store, 60)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        post_keys(app, *"C000042", "ctrl+j", "o")
        assert await wait_until(pilot, lambda: isinstance(app.screen, PurchaseModal), 60)
        await settle(pilot)
        profile = app.screen_stack[-2]
        assert isinstance(profile, ProfileScreen)
        opened = store.get("customers", profile.customer_id)
        assert opened is not None and opened["code"] == "C000042"


async def test_phone_enter_o_amount_ctrl_s_as_one_burst_records_the_purchase(
    workspace: Workspace, store: MemoryStore,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(store.children("orders", 5))
        await burst(pilot, *"0988777666", "enter", "o", *"1250000", "ctrl+s")
        orders = store.children("orders", 5)
        assert len(orders) == before + 1
        assert (orders[-1]["date"], orders[-1]["total"]) == ("2026-11-28", 1_250_000)
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 5
        assert sum(len(store.children("orders", cid)) for cid in range(1, 6)) == 6  # no other


async def test_new_customer_form_burst_puts_each_text_in_its_field(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """Escape n (new customer), then name Tab Tab Tab Tab phone Tab e-mail Ctrl+S, at once."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "escape", "n", *"Burst Test", "tab", "tab", "tab", "tab", *"0909111222",
                    "tab", *"a@b.vn")
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        values = {field: form.query_one(f"#f-{field}", Input).value for field in ("name", "phone", "email")}
        assert values == {"name": "Burst Test", "phone": "0909111222", "email": "a@b.vn"}
        await burst(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        doc = store.get("customers", app.screen.customer_id)
        assert doc is not None
        assert (doc["name"], doc["phone_norm"], doc["email"]) == ("Burst Test", "0909111222", "a@b.vn")


async def test_a_search_that_finds_nobody_offers_n_with_the_phone_filled_in(
    workspace: Workspace, store: MemoryStore,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"0909111222", "enter")
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)
        assert "n: new customer" in str(lookup.query_one("#status").render())
        await burst(pilot, "n", *"Lan Anh", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen), app.screen
        doc = store.get("customers", app.screen.customer_id)
        assert doc is not None
        assert (doc["name"], doc["phone_norm"]) == ("Lan Anh", "0909111222")


async def test_survey_pressed_as_one_burst_is_saved_with_every_answer(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """f, Enter (the default survey), five ratings, NPS 10, a comment, Ctrl+S: one burst."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        await burst(pilot, "f", "enter", "5", "4", "3", "2", "4", "1", "0", *"ok thanks", "ctrl+s")
        assert app.screen is profile
        [doc] = store.all("feedback")
        assert doc["customer_id"] == 1
        assert doc["answers"] == {
            "product_quality": 5, "staff_attitude": 4, "information_accuracy": 3,
            "policy_clarity": 2, "after_sales_support": 4, "nps": 10, "comment": "ok thanks",
        }


async def test_complaint_pressed_as_one_burst_is_saved_as_typed(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """c, a category digit, a severity digit, the description, Ctrl+S: one burst."""
    care = workspace.config.care
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(pilot, 1)
        await burst(pilot, "c", "2", "3", *"cold coffee", "ctrl+s")
        assert app.screen is profile
        [doc] = store.all("complaints")
        assert (doc["customer_id"], doc["category"], doc["severity"], doc["description"]) == (
            1, care.complaint_categories[1].id, care.severities[2].id, "cold coffee")


async def test_campaign_pressed_as_one_burst_logs_the_type_picked_by_its_digit(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """On a segment's members: c, 3 (the third type), the summary, Enter: one burst."""
    from custui.domain.enums import INTERACTION_TYPES

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        members = await open_segment(pilot, "individual")
        await burst(pilot, "c", "3", *"Summer sale", "enter")
        assert app.screen is members
        logged = store.all("interactions")
        assert len(logged) == 4
        assert {(d["type"], d["summary"]) for d in logged} == {(INTERACTION_TYPES[2], "Summer sale")}


async def test_slash_selects_the_old_query_so_the_next_search_replaces_it(
    workspace: Workspace, store: MemoryStore,
) -> None:
    """Back from a profile, or after `/`, typing replaces the query instead of adding to it."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"0988777666", "enter")
        assert isinstance(app.screen, ProfileScreen)
        await burst(pilot, "escape", *"0901234567", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 1
        await burst(pilot, "escape", "down", "slash", *"C000002", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 2


async def test_keys_typed_while_a_segments_members_load_act_on_the_members(
    workspace: Workspace, store: MemoryStore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Enter on a segment, then c, 3, the summary, Enter in the same burst: the campaign keys
    wait for the members (the load is held until every key has been read), they are not
    refused as "nobody to act on" by the empty list shown meanwhile (seen over SSH)."""
    from custui.domain.enums import INTERACTION_TYPES
    from custui.screens import segment_members

    held = HeldCall(segment_members.load_members)
    monkeypatch.setattr(segment_members, "load_members", held)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await point_at_segment(pilot, "individual")
        await burst_during(pilot, held, "enter", "c", "3", *"Summer sale", "enter")
        assert isinstance(app.screen, segment_members.SegmentMembersScreen)
        logged = store.all("interactions")
        assert {(d["type"], d["summary"]) for d in logged} == {(INTERACTION_TYPES[2], "Summer sale")}
        assert len(logged) == 4
