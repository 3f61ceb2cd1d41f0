"""Opening through the sidecar: the lookup's tables now, the big tables in a background thread.

At 100k customers / 1M orders a full parse of the file takes about 3 s, but the
lookup needs only `customers` (a fifth of the bytes). With a fresh sidecar
(see sidecar.py) open parses `meta`, `customers` and any tiny table from their
byte ranges and returns; a daemon thread then parses the rest, smallest first,
chunk by chunk (each orjson call holds the GIL for ~10 ms, so the UI stays
responsive), builds each child table's by-customer index as it goes, and
publishes it to the store (`LoadTarget`, FileStore), which applies the journal
entries that belong to it. Every store call on a table not published yet waits
for it, but one: big customers are left to the loader too (its first table), and
until it publishes them `get` reads one record at a time from the file's bytes
(`Peek`, the journal's versions first), so the lookup answers from its kept index
(services/lookup_cache.py) without waiting for a parse of every customer. Likewise
one customer's records of a big table still loading (a profile opened at launch) are
found in its bytes (`Peek.matching`, scanned on the first such read) when those bytes
prove that none is missed; otherwise the read waits, and the wait ends the loader's
pauses for typing until it has the table (`LoadTarget.waited_for`).
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import orjson

from custui.domain.enums import CHILD_TABLES
from custui.store.base import Doc
from custui.store.columns import COLUMN_TABLES, ColumnBuilder, ColumnTable, NotColumnar
from custui.store.interning import Compactor, give_back_freed_memory
from custui.store.sidecar import Layout, TableLayout

EAGER_TABLES = ("meta", "customers")
# eager tables parsed as they are (the lookup waits for them) and compacted by the loader
LEAN_LATER = ("customers",)
EAGER_BYTES = 256 * 1024  # tables smaller than this are parsed at open too
# customers bigger than this are not parsed at open but read one record at a time until the
# loader has them (Peek): at 100k customers (57 MB) the parse cost a second of every launch
PEEK_BYTES = 4 * 1024 * 1024
# records compacted or made columns between two looks at `stop`: a close waits for one step
STEP = 2_000
# customers the loader parses at a time from a Peek's bytes (half a MB, under 10 ms holding
# the GIL; a 10,000-record chunk of customers held it 90 ms, a stall in every keystroke's answer)
PEEK_STEP = 1_000
FOUND_KEPT = 64  # the answers of Peek.matching kept (each a find over the table's bytes)
Index = defaultdict[int, list[Doc]]


class LoadTarget(Protocol):
    """What the loader asks of the store it fills (FileStore)."""

    def loaded(self, table: str | None = None) -> bool: ...

    def publish(self, name: str, docs: dict[int, Doc] | ColumnTable, index: Index | None) -> None: ...

    def load_failed(self, error: BaseException) -> None: ...

    def load_cancelled(self) -> None: ...

    def distrust_sidecar(self) -> None: ...

    def compact_records(self, table: str, stopped: Callable[[], bool]) -> bool: ...

    def pause_for_writes(self, stopped: Callable[[], bool]) -> None: ...

    def waited_for(self) -> bool: ...


class LayoutMismatch(ValueError):
    """The bytes at the sidecar's offsets are not what it promised: do not trust it."""


class _Stopped(Exception):
    """The store closed while its tables were loading."""


FREEZE_MIN_DOCS = 50_000
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_on = False
_gc_freeze = False


