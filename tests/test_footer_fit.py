"""At 80x24 every main screen's footer ends with F1 and its whole label, in en and vi: the
screen's own keys first, then F1; the global keys and the palette are in F1 help.

The language is chosen after custui.app is imported (as the autouse fixture and the CLI's
--lang do): the footer reads its labels when it shows them, not at import."""

from __future__ import annotations

import pytest
from pilot_helpers import burst, open_profile, screen_text, settle, wait_until

from custui.app import make_app
from custui.i18n import set_locale
from custui.services.workspace import Workspace

HELP = {"en": "Help", "vi": "Trợ giúp"}
PALETTE = {"en": "palette", "vi": "lệnh"}  # the palette key Textual docks at the right


async def footers(workspace: Workspace) -> dict[str, str]:
    """The last row (the footer) of each main screen at 80x24."""
    app = make_app(workspace)
    rows: dict[str, str] = {}

    def footer() -> str:
        """The last row, once the footer has its keys: it composes them after the screen's
        next refresh, which `settle` does not wait for (it read blank under load)."""
        return screen_text(app).splitlines()[-1]

    async def keys_shown() -> str:
        await wait_until(pilot, lambda: "f1" in footer(), seconds=10)
        return footer()

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows["lookup"] = await keys_shown()
        await pilot.press("down")
        await settle(pilot)
        rows["lookup table"] = await keys_shown()
        await open_profile(pilot, 1)
        for tab in "123456":
            await pilot.press(tab)
            await settle(pilot)
            rows[f"profile tab {tab}"] = await keys_shown()
        for mode in ("care", "complaints", "results", "segments", "dashboard"):
            app.switch_mode(mode)
            await settle(pilot)
            rows[mode] = await keys_shown()
        await pilot.press("enter")
        await settle(pilot)
        rows["segment members"] = await keys_shown()
    return rows


@pytest.mark.parametrize("lang", ["en", "vi"])
async def test_footers_fit_80_columns(lang: str, workspace: Workspace) -> None:
    set_locale(lang)
    rows = await footers(workspace)
    assert {"lookup", "profile tab 1", "profile tab 3", "care", "complaints"} <= set(rows)
    entry = f"f1 {HELP[lang]}"
    for screen, row in rows.items():
        assert entry in row, f"{lang} {screen}: F1 cut or missing in {row!r}"
        after = row.split(entry, 1)[1]
        # nothing cut after F1: blank, or the palette key docked at the right (lookup)
        assert after.strip() in ("", f"▏^p {PALETTE[lang]}"), f"{lang} {screen}: {row!r}"
    assert "^t" not in rows["profile tab 1"]  # global keys stay in F1 help, not the footer


async def test_tab_between_fields_leaves_the_footer_keys_as_they_are(workspace: Workspace) -> None:
    """Tab to a field with the same keys keeps the footer's keys, not rebuilt: Textual re-mounts
    every key and lays the screen out again on each focus change, which a keyboard user pays on
    every Tab (over SSH, on a slow box). Keys that do change still show (test_profile_hub)."""
    from textual.widgets._footer import FooterKey

    from custui.screens.customer_form import CustomerFormScreen

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CustomerFormScreen(workspace, None))
        await settle(pilot)
        form = app.screen
        form.query_one("#f-phone").focus()
        await settle(pilot)
        keys = list(form.query(FooterKey))
        assert "Save" in screen_text(app).splitlines()[-1]
        await burst(pilot, "tab")
        assert form.focused is form.query_one("#f-email")
        assert list(form.query(FooterKey)) == keys  # the same widgets: nothing re-mounted
        assert "Save" in screen_text(app).splitlines()[-1]
