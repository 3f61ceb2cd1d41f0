"""Keys typed ahead land where they were typed: one key at a time, each after the last settled.

Textual hands a key to whatever has focus *when the app reads it*, while the effects of the
previous key (a Tab's focus move, an Enter that pushes a screen, a `focus()` in a new screen's
on_mount) happen later, in other widgets' message queues. A burst (a fast typist, a paste, a
barcode scanner, keys queued on a slow SSH link) therefore sent later keys to the old field or
the old screen. `TypeAhead` keeps the keys that arrive while an earlier one is still being
handled and gives each to the app only once the screen on top, its widgets and the app have
processed every message (the earlier key and everything it caused: screens pushed and mounted,
focus moved), so a burst ends exactly as the same keys typed slowly. Screens can also hold the
keys while something they started must finish first (the lookup's Enter waits for the search of
what is in the box, then opens that customer, and the next keys go to the profile; every save
waits for its worker, see widgets.save_runner, so a `y` typed after Ctrl+S answers the question
the save asks).

Waiting has ceilings so that a busy widget can only slow keys down, never swallow them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import Worker

# seconds a key waits for the app to settle before it is handed over anyway: only a widget
# that never stops working reaches it (a screen built on a loaded machine can take seconds)
SETTLE_MAX = 15.0
# seconds a key waits for a screen's hold (a search that Enter must act on)
HOLD_MAX = 30.0
# seconds between looks while something works: short first (a key typed into a field settles
# in a few milliseconds), longer while a screen is being built
POLL_FIRST, POLL_MAX = 0.001, 0.016

Hold = Callable[[], bool]


def _working(pump: MessagePump) -> bool:
    """Whether `pump` is handling a message, has some queued, or has callbacks to run next.

    Textual's queue keeps no count of unfinished messages; a pump is idle when its task is
    parked waiting for the next one (a waiter on the queue's ready event)."""
    if not pump._mounted_event.is_set():
        return pump.is_attached
    if not pump.is_running:
        return False
    queue: Any = pump._message_queue
    if not queue.empty() or pump._next_callbacks or getattr(pump, "_callbacks", None):
        return True
    waiters = getattr(queue.ready_event, "_waiters", None)
    if waiters is None:  # not the asyncio.Event we know: do not wait for what we cannot see
        return False
    return not any(not waiter.done() for waiter in waiters)


def as_typed(event: events.Event) -> events.Event:
    """The key the user pressed: Enter typed while the app was still starting reaches it as
    Ctrl+J. Until the app puts the terminal in raw mode, the terminal's line discipline turns
    Enter's carriage return into a newline (ICRNL), so a code and Enter typed at a launching
    app (or a scanner firing as it opens) would fill the box and never open the customer.
    Like readline's accept-line, custui reads Ctrl+J as Enter (the keymap refuses Ctrl+J)."""
    if isinstance(event, events.Key) and event.key == "ctrl+j":
        return events.Key("enter", "\r")
    return event


class TypeAhead:
    """The app's key gate: `admit` decides whether a key read from the terminal is handled now or
    kept until the keys before it have settled (then it is posted to the app again)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.pending: deque[events.Event] = deque()
        self.released: set[int] = set()  # ids of kept events now posted again to the app
        self.holds: list[Hold] = []
        self.task: asyncio.Task[None] | None = None
        self.handed = 0  # keys and pastes handed to the app so far

    @property
    def idle(self) -> bool:
        """No key kept, and the last one handed over has settled."""
        return self.task is None and not self.pending

    # -- what the app calls ---------------------------------------------------------------
    def admit(self, event: events.Event) -> bool:
        """True: handle `event` now. False: it was kept, and will come back once its turn has come."""
        if id(event) in self.released:
            self.released.discard(id(event))
        elif self.task is not None or self.pending:
            self.pending.append(event)
            return False
        else:
            self.task = asyncio.create_task(self._drain())
        self.handed += 1
        return True

    def hold(self, holding: Hold) -> None:
        """Keep the following keys while `holding()` is true (at most HOLD_MAX seconds)."""
        self.holds.append(holding)
        if self.task is None:  # the key that asked has settled already: wait from now on
            self.task = asyncio.create_task(self._drain())

    def wait_for(self, worker: Worker[Any]) -> None:
        """Keep the following keys until `worker` has finished and what it showed has settled:
        a screen's first load (keys typed at it act on its rows) or a save (keys typed after
        Ctrl+S go to what the save shows next)."""
        self.hold(lambda: not worker.is_finished)

    @property
    def waiting(self) -> int:
        """How many keys are kept, waiting for their turn."""
        return len(self.pending)

    # -- the waiting ----------------------------------------------------------------------
    async def _drain(self) -> None:
        try:
            while True:
                await self._settle()
                if not self.pending or not self.app.is_running:
                    return
                event = self.pending.popleft()
                self.released.add(id(event))
                self.app.post_message(event)
        finally:
            self.task = None
            if self.pending and self.app.is_running:  # a key came in the last moment
                self.task = asyncio.create_task(self._drain())

    def _pumps(self) -> Iterator[MessagePump]:
        app = self.app
        yield app
        try:
            screen = app.screen
        except Exception:  # no screen yet, or the app is closing
            return
        yield from screen.walk_children(with_self=True)

    def _busy(self) -> MessagePump | None:
        """A pump still working (None: all settled)."""
        return next((pump for pump in self._pumps() if _working(pump)), None)

    async def _settle(self) -> None:
        """Wait until the app, the screen on top and its widgets have handled every message, and
        no hold is on; a screen pushed meanwhile counts (it is on top, and must be mounted)."""
        loop = asyncio.get_running_loop()
        hold_deadline = loop.time() + HOLD_MAX
        deadline: float | None = None
        quiet_turns = 0
        poll = POLL_FIRST
        while quiet_turns < 2:  # settled on two looks in a row (a message may be in transit)
            now = loop.time()
            self.holds = [holding for holding in self.holds if holding()]
            if self.holds and now < hold_deadline:
                quiet_turns, deadline = 0, None
                await asyncio.sleep(POLL_MAX)
                continue
            self.holds.clear()
            if deadline is None:
                deadline = now + SETTLE_MAX
            elif now >= deadline:
                return
            if self._busy() is None:
                quiet_turns += 1
                await asyncio.sleep(0)
            else:
                quiet_turns = 0
                await asyncio.sleep(poll)
                poll = min(poll * 2, POLL_MAX)
