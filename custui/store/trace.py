"""An optional log of what each open and close of a database file did: which path the open
took (the open cache, or a full parse and why), how the background load and the cache's
rebuild ended, what close did, and how long each took. Set CUSTUI_STORE_LOG to a file to
get it (bench/app_start.py does); nothing reads it back.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "CUSTUI_STORE_LOG"


def note(db: Path, event: str) -> None:
    """Append one line about `db` to $CUSTUI_STORE_LOG, if set (best effort, never raises)."""
    target = os.environ.get(ENV)
    if not target:
        return
    line = f"{time.strftime('%H:%M:%S')} pid {os.getpid()} {db.name}: {event}\n"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
    except OSError:
        pass
