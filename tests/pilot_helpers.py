"""Helpers the Pilot tests share: let workers land, read the screen, open a profile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from custui.screens.profile import ProfileScreen


async def workers_done(pilot: Pilot[Any]) -> None:
    """Wait for the running workers; one cancelled on the way (a newer search or load replaced
    an exclusive one) is no failure: wait for the rest."""
    from textual.worker import WorkerCancelled

    while True:
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and their results land on screen."""
    for _ in range(rounds):
        await workers_done(pilot)
        await pilot.pause()


async def wait_until(pilot: Pilot[Any], ready: Callable[[], bool], seconds: float = 20.0,
                     workers: bool = True) -> bool:
    """Let the app run until `ready()` holds (a debounce, a worker, another store's change).

    Polls instead of sleeping a fixed time, so a slow machine only waits longer; the ceiling is
    generous and returns False (for the test to assert on) rather than hanging. `workers=False`:
    do not wait for running workers between looks (the test holds one back on purpose).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not ready():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.02)
        if workers:
            await workers_done(pilot)
    return True


async def keys_handled(pilot: Pilot[Any], done: int, seconds: float = 60.0) -> None:
    """Wait until the app's key gate (custui.type_ahead) has handed over `done` keys in all and
    the last one has settled. Textual's idle test cannot see the gate: a key it keeps, while the
    one before is still being handled, reaches the app only on one of the gate's later looks."""
    gate = getattr(pilot.app, "type_ahead", None)
    if gate is None:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while pilot.app.is_running and not (gate.handed >= done and gate.idle):
        assert loop.time() < deadline, f"{done - gate.handed} key(s) not handed over in {seconds} s"
        await asyncio.sleep(0.002)


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


def post_keys(app: Any, *keys: str) -> None:
    """Put `keys` in the app's queue at once, as a terminal read of a burst does (a fast typist,
    a paste, a barcode scanner, keys queued on a slow SSH link): nothing waits between them."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Press `keys` as one burst, then wait until every one of them has been handled."""
    gate = getattr(pilot.app, "type_ahead", None)
    done = gate.handed + len(keys) if gate is not None else 0
    post_keys(pilot.app, *keys)
    if gate is not None:
        assert await wait_until(pilot, lambda: gate.handed >= done and gate.idle, 60, workers=False)
    await settle(pilot)


class HeldCall:
    """A service call that waits until `release()` (at most a minute) before it runs, so that a
    test can press the rest of a burst while a save is under way, whatever the machine's speed."""

    def __init__(self, call: Callable[..., Any]) -> None:
        import threading

        self.call = call
        self.entered = threading.Event()
        self.go = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        self.go.wait(timeout=60)
        return self.call(*args, **kwargs)

    def release(self) -> None:
        self.go.set()


async def burst_during(pilot: Pilot[Any], held: HeldCall, *keys: str) -> None:
    """Press `keys` as one burst, one of which starts a save that calls `held`; once that save is
    running and the keys after it have been read (handed over, or kept waiting for the save),
    let it run; then wait until every key has been handled."""
    gate = pilot.app.type_ahead  # type: ignore[attr-defined]
    done = gate.handed + len(keys)

    def read_all() -> bool:
        return held.entered.is_set() and (gate.handed >= done or bool(gate.holds) and gate.waiting > 0)

    post_keys(pilot.app, *keys)
    assert await wait_until(pilot, read_all, 60, workers=False)
    held.release()
    assert await wait_until(pilot, lambda: gate.handed >= done and gate.idle, 60, workers=False)
    await settle(pilot)


async def point_at_segment(pilot: Pilot[Any], segment_id: str) -> Any:
    """From anywhere: go to the segments mode and put the cursor on a segment; the screen."""
    from textual.widgets import DataTable

    from custui.screens.segments import SegmentsScreen

    await burst(pilot, "ctrl+g")
    screen = pilot.app.screen
    assert isinstance(screen, SegmentsScreen)
    table = screen.query_one("#segments-table", DataTable)
    table.move_cursor(row=table.get_row_index(segment_id))
    return screen


async def open_segment(pilot: Pilot[Any], segment_id: str) -> Any:
    """From anywhere: go to the segments mode, put the cursor on a segment, press Enter; the
    segment's members screen."""
    from custui.screens.segment_members import SegmentMembersScreen

    await point_at_segment(pilot, segment_id)
    await burst(pilot, "enter")
    members = pilot.app.screen
    assert isinstance(members, SegmentMembersScreen)
    return members
