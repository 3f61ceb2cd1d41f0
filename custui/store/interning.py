"""Lean records: what a parsed table becomes before the store keeps it.

orjson gives every record its own dict (its own hash table of keys) and every value
its own object, so a million orders hold a million copies of a few hundred dates and
a million key tables saying the same eight names. `Compactor` rebuilds each record
as a key-sharing dict (CPython's split table, what an instance's `__dict__` uses: one
key table per table of records, only the values per record) and shares equal values
between the records of a table: a repeated string or number is one object, a
record's id is its key's int object. Nested records (feedback answers, complaint
history entries) get the same treatment. At 100k customers / 1M orders this keeps
about 40 % of the store's memory out (bench/store.py --large prints RSS). Only the tables
parsed through the open cache are compacted (lazy.py); see share_repeated_strings.

Records stay plain `dict`s (`type(doc) is dict`), equal to and in the same key order
as what was parsed, so nothing that reads or writes them changes. Where the
interpreter does not share keys (another Python, or a record that grew a 31st key)
a record is simply an ordinary dict; only the memory differs.

The work is done column by column with C-level iteration (map, zip); it still costs
about twice the parse of the same records, paid in the loader's background thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from itertools import chain, repeat
from operator import itemgetter
from sys import intern
from typing import Any

import orjson

from custui.store.base import Doc

# every string or int field's values are shared until, after at least SHARE_TRIAL records,
# more than this fraction of them were distinct (codes, phones, timestamps: nothing to share)
SHARE_RATIO = 0.9
SHARE_TRIAL = 5000
SAMPLE = 2000
CHUNK = 10_000  # records compacted at a time (so the trial above ends early)
# fields that usually hold the same value as another field of the same record
SAME_AS: dict[str, tuple[tuple[str, str], ...]] = {
    "customers": (("phone_norm", "phone"), ("updated_at", "created_at")),
}
SHARED_KEYS_MAX = 30  # CPython shares at most this many keys per class


def _holder(path: str, keys: list[str]) -> type:
    """A class whose instances' dicts share one key table holding `keys` (at most 30): made
    before any record, so every record's values array has room for each of them, whatever
    subset and order of them it holds."""
    cls = type("Record", (), {"__qualname__": f"Record[{path}]"})
    primer: object = object.__new__(cls)
    for key in keys[:SHARED_KEYS_MAX]:
        setattr(primer, key, None)
    return cls


# strings and ints only: 1.0 == 1 == True, and sharing must never change a value's type
_SHAREABLE = frozenset((str, int))


class Compactor:
    """Compacts the records of one table (or one nested field), chunk after chunk,
    sharing equal values across every chunk it sees."""

    def __init__(self, path: str) -> None:
        self._cls: type | None = None
        self._path = path
        self._seen: dict[str, dict[Any, Any]] | None = None  # shared field -> its values so far
        self._done = 0  # records compacted so far
        self._nested: dict[str, Compactor] = {}
        self._same = SAME_AS.get(path, ())

    def _plan(self, docs: list[Doc]) -> dict[str, dict[Any, Any]]:
        """Which fields to share values of (and which hold nested records), from the first records."""
        columns: dict[str, list[Any]] = {}
        for doc in docs[:SAMPLE]:
            for key, value in doc.items():
                columns.setdefault(key, []).append(value)
        # keys most records hold: every record's values array has a slot for each of them
        common = [k for k, column in columns.items() if len(column) * 100 >= len(docs[:SAMPLE])]
        self._cls = _holder(self._path, [*common, "id"])
        seen: dict[str, dict[Any, Any]] = {}
        for key, column in columns.items():
            if key == "id":
                continue
            if set(map(type, column)) <= _SHAREABLE:
                seen[key] = {}
            elif any(type(v) is dict or (type(v) is list and v and type(v[0]) is dict) for v in column):
                self._nested[key] = Compactor(f"{self._path}.{key}")
        self._seen = seen
        return seen

    def compact(self, docs: list[Doc], ids: list[int] | None = None) -> list[Doc]:
        """Lean copies of `docs`, in order; with `ids`, each one's "id" is that int (the same object)."""
        if len(docs) <= CHUNK:
            return self._compact(docs, ids)
        out: list[Doc] = []
        for start in range(0, len(docs), CHUNK):
            part = ids[start : start + CHUNK] if ids is not None else None
            out += self._compact(docs[start : start + CHUNK], part)
        return out

    def _compact(self, docs: list[Doc], ids: list[int] | None) -> list[Doc]:
        if not docs:
            return []
        seen = self._seen if self._seen is not None else self._plan(docs)
        self._done += len(docs)
        try:
            return self._compact_shapes(docs, ids, seen)
        finally:
            if self._done >= SHARE_TRIAL:  # stop sharing the fields whose values do not repeat
                for key in [k for k, values in seen.items() if len(values) > SHARE_RATIO * self._done]:
                    del seen[key]

    def _compact_shapes(self, docs: list[Doc], ids: list[int] | None,
                        seen: dict[str, dict[Any, Any]]) -> list[Doc]:
        shapes = list(map(tuple, docs))
        distinct: dict[tuple[str, ...], tuple[str, ...]] = {}
        shapes = list(map(distinct.setdefault, shapes, shapes))
        made: dict[tuple[str, ...], Any] = {}
        for shape in distinct:
            if len(distinct) == 1:
                members, member_ids = docs, ids
            else:
                picked = [i for i, s in enumerate(shapes) if s is shape]
                members = list(map(docs.__getitem__, picked))
                member_ids = list(map(ids.__getitem__, picked)) if ids is not None else None
            made[shape] = iter(self._build(shape, members, member_ids, seen))
        if len(distinct) == 1:
            return list(next(iter(made.values())))
        return list(map(next, map(made.__getitem__, shapes)))

    def _build(self, keys: tuple[str, ...], docs: list[Doc], ids: list[int] | None,
               seen: dict[str, dict[Any, Any]]) -> list[Doc]:
        """Records of one key order: columns shared and rebuilt, then one key-sharing dict each."""
        own = keys
        if ids is not None and "id" not in own:
            keys = (*own, "id")
        if not keys:
            return [{} for _ in docs]
        columns: list[Any] = []
        if len(own) > 1:
            columns = list(zip(*map(itemgetter(*own), docs), strict=True))
        elif own:
            columns = [list(map(itemgetter(own[0]), docs))]
        if len(keys) > len(own):
            columns.append(ids)
        position = {key: n for n, key in enumerate(keys)}
        for key, n in position.items():
            if key == "id" and ids is not None:
                columns[n] = ids
            elif key in seen:
                columns[n] = _shared(columns[n], seen[key])
            elif key in self._nested:
                columns[n] = self._nested[key].compact_values(columns[n])
        for key, other in self._same:
            if key in position and other in position:
                a, b = position[key], position[other]
                columns[a] = [y if x == y and type(x) is str else x for x, y in zip(columns[a], columns[b], strict=True)]
        assert self._cls is not None  # made by _plan
        records: list[Doc] = list(map(vars, map(object.__new__, repeat(self._cls, len(docs)))))
        deque(map(dict.update, records, map(zip, repeat(keys), zip(*columns, strict=True))), maxlen=0)
        return records

    def compact_values(self, column: tuple[Any, ...] | list[Any]) -> list[Any]:
        """A nested field's values: records (and lists of records) compacted, anything else as is."""
        dicts = [i for i, v in enumerate(column) if type(v) is dict]
        lists = [i for i, v in enumerate(column) if type(v) is list and v and all(type(x) is dict for x in v)]
        out = list(column)
        if dicts:
            for i, doc in zip(dicts, self.compact(list(map(column.__getitem__, dicts))), strict=True):
                out[i] = doc
        if lists:
            parts = list(map(column.__getitem__, lists))
            flat = iter(self.compact(list(chain.from_iterable(parts))))
            for i, part in zip(lists, parts, strict=True):
                out[i] = [next(flat) for _ in part]
        return out


