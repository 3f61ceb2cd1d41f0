"""Crawl every screen and modal over hostile data, at 80x24 and 120x40.

Each test runs one app from 80x24; every screen the crawl reaches is looked at both sizes
(the terminal resized between them, the crawl going on at the new size), same checks at both.

User text is data, never markup: names such as `[/]`, `[b]Eve[/]`, escape codes,
300-character names, right-to-left text, `{0}` (a str.format trap) and records written
by an older config (unknown survey, question, category, severity, channel, type and
rule ids, lean records without optional fields) must show literally and crash nothing.
Every screen is visited; after each step the rendered lines are checked for the hostile
text and for raw control characters (an escape code reaching the terminal would change
its title or colours).
"""

from __future__ import annotations

from typing import Any

import pytest
from pilot_helpers import palette_options, wait_until
from pilot_helpers import settle as settle_workers
from textual.geometry import Size
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from custui.app import CustuiApp, make_app
from custui.config.loader import AppConfig
from custui.domain.text import normalize_phone
from custui.i18n import t
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore
from custui.widgets.customer_table import CustomerTable
from tests.conftest import NOW

LONG = "Đặng " + "x" * 290 + "TAIL"  # 300 characters
HOSTILE: list[str] = [
    "[/]",
    "[bold]x",
    "[b]Eve[/]",
    "[link=http://x]y[/link]",
    "[@click=app.quit]z[/]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    LONG,
    "مرحبا بالعالم שלום",
    "Zoe\u0301 e\u0308\u0323 👩‍👩‍👧 🇻🇳 ✓",
    "   ",
    "{curly}",
    "{0}",
    "%s %d",
    "line1\nline2\tTab",
]
EVE = "[b]Eve[/]"
CONTROL = ("\x1b", "\x07", "\x9b", "\r")
SIZES = [(80, 24), (120, 40)]  # the crawl runs at the first; each screen is looked at both
WORKER_FAILED = t("app.error", error="").strip()


def shown(value: str) -> str:
    """What the screen shows for `value`: control characters made visible as U+FFFD."""
    from custui.widgets.safe import safe_str

    return safe_str(value)


