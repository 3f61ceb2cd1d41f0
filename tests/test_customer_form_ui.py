"""Pilot tests of the customer form: create, edit, validation, duplicates, discard, hostile text."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_helpers import burst, settle
from textual.pilot import Pilot
from textual.widgets import Input

from custui.app import make_app
from custui.modals.confirm import ConfirmModal
from custui.screens.customer_form import CustomerFormScreen, DuplicateModal
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace


async def new_form(pilot: Pilot) -> CustomerFormScreen:  # type: ignore[type-arg]
    await settle(pilot)
    await pilot.press("escape", "n")  # leave the search box, new customer
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerFormScreen)
    return screen


def fill(screen: CustomerFormScreen, **values: str) -> None:
    for field, value in values.items():
        screen.query_one(f"#f-{field}", Input).value = value


async def test_new_customer_is_saved_and_opened(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot)
        await pilot.press(*"Lý Thu Hà", "tab")
        fill(app.screen, phone="0905 555 123", email="ha@example.vn", birth_year="1991")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        doc = workspace.store.get("customers", app.screen.customer_id)
        assert doc is not None
        assert (doc["name"], doc["phone_norm"], doc["email"], doc["birth_year"]) == (
            "Lý Thu Hà", "0905555123", "ha@example.vn", 1991)
        assert doc["code"] == "C000006" and doc["created_at"] == "2026-11-28T10:00:00"
        assert [a["action"] for a in workspace.store.children("audit", doc["id"])] == ["create"]


async def test_tab_from_the_last_field_comes_back_to_the_name(workspace: Workspace) -> None:
    """Tab goes round the fields only: from the last one straight to the name, with no stop on
    the scrolling area around them (focused, it showed nothing focused)."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        assert screen.focused is screen.query_one("#f-name")
        screen.query_one("#f-status_override").focus()
        await settle(pilot)
        await burst(pilot, "tab")
        assert screen.focused is screen.query_one("#f-name")


async def test_the_form_opens_styled_once(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each widget of the form gets its styles once, as it mounts: Textual restyled the whole
    screen again when it became the active one, which made every form and dialog slower to
    open on a slow box (a screen back from a dialog is still restyled, as Textual does)."""
    from textual.css.stylesheet import Stylesheet

    styled: list[str | None] = []
    apply = Stylesheet.apply

    def counting(self: Stylesheet, node: Any, **kwargs: Any) -> None:
        styled.append(node.id)
        apply(self, node, **kwargs)

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "apply", counting)
        app.push_screen(CustomerFormScreen(workspace, 1))
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        assert styled.count("form-title") == 1 and styled.count("row-email") == 1, styled
        await burst(pilot, "escape")
        assert isinstance(app.screen, LookupScreen)


async def test_validation_messages_appear_next_to_fields(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        fill(screen, phone="12ab", email="nope", birth_year="1800")
        count = workspace.store.count("customers")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        assert workspace.store.count("customers") == count
        for field in ("name", "phone", "email", "birth_year"):
            error = screen.query_one(f"#err-{field}")
            assert error.has_class("-shown") and str(error.render())
        assert "required" in str(screen.query_one("#err-name").render())
        assert app.focused is screen.query_one("#f-name")


async def test_edit_from_profile_updates_store_and_audit(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_customer(1)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        fill(app.screen, region="Đà Nẵng")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        doc = workspace.store.get("customers", 1)
        assert doc is not None and doc["region"] == "Đà Nẵng"
        assert doc["updated_at"] == "2026-11-28T10:00:00"
        (audit,) = workspace.store.children("audit", 1)
        assert audit["changes"] == {"region": [None, "Đà Nẵng"]}


async def test_duplicate_phone_warns_and_offers_to_open_existing(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        fill(screen, name="Nguyen Thi Anh", phone="+84 90 123 4567")
        count = workspace.store.count("customers")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateModal)
        assert app.screen.duplicates[0].customer["code"] == "C000001"
        assert app.screen.duplicates[0].reason == "name_phone"
        await pilot.press("o")
        await settle(pilot)
        assert workspace.store.count("customers") == count
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 1


async def test_duplicate_can_be_saved_anyway(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        fill(screen, name="Chị Ánh (em gái)", phone="0901234567")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateModal)
        await pilot.press("s")
        await settle(pilot)
        assert workspace.store.count("customers") == 6


async def test_escape_on_changed_form_asks_before_discarding(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        fill(screen, name="Half typed")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert workspace.store.count("customers") == 5


async def test_escape_on_untouched_form_just_leaves(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)


async def test_hostile_name_in_form_is_literal_and_saved_unchanged(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_customer(4)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#f-name", Input).value == "[b]Eve[/]"
        fill(app.screen, needs="[bold]x")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc = workspace.store.get("customers", 4)
        assert doc is not None and doc["name"] == "[b]Eve[/]" and doc["needs"] == "[bold]x"


async def test_the_consent_checkbox_says_its_state_in_words(workspace: Workspace) -> None:
    from textual.widgets import Checkbox

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await new_form(pilot)
        box = screen.query_one("#f-consent_to_contact", Checkbox)
        before = str(box.label)
        assert before.endswith(": no") or before.endswith(": yes"), before
        box.toggle()
        await pilot.pause()
        after = str(box.label)
        assert after != before and after.rsplit(": ", 1)[1] in ("yes", "no"), after