def _shared(column: tuple[Any, ...], seen: dict[Any, Any]) -> list[Any] | tuple[Any, ...]:
    """The column with each value replaced by the first equal one seen (strings and ints;
    anything else, a value a hostile file put there, stays as it is)."""
    keep: Callable[[Any, Any], Any] = seen.setdefault
    if set(map(type, column)) <= _SHAREABLE:
        return list(map(keep, column, column))
    return [keep(v, v) if type(v) in _SHAREABLE else v for v in column]


def fresh_copies(docs: list[Doc]) -> list[Doc]:
    """Equal copies of `docs` made of new objects (values, nested records, strings), or `docs`
    themselves when a copy would not be equal (a NaN, a tuple, an int wider than 64 bits, a key
    that is not a string). Compacting copies made together, instead of the parsed records, lets the
    memory of a whole parse go back to the system once its records are dropped: the lean
    records would otherwise keep the parsed strings, scattered between the freed dicts, and
    pymalloc gives back only an arena (1 MiB) none of whose objects is alive."""
    try:
        copies: list[Doc] = orjson.loads(orjson.dumps(docs))
    except (TypeError, orjson.JSONEncodeError):
        return docs
    return copies if copies == docs else docs  # (JSON's types come back as they were)


def give_back_freed_memory() -> None:
    """Return the heap's free pages to the system after a big load (glibc only; best effort).

    Parsing leaves the parser's dicts freed between the records kept; Python reuses that
    memory, but the resident size would only show it after the next allocations."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# a full parse (no open cache): only these fields' strings are shared, in place, as the
# records come from orjson; compacting a whole parsed file frees nothing the system gets
# back (the values kept sit between the dicts freed) and costs twice the parse
# fields whose values repeat a lot (few distinct values across many records)
# (orders and interactions are kept as columns, which share every repeated value: columns.py)
REPEATED_FIELDS: dict[str, tuple[str, ...]] = {
    "feedback": ("survey_id", "channel"),
    "complaints": ("category", "severity", "status"),
    "vouchers": ("rule", "expires_at"),
    "customers": ("kind", "scope", "role", "region", "gender", "source"),
}


def share_repeated_strings(table: str, docs: Iterable[Doc]) -> None:
    """Replace repeated string values of `table`'s docs by one shared object each."""
    fields = REPEATED_FIELDS.get(table)
    if not fields:
        return
    for doc in docs:
        for name in fields:
            value = doc.get(name)
            if type(value) is str and len(value) <= 40:
                doc[name] = intern(value)