def freeze_when_resumed(docs_loaded: int) -> None:
    """After a big load, move everything alive into the GC's permanent generation.

    Objects made while the GC was paused all sit in the youngest generation, so
    the next collections would walk every tracked record (0.6 s at 100k/1M with
    the demo data, a visible freeze of the UI) to find nothing: records hold no
    cycles and are freed by reference counting, which freezing does not stop.
    Small loads (tests) never freeze, so their cyclic garbage stays collectable.
    """
    global _gc_freeze
    if docs_loaded >= FREEZE_MIN_DOCS:
        with _gc_lock:
            _gc_freeze = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC while parsing: a million new dicts trigger collections that find nothing.

    Counted, so the main thread's parse and the loader thread can overlap.
    """
    global _gc_depth, _gc_was_on, _gc_freeze
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_on = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                if _gc_freeze:
                    gc.freeze()
                    _gc_freeze = False
                if _gc_was_on:
                    gc.enable()


def split_layout(layout: Layout) -> tuple[list[str], list[str]]:
    """(tables to parse at open, tables for the background, smallest first)."""
    eager = [n for n, tl in layout.items() if n in EAGER_TABLES or tl.size < EAGER_BYTES]
    lazy = sorted((n for n in layout if n not in eager), key=lambda n: layout[n].size)
    return eager, lazy


def peek_customers(fd: int, layout: Layout) -> Peek | None:
    """Big customers left to the loader, read a record at a time meanwhile; None: parse them now."""
    table = layout.get("customers")
    if table is None or table.size < PEEK_BYTES:
        return None
    return Peek.scan(fd, table)


def parse_table(
    fd: int, name: str, tl: TableLayout, with_index: bool, stop: Callable[[], bool] = lambda: False,
    lean: bool = True, peek: Peek | None = None,
) -> tuple[dict[int, Doc] | ColumnTable, Index | None]:
    """Read and parse one table chunk by chunk; raises LayoutMismatch if the bytes disagree.

    With `lean` its records are compacted (interning.py); without, "id" is only set where
    it is missing or wrong (the open's eager tables: compacted later by the loader). With
    `peek` (the table's), from the bytes it holds, PEEK_STEP records at a time."""
    if lean and name in COLUMN_TABLES:
        try:
            return _parse_columns(fd, name, tl, stop), None
        except NotColumnar:
            pass  # kept as dicts
    docs: dict[int, Doc] = {}
    index: Index | None = defaultdict(list) if with_index else None
    compactor = Compactor(name)
    for ids, values in peek.parts(stop) if peek is not None else _chunks(fd, name, tl, stop):
        if lean:
            values = compactor.compact(values, ids)  # "id" set too
        elif [doc.get("id") for doc in values] != ids:
            for doc_id, doc in zip(ids, values, strict=True):
                doc["id"] = doc_id
        docs.update(zip(ids, values, strict=True))
        if index is not None:
            for doc in values:
                cid = doc.get("customer_id")
                if cid is not None:
                    index[cid].append(doc)
    if len(docs) != tl.count:
        raise LayoutMismatch(f"table {name!r}: {len(docs)} records where the index says {tl.count}")
    return docs, index


def _chunks(fd: int, name: str, tl: TableLayout, stop: Callable[[], bool]) -> Iterator[tuple[list[int], list[Doc]]]:
    """(ids, records) of each chunk of the table as parsed, STEP records at a time."""
    for start, end in tl.chunks:
        if stop():
            raise _Stopped
        want = end - start + 2  # with the `{` or `,` before and the `,` or `}` after
        buf = bytearray(os.pread(fd, want, start - 1))
        if len(buf) != want or buf[0] not in b"{," or buf[-1] not in b",}":
            raise LayoutMismatch(f"table {name!r}: the file is not laid out as its index says")
        ids, values = _records_of(buf, f"table {name!r}")
        del buf
        for at in range(0, len(ids), STEP):  # what is done with them goes STEP at a time
            if at and stop():
                raise _Stopped
            yield ids[at : at + STEP], values[at : at + STEP]


def _records_of(buf: bytearray, what: str) -> tuple[list[int], list[Doc]]:
    """(ids, records) of `buf`: some records' bytes with the `{` or `,` before them and the `,`
    or `}` after (made braces here, in place); LayoutMismatch naming `what` if they are not
    records."""
    buf[0], buf[-1] = 0x7B, 0x7D
    try:
        part = orjson.loads(buf)
    except orjson.JSONDecodeError as exc:
        raise LayoutMismatch(f"{what}: {exc}") from None
    del buf
    if type(part) is not dict:
        raise LayoutMismatch(f"{what}: not an object")
    ids = list(map(int, part))
    values = list(part.values())
    del part
    if not all(type(doc) is dict for doc in values):
        raise LayoutMismatch(f"{what}: something that is not a record")
    return ids, values


def _parse_columns(fd: int, name: str, tl: TableLayout, stop: Callable[[], bool]) -> ColumnTable:
    """A big table kept as columns (columns.py), built chunk by chunk as parsed."""
    builder = ColumnBuilder()
    for ids, values in _chunks(fd, name, tl, stop):
        builder.add(values, ids)
    if stop():  # (each of the next two is one long step: a pause before it)
        raise _Stopped
    table = builder.build()
    if len(table) != tl.count:
        raise LayoutMismatch(f"table {name!r}: {len(table)} records where the index says {tl.count}")
    if stop():
        raise _Stopped
    table.index_customers()  # here, not on the first `children` call
    return table


# where one record ends and the next begins in a table's `{"id":{doc},"id":{doc}}`: inside a
# JSON string a quote is always escaped, so `},"` is structure; a nested object followed by a
# key of digits whose value is an object would match too, which the count check catches
_NEXT_RECORD = re.compile(rb'\},"(\d+)":\{')
_FIRST_RECORD = re.compile(rb'\{"(\d+)":\{')


# an escape custui never writes (it escapes only control characters, `\u0000`-`\u001f`):
# one could spell a key's letter, so a key would not be found by its plain bytes
_LETTER_ESCAPE = re.compile(rb"\\u(?!00[01][0-9a-fA-F])")


def _same_key(got: object, value: int) -> bool:
    """Whether a record whose field holds `got` sits under `value` in a by-customer index
    (a dict: equal and hashing alike, as 5.0 and True do)."""
    try:
        return got is not None and got == value and hash(got) == hash(value)
    except TypeError:  # unhashable: the index could not hold it either
        return False


class NotPeeked(LookupError):
    """A Peek cannot say where this record is (its ids are not in ascending order): wait for
    the table instead."""


class Peek:
    """One table's records decoded one at a time from its bytes, while the loader parses it
    whole: what the lookup shows at launch without waiting for 100k customers.

    `scan` finds where each record sits (a regular-expression pass, a tenth of a parse) and
    is trusted only when it finds exactly as many records as the sidecar counted. A record is
    found by bisecting on the ids written before each record (a file custui wrote lists them
    in ascending order; otherwise NotPeeked) and is the one whose id is the one asked for; one
    that does not decode raises LayoutMismatch. `overrides` holds the journal's latest
    version of records it changed (the store passes them before the load starts)."""

    def __init__(self, data: bytes, first_id: int, first: int, ends: array[int]) -> None:
        self._data = data
        self._first_id = first_id
        self._first = first  # where the first record's `{` is
        self._ends = ends  # where each record's `}` is, but the last's
        self.overrides: dict[int, Doc] = {}
        self._escapes: bool | None = None  # whether a `\u` escape could spell a letter
        self._proved: dict[str, bool] = {}  # field -> whether `matching` can trust the bytes
        self._found: dict[tuple[str, int], list[Doc]] = {}  # what `matching` found lately

    @classmethod
    def scan(cls, fd: int, tl: TableLayout) -> Peek | None:
        """The records of the table `tl` describes in the file behind `fd`, or None when the
        table cannot be read this way (then it is parsed at open, as before)."""
        start, end = tl.span
        data = os.pread(fd, end - start, start)
        if tl.count == 0 and data == b"{}":  # no records: `get` finds none, `matching` only overrides
            return cls(data, -1, 0, array("q"))
        first = _FIRST_RECORD.match(data)
        if len(data) != end - start or first is None or not data.endswith(b"}}"):
            return None
        ends = array("q", [match.start() for match in _NEXT_RECORD.finditer(data)])
        if len(ends) + 1 != tl.count:
            return None  # a nested object matched too: parse it instead
        return cls(data, int(first.group(1)), first.end() - 1, ends)

    def _id_at(self, number: int) -> int:
        if not number:
            return self._first_id
        key = self._ends[number - 1] + 3  # after `},"`
        return int(self._data[key : self._data.index(b'"', key)])

    def get(self, doc_id: int) -> Doc:
        """The record as the file and the journal have it, decoded now (callers do not
        change it); NotPeeked when it cannot be found this way."""
        found = self.overrides.get(doc_id)
        if found is not None:
            return found
        if self._first_id < 0:
            raise NotPeeked(doc_id)
        ends = self._ends
        low, high = 0, len(ends) + 1
        while low < high:
            middle = (low + high) // 2
            if self._id_at(middle) < doc_id:
                low = middle + 1
            else:
                high = middle
        if low > len(ends) or self._id_at(low) != doc_id:
            raise NotPeeked(doc_id)  # not there, or the ids are not in order: only the load knows
        return self._record(low, doc_id)

    def _record(self, number: int, doc_id: int, keep_id: bool = False) -> Doc:
        """The `number`th record (its id `doc_id`, set in it unless `keep_id`), decoded alone
        from its bytes."""
        data, ends = self._data, self._ends
        # after `},"7":` the record begins: the first colon after the quote (ids have none)
        start = data.index(b":", ends[number - 1] + 3) + 1 if number else self._first
        end = ends[number] + 1 if number < len(ends) else len(data) - 1
        try:
            doc = orjson.loads(memoryview(data)[start:end])
        except orjson.JSONDecodeError as exc:
            raise LayoutMismatch(f"record {doc_id}: {exc}") from None
        if type(doc) is not dict:
            raise LayoutMismatch(f"record {doc_id} is not a record")
        if not keep_id:
            doc["id"] = doc_id
        return doc

    def matching(self, field: str, value: int) -> list[Doc]:
        """The records whose `field` is the id `value` (a customer's orders: "customer_id"),
        as the file and then the journal have them; NotPeeked when the bytes cannot prove
        that no such record is missed (then only the load knows).

        Every such record holds the bytes `"field":value` followed by `,` or `}` when (a)
        nothing in the table is written with a `\\u` escape that could spell a key's letter
        (only control characters' escapes, as custui writes them) and (b) every `"field"`
        in it is followed by `:`, a plain number or null, and `,` or `}` (no spaces, floats,
        strings or booleans). Then each hit is mapped to its record by the scan's boundaries
        (a record that matched because of a nested object is decoded and dropped), and the
        record, decoded alone, counts only if its own `field` is the int `value`."""
        if type(value) is not int:
            raise NotPeeked(value)
        known = self._found.get((field, value))
        if known is not None:
            return list(known)
        if not self._plain(field):
            raise NotPeeked(field)
        data, ends = self._data, self._ends
        needle = f'"{field}":{value}'.encode()
        numbers: list[int] = []
        at = data.find(needle)
        while at >= 0:
            after = at + len(needle)
            if data[after : after + 1] in (b",", b"}"):
                number = bisect_left(ends, at)  # (a hit is never a `}`: the record it is in)
                if not numbers or numbers[-1] != number:
                    numbers.append(number)
            at = data.find(needle, after)
        found: list[Doc] = []
        last = len(ends)
        for number in numbers:
            doc_id = self._id_at(number)
            # a boundary the scan found inside a record (a nested object keyed by a number)
            # sits between ids that do not go up around it, as custui writes them
            if number and self._id_at(number - 1) >= doc_id or number < last and self._id_at(number + 1) <= doc_id:
                raise NotPeeked(doc_id)
            if doc_id in self.overrides:
                continue  # the journal's version (below) is the one the table holds
            inner = self._record(number, doc_id, keep_id=True)
            if inner.get("id", doc_id) != doc_id:
                raise NotPeeked(doc_id)  # not the record custui wrote under that key
            inner["id"] = doc_id
            got = inner.get(field)
            if type(got) is int and got == value:
                found.append(inner)
        for doc in self.overrides.values():
            if _same_key(doc.get(field), value):
                found.append(doc)
        if len(self._found) >= FOUND_KEPT:
            self._found.clear()
        self._found[field, value] = found  # a profile reads a customer's orders four times
        return list(found)

    def _plain(self, field: str) -> bool:
        """Whether every `"field"` in the table's bytes is written as custui writes it (see
        `matching`); worked out once per field."""
        known = self._proved.get(field)
        if known is None:
            if not re.fullmatch(r"[a-z_]+", field):
                raise ValueError(f"not a field name: {field!r}")
            if self._escapes is None:
                self._escapes = _LETTER_ESCAPE.search(self._data) is not None
            odd = re.compile(b'"' + field.encode() + rb'"(?!:(?:0|[1-9][0-9]*|null)[,}])')
            known = self._proved[field] = not self._escapes and odd.search(self._data) is None
        return known

    def parts(self, stop: Callable[[], bool]) -> Iterator[tuple[list[int], list[Doc]]]:
        """(ids, records) of the whole table as the file has it (no overrides), PEEK_STEP
        records at a time: each part is the bytes between two record boundaries, so a
        boundary found wrong makes a part that does not parse (LayoutMismatch)."""
        data, ends = self._data, self._ends
        count = len(ends) + 1 if self._first_id >= 0 else 0
        for first in range(0, count, PEEK_STEP):
            if stop():
                raise _Stopped
            last = min(first + PEEK_STEP, count)  # past the part's last record
            # from the `{` or `,` before the part's first key to the `,` or `}` after its last record
            start = ends[first - 1] + 1 if first else 0
            end = ends[last - 1] + 1 if last < count else len(data) - 1
            ids, values = _records_of(bytearray(data[start : end + 1]), f"records {first + 1}-{last}")
            if len(ids) != last - first:
                raise LayoutMismatch(f"records {first + 1}-{last} are not as the scan found them")
            yield ids, values


class Loader:
    """Parses the lazy tables of `store` from `fd` (which it closes when done); `held`, it
    waits for `release` (or `stop`) before it begins."""

    def __init__(
        self,
        store: LoadTarget,
        fd: int,
        layout: Layout,
        names: list[str],
        on_error: Callable[[str], Exception],
        held: bool = False,
        peek: Peek | None = None,
    ) -> None:
        self._store = store
        self._peek = peek  # customers' bytes, scanned at open: parsed from them
        self._fd = fd
        self._layout = layout
        self._names = names
        self._on_error = on_error
        self._stop = False
        self._pause: Callable[[Callable[[], bool]], None] | None = None
        self._go = threading.Event()
        # the tables after the first: a read of the first alone (the lookup's index building
        # from the customers) releases only it, and the rest wait for the index as before
        self._rest = threading.Event()
        if not held:
            self._go.set()
            self._rest.set()
        self._thread = threading.Thread(target=self._run, name="custui-store-loader", daemon=True)
        self._fd_lock = threading.Lock()  # `scan` reads the file the thread closes when done
        self._readers = threading.Lock()  # for the count below
        self._reading = 0  # readers reading records from the file's bytes (`reading`)

    def start(self) -> None:
        self._thread.start()

    def release(self, table: str | None = None) -> None:
        """Begin, if held: every table, or with `table` the tables up to that one (the
        others wait for a release of every table)."""
        self._go.set()
        if table is None or table not in self._names[:1]:
            self._rest.set()

    def pace(self, pause: Callable[[Callable[[], bool]], None]) -> None:
        """Call `pause(stopped)` between steps (one chunk parsed, STEP records compacted): it
        may block while the UI needs the GIL, and must return once `stopped()` is true."""
        self._pause = pause

    def scan(self, name: str) -> Peek | None:
        """Table `name`'s records found in the file's bytes (Peek.scan) while it loads, for
        reads of a few of them; None once the load has closed the file, or when the table
        cannot be read that way."""
        with self._fd_lock:
            if self._fd < 0 or self._stop or name not in self._layout:
                return None
            return Peek.scan(self._fd, self._layout[name])

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Cancel the remaining tables (the store is closing): the thread stops at its next
        step (one chunk parsed or STEP records compacted, tens of ms), so this never waits for
        the whole load. The sidecar stays."""
        self._stop = True
        self._go.set()
        self._rest.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Someone reads a few records from the file's bytes meanwhile (Peek.matching, under
        a second): the load waits between its steps until they are done (one GIL)."""
        with self._readers:
            self._reading += 1
        try:
            yield
        finally:
            with self._readers:
                self._reading -= 1

    def _stopped(self) -> bool:
        """Between two steps: a pause while the store saves, then the app's (`pace`)."""
        if not self._stop:
            self._store.pause_for_writes(lambda: self._stop)
        pause = self._pause
        if pause is not None and not self._stop:  # (it returns at once while a table is waited for)
            pause(lambda: self._stop or self._store.waited_for())
        while self._reading and not self._stop:
            time.sleep(0.005)
        return self._stop

    def _run(self) -> None:
        try:
            self._go.wait()
            if self._stop:
                raise _Stopped
            with gc_paused():
                for name in LEAN_LATER:  # first: the next tables' parsing reuses the memory freed
                    if name not in self._names and not self._store.compact_records(name, self._stopped):
                        raise _Stopped
                try:
                    for number, name in enumerate(self._names):
                        if number and not self._rest.is_set():
                            self._rest.wait()
                            if self._stop:
                                raise _Stopped
                        peek, self._peek = (self._peek, None) if name == "customers" else (None, self._peek)
                        docs, index = parse_table(
                            self._fd, name, self._layout[name], name in CHILD_TABLES, self._stopped,
                            peek=peek,
                        )
                        del peek
                        self._store.publish(name, docs, index)
                        freeze_when_resumed(len(docs))
                except LayoutMismatch:
                    self._full_parse()  # the sidecar lied: the file itself decides
            give_back_freed_memory()
        except _Stopped:
            pass
        except (OSError, ValueError, TypeError) as exc:
            self._store.load_failed(self._on_error(str(exc)))
        except BaseException as exc:  # never leave a reader waiting forever
            self._store.load_failed(exc)
            raise
        finally:
            if self._stop and not self._store.loaded():
                self._store.load_cancelled()
            with self._fd_lock:
                os.close(self._fd)
                self._fd = -1

    def _full_parse(self) -> None:
        """Parse the whole file (the same inode open already read) and publish every table
        not loaded yet; a file that does not parse raises (SnapshotError is a ValueError)."""
        from custui.store.snapshot import parse_snapshot

        self._store.distrust_sidecar()
        size = os.fstat(self._fd).st_size
        data = os.pread(self._fd, size, 0)
        while len(data) < size:
            data += os.pread(self._fd, size - len(data), len(data))
        tables = parse_snapshot(data)
        del data
        for name, raw in tables.items():
            if self._stop:
                raise _Stopped
            if name == "_default" or (self._store.loaded(name) and name in self._layout):
                continue
            docs = dict(zip(map(int, raw), raw.values(), strict=True))
            for doc_id, doc in docs.items():
                if type(doc) is not dict:
                    raise TypeError(f"table {name!r} holds something that is not a record")
                doc["id"] = doc_id
            self._store.publish(name, docs, None)
