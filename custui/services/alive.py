"""P(alive) and expected purchases for every repeat customer, from a BG/NBD fit to the shop's
own orders (domain/bgnbd.py), cached like the derived figures.

The model reads the shared derived cache's per-customer order days, so it needs no pass over
the orders. Fitting takes seconds at 100k customers, and a fit on data that changed by one
order is almost the same fit, so the two steps are kept apart:

- scoring (`current`, used by the "at risk" segment and the care queue) puts the last fitted
  parameters on the current data: the model's summary is updated for the customers whose
  orders changed and P(alive) is one numpy pass, so a write never waits for a fit;
- fitting (`alive_fit`, `refit`) redoes the maximum-likelihood fit when the data changed since
  the last one (any order written, or a new day). The app runs it in a worker after a burst
  of writes; a command fits once (the first scoring of a store fits when there is no fit yet).

`latest` is the last result made, possibly a revision old, or None: for screens that must
not wait. With fewer repeat customers than segments.yaml `alive.min_repeat_customers`, there
is no fit (`params` None) and callers fall back to the lifecycle recency rule.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import compress
from operator import is_not

import numpy as np

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


@dataclass(frozen=True, eq=False)
class AliveFit:
    """The model's view of the repeat customers on `as_of`: `summary` holds them (ids ascending)
    and `p` their P(alive) under `params`. `current` is False when `params` are those of an
    earlier fit (the data changed since; a refit is due)."""

    as_of: date
    repeat_customers: int
    min_repeat_customers: int
    horizon_days: int
    params: bgnbd.Params | None  # None: too little data to fit
    summary: bgnbd.Summary | None = None
    p: np.ndarray | None = None
    current: bool = True

    @property
    def fitted(self) -> bool:
        return self.params is not None

    def _row(self, cid: int) -> int | None:
        if self.summary is None:
            return None
        ids = self.summary.ids
        row = int(np.searchsorted(ids, cid))
        return row if row < len(ids) and int(ids[row]) == cid else None

    def get(self, cid: int) -> AliveValues | None:
        """One repeat customer's values (None for anyone else); expected purchases computed here."""
        row = self._row(cid)
        if row is None or self.params is None or self.summary is None or self.p is None:
            return None
        one = slice(row, row + 1)
        s = self.summary
        expected = bgnbd.expected_purchases(self.params, self.horizon_days / bgnbd.DAYS_PER_WEEK,
                                            s.x[one], s.t_x[one], s.T[one])
        return AliveValues(float(self.p[row]), float(expected[0]))

    def p_alive(self, below: float = np.inf) -> dict[int, float]:
        """P(alive) of the repeat customers, only those under `below` (all by default)."""
        if self.summary is None or self.p is None:
            return {}
        mask = self.p < below
        return dict(zip(self.summary.ids[mask].tolist(), self.p[mask].tolist(), strict=True))

    @cached_property
    def values(self) -> Mapping[int, AliveValues]:
        """Every repeat customer's values (expected purchases for all: slow at 100k, for exports)."""
        if self.params is None or self.summary is None or self.p is None:
            return {}
        s = self.summary
        expected = bgnbd.expected_purchases(self.params, self.horizon_days / bgnbd.DAYS_PER_WEEK, s.x, s.t_x, s.T)
        return {int(cid): AliveValues(float(p), float(e))
                for cid, p, e in zip(s.ids.tolist(), self.p.tolist(), expected.tolist(), strict=True)}


def _repeat_only(summary: bgnbd.Summary) -> bgnbd.Summary:
    """The rows with a repeat purchase, ids ascending."""
    mask = summary.x > 0
    order = np.argsort(summary.ids[mask], kind="stable")
    return bgnbd.Summary(*(column[mask][order] for column in (summary.ids, summary.x, summary.t_x, summary.T)))


def _scored(summary: bgnbd.Summary, as_of: date, settings: Alive, params: bgnbd.Params | None,
            current: bool = True) -> AliveFit:
    repeat = summary.repeat_customers
    if params is None:
        return AliveFit(as_of, repeat, settings.min_repeat_customers, settings.horizon_days, None)
    mine = _repeat_only(summary)
    p = bgnbd.p_alive(params, mine.x, mine.t_x, mine.T)
    return AliveFit(as_of, repeat, settings.min_repeat_customers, settings.horizon_days, params, mine, p, current)


