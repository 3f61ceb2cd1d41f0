"""Binding ids, settings.yaml keymap checks and remapping, help screen and command palette."""

from __future__ import annotations

from dataclasses import replace

from pilot_helpers import palette_options, settle, wait_until
from textual.binding import Binding

from custui.app import CustuiApp, make_app
from custui.keymap import KNOWN_BINDING_IDS, all_binding_ids, check_keymap, valid_key
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.help import HelpScreen
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace


def test_every_binding_of_these_screens_has_a_registered_id() -> None:
    for cls in (LookupScreen, ProfileScreen, CustomerFormScreen, HelpScreen):
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.description:
                assert binding.id in KNOWN_BINDING_IDS, (cls.__name__, binding.id)


def test_all_binding_ids_include_other_screens_and_the_app() -> None:
    ids = all_binding_ids()
    assert KNOWN_BINDING_IDS <= ids
    assert {b.id for b in CustuiApp.BINDINGS if isinstance(b, Binding) and b.id} <= ids
    assert check_keymap({"app.quit": "ctrl+x"}, known=ids) == []


def test_check_keymap_reports_unknown_ids_bad_keys_and_clashes() -> None:
    assert check_keymap({"lookup.new-customer": "ctrl+n", "profile.new-order": "f2"}) == []
    problems = check_keymap({"lookup.new-custmer": "ctrl+n"})
    assert problems and "did you mean 'lookup.new-customer'" in problems[0]
    assert "not a key name" in check_keymap({"profile.edit": "ctrl+banana"})[0]
    assert "also 'profile.edit'" in " ".join(check_keymap({"profile.merge": "e"}))
    assert valid_key("ctrl+shift+up") and valid_key("f12") and valid_key("question_mark")
    assert not valid_key("") and not valid_key("hyperdrive+x")


async def test_keymap_from_settings_remaps_a_key(workspace: Workspace) -> None:
    settings = workspace.config.settings.model_copy(update={"keymap": {"lookup.new-customer": "f2"}})
    workspace.config = replace(workspace.config, settings=settings)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "f2")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)


async def test_help_lists_every_binding_of_the_screens(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys")
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}  # type: ignore[attr-defined]
        for binding_id in ("lookup.new-customer", "profile.merge", "profile.archive", "form.save",
                           "app.quit", "app.palette"):
            assert binding_id in ids
        await pilot.press("escape")
        assert isinstance(app.screen, LookupScreen)


async def test_palette_finds_customers_and_opens_them(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"C000004")
        assert await wait_until(pilot, lambda: palette_options(app) > 0)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 4
