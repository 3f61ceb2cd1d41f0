"""Helpers the Pilot tests share: let workers land, read the screen, open a profile."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from custui.screens.profile import ProfileScreen


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their results land on screen."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


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
