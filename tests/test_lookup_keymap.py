"""Binding ids, settings.yaml keymap checks and remapping, help screen and command palette."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import replace
from pathlib import Path

from pilot_helpers import open_profile, palette_options, screen_text, settle, wait_until
from textual.binding import Binding
from textual.screen import Screen

from custui.app import CustuiApp, make_app
from custui.keymap import DEFAULT_KEYS, KNOWN_BINDING_IDS, key_problem, keymap_problems
from custui.screens.customer_form import CustomerFormScreen
from custui.screens.help import HelpScreen
from custui.screens.lookup import LookupScreen
from custui.screens.profile import ProfileScreen
from custui.services.workspace import Workspace


def declared_bindings() -> dict[str, Binding]:
    """Every Binding with an id on the app and on the classes of custui's screens, modals
    and widgets: what the app applies a settings.yaml keymap to."""
    modules = [importlib.import_module("custui.app")]
    for package_name in ("custui.screens", "custui.modals", "custui.widgets"):
        package = importlib.import_module(package_name)
        modules += [importlib.import_module(f"{package_name}.{info.name}")
                    for info in pkgutil.iter_modules(package.__path__)]
    found: dict[str, Binding] = {}
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("custui."):
                continue
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found[binding.id] = binding
    return found


def test_the_registry_is_exactly_the_ids_the_app_declares_with_their_keys() -> None:
    declared = declared_bindings()
    declared["app.palette"] = Binding(CustuiApp.COMMAND_PALETTE_BINDING, "command_palette")  # Textual's
    # every id the config accepts is on a binding the app has (so a keymap entry is applied) ...
    assert set(KNOWN_BINDING_IDS) - set(declared) == set()
    # ... and every binding id the app has is accepted, with its default key from the registry
    assert set(declared) - set(KNOWN_BINDING_IDS) == set()
    assert {i: b.key for i, b in declared.items()} == {i: DEFAULT_KEYS[i] for i in declared}


def test_every_key_label_is_translated_where_it_is_shown() -> None:
    """Labels are i18n keys, read in the current language by labelled screens and dialogs."""
    from custui.i18n import catalog
    from custui.widgets.labels import LabelledModal, LabelledScreen

    declared = declared_bindings()
    assert {i: b.description for i, b in declared.items()
            if b.description and b.description not in catalog()} == {}
    from textual.command import CommandPalette

    screens = {cls for cls in _custui_classes()  # the palette shows no keys
               if issubclass(cls, Screen) and not issubclass(cls, CommandPalette)}
    assert screens and {cls.__name__ for cls in screens
                        if not issubclass(cls, LabelledScreen | LabelledModal)} == set()


def _custui_classes() -> list[type]:
    found = []
    for package_name in ("custui.screens", "custui.modals", "custui.widgets"):
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                      if cls.__module__ == module.__name__]
    return found


def test_keymap_problems_report_unknown_ids_bad_keys_and_clashes() -> None:
    assert keymap_problems({"lookup.new-customer": "ctrl+n", "profile.new-order": "f2"}) == []
    assert keymap_problems({"app.care": "f2", "app.complaints": "f3", "app.results": "f4"}) == []
    [(_, unknown)] = keymap_problems({"lookup.new-custmer": "ctrl+n"})
    assert "did you mean 'lookup.new-customer'" in unknown
    assert "unknown key 'hyperspace'" in keymap_problems({"profile.edit": "ctrl+hyperspace"})[0][1]
    assert ("profile.merge", "key 'e' is also 'profile.edit'") in keymap_problems({"profile.merge": "e"})
    assert key_problem("ctrl+shift+up") is key_problem("f12") is key_problem("question_mark") is None
    assert key_problem("") and key_problem("hyperdrive+x")


def test_keys_a_terminal_sends_as_enter_or_tab_are_refused_with_the_reason() -> None:
    """Ctrl+M arrives as Enter, Ctrl+I as Tab, and custui reads Ctrl+J as Enter: a keymap that
    gave an action one of them would never fire, or fire on every Enter."""
    [(binding, why)] = keymap_problems({"profile.edit": "ctrl+j"})
    assert binding == "profile.edit" and "sends it as enter" in why
    assert "sends it as tab" in (key_problem("f5,ctrl+i") or "")
    assert key_problem("ctrl+m") and key_problem("ctrl+k") is None


async def test_a_keymap_for_an_app_key_loads_and_is_applied(workspace: Workspace, tmp_path: Path) -> None:
    from textual.command import CommandPalette

    from custui.config.loader import load_config
    from custui.screens.care import CareScreen

    (tmp_path / "settings.yaml").write_text("keymap:\n  app.care: f2\n  app.palette: f3\n",
                                            encoding="utf-8")
    settings = load_config(tmp_path).settings  # what `custui config check` and the app both load
    workspace.config = replace(workspace.config, settings=settings)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "f2")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CareScreen))
        await pilot.press("f3")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


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


async def test_vietnamese_chosen_after_import_labels_every_footer_in_vietnamese(workspace: Workspace) -> None:
    """custui.app and every screen were imported (top of this module) before the language is
    chosen, as the CLI does with --lang: the footers, F1 help and the app's keys follow it."""
    from custui.i18n import set_locale
    from custui.modals.purchase import PurchaseModal
    from custui.widgets.labels import label

    set_locale("vi")
    app = make_app(workspace)

    def footer() -> str:
        return screen_text(app).splitlines()[-1]

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Tìm kiếm" in footer() and "Trợ giúp" in footer() and "lệnh" in footer(), footer()
        assert "Search" not in footer() and "Help" not in footer() and "palette" not in footer(), footer()
        await pilot.press("down")  # into the table: the row keys
        await settle(pilot)
        assert "Thêm mới" in footer() and "New" not in footer(), footer()
        await open_profile(pilot, 1)
        assert "Đơn hàng" in footer() and "Sửa" in footer() and "Order" not in footer(), footer()
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PurchaseModal)
        assert "Lưu" in footer() and "Save" not in footer(), footer()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "Đơn hàng" in screen_text(app) and "Edit" not in screen_text(app)
        # Ctrl+T (Today) is in F1 help and the palette, not the footer: its label too
        labels = {b.id: label(b) for b in app.own_bindings()}
        assert labels["app.care"] == "Hôm nay", labels