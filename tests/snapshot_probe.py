"""Prints, as JSON, SVG screenshots at 80x24 of the lookup (two long similar names), a profile,
Today and Complaints in the language given on the command line. Run in its own process by
test_snapshots_counter.py, which chooses the language before anything is imported, as the CLI
does."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from custui.i18n import set_locale

set_locale(sys.argv[1])
sys.path.insert(0, str(Path(__file__).parent))

from conftest import NOW, seed_people  # noqa: E402
from pilot_helpers import burst, open_profile, settle  # noqa: E402
from textual.notifications import Notification  # noqa: E402
from textual.widgets import Input  # noqa: E402

from custui.app import make_app  # noqa: E402
from custui.config.loader import load_config  # noqa: E402
from custui.domain.text import normalize_phone  # noqa: E402
from custui.services.workspace import Workspace  # noqa: E402
from custui.store.memory import MemoryStore  # noqa: E402

LONG_NAMES = ("Nguyễn Thị Phương Thảo", "Nguyễn Thị Phương Thanh Hương")


def steady() -> None:
    """As conftest does for in-process snapshots: no cursor blink, toasts that stay."""
    original = Input.__init__

    def init(self: Input, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    Input.__init__ = init  # type: ignore[method-assign]
    Notification.time_left = property(lambda self: 3600.0)  # type: ignore[assignment, method-assign]


def store_with_long_names() -> MemoryStore:
    store = MemoryStore()
    seed_people(store)
    for number, name in enumerate(LONG_NAMES, 6):
        store.insert("customers", {
            "code": f"C{number:06d}", "name": name, "kind": "individual", "scope": "external",
            "role": "end_user", "phone": f"090555000{number}", "phone_norm": f"090555000{number}",
            "email": "", "archived": False, "created_at": "2024-03-01T09:00:00",
            "updated_at": "2024-03-01T09:00:00", "tags": [], "consent_to_contact": True,
        })
    store.insert("complaints", {
        "customer_id": 1, "category": "product_quality", "severity": "high", "status": "open",
        "description": "Máy pha cà phê hỏng sau hai ngày", "opened_at": "2026-11-20T09:00:00",
        "due_at": "2026-11-22T09:00:00",
    })
    assert normalize_phone("0905550006")
    return store


async def screenshots() -> dict[str, str]:
    steady()
    workspace = Workspace(store=store_with_long_names(), config=load_config(None), clock=lambda: NOW,
                          operator="tester")
    app = make_app(workspace)
    shots: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"phuong")
        shots["lookup"] = app.export_screenshot()
        await open_profile(pilot, 1)
        shots["profile"] = app.export_screenshot()
        for mode in ("care", "complaints"):
            app.switch_mode(mode)
            await settle(pilot)
            shots[mode] = app.export_screenshot()
    return shots


if __name__ == "__main__":
    print(json.dumps(asyncio.run(screenshots()), ensure_ascii=False))
