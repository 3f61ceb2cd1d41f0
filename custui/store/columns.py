"""Column tables: the big tables' records kept as columns, each record a dict made when read.

A million orders as dicts cost about 300 MB (a dict, a key table or values array, an id
int and a timestamp string each, plus the table's own dict and the by-customer lists).
`ColumnTable` keeps, per field, either a code per record into the field's distinct values
(dates, channels, customer ids, totals: 4 bytes a record) or, for values that do not
repeat or are not plain scalars (timestamps, comments, nested answers and histories), the
value's JSON in one byte buffer with an offset per record; per record also a shape (its
keys in order). About 50 bytes an order instead of 300.

Reading a record builds a plain `dict`, equal to what the file holds, keys in the same
order, values of the same types (1.0 stays a float, True a bool); each read makes a new
one, so a caller changing what it got changes nothing stored (as before, every change
goes through `update`). Records written this session (saves, replayed journal entries)
are kept as the dicts written, in an overlay, and read back as those same objects.

The table behaves as the `dict[int, Doc]` the store keeps for every table (get, [],
in, len, iteration over ids in the file's order then new ids in insertion order, values,
items, pop, assignment), and answers `children(customer_id)` itself in the order the
by-customer lists of a dict table give: the file's order, a record written this session
moved to the end. Built by `ColumnBuilder` chunk after chunk (the background loader), or
from a parsed table at once (`columnize`).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import is_, itemgetter
from typing import Any

import orjson

from custui.store.base import Doc

# the tables kept as columns once loaded; the lookup's customers, and feedback and complaints
# (the dashboard keeps their records: as columns, it would keep copies) stay lean dicts
COLUMN_TABLES = frozenset({"orders", "interactions"})
LEAN_AFTER_PARSE = ("customers", "feedback", "complaints")
# a full parse makes a table with more records than this columns in the background (after open)
COLUMNS_LATER = 20_000
TRIAL = 5000  # records seen before a field's values are judged repeated or not
REPEAT_RATIO = 0.5  # more distinct values than this fraction of the records: packed
_FAR = 1 << 62  # a customer id no record has (the index's slot for records without one)
BLOCK = 10_000  # records decoded at a time when iterating the whole table
# values a field's codes may stand for: immutable, and told apart by (type, value) (not
# floats: -0.0 == 0.0, and both must come back as written)
_SCALARS = frozenset((str, int, bool, type(None)))


class _Missing:
    """A record without this field (its shape says so; the slot is never read)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class _Coded:
    """A field whose values repeat: one code per record into the distinct values."""

    __slots__ = ("codes", "values", "_index")

    def __init__(self) -> None:
        self.codes = array("B")  # widened to "H", then "I", as distinct values come
        self.values: list[Any] = []
        # per type, value -> code (1, 1.0 and True are equal but must stay apart); a new
        # value's code is the count of values so far
        self._index: dict[type, defaultdict[Any, int]] = {}

    def extend(self, column: list[Any]) -> None:
        types = set(map(type, column))
        if len(types) == 1:  # the usual case
            codes = self._codes(next(iter(types)), column)
        else:  # each type's values apart, then back in the records' order
            kinds = list(map(type, column))
            parts = {kind: iter(self._codes(kind, list(compress(column, map(is_, kinds, repeat(kind))))))
                     for kind in types}
            codes = list(map(next, map(parts.__getitem__, kinds)))
        self._widen()
        self.codes.extend(codes)

    def _codes(self, kind: type, column: list[Any]) -> list[int]:
        """The codes of values all of type `kind`, new ones numbered next (at C speed)."""
        index = self._index.setdefault(kind, defaultdict())
        before = len(index)
        index.default_factory = count(len(self.values)).__next__
        codes = list(map(index.__getitem__, column))
        index.default_factory = None
        if len(index) > before:
            self.values.extend(list(islice(reversed(index), len(index) - before))[::-1])
        return codes

    def _widen(self) -> None:
        for typecode in "BHI":
            if len(self.values) <= 1 << (8 * array(typecode).itemsize):
                break
        if typecode != self.codes.typecode:
            self.codes = array(typecode, self.codes)

    def at(self, row: int) -> Any:
        return self.values[self.codes[row]]

    def block(self, lo: int, hi: int) -> list[Any]:
        return list(map(self.values.__getitem__, self.codes[lo:hi]))

    def done(self) -> None:
        """No more values: the index of distinct values is not needed to read, and the values
        are copied, so that none of the parsed records' objects outlives them (the memory
        they sat in goes back to the system once they are freed)."""
        self._index = {}
        try:
            fresh = orjson.loads(orjson.dumps([None if v is MISSING else v for v in self.values]))
        except orjson.JSONEncodeError:  # an int wider than 64 bits: kept as it is
            return
        self.values = [MISSING if v is MISSING else f for v, f in zip(self.values, fresh, strict=True)]

    @property
    def distinct(self) -> int:
        return len(self.values)


