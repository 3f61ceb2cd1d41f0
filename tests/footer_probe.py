"""Prints, as JSON, the last row (the footer) of each main screen at 80x24 in the language given
on the command line. Run in its own process by test_footer_fit.py, so each language starts from
a fresh interpreter as the CLI does (labels themselves are read when the footer shows them)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from custui.i18n import set_locale

set_locale(sys.argv[1])
sys.path.insert(0, str(Path(__file__).parent))

from conftest import NOW, seed_people  # noqa: E402
from pilot_helpers import open_profile, screen_text, settle  # noqa: E402

from custui.app import make_app  # noqa: E402
from custui.config.loader import load_config  # noqa: E402
from custui.services.workspace import Workspace  # noqa: E402
from custui.store.memory import MemoryStore  # noqa: E402


async def footers() -> dict[str, str]:
    store = MemoryStore()
    seed_people(store)
    workspace = Workspace(store=store, config=load_config(None), clock=lambda: NOW, operator="tester")
    app = make_app(workspace)
    rows: dict[str, str] = {}

    def footer() -> str:
        return screen_text(app).splitlines()[-1]

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows["lookup"] = footer()
        await pilot.press("down")
        await settle(pilot)
        rows["lookup table"] = footer()
        await open_profile(pilot, 1)
        for tab in "123456":
            await pilot.press(tab)
            await settle(pilot)
            rows[f"profile tab {tab}"] = footer()
        for mode in ("care", "complaints", "results", "segments", "dashboard"):
            app.switch_mode(mode)
            await settle(pilot)
            rows[mode] = footer()
        await pilot.press("enter")
        await settle(pilot)
        rows["segment members"] = footer()
    return rows


if __name__ == "__main__":
    print(json.dumps(asyncio.run(footers()), ensure_ascii=False))