def fit_stats(stats: Mapping[int, CustomerStats], as_of: date, settings: Alive,
              start: bgnbd.Params | None = None) -> AliveFit:
    """Fit on the orders up to `as_of` (inclusive) and score every repeat customer."""
    summary = bgnbd.summarize(((cid, s.order_days) for cid, s in stats.items()), as_of.toordinal())
    if summary.repeat_customers < settings.min_repeat_customers:
        return _scored(summary, as_of, settings, None)
    return _scored(summary, as_of, settings, bgnbd.fit(summary.x, summary.t_x, summary.T, start))


# -- the model's summary of a snapshot, followed customer by customer ---------------------------

Row = tuple[int, int, int]  # (x, recency days, age days), as bgnbd.summarize computes them


def _row(days: tuple[int, ...], today: int) -> Row | None:
    if not days or days[0] > today:
        return None
    if days[-1] > today:
        days = tuple(d for d in days if d <= today)
    distinct = len(set(days)) if len(days) > 1 else 1
    return distinct - 1, days[-1] - days[0], today - days[0]


class _Summary:
    """bgnbd.summarize of a snapshot's stats, ids ascending. The next snapshot's differs only for
    the customers whose stats object changed (the derived cache replaces those alone), so only
    their rows are recomputed; a new day recomputes every row (the ages move)."""

    def __init__(self) -> None:
        self.stats: Mapping[int, CustomerStats] | None = None
        self.today = 0
        self.revision = -1  # the snapshot's (when known: its history names the customers changed since)
        self.rows: dict[int, Row] = {}
        self.summary: bgnbd.Summary | None = None

    def of(self, stats: Mapping[int, CustomerStats], today: int, snapshot: DerivedSnapshot | None = None
           ) -> bgnbd.Summary:
        """The summary of `stats` (of `snapshot`, when given: then only the customers its history
        says changed are looked at)."""
        revision, self.revision = self.revision, snapshot.revision if snapshot is not None else -1
        if self.summary is not None and stats is self.stats and today == self.today:
            return self.summary
        old = self.stats
        if old is None or today != self.today:
            rows = {cid: row for cid, s in stats.items() if (row := _row(s.order_days, today)) is not None}
            self._set(stats, today, rows, None)
            return self._arrays()
        since = snapshot.changed_since(revision) if snapshot is not None and revision >= 0 else None
        if since is not None:
            changed = [cid for cid in since if cid in stats and stats[cid] is not old.get(cid)]
            gone = [cid for cid in since if cid not in stats and cid in old]
        else:
            changed = list(compress(stats, map(is_not, map(old.get, stats), stats.values())))
            gone = [cid for cid in old.keys() - stats.keys()] if len(old) + len(changed) != len(stats) else []
        rows = self.rows
        same_ids = not gone
        updates: dict[int, Row] = {}
        for cid in gone:
            rows.pop(cid, None)
        for cid in changed:
            row = _row(stats[cid].order_days, today)
            if row is None:
                same_ids = same_ids and cid not in rows
                rows.pop(cid, None)
            else:
                same_ids = same_ids and cid in rows
                rows[cid] = updates[cid] = row
        self._set(stats, today, rows, updates if same_ids else None)
        return self._arrays()

    def _set(self, stats: Mapping[int, CustomerStats], today: int, rows: dict[int, Row],
             updates: dict[int, Row] | None) -> None:
        self.stats, self.today, self.rows = stats, today, rows
        if updates is None or self.summary is None:
            self.summary = None
            return
        if not updates:
            return
        s = self.summary
        ids = np.fromiter(updates, dtype=np.int64, count=len(updates))
        at = np.searchsorted(s.ids, ids)
        x, t_x, T = s.x.copy(), s.t_x.copy(), s.T.copy()  # the previous summary stays as it was
        values = np.array(list(updates.values()), dtype=np.float64).reshape(-1, 3)
        x[at] = values[:, 0]
        t_x[at] = values[:, 1] / bgnbd.DAYS_PER_WEEK
        T[at] = values[:, 2] / bgnbd.DAYS_PER_WEEK
        self.summary = bgnbd.Summary(s.ids, x, t_x, T)

    def _arrays(self) -> bgnbd.Summary:
        if self.summary is None:
            ids = sorted(self.rows)
            count = len(ids)
            rows = self.rows
            table = np.array([rows[cid] for cid in ids], dtype=np.int64).reshape(count, 3)
            self.summary = bgnbd.Summary(
                np.asarray(ids, dtype=np.int64),
                table[:, 0].astype(np.float64),
                table[:, 1].astype(np.float64) / bgnbd.DAYS_PER_WEEK,
                table[:, 2].astype(np.float64) / bgnbd.DAYS_PER_WEEK,
            )
        return self.summary