class _Packed:
    """A field whose values do not repeat (or are lists and objects): each value's JSON,
    comma-terminated, in one buffer; `ends[row]` is where the row's comma ends."""

    __slots__ = ("blob", "ends")

    def __init__(self) -> None:
        self.blob = bytearray()
        self.ends = array("I", [0])  # "Q" once the buffer outgrows 4 GiB

    def extend(self, column: Iterable[Any]) -> None:
        pieces = [orjson.dumps(None if v is MISSING else v) for v in column]
        if self.ends.typecode == "I" and len(self.blob) + sum(map(len, pieces)) + len(pieces) >= 1 << 32:
            self.ends = array("Q", self.ends)
        self.ends.extend(islice(accumulate(map(len, pieces), lambda end, n: end + n + 1,
                                           initial=self.ends[-1]), 1, None))
        self.blob += b",".join(pieces)
        self.blob += b","

    def at(self, row: int) -> Any:
        return orjson.loads(self.blob[self.ends[row] : self.ends[row + 1] - 1])

    def block(self, lo: int, hi: int) -> list[Any]:
        hi = min(hi, len(self.ends) - 1)
        if hi <= lo:
            return []
        return orjson.loads(b"[" + self.blob[self.ends[lo] : self.ends[hi] - 1] + b"]")  # type: ignore[no-any-return]

    def done(self) -> None:
        pass


Column = _Coded | _Packed


class NotColumnar(ValueError):
    """The records cannot be kept as columns (ids out of order, too many shapes, a value JSON
    cannot hold): the table stays a dict."""