def seed(store: MemoryStore) -> dict[str, int]:
    """Hostile customers (one per string) and records for EVE, some from an older config."""
    ids: dict[str, int] = {}
    stamp = "2025-05-01T09:00:00"
    with store.batch():
        for n, name in enumerate(HOSTILE, start=1):
            doc = store.insert("customers", {
                "code": f"H{n:05d}", "name": name, "kind": "individual", "scope": "external",
                "role": "end_user", "phone": f"09{n:08d}", "phone_norm": normalize_phone(f"09{n:08d}"),
                "email": f"{name}@x.example" if n % 2 else name, "address": name, "region": name,
                "needs": name, "budget": name, "source": "walk_in", "tags": [name, "vip"],
                "archived": False, "created_at": stamp, "updated_at": stamp,
                "consent_to_contact": True,
            })
            ids[name] = doc["id"]
        # lean customers: optional fields missing, unknown kind/scope/role from an old config
        ids["lean"] = store.insert("customers", {"name": "Lean {0} [/]"})["id"]
        ids["old"] = store.insert("customers", {
            "name": "Old [i]config[/i]", "kind": "robot", "scope": "galaxy", "role": "overlord",
            "code": "[X]", "phone": "[/]", "status_override": "zombie", "gender": "??",
            "source": "carrier_pigeon", "created_at": "not a date",
        })["id"]
        eve = ids[EVE]
        for n, name in enumerate(HOSTILE):
            store.insert("orders", {
                "customer_id": eve, "date": f"2026-{1 + n % 11:02d}-{10 + n:02d}", "total": 100_000 + n,
                "items": name, "promo": bool(n % 2), "channel": "store" if n % 3 else "fax_machine",
                "points_redeemed": 0, "created_at": f"2026-01-{10 + n:02d}T12:00:00",
            })
        store.insert("orders", {"customer_id": eve, "date": "2026-11-25", "total": 250_000})  # lean
        store.insert("orders", {"customer_id": eve, "date": "2026-11-26", "total": 50_000, "items": EVE,
                                "void": True, "void_reason": "[/] {0} \x1b[2J"})
        store.insert("orders", {"customer_id": ids["lean"], "date": "2026-11-01", "total": 10_000})
        store.insert("orders", {"customer_id": ids["old"], "date": "2026-09-01", "total": 10_000,
                                "channel": "[red]gone[/]"})
        for n, name in enumerate(HOSTILE):
            known = n % 2 == 0
            store.insert("complaints", {
                "customer_id": eve, "category": "product_quality" if known else "old_category",
                "severity": "high" if known else "old_severity",
                "status": ("open", "in_progress", "resolved", "closed")[n % 4],
                "description": name, "resolution": name if n % 4 >= 2 else "",
                "opened_at": f"2026-11-{1 + n:02d}T09:00:00", "due_at": f"2026-11-{3 + n:02d}T09:00:00",
                "resolved_at": f"2026-11-{2 + n:02d}T09:00:00" if n % 4 >= 2 else None,
                "history": [{"at": f"2026-11-{1 + n:02d}T09:00:00", "status": "open", "note": name,
                             "who": name}],
            })
        store.insert("complaints", {"customer_id": eve, "description": "lean [/]"})  # lean
        for n, name in enumerate(HOSTILE):
            store.insert("interactions", {
                "customer_id": eve, "type": "call" if n % 2 else "telegram", "summary": name,
                "outcome": name, "at": f"2026-11-{1 + n:02d}T10:00:00",
                "follow_up_due": f"2026-11-{20 + n % 10:02d}" if n % 3 == 0 else None,
                "follow_up_done": n % 2 == 1,
            })
        store.insert("interactions", {"customer_id": eve, "summary": "lean [/]"})
        store.insert("feedback", {
            "customer_id": eve, "survey_id": "after_purchase", "channel": "store",
            "created_at": "2026-11-20T10:00:00",
            "answers": {"product_quality": 4, "nps": 9, "comment": EVE, "gone_question": "[/] {0}"},
        })
        store.insert("feedback", {
            "customer_id": eve, "survey_id": "survey_from_2019", "created_at": "2026-11-21T10:00:00",
            "answers": {"q1": "[bold]x", "q2": 3, "q3": ["a", "[/]"]},
        })
        store.insert("feedback", {"customer_id": eve, "survey_id": "buying_factors",
                                  "created_at": "2026-11-22T10:00:00",
                                  "answers": {"factors": ["quality", "[/]old_choice"], "found_us": "gone"}})
        store.insert("feedback", {"customer_id": None, "survey_id": "[/]", "answers": {}})
        store.insert("vouchers", {"customer_id": eve, "rule": "old_rule [/]", "amount": 50_000,
                                  "issued_at": "2026-11-01", "expires_at": "2026-12-31"})
        store.insert("audit", {"customer_id": eve, "at": "2026-11-01T09:00:00", "who": EVE,
                               "action": "old_action", "changes": {"name": ["{0}", EVE],
                                                                   "old_field": "[/]"}})
    return ids


@pytest.fixture
def hostile(shipped_config: AppConfig) -> tuple[Workspace, dict[str, int]]:
    store = MemoryStore()
    ids = seed(store)
    ws = Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="[op]{0}")
    return ws, ids


async def settle(pilot: Pilot[Any]) -> None:
    await settle_workers(pilot, rounds=2)


def screen_text(app: CustuiApp) -> str:
    """The rendered lines of the current screen; fails on raw control characters."""
    strips = app.screen._compositor.render_strips()
    text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
    leaked = [c for c in CONTROL if c in text]
    assert not leaked, f"control characters reach the terminal: {leaked!r}"
    return text


async def step(pilot: Pilot[Any], *keys: str) -> str:
    """Press `keys`, let workers finish, and return the screen (checked for control codes)."""
    if keys:
        await pilot.press(*keys)
    await settle(pilot)
    failed = [n.message for n in pilot.app._notifications if n.message.startswith(WORKER_FAILED)]
    assert not failed, failed  # a failed worker (load, save, search) is reported so
    return screen_text(pilot.app)  # type: ignore[arg-type]


