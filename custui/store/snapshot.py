"""The database file itself: parse and check it, write it in chunks (recording its layout
for the sidecar), replace it atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from custui.store.base import Doc
from custui.store.columns import COLUMNS_LATER, LEAN_AFTER_PARSE
from custui.store.interning import share_repeated_strings
from custui.store.safe_files import write_atomic
from custui.store.sidecar import Layout, TableLayout

Tables = dict[str, dict[str, Doc]]
# docs per orjson.dumps call when writing a snapshot (bounds peak memory); also the unit the
# background loader parses at a time (lazy.py), so it holds the GIL ~10 ms at a time
CHUNK = 10_000


class SnapshotError(ValueError):
    """The database file is not a custui/TinyDB database; the message says why."""


def parse_snapshot(data: bytes) -> Tables:
    """Parse and check the shape of a database file: a dict of tables of {"id": doc}."""
    if not data.strip():
        raise SnapshotError("the file is empty")
    try:
        tables = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"not valid JSON: {exc}") from None
    if not isinstance(tables, dict):
        raise SnapshotError("not a JSON object of tables")
    for name, docs in tables.items():
        if not isinstance(docs, dict):
            raise SnapshotError(f"table {name!r} is not a JSON object")
        if name in LEAN_AFTER_PARSE and len(docs) >= COLUMNS_LATER:
            continue  # made lean after the open (values shared): strings freed now would leave
            # holes between the parsed records that what is built meanwhile fills, keeping their memory
        share_repeated_strings(name, (d for d in docs.values() if type(d) is dict))
    check_meta(tables)
    return tables


def check_meta(tables: Mapping[str, Mapping[Any, Any]]) -> None:
    """The meta record, if any, is an object whose schema_version, if any, is a number
    (keyed "1" as parsed, or 1 as the store keeps it); SnapshotError if not."""
    records = tables.get("meta", {})
    meta = records.get("1", records.get(1))
    if meta is not None and not isinstance(meta, dict):
        raise SnapshotError("meta record is not a JSON object")
    version = (meta or {}).get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SnapshotError(f"schema_version {version!r} is not a number")


def read_snapshot(path: Path) -> Tables:
    return parse_snapshot(path.read_bytes())


def schema_version_of(tables: Mapping[str, Mapping[str, Any]]) -> int:
    """The schema version in a file's meta table; files without one are version 0."""
    meta = tables.get("meta", {})
    doc = meta.get("1") or meta.get(1) or {}  # type: ignore[call-overload]
    return int(doc.get("schema_version", 0))


def table_order(names: Iterator[str] | list[str]) -> list[str]:
    """meta and customers first (what opening needs at once), orders last (the biggest)."""
    return sorted(names, key=lambda name: (name != "meta", name != "customers", name == "orders"))


def dump_snapshot(tables: Mapping[str, Mapping[int, Doc]], layout: Layout | None = None) -> Iterator[bytes]:
    """The TinyDB file, `{"table": {"1": {...}, ...}, ...}`, in chunks so it never sits whole
    in memory. Fills `layout` with the byte ranges of every table and chunk (for the sidecar)."""
    yield b"{"
    pos = 1
    for number, name in enumerate(table_order(list(tables))):
        docs = tables[name]
        head = (b"," if number else b"") + orjson.dumps(name) + b":{"
        yield head
        pos += len(head)
        entry = TableLayout((pos - 1, 0), [], len(docs))
        items = iter(docs.items())  # a column table decodes a block of records at a time
        for start in range(0, len(docs), CHUNK):
            chunk = dict(islice(items, CHUNK))
            body = orjson.dumps(chunk, option=orjson.OPT_NON_STR_KEYS)[1:-1]
            if start:
                yield b","
                pos += 1
            entry.chunks.append((pos, pos + len(body)))
            yield body
            pos += len(body)
        yield b"}"
        pos += 1
        entry.span = (entry.span[0], pos)
        if layout is not None:
            layout[name] = entry
    yield b"}\n"


class CopyStopped(OSError):
    """copy_atomic was told to stop: nothing was written."""


def copy_atomic(source: Path, target: Path, stop: Callable[[], bool] = lambda: False) -> None:
    """Copy `source` to `target` through a temp file, fsynced, mode 0600; `stop` is asked
    before each 4 MiB (True: CopyStopped, the temp file gone, `target` as it was)."""
    def chunks() -> Iterator[bytes]:
        with open(source, "rb") as src:
            while block := src.read(1 << 22):
                if stop():
                    raise CopyStopped(f"copy of {source} stopped")
                yield block

    write_atomic(target, chunks())
