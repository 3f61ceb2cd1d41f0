"""A whole database file checked in parts: the full parse of a big file without an open cache.

One `orjson.loads` of a 300 MB file (100k customers / 1M orders) makes millions of
dicts at once (2.4 GB at its peak). Whatever long-lived the app makes while they are
alive (lean records, columns, the lookup's index) lands in the gaps they leave, and
pymalloc gives an arena (1 MiB) back to the system only once nothing in it is alive:
about 200 MB stayed resident for good. So a big file in custui's own layout (compact
JSON, as dump_snapshot writes it) is instead cut into parts of about PART bytes at
record boundaries, each part parsed, checked and dropped before the next (nothing of
it stays), and open goes on as through a fresh open cache (lazy.py): the layout found
here is what the sidecar would have said, and the background load parses the big
tables again, a chunk at a time, into their compact form.

Why parts that parse prove the whole file, whatever found the cuts: if the file is
exactly `{"t1":` S1 `,"t2":` S2 ... `}` (a newline after it at most), and each table
Si is exactly `{` P1 `,` P2 ... `}` where every `{` Pj `}` parses as a JSON object on
its own, then each Si is a JSON object whose members are those of its parts in order,
and the file is a JSON object whose members are those tables: it is valid JSON, and
parses to exactly those tables. A cut found in the wrong place (a nested object that
looks like a record boundary) makes a part that does not parse; so does damage. Either
way, and for anything else not as expected (stock TinyDB's spaces, its `_default`, a
name with an escape, a table met twice, ids not in ascending order, so that two keys
might be the same id), `checked_layout` says None and open parses the file at once as
before, which decides: it refuses a damaged file with the parser's own message.
"""

from __future__ import annotations

import re
from itertools import islice
from operator import lt

import orjson

from custui.store.lazy import _NEXT_RECORD, LayoutMismatch, _records_of
from custui.store.sidecar import Layout, TableLayout

# bytes per part: parsed and dropped within ~10 ms (also the chunks the background load
# parses at a time: about 6,000 orders or 1,700 customers)
PART = 1 << 20
# a table's name (no escapes) and the `{` of its records
_HEAD = re.compile(rb'"([^"\\]*)":\{')
# where a record ends and the next begins: lazy._NEXT_RECORD, as Peek finds them (inside a
# JSON string a quote is always escaped, so the `,` and `}` before its quote are structure)
# where a table ends: its last record's `}` and its own, then the next table or the file's end
_TABLE_END = re.compile(rb'\}\}(?:,"[^"\\\d][^"\\]*":\{|\}\n?\Z)')


def checked_layout(data: bytes) -> Layout | None:
    """Where each table and each part of it lies in `data` (a whole database file), every
    part parsed and checked (an object of records keyed by ids, ascending); None when the
    file is not in custui's layout or a part does not parse: then parse it at once."""
    size = len(data)
    last = size - 1 if data.endswith(b"\n") else size  # after the file's `}`
    if not data.startswith(b'{"') or data[last - 1 : last] != b"}":
        return None
    layout: Layout = {}
    pos = 1
    while True:
        head = _HEAD.match(data, pos)
        if head is None:
            return None
        try:
            name = orjson.loads(data[head.start() : head.end() - 2])
        except orjson.JSONDecodeError:
            return None
        if name in layout or name == "_default":
            return None
        start = head.end() - 1  # the table's `{`
        table = _table(data, name, start, last)
        if table is None:
            return None
        layout[name] = table
        pos = table.span[1]
        if data[pos : pos + 2] == b',"':
            pos += 1
        elif pos == last - 1:
            return layout
        else:
            return None


def _table(data: bytes, name: str, start: int, last: int) -> TableLayout | None:
    """The table whose `{` is at `start`, its parts checked; None if it is not as expected."""
    if data[start + 1 : start + 2] == b"}":
        return TableLayout((start, start + 2), [], 0)
    end = _TABLE_END.search(data, start + 1, last)
    if end is None:
        return None
    close = end.start() + 1  # the table's `}`
    chunks: list[tuple[int, int]] = []
    count = 0
    previous: int | None = None  # the last id so far
    cur = start + 1
    while cur < close:
        cut = _NEXT_RECORD.search(data, cur + PART, close) if cur + PART < close else None
        stop = cut.start() + 1 if cut is not None else close  # the `,` (or the table's `}`) after
        try:
            ids, values = _records_of(bytearray(memoryview(data)[cur - 1 : stop + 1]), f"table {name!r}")
        except (LayoutMismatch, ValueError):  # no JSON object of records, or a key that is no id
            return None
        del values
        if not ids or (previous is not None and ids[0] <= previous) or not all(map(lt, ids, islice(ids, 1, None))):
            return None  # not ascending: two keys could be one id ("7" and "07")
        previous = ids[-1]
        count += len(ids)
        chunks.append((cur, stop))
        cur = stop + 1
    return TableLayout((start, close + 1), chunks, count)