async def resize(pilot: Pilot[Any], size: tuple[int, int]) -> None:
    """Resize the terminal and wait until the screen has been laid out at that size: its
    compositor, which draws the lines a look reads, is resized a step after the screen (a look
    in between saw the old size's 40 lines)."""
    screen = pilot.app.screen
    await pilot.resize_terminal(*size)
    assert await wait_until(pilot, lambda: screen.size == screen._compositor.size == Size(*size))


async def look(pilot: Pilot[Any], *keys: str) -> list[str]:
    """Press `keys`, then the screen at the terminal's size and at the other size in SIZES
    (each checked as in `step`); the crawl goes on at that other size, so its keys are pressed
    at both sizes too."""
    here = (pilot.app.size.width, pilot.app.size.height)
    other = SIZES[1] if here == SIZES[0] else SIZES[0]
    texts = [await step(pilot, *keys)]
    await resize(pilot, other)
    texts.append(await step(pilot))
    assert len(texts[-1].splitlines()) == other[1], other
    return texts


async def test_lookup_shows_every_hostile_name_literally(hostile: tuple[Workspace, dict[str, int]]) -> None:
    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        for name in [*HOSTILE, "Lean {0} [/]", "Old [i]config[/i]", "[", "]", "{", "\\"]:
            app.screen.query_one("#search", Input).value = name
            await step(pilot)
            table = app.screen.query_one(CustomerTable)
            cid = ids.get(name)
            if cid is None:
                continue
            if name.strip():
                assert cid in [row.customer_id for row in table.rows_shown], name
            table.select_id(cid)
            if table.selected_id() != cid:
                continue
            visible = shown(name)[:10].strip()
            for text in await look(pilot):
                if visible.isascii() or visible.startswith("Đặng"):
                    assert visible in text, (name, text)
        assert app.is_running


async def open_eve(pilot: Pilot[Any], ids: dict[str, int]) -> str:
    await settle(pilot)
    pilot.app.open_customer(ids[EVE])  # type: ignore[attr-defined]
    return await step(pilot)