class _Cache:
    """One store's model: the running summary, the last fit's parameters (and the data they were
    fitted on, keyed by (derived revision, day)) and the last result."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # short holds: summary and results
        self.fitting = threading.Lock()  # one fit at a time
        self.summary = _Summary()
        self.settings: Alive | None = None
        self.params: bgnbd.Params | None = None
        self.params_key: tuple[int, date] | None = None
        self.key: tuple[int, date] | None = None
        self.fit: AliveFit | None = None
        self.version = 0  # counts the fits made


_ATTR = "_custui_alive"
_GUARD = threading.Lock()


def _cache(store: Store) -> _Cache:
    with _GUARD:
        found = getattr(store, _ATTR, None)
        if not isinstance(found, _Cache):
            found = _Cache()
            setattr(store, _ATTR, found)
        return found


def score_snapshot(store: Store, snapshot: DerivedSnapshot, settings: Alive, refit: bool = False) -> AliveFit:
    """P(alive) on this snapshot's data. With `refit` the parameters are fitted on this very
    data (seconds at 100k customers: workers only); without, the last fit's parameters are
    used, and only a store never fitted (or fitted with other settings) is fitted now."""
    cache = _cache(store)
    key = (snapshot.revision, snapshot.today)
    with cache.lock:
        found = cache.fit
        if found is not None and cache.key == key and cache.settings == settings and (found.current or not refit):
            return found
        summary = cache.summary.of(snapshot.stats, snapshot.today.toordinal(), snapshot)
        params, params_key = (cache.params, cache.params_key) if cache.settings == settings else (None, None)
    if summary.repeat_customers >= settings.min_repeat_customers and (
            params is None or (refit and params_key != key)):
        with cache.fitting:
            with cache.lock:
                params, params_key = (cache.params, cache.params_key) if cache.settings == settings else (None, None)
            if params is None or (refit and params_key != key):
                params = bgnbd.fit(summary.x, summary.t_x, summary.T, params)
                params_key = key
                with cache.lock:
                    cache.params, cache.params_key, cache.settings = params, key, settings
                    cache.version += 1
    if summary.repeat_customers < settings.min_repeat_customers:
        params = None
    result = _scored(summary, snapshot.today, settings, params, params is None or params_key == key)
    with cache.lock:
        cache.settings = settings
        cache.key, cache.fit = key, result
    return result


def fit_snapshot(store: Store, snapshot: DerivedSnapshot, settings: Alive) -> AliveFit:
    """This snapshot scored with the last fit (fitted now only if never fitted): never waits for a refit."""
    return score_snapshot(store, snapshot, settings)


def current(ws: Workspace) -> AliveFit:
    """P(alive) on the current data with the last fit's parameters (see score_snapshot)."""
    return score_snapshot(ws.store, ws.derived.snapshot(), ws.config.segments.alive)


def alive_fit(ws: Workspace) -> AliveFit:
    """The fit of the current data (call from a worker: the first call after a change refits)."""
    return score_snapshot(ws.store, ws.derived.snapshot(), ws.config.segments.alive, refit=True)


def refit_due(ws: Workspace) -> bool:
    """Whether the data changed since the last fit (cheap: no fit, no build of the cache)."""
    cache = _cache(ws.store)
    derived = ws.__dict__.get("derived")
    if derived is None or not derived.built:
        return False
    snapshot = derived.snapshot()
    return cache.params_key is not None and cache.params_key != (snapshot.revision, snapshot.today)


def version(store: Store) -> int:
    """Changes when a fit is made: results scored with an older fit are out of date."""
    return _cache(store).version


def latest(ws: Workspace) -> AliveFit | None:
    """The last result made, without waiting or fitting (None before the first)."""
    return _cache(ws.store).fit
