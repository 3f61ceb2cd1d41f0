"""Background work that stands aside: wait for a quiet time after the last of something
(an edit in the app, a save in the store), never longer than a cap.

Under one GIL a background step (a chunk parsed, records made columns) that runs while the
operator types or the store saves delays the answer by up to the interpreter's switch
interval (5 ms): between its steps such work waits here until the other side has been quiet
for a while, at most `cap` seconds, so a steady stream of edits or saves slows it down but
never stops it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

POLL = 0.02  # seconds between looks at `stopped`


def wait_quiet(
    last: Callable[[], float],
    quiet: float,
    cap: float,
    stopped: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Block until `quiet` seconds have passed since `last()` (a time of `clock`), at most
    `cap` seconds from now; with `stopped`, return within POLL of it saying so."""
    deadline = clock() + cap
    while (now := clock()) < deadline:
        idle = now - last()
        if idle >= quiet or (stopped is not None and stopped()):
            return
        time.sleep(min(quiet - idle, deadline - now) if stopped is None else min(quiet - idle, POLL))