async def test_profile_tabs_and_row_modals_show_hostile_records(
    hostile: tuple[Workspace, dict[str, int]],
) -> None:
    from custui.screens.profile import ProfileScreen

    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await open_eve(pilot, ids)
        profile = app.screen
        assert isinstance(profile, ProfileScreen)
        for text in await look(pilot):
            assert EVE in text
        for tab in ("1", "2", "3", "4", "5"):
            texts = await look(pilot, tab)
        for text in texts:
            assert "[b]Eve[/]" in text  # the Details tab lists the name and the audit trail
        # orders: every row, Enter corrects it, v opens the void prompt
        for text in await look(pilot, "1"):
            assert "[/]" in text
        table = profile.query_one("#table-orders", DataTable)
        for row in range(2, 8):  # Enter: the correction form holds the hostile items
            table.move_cursor(row=row)
            items = str(profile.records("orders")[row].get("items") or "")
            # every row at one size, the one the lighter 120x40 crawl opened at both
            for text in await look(pilot, "enter") if row == 3 else [await step(pilot, "enter")]:
                assert app.screen is not profile
                if items.isascii() and items.isprintable():
                    assert items[:12] in text, (items, text)
            await step(pilot, "escape")
            assert app.screen is profile
        await look(pilot, "v")
        assert app.screen is not profile
        await step(pilot, "escape")
        # complaints: Enter on each row opens the status modal with the hostile text
        await look(pilot, "3")
        table = profile.query_one("#table-complaints", DataTable)
        for row in (0, 1, 2, 3, 5, table.row_count - 1):
            table.move_cursor(row=row)
            await step(pilot)
            await look(pilot, "enter") if row == 1 else await step(pilot, "enter")
            assert app.screen is not profile
            await step(pilot, "escape")
            assert app.screen is profile
        # feedback: Enter shows the answers (unknown survey and questions included)
        await look(pilot, "2")
        table = profile.query_one("#table-feedback", DataTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await step(pilot)
            await look(pilot, "enter")
            await step(pilot, "escape")
            assert app.screen is profile
        await look(pilot, "4")
        assert app.is_running


async def test_entry_modals_over_a_hostile_customer(hostile: tuple[Workspace, dict[str, int]]) -> None:
    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await open_eve(pilot, ids)
        profile = app.screen
        for key in ("o", "f", "c", "i", "e", "m"):
            for text in await look(pilot, key):
                assert app.screen is not profile, key
                if key in ("o", "c", "i", "e"):
                    assert "Eve" in text, (key, text)
            await step(pilot, "escape")
            if app.screen is not profile:  # a changed form asks first, or nested modal
                await step(pilot, "escape")
            assert app.screen is profile, key
        for text in await look(pilot, "x"):
            assert EVE in text
        await step(pilot, "n")
        assert app.screen is profile


async def test_archive_merge_and_notices_show_the_name_literally(
    hostile: tuple[Workspace, dict[str, int]],
) -> None:
    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await open_eve(pilot, ids)
        profile = app.screen
        await step(pilot, "m")  # merge picker: search a hostile name
        picker = app.screen
        assert picker is not profile
        for name in ("[/]", "{0}", "[link=http://x]y[/link]", "%s"):
            picker.query_one(Input).value = name
            texts = await look(pilot)
        for text in texts:
            assert "[link=http://x]" in text or "%s %d" in text
        await step(pilot, "escape")
        for text in await look(pilot, "x"):  # confirmation dialog names the customer
            assert EVE in text
        texts = await look(pilot, "y")
        assert ws.store.get("customers", ids[EVE])["archived"] is True
        messages = [n.message for n in app._notifications]
        assert any(EVE in m for m in messages), messages
        for text in texts:
            assert EVE in text  # the toast shows the name as typed
        await step(pilot, "x", "y")  # restore
        assert ws.store.get("customers", ids[EVE])["archived"] is False


async def test_customer_form_edits_and_saves_each_hostile_customer(
    hostile: tuple[Workspace, dict[str, int]],
) -> None:
    from custui.screens.customer_form import CustomerFormScreen

    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        saved: list[bool] = []
        keys = [*HOSTILE[:8], "   ", "{0}", "line1\nline2\tTab", "lean", "old"]
        for key in keys:
            cid = ids[key]
            before = dict(ws.store.get("customers", cid))
            app.push_screen(CustomerFormScreen(ws, cid))
            # the form is looked at both sizes for a few (EVE, "{0}", LONG, "lean"), at 80x24 for all
            texts = await look(pilot) if key in (EVE, "{0}", LONG, "lean") else [await step(pilot)]
            assert isinstance(app.screen, CustomerFormScreen)
            name = str(before.get("name"))
            for text in texts:
                if name.strip() and (shown(name)[:8].isascii()):
                    assert shown(name)[:8] in text, (name, text)
            app.screen.query_one("#f-email", Input).value = "ok@example.com"
            new = name + " [/]" if name.strip() else "[/] x"
            app.screen.query_one("#f-name", Input).value = new
            await step(pilot, "ctrl+s")
            for _ in range(3):  # a duplicate warning or an error: answer, or leave
                if isinstance(app.screen, CustomerFormScreen) or app.screen.is_modal:
                    await step(pilot, "s" if app.screen.is_modal else "escape")
            after = ws.store.get("customers", cid)
            saved.append(after["name"] != before.get("name"))
            if saved[-1]:  # stored as typed (surrounding spaces aside), markup and all
                assert after["name"] == new.strip(), (after["name"], new)
            while len(app.screen_stack) > 1:
                await step(pilot, "escape")
                if app.screen.is_modal:
                    await step(pilot, "y")
        assert sum(saved) >= len(saved) - 1, saved  # all but "old" (its phone is "[/]")


async def test_areas_over_hostile_data(hostile: tuple[Workspace, dict[str, int]]) -> None:
    from custui.screens.segment_members import SegmentMembersScreen

    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        # care queue: every row, open the profile from it
        await look(pilot, "ctrl+t")
        for _ in range(3):
            await step(pilot, "down")
        await look(pilot, "enter")
        await step(pilot, "escape")
        # complaints: every status, category and overdue filter
        for text in await look(pilot, "ctrl+o"):
            assert "old_category" in text or EVE in text
        for key in ["s"] * 6 + ["g"] * 7 + ["o", "o"]:
            await step(pilot, key)
        await look(pilot)
        await look(pilot, "enter")
        await step(pilot, "escape")
        # survey results: every survey and period
        for key in ["ctrl+y"] + ["s"] * 3 + ["p"] * 4:
            await step(pilot, key)
        await look(pilot)
        # segments and members: open each, filter with hostile text, sort
        await look(pilot, "ctrl+g")
        for _row in range(3):  # potential (the hostile names), current, loyal
            texts = await look(pilot, "enter")
            if isinstance(app.screen, SegmentMembersScreen):
                for text in texts:
                    assert "[/]" in text or EVE in text
                for needle in ("[/]", "{0}", "\\"):
                    await step(pilot, "slash")
                    app.screen.query_one("#members-filter", Input).value = needle
                    await step(pilot)
                await look(pilot)
                await step(pilot, "escape")
                for _ in range(4):
                    await step(pilot, "s")
                await look(pilot)
                await step(pilot, "escape")
            await step(pilot, "down")
        # dashboard: every period and a custom one
        await look(pilot, "ctrl+b")
        for key in ("1", "2", "3", "4", "5", "r"):
            await step(pilot, key)
        await look(pilot)
        await look(pilot, "p")
        await step(pilot, "escape")
        # help over each area, the walk-in survey
        for area in ("ctrl+t", "ctrl+g"):
            await step(pilot, area)
            await look(pilot, "f1")
            await step(pilot, "escape")
        app.action_walk_in_survey()
        await look(pilot)
        await look(pilot, "enter")
        await step(pilot, "escape", "escape")
        assert app.is_running


async def test_command_palette_finds_hostile_names(hostile: tuple[Workspace, dict[str, int]]) -> None:
    from textual.command import CommandPalette

    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        for name in ("[b]Eve[/]", "[link=http://x]y", "{0}", "[/]"):
            await step(pilot, "ctrl+p")
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            palette.query_one(Input).value = name
            # the palette searches in a worker: wait for its answer, not a fixed time
            await settle_workers(pilot)
            if name.startswith("[b]Eve"):
                assert await wait_until(pilot, lambda: palette_options(app) > 0)
            texts = await look(pilot)
            if name.startswith("[b]Eve"):
                for text in texts:
                    assert "[b]Eve[/]" in text, text
                await step(pilot, "enter")
                for text in await look(pilot):
                    assert EVE in text
                await step(pilot, "escape")
            else:
                await step(pilot, "escape")
        assert app.is_running


async def test_ids_from_an_older_config_show_as_themselves_not_as_catalog_keys(
    hostile: tuple[Workspace, dict[str, int]],
) -> None:
    ws, ids = hostile
    app = make_app(ws)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        app.open_customer(ids["old"])
        heads = await look(pilot)
        for head in heads:
            assert "Old [i]config[/i]" in head and "robot" in head and "overlord" in head
        for empty in await look(pilot, "2"):
            assert t("profile.empty") in empty  # an empty tab says so in full, not cut to a date
        details = await look(pilot, "5")
        for text in details:
            assert "??" in text
        below = str(app.screen.query_one("#details", Static).content)  # below the fold too
        app.open_customer(ids[EVE])
        interactions = await look(pilot, "4")
        for text in interactions:
            assert "telegram" in text or "telegr" in text
        app.switch_mode("care")
        care = await look(pilot)
        for text in [*heads, *details, below, *interactions, *care]:
            for prefix in ("kind.", "scope.", "role.", "customer.gender.", "interaction.type."):
                assert prefix not in text, (prefix, text)
        assert "carrier_pigeon" in "".join(details) + below
