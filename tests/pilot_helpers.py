"""Helpers the Pilot tests share: let workers land, read the screen, open a profile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from custui.screens.profile import ProfileScreen


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their results land on screen."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot[Any], ready: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Let the app run until `ready()` holds (a debounce, a worker, another store's change).

    Polls instead of sleeping a fixed time, so a slow machine only waits longer; the ceiling is
    generous and returns False (for the test to assert on) rather than hanging.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not ready():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    return True


def palette_options(app: Any) -> int:
    """How many results the open command palette lists (0 while it is still searching)."""
    from textual.command import CommandList

    return app.screen.query_one(CommandList).option_count


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_profile(pilot: Pilot[Any], customer_id: int) -> ProfileScreen:
    await settle(pilot)
    pilot.app.open_customer(customer_id)  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProfileScreen)
    return screen
