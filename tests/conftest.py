"""Shared fixtures: a Workspace over a MemoryStore with the shipped config and a pinned clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import textual._wait
from pilot_helpers import keys_handled
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Input

from custui.config.loader import AppConfig, load_config
from custui.domain.text import normalize_phone
from custui.i18n import set_locale
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore

NOW = datetime(2026, 11, 28, 10, 0, 0)
HOSTILE_NAME = "[b]Eve[/]"

# Pilot's pause and each key press wait for the app to go idle in steps of SLEEP_GRANULARITY
# (1/50 s: at least 20 ms a pause, 40 ms a key), read from the module at run time. Finer steps
# cut the suite's idle time by about half for the same CPU; SLEEP_IDLE (the CPU a step may use
# and still count as idle) keeps Textual's ratio. A test must wait for its condition (settle,
# wait_until in pilot_helpers), never count on a pause being long enough.
textual._wait.SLEEP_GRANULARITY = 0.004
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

# (code, name, phone, email, kind, orders as (date, total))
PEOPLE: list[tuple[str, str, str, str, str, list[tuple[str, int]]]] = [
    ("C000001", "Nguyễn Thị Ánh", "0901234567", "anh.nguyen@example.vn", "individual",
     [("2026-11-20", 1_250_000), ("2026-10-02", 300_000)]),
    ("C000002", "Đặng Văn Đức", "+84 91 222 3333", "duc@example.vn", "individual",
     [("2026-06-01", 5_000_000)]),
    ("C000003", "Công ty TNHH Hoàng Long", "028.3822.1111", "mua@hoanglong.vn", "business", []),
    ("C000004", HOSTILE_NAME, "0977000111", "eve@example.com", "individual",
     [("2026-11-27", 99_000)]),
    ("C000005", "Trần Minh Khôi", "0988777666", "", "individual", [("2025-01-10", 450_000)]),
]


@pytest.fixture(autouse=True)
def english_locale() -> Iterator[None]:
    """Every test starts (and ends) in English, whatever a test switched to."""
    set_locale("en")
    yield
    set_locale("en")


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs never blink in tests: a blink phase would make each snapshot differ by one cell."""
    original_init = Input.__init__

    def init_without_blink(self: Input, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", init_without_blink)


@pytest.fixture(autouse=True)
def presses_wait_for_the_key_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pilot.press` returns once custui has handled the keys, as a user sees them handled: the
    app keeps a key typed while the one before is still being handled (custui.type_ahead) and
    hands it over later, which Textual's wait for an idle process does not know to wait for."""
    original_press = Pilot.press

    async def press_and_wait(self: Pilot[Any], *keys: str) -> None:
        gate = getattr(self.app, "type_ahead", None)
        done = (gate.handed if gate is not None else 0) + sum(
            1 for key in keys if not key.startswith("wait:"))
        await original_press(self, *keys)
        await keys_handled(self, done)

    monkeypatch.setattr(Pilot, "press", press_and_wait)


@pytest.fixture(autouse=True)
def lasting_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Toasts stay up for the whole test: on a loaded machine a 5 s toast could expire between
    the action and the screenshot, so a snapshot would show it in one run and not in the next."""
    monkeypatch.setattr(Notification, "time_left", property(lambda self: 3600.0))
    monkeypatch.setattr(Notification, "has_expired", property(lambda self: False))


@pytest.fixture(scope="session")
def shipped_config() -> AppConfig:
    return load_config(None)


def seed_people(store: MemoryStore) -> dict[str, int]:
    """Insert PEOPLE and their orders; returns code -> customer id."""
    ids: dict[str, int] = {}
    with store.batch():
        for code, name, phone, email, kind, orders in PEOPLE:
            doc = store.insert("customers", {
                "code": code, "name": name, "kind": kind, "scope": "external",
                "role": "buyer" if kind == "business" else "end_user",
                "phone": phone, "phone_norm": normalize_phone(phone), "email": email,
                "archived": False, "created_at": "2024-03-01T09:00:00",
                "updated_at": "2024-03-01T09:00:00", "tags": [], "consent_to_contact": True,
                "consents": [{"purpose": "profiling", "granted": True, "at": "2024-03-01T09:00:00",
                              "channel": "paper", "who": "tester", "note": ""}],
            })
            ids[code] = doc["id"]
            for day, total in orders:
                store.insert("orders", {
                    "customer_id": doc["id"], "date": day, "total": total, "items": "",
                    "promo": False, "channel": "store", "points_redeemed": 0,
                    "created_at": f"{day}T12:00:00",
                })
    return ids


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    seed_people(store)
    return store


@pytest.fixture
def workspace(store: MemoryStore, shipped_config: AppConfig) -> Workspace:
    return Workspace(store=store, config=shipped_config, clock=lambda: NOW, operator="tester")
