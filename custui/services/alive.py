"""P(alive) and expected purchases for every repeat customer, from a BG/NBD fit to the shop's
own orders (domain/bgnbd.py), cached like the derived figures.

The fit reads the shared derived cache's per-customer order days, so it needs no pass
over the orders; it is redone when the cache's revision (any order written) or the day
changes. Fitting takes seconds at 100k customers: call `alive_fit` from a worker; screens
that must not wait use `latest` (the last fit, possibly a revision old, or None).
With fewer repeat customers than segments.yaml `alive.min_repeat_customers`, there is no
fit (`params` None) and callers fall back to the lifecycle recency rule.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from custui.domain import bgnbd
from custui.domain.models.segments import Alive
from custui.domain.stats import CustomerStats
from custui.services.derived import DerivedSnapshot
from custui.services.workspace import Workspace
from custui.store.base import Store


@dataclass(frozen=True)
class AliveValues:
    p_alive: float
    expected: float  # purchases expected in the next horizon_days


@dataclass(frozen=True)
class AliveFit:
    as_of: date
    repeat_customers: int
    min_repeat_customers: int
    horizon_days: int
    params: bgnbd.Params | None  # None: too little data to fit
    values: Mapping[int, AliveValues] = field(default_factory=dict)  # repeat customers only

    @property
    def fitted(self) -> bool:
        return self.params is not None

    def get(self, cid: int) -> AliveValues | None:
        return self.values.get(cid)


def fit_stats(stats: Mapping[int, CustomerStats], as_of: date, settings: Alive,
              start: bgnbd.Params | None = None) -> AliveFit:
    """Fit on the orders up to `as_of` (inclusive) and score every repeat customer."""
    summary = bgnbd.summarize(((cid, s.order_days) for cid, s in stats.items()), as_of.toordinal())
    repeat = summary.repeat_customers
    if repeat < settings.min_repeat_customers:
        return AliveFit(as_of, repeat, settings.min_repeat_customers, settings.horizon_days, None)
    params = bgnbd.fit(summary.x, summary.t_x, summary.T, start)
    mask = summary.x > 0
    x, t_x, T = summary.x[mask], summary.t_x[mask], summary.T[mask]
    alive = bgnbd.p_alive(params, x, t_x, T)
    expected = bgnbd.expected_purchases(params, settings.horizon_days / bgnbd.DAYS_PER_WEEK, x, t_x, T)
    values = {
        int(cid): AliveValues(float(p), float(e))
        for cid, p, e in zip(summary.ids[mask].tolist(), alive.tolist(), expected.tolist(), strict=True)
    }
    return AliveFit(as_of, repeat, settings.min_repeat_customers, settings.horizon_days, params, values)


class _Cache:
    """The last fit of one store, keyed by (derived revision, day)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[int, date] | None = None
        self.fit: AliveFit | None = None


_ATTR = "_custui_alive"
_GUARD = threading.Lock()


def _cache(store: Store) -> _Cache:
    with _GUARD:
        found = getattr(store, _ATTR, None)
        if not isinstance(found, _Cache):
            found = _Cache()
            setattr(store, _ATTR, found)
        return found


def fit_snapshot(store: Store, snapshot: DerivedSnapshot, settings: Alive) -> AliveFit:
    """The fit for this snapshot's revision and day (computed once, then cached)."""
    cache = _cache(store)
    key = (snapshot.revision, snapshot.today)
    with cache.lock:
        if cache.key != key or cache.fit is None:
            previous = cache.fit.params if cache.fit is not None else None
            cache.fit = fit_stats(snapshot.stats, snapshot.today, settings, previous)
            cache.key = key
        return cache.fit


def alive_fit(ws: Workspace) -> AliveFit:
    """The current fit (call from a worker: the first call after a change refits)."""
    return fit_snapshot(ws.store, ws.derived.snapshot(), ws.config.segments.alive)


def latest(ws: Workspace) -> AliveFit | None:
    """The last fit made, without waiting or fitting (None before the first)."""
    return _cache(ws.store).fit
