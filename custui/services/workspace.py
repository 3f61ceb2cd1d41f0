"""What every use-case needs: the store, the config and the clock ("today" can be pinned)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from custui.config.loader import AppConfig
from custui.store.base import Store

if TYPE_CHECKING:
    from custui.services.derived import Derived


def default_operator() -> str:
    """The OS user running custui (the operator when nothing else names one)."""
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers)
        return "operator"


@dataclass
class Workspace:
    store: Store
    config: AppConfig
    clock: Callable[[], datetime] = datetime.now
    operator: str = field(default_factory=default_operator)
    # the operator's role (custui.domain.permissions); None: no operators configured, every right
    role: str | None = None
    pin_hash: str | None = None  # a manager's, checked by custui.services.roles

    def today(self) -> date:
        return self.clock().date()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @cached_property
    def derived(self) -> Derived:
        """The per-customer derived values (stats, lifecycle, tier), shared by every service."""
        from custui.services.derived import Derived

        return Derived.shared(self.store, self.config, self.clock)

    @property
    def currency(self) -> str:
        return self.config.settings.currency
