"""One revision's per-customer values as numpy columns indexed by customer id.

Built once from a `DerivedSnapshot` (its facts and stats) and the customer records; the
next revision's are the previous ones with only the rows of the customers its writes
touched rewritten (`DerivedSnapshot.changed_since`), so segments and the dashboard after
a write read ready columns instead of passing over 100,000 facts again. A new day, or
history the snapshot no longer has, builds them afresh.

Values that are not numbers (lifecycle, tier, bands, kind, ...) are held as `Coded`
columns: a code per customer and the list of distinct values, so a rule's test runs once
per distinct value and gives exactly what it gives on the value itself. Ids that are not
small non-negative integers (sparse, negative, not ints) make no columns: callers keep
their pure-Python path then.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from custui.domain.stats import EMPTY_STATS, CustomerStats
from custui.services.derived import DerivedSnapshot, Facts
from custui.store.base import Store

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

# fields of the customer record read as columns (the groups by kind, scope and role)
RECORD_FIELDS = ("kind", "scope", "role")
# Facts fields held as Coded columns, and as float columns (None -> NaN)
CODED_FACTS = ("lifecycle", "tier", "frequency_band", "aov_band")
FLOAT_FACTS = ("clv", "aov", "promo_share", "avg_gap")
NONE = -1  # code / first or last day of "no value"
NO_DAYS = int(np.iinfo(np.int64).min)  # recency of "no value" (a real one may be negative)


def _key(value: Any) -> tuple[type, Any]:
    return type(value), value  # 1 and True, equal as dict keys, may test apart


@dataclass(frozen=True)
class Coded:
    """A column of arbitrary hashable values: codes[cid] indexes `values` (-1: no row)."""

    codes: npt.NDArray[np.int32]
    values: list[Any]
    index: dict[tuple[type, Any], int]

    @classmethod
    def of(cls, size: int, ids: IntArray, column: Sequence[Any]) -> Coded:
        """Coded from `column`, aligned with `ids` (TypeError when a value is unhashable)."""
        codes = np.full(size, NONE, dtype=np.int32)
        if len(set(map(type, column)) - {type(None)}) <= 1:  # one type: the values themselves are keys
            values = list(dict.fromkeys(column))
            plain = {value: i for i, value in enumerate(values)}
            codes[ids] = np.fromiter(map(plain.__getitem__, column), dtype=np.int32, count=len(column))
            return cls(codes, values, {_key(value): i for i, value in enumerate(values)})
        distinct = list(dict.fromkeys(map(_key, column)))
        index = {key: i for i, key in enumerate(distinct)}
        codes[ids] = np.fromiter(map(index.__getitem__, map(_key, column)), dtype=np.int32, count=len(column))
        return cls(codes, [value for _, value in distinct], index)

    @classmethod
    def of_numbers(cls, values: npt.NDArray[Any], rows: BoolArray, none: BoolArray | None = None) -> Coded:
        """Coded from a numeric column over `rows`; where `none` is set the value is None."""
        codes = np.full(len(values), NONE, dtype=np.int32)
        present = rows if none is None else rows & ~none
        distinct, inverse = np.unique(values[present], return_inverse=True)
        codes[present] = inverse
        listed = distinct.tolist()
        if none is not None:
            codes[rows & none] = len(listed)
            listed.append(None)
        return cls(codes, listed, {})

    def code(self, value: Any) -> int:
        """The code of `value` (-1 when no row holds it)."""
        return self.index.get(_key(value), NONE)

    def matching(self, test: Callable[[Any], bool]) -> BoolArray:
        """Per id, whether its value passes `test` (False where there is no row)."""
        verdict = np.fromiter(map(test, self.values), dtype=bool, count=len(self.values))
        return np.append(verdict, False)[self.codes]

    def resized(self, size: int) -> Coded:
        codes = np.full(size, NONE, dtype=np.int32)
        codes[: len(self.codes)] = self.codes
        return Coded(codes, list(self.values), dict(self.index))

    def set(self, cid: int, value: Any) -> None:
        """Set one row in place (on a copy made by `resized`)."""
        key = _key(value)
        code = self.index.get(key)
        if code is None:
            code = self.index[key] = len(self.values)
            self.values.append(value)
        self.codes[cid] = code


@dataclass(frozen=True)
class CustomerColumns:
    """Every customer's values by id, for one revision (`revision` of its snapshot). Read-only.

    listed: on file and not archived (what segments count); buyer: has a non-void order
    (stats; may include ids not on file). Stats columns are 0 (first/last day -1) without
    orders; float facts NaN where None; recency NO_DAYS where None.
    """

    revision: int
    listed: BoolArray
    buyer: BoolArray
    coded: dict[str, Coded]  # CODED_FACTS and RECORD_FIELDS
    floats: dict[str, FloatArray]  # FLOAT_FACTS
    recency: IntArray
    window_orders: IntArray  # (window slot, id)
    window_spend: IntArray
    orders: IntArray
    total_spend: IntArray
    promo_orders: IntArray
    first_day: IntArray
    last_day: IntArray

    @property
    def size(self) -> int:
        return len(self.listed)

    @property
    def buyers(self) -> BoolArray:
        return self.listed & self.buyer


def _dense(ids: Collection[Any], count: int) -> int | None:
    """One more than the largest id, when every id is a non-negative int and they are dense."""
    if not ids:
        return 0
    if set(map(type, ids)) != {int}:
        return None
    low, top = min(ids), max(ids)
    return top + 1 if low >= 0 and top <= 4 * count + 1024 else None


def build(snapshot: DerivedSnapshot, store: Store, docs: Sequence[Mapping[str, Any]] | None = None
          ) -> CustomerColumns | None:
    """The columns of `snapshot` (None when the ids are not dense non-negative ints or a value
    does not fit). `docs`: the customer records on file (read from the store by default)."""
    facts, stats = snapshot.facts, snapshot.stats
    count = len(facts) + len(stats)
    on_file, bought = _dense(facts, count), _dense(stats, count)
    if on_file is None or bought is None:
        return None
    size = max(on_file, bought, 1)
    try:
        return _build(snapshot, store, docs, size)
    except (TypeError, ValueError, OverflowError, KeyError):  # unhashable, NaN, too big: lists then
        return None


def _build(snapshot: DerivedSnapshot, store: Store, docs: Sequence[Mapping[str, Any]] | None,
           size: int) -> CustomerColumns:
    facts, stats = snapshot.facts, snapshot.stats
    ids = np.fromiter(facts, dtype=np.int64, count=len(facts))
    rows: list[Facts] = list(facts.values())
    fields = list(zip(*rows, strict=True)) if rows else [()] * len(Facts._fields)
    column = dict(zip(Facts._fields, fields, strict=True))
    listed = np.zeros(size, dtype=bool)
    listed[ids] = ~np.fromiter(map(bool, column["archived"]), dtype=bool, count=len(ids))
    coded = {name: Coded.of(size, ids, column[name]) for name in CODED_FACTS}
    if docs is None:
        docs = [d for d in store.all("customers") if d["id"] in facts]
    doc_ids = np.fromiter((d["id"] for d in docs), dtype=np.int64, count=len(docs))
    for name in RECORD_FIELDS:
        coded[name] = Coded.of(size, doc_ids, [d.get(name) for d in docs])
    floats = {}
    for name in FLOAT_FACTS:
        values = np.full(size, np.nan)
        values[ids] = np.array(column[name], dtype=np.float64)  # None -> NaN
        floats[name] = values
    recency = np.full(size, NO_DAYS, dtype=np.int64)
    recency[ids] = [NO_DAYS if r is None else r for r in column["recency"]]
    slots = len(snapshot.window_sizes)
    window_orders = np.zeros((slots, size), dtype=np.int64)
    window_spend = np.zeros((slots, size), dtype=np.int64)
    if rows:
        for table, name in ((window_orders, "window_orders"), (window_spend, "window_spend")):
            flat = np.fromiter(chain.from_iterable(column[name]), dtype=np.int64, count=len(ids) * slots)
            table[:, ids] = flat.reshape(len(ids), slots).T
    buyer = np.zeros(size, dtype=bool)
    orders, total_spend, promo_orders = (np.zeros(size, dtype=np.int64) for _ in range(3))
    first_day, last_day = (np.full(size, NONE, dtype=np.int64) for _ in range(2))
    if stats:
        sids = np.fromiter(stats, dtype=np.int64, count=len(stats))
        table = np.array([(s.orders, s.total_spend, s.promo_orders, s.order_days[0], s.order_days[-1])
                          for s in stats.values()], dtype=np.int64).reshape(len(stats), 5)
        buyer[sids] = True
        for target, k in ((orders, 0), (total_spend, 1), (promo_orders, 2), (first_day, 3), (last_day, 4)):
            target[sids] = table[:, k]
    return CustomerColumns(snapshot.revision, listed, buyer, coded, floats, recency, window_orders,
                           window_spend, orders, total_spend, promo_orders, first_day, last_day)


def patched(previous: CustomerColumns, snapshot: DerivedSnapshot, store: Store) -> CustomerColumns | None:
    """`previous` brought to `snapshot` by rewriting only the customers changed since it (None
    when that is not known or the ids stop being dense: build afresh then)."""
    changed = snapshot.changed_since(previous.revision)
    if changed is None:
        return None
    if not changed:
        return replace(previous, revision=snapshot.revision)
    if 8 * len(changed) > len(snapshot.facts):
        return None  # most customers written (an import): one pass over them all is quicker
    top = _dense(changed, len(snapshot.facts) + len(snapshot.stats))
    if top is None:
        return None
    try:
        return _patch(previous, snapshot, store, changed, max(top, previous.size))
    except (TypeError, ValueError, OverflowError, KeyError):  # unhashable, NaN, too big: lists then
        return None


def _grown(array: npt.NDArray[Any], size: int, fill: Any) -> npt.NDArray[Any]:
    grown = np.full((*array.shape[:-1], size), fill, dtype=array.dtype)
    grown[..., : array.shape[-1]] = array
    return grown


def _patch(previous: CustomerColumns, snapshot: DerivedSnapshot, store: Store, changed: Iterable[int],
           size: int) -> CustomerColumns:
    p = previous
    listed, buyer = _grown(p.listed, size, False), _grown(p.buyer, size, False)
    coded = {name: column.resized(size) for name, column in p.coded.items()}
    floats = {name: _grown(values, size, np.nan) for name, values in p.floats.items()}
    recency = _grown(p.recency, size, NO_DAYS)
    window_orders, window_spend = _grown(p.window_orders, size, 0), _grown(p.window_spend, size, 0)
    orders, total_spend, promo_orders = (_grown(a, size, 0) for a in (p.orders, p.total_spend, p.promo_orders))
    first_day, last_day = _grown(p.first_day, size, NONE), _grown(p.last_day, size, NONE)
    slots = len(snapshot.window_sizes)
    for cid in changed:
        fact = snapshot.facts.get(cid)
        one: CustomerStats = snapshot.stats.get(cid, EMPTY_STATS)
        doc = store.get("customers", cid) if fact is not None else None
        listed[cid] = fact is not None and not fact.archived
        for name in CODED_FACTS:
            coded[name].set(cid, getattr(fact, name) if fact is not None else None)
        for name in RECORD_FIELDS:
            coded[name].set(cid, doc.get(name) if doc is not None else None)
        for name in FLOAT_FACTS:
            value = getattr(fact, name) if fact is not None else None
            floats[name][cid] = np.nan if value is None else value
        recency[cid] = NO_DAYS if fact is None or fact.recency is None else fact.recency
        window_orders[:, cid] = fact.window_orders if fact is not None else (0,) * slots
        window_spend[:, cid] = fact.window_spend if fact is not None else (0,) * slots
        buyer[cid] = cid in snapshot.stats
        orders[cid], total_spend[cid], promo_orders[cid] = one.orders, one.total_spend, one.promo_orders
        first_day[cid] = one.order_days[0] if one.order_days else NONE
        last_day[cid] = one.order_days[-1] if one.order_days else NONE
    return CustomerColumns(snapshot.revision, listed, buyer, coded, floats, recency, window_orders,
                           window_spend, orders, total_spend, promo_orders, first_day, last_day)