class ColumnBuilder:
    """Takes a table's records chunk by chunk (in the file's order) and makes a ColumnTable."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._shape_of: dict[tuple[str, ...], int] = {}  # a record's keys -> its shape's code
        self._keys: list[tuple[str, ...]] = []  # each shape's keys, "id" among them
        self._shapes = array("B")
        self._columns: dict[str, Column] = {}
        self._rows = 0

    def add(self, docs: list[Doc], ids: list[int]) -> None:
        """Records `docs` under `ids` (ascending, after every id added before); a record's
        "id" becomes its id, where it stands or, if it has none, last."""
        if not docs:
            return
        if ids != sorted(set(ids)) or (self._ids and ids[0] <= self._ids[-1]):
            raise NotColumnar("ids are not in ascending order")
        raw = list(map(tuple, docs))
        for keys in set(raw).difference(self._shape_of):
            self._learn(keys)
        codes = list(map(self._shape_of.__getitem__, raw))
        del raw
        present = sorted(set(codes))
        # each shape's records, then each of its fields' values (C-level loops)
        fields: dict[int, dict[str, tuple[Any, ...] | list[Any]]] = {}
        for code in present:
            members = docs if len(present) == 1 else list(compress(docs, map(code.__eq__, codes)))
            own = [key for key in self._keys[code] if key != "id"]
            if len(own) > 1:
                fields[code] = dict(zip(own, zip(*map(itemgetter(*own), members), strict=True), strict=True))
            elif own:
                fields[code] = {own[0]: list(map(itemgetter(own[0]), members))}
            else:
                fields[code] = {}
            for key in own:
                if key not in self._columns:
                    self._columns[key] = self._new_column(key, members)
        for key, column in self._columns.items():
            if len(present) == 1:
                found = fields[present[0]].get(key)
                values = list(found) if found is not None else [MISSING] * len(docs)
            else:
                parts = [iter(fields[c].get(key, ())) if c in fields and key in fields[c] else repeat(MISSING)
                         for c in range(len(self._keys))]
                values = list(map(next, map(parts.__getitem__, codes)))
            self._columns[key] = self._extend(column, values)
        self._ids.extend(ids)
        self._shapes.extend(codes)
        self._rows += len(docs)

    def _learn(self, keys: tuple[str, ...]) -> None:
        """A record shape (its keys in order) first seen: its code, "id" added if missing."""
        full = keys if "id" in keys else (*keys, "id")
        if full not in self._keys:
            if len(self._keys) >= 255:
                raise NotColumnar("too many record shapes")
            self._keys.append(full)
        self._shape_of[keys] = self._keys.index(full)

    def _new_column(self, key: str, docs: list[Doc]) -> Column:
        """A column for a field first seen now (earlier rows lack it)."""
        column: Column = _Coded() if all(type(d.get(key)) in _SCALARS for d in docs[:100]) else _Packed()
        if self._rows:
            column.extend([MISSING] * self._rows)
        return column

    def _extend(self, column: Column, values: list[Any]) -> Column:
        if type(column) is _Coded:
            if not set(map(type, values)) <= _SCALARS | {_Missing}:
                column = self._repack(column)
            else:
                column.extend(values)
                rows = self._rows + len(values)
                if rows >= TRIAL and column.distinct > REPEAT_RATIO * rows:
                    column = self._repack(column)
                return column
        try:
            column.extend(values)
        except orjson.JSONEncodeError as exc:
            raise NotColumnar(str(exc)) from None
        return column

    def _repack(self, coded: _Coded) -> _Packed:
        packed = _Packed()
        for lo in range(0, len(coded.codes), BLOCK):
            packed.extend(coded.block(lo, lo + BLOCK))
        return packed

    def build(self) -> ColumnTable:
        for column in self._columns.values():
            column.done()
        return ColumnTable(self._ids, self._shapes, self._keys, self._columns)


def columnize(docs: Mapping[int, Doc]) -> ColumnTable:
    """A ColumnTable of a parsed table ({id: record}, ids ascending); NotColumnar if it cannot be."""
    builder = ColumnBuilder()
    ids = list(docs)
    records = list(docs.values())
    for lo in range(0, len(ids), BLOCK):
        builder.add(records[lo : lo + BLOCK], ids[lo : lo + BLOCK])
    return builder.build()


class ColumnTable:
    """A table's records as columns, plus the records written since (see the module's doc)."""

    def __init__(self, ids: array[int], shapes: array[int], keys: list[tuple[str, ...]],
                 columns: dict[str, Column]) -> None:
        self._ids = ids
        self._shapes = shapes
        self._keys = keys
        self._columns = columns
        n = len(ids)
        self._dense = n > 0 and ids[-1] - ids[0] == n - 1  # ids first..last, none missing
        self._first = ids[0] if n else 0
        self._written: dict[int, Doc] = {}  # records written this session (stored ones included)
        self._gone: set[int] = set()  # stored records removed (a rolled-back insert never is one)
        self._by_customer: dict[Any, dict[int, Doc]] = {}  # the written records, per customer
        self._rows_of: tuple[Any, Any, Any] | None = None  # the stored rows per customer (numpy)
        self._lock = threading.Lock()

    # -- the stored rows -----------------------------------------------------------------
    def _row(self, doc_id: int) -> int | None:
        if self._dense:
            row = doc_id - self._first
            return row if 0 <= row < len(self._ids) else None
        row = bisect_left(self._ids, doc_id)
        return row if row < len(self._ids) and self._ids[row] == doc_id else None

    def _decode(self, row: int) -> Doc:
        keys = self._keys[self._shapes[row]]
        doc_id = self._ids[row]
        columns = self._columns
        return dict(zip(keys, [doc_id if key == "id" else columns[key].at(row) for key in keys], strict=True))

    def _decode_block(self, lo: int, hi: int) -> list[Doc]:
        """Rows lo..hi as new dicts, a column at a time."""
        values = {key: column.block(lo, hi) for key, column in self._columns.items()}
        values["id"] = self._ids[lo:hi].tolist()
        shapes = self._shapes[lo:hi]
        if len(self._keys) == 1:
            keys = self._keys[0]
            return list(map(dict, map(zip, repeat(keys), zip(*map(values.__getitem__, keys), strict=True))))
        made: list[Iterator[Doc]] = []
        for code, keys in enumerate(self._keys):
            rows = [n for n, s in enumerate(shapes) if s == code]
            if not rows:
                made.append(iter(()))
                continue
            pick = itemgetter(*rows)
            columns = [values[key] for key in keys]
            picked = [pick(c) if len(rows) > 1 else (pick(c),) for c in columns]
            made.append(iter(list(map(dict, map(zip, repeat(keys), zip(*picked, strict=True))))))
        return list(map(next, map(made.__getitem__, shapes)))

    def _stored_blocks(self) -> Iterator[tuple[list[int], list[Doc]]]:
        for lo in range(0, len(self._ids), BLOCK):
            hi = min(lo + BLOCK, len(self._ids))
            yield self._ids[lo:hi].tolist(), self._decode_block(lo, hi)

    # -- the mapping the store uses --------------------------------------------------------
    def get(self, doc_id: int, default: Any = None) -> Any:
        doc = self._written.get(doc_id)
        if doc is not None:
            return doc
        if doc_id in self._gone:
            return default
        row = self._row(doc_id) if type(doc_id) is int else None
        return default if row is None else self._decode(row)

    def __getitem__(self, doc_id: int) -> Doc:
        doc = self.get(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc  # type: ignore[no-any-return]

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self._written:
            return True
        return type(doc_id) is int and doc_id not in self._gone and self._row(doc_id) is not None

    def __setitem__(self, doc_id: int, doc: Doc) -> None:
        old = self._written.pop(doc_id, None)
        if old is not None:
            self._by_customer.get(old.get("customer_id"), {}).pop(doc_id, None)
        self._written[doc_id] = doc
        self._gone.discard(doc_id)
        cid = doc.get("customer_id")
        if cid is not None:
            self._by_customer.setdefault(cid, {})[doc_id] = doc

    def pop(self, doc_id: int, default: Any = None) -> Any:
        doc = self.get(doc_id)
        if doc is None:
            return default
        if self._written.pop(doc_id, None) is not None:
            self._by_customer.get(doc.get("customer_id"), {}).pop(doc_id, None)
        if self._row(doc_id) is not None:
            self._gone.add(doc_id)
        return doc

    def __len__(self) -> int:
        stored_written = sum(1 for i in self._written if self._row(i) is not None)
        return len(self._ids) - len(self._gone) + len(self._written) - stored_written

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[int]:
        hidden = self._gone
        stored = iter(self._ids) if not hidden else (i for i in self._ids if i not in hidden)
        return chain(stored, (i for i in list(self._written) if self._row(i) is None))

    def keys(self) -> Iterator[int]:
        return iter(self)

    def items(self) -> Iterator[tuple[int, Doc]]:
        """(id, record) in the order of a dict table: stored ids in the file's order (a
        record written since in its place), then new ids as inserted; decoded a block at a time."""
        written, gone = self._written, self._gone
        for ids, docs in self._stored_blocks():
            if not written and not gone:
                yield from zip(ids, docs, strict=True)
                continue
            for doc_id, doc in zip(ids, docs, strict=True):
                if doc_id in gone:
                    continue
                mine = written.get(doc_id)
                yield doc_id, doc if mine is None else mine
        for doc_id in list(written):
            if self._row(doc_id) is None:
                new = written.get(doc_id)
                if new is not None:
                    yield doc_id, new

    def values(self) -> Iterator[Doc]:
        return map(itemgetter(1), self.items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping | ColumnTable):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ColumnTable of {len(self)} records>"

    def fields(self, names: Iterable[str]) -> list[list[Any]]:
        """For each of `names`, its value in every record (None where a record lacks it), in
        the order of `values()`: read from the columns without making the records."""
        n = len(self._ids)
        written = [(self._row(doc_id), doc) for doc_id, doc in list(self._written.items())]
        gone = sorted((row for row in map(self._row, self._gone) if row is not None), reverse=True)
        out: list[list[Any]] = []
        for name in names:
            column = self._columns.get(name)
            if name == "id":
                values: list[Any] = self._ids.tolist()
            elif column is None:
                values = [None] * n
            elif type(column) is _Coded:
                known = [None if v is MISSING else v for v in column.values]
                values = list(map(known.__getitem__, column.codes))
            else:
                values = list(chain.from_iterable(column.block(lo, lo + BLOCK) for lo in range(0, n, BLOCK)))
            for row, doc in written:
                if row is not None:
                    values[row] = doc.get(name)
            for row in gone:
                del values[row]
            values += [doc.get(name) for row, doc in written if row is None]
            out.append(values)
        return out

    def as_dict(self) -> dict[int, Doc]:
        """Every record as a plain dict table (for code that changes records in place)."""
        return dict(self.items())

    # -- children ----------------------------------------------------------------------
    def children(self, customer_id: int) -> list[Doc]:
        """The records of `customer_id`: stored ones in the file's order, then those written
        this session in the order written (as the by-customer lists of a dict table)."""
        rows = self._customer_rows(customer_id)
        written, gone = self._written, self._gone
        out = [self._decode(row) for row in rows
               if self._ids[row] not in written and self._ids[row] not in gone]
        mine = self._by_customer.get(customer_id)
        if mine:
            out += mine.values()
        return out

    def index_customers(self) -> None:
        """Group the stored rows by customer now (else the first `children` call does)."""
        if self._rows_of is None:
            with self._lock:
                if self._rows_of is None:
                    self._rows_of = self._index()

    def _customer_rows(self, customer_id: Any) -> list[int]:
        self.index_customers()
        assert self._rows_of is not None
        customers, starts, order = self._rows_of
        if type(customer_id) is not int or customers is None:
            return []
        import numpy as np

        at = int(np.searchsorted(customers, customer_id))
        if at >= len(customers) or customers[at] != customer_id:
            return []
        return order[starts[at] : starts[at + 1]].tolist()  # type: ignore[no-any-return]

    def _index(self) -> tuple[Any, Any, Any]:
        """The stored rows grouped by customer id (rows of a customer in the file's order)."""
        import numpy as np

        column = self._columns.get("customer_id")
        n = len(self._ids)
        if column is None or not n:
            return None, None, None
        def key(c: Any) -> int:
            return c if type(c) is int and abs(c) < _FAR else _FAR

        if type(column) is _Coded:  # each distinct value once, then the codes at C speed
            keys = np.fromiter(map(key, column.values), dtype=np.int64, count=len(column.values))
            keyed = keys[np.frombuffer(column.codes, dtype=f"u{column.codes.itemsize}")]
        else:
            cids = chain.from_iterable(column.block(lo, lo + BLOCK) for lo in range(0, n, BLOCK))
            keyed = np.fromiter(map(key, cids), dtype=np.int64, count=n)
        order = np.argsort(keyed, kind="stable").astype(np.int32 if n < (1 << 31) else np.int64)
        ordered = keyed[order]
        customers, starts = np.unique(ordered, return_index=True)
        starts = np.append(starts, n)
        return customers, starts, order
