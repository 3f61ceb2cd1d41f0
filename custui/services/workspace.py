"""What every use-case needs: the store, the config and the clock ("today" can be pinned)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from custui.config.loader import AppConfig
from custui.store.base import Store


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers)
        return "operator"


@dataclass
class Workspace:
    store: Store
    config: AppConfig
    clock: Callable[[], datetime] = datetime.now
    operator: str = field(default_factory=_operator)

    def today(self) -> date:
        return self.clock().date()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @property
    def currency(self) -> str:
        return self.config.settings.currency
