"""The app's clock: the system's, or a day pinned with $CUSTUI_TODAY=YYYY-MM-DD.

Pinning the day lets a shop (or a test, or a screenshot) read the app and the
reports as of a given date: the time of day still runs, only the date is fixed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime

from custui.errors import BadInput

ENV = "CUSTUI_TODAY"


def pinned_day() -> date | None:
    """The day $CUSTUI_TODAY pins, None when unset; BadInput when it is not a date."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"${ENV}={raw!r} is not a date (YYYY-MM-DD)") from None


def pinned_today() -> date:
    """Today, or the pinned day."""
    return pinned_day() or date.today()


def app_clock() -> Callable[[], datetime]:
    """datetime.now, or now's time of day on the pinned day."""
    day = pinned_day()
    if day is None:
        return datetime.now
    return lambda: datetime.combine(day, datetime.now().time())
