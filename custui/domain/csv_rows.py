"""Reading CSV rows into customer and order fields (pure: text in, values or reasons out).

Header names map to fields by themselves (English and Vietnamese spellings, any case,
with or without diacritics); `--map COLUMN=field` maps the others. Codes stay text
("00042" keeps its zeros). Dates are ISO or dd/mm/yyyy unless a strptime format is
given; amounts follow the currency's decimals (`parse_money`). Headers are mapped in
csv_headers, single cells read in csv_cells; both are re-exported here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from custui.domain.csv_cells import (
    CHOICES,
    RowError,
    neutralise,
    parse_amount,
    parse_bool,
    parse_choice,
    parse_count,
    parse_date,
    unneutralise,
)
from custui.domain.csv_headers import (
    CUSTOMER_FIELDS,
    DERIVED_COLUMNS,
    IGNORE,
    ORDER_FIELDS,
    HeaderError,
    HeaderMap,
    header_key,
    map_headers,
)
from custui.domain.dates import MAX_YEAR, MIN_YEAR, year_in_range
from custui.domain.text import EMAIL_RE, fold, is_ascii_digits, normalize_phone

__all__ = [
    "CUSTOMER_FIELDS", "DERIVED_COLUMNS", "IGNORE", "ORDER_FIELDS", "HeaderError", "HeaderMap",
    "OrderRow", "RowError", "cells_of", "decode", "detect_delimiter", "header_key", "map_headers",
    "neutralise", "order_identity", "parse_amount", "parse_bool", "parse_choice", "parse_customer",
    "parse_date", "parse_order", "split_rows", "unneutralise",
]


# -- decoding and splitting -----------------------------------------------------------------
def decode(data: bytes) -> str:
    """UTF-8 with or without a BOM; raises RowError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RowError(
            f"line {line}: the file is not UTF-8 (save it as 'CSV UTF-8' and try again)"
        ) from None


def detect_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: unquoted.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def split_rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (line number where the row starts, cells).

    Blank lines are skipped; a quoted cell may span lines.
    """
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first))
    try:
        header = next(reader)
    except StopIteration:
        raise HeaderError("the file is empty") from None
    except csv.Error as exc:
        raise HeaderError(_csv_problem(1, exc)) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous_end = reader.line_num
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if cells and any(cell.strip() for cell in cells):
                    yield start, cells
        except csv.Error as exc:
            raise RowError(_csv_problem(previous_end + 1, exc)) from None

    return header, rows()


def _csv_problem(line: int, exc: csv.Error) -> str:
    """What the csv module could not read, said for people; the rest of the file is unreadable."""
    if "field larger than field limit" in str(exc):
        return (f"line {line}: a cell is longer than {csv.field_size_limit():,} characters "
                "(often a quote that is never closed)")
    return f"line {line}: {exc}"


# -- rows ---------------------------------------------------------------------------------------
def cells_of(cells: Sequence[str], hmap: HeaderMap, width: int) -> dict[str, str]:
    """The mapped, stripped, un-neutralised text of one row (missing trailing cells are empty)."""
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        raise RowError(f"{len(cells)} cells but the header has {width} columns")
    out: dict[str, str] = {}
    for name, index in hmap.fields.items():
        value = cells[index].strip() if index < len(cells) else ""
        out[name] = unneutralise(value)
    return out


def parse_customer(values: Mapping[str, str], date_format: str | None = None) -> dict[str, object]:
    """Customer fields from one row's text; only non-empty cells appear in the result."""
    doc: dict[str, object] = {}
    for name, raw in values.items():
        if not raw:
            continue
        if name in CHOICES:
            doc[name] = parse_choice(raw, name)
        elif name == "phone":
            if len(normalize_phone(raw)) < 8:
                raise RowError(f"bad phone {raw!r}")
            doc["phone"] = raw
            doc["phone_norm"] = normalize_phone(raw)
        elif name == "email":
            if not EMAIL_RE.match(raw):
                raise RowError(f"bad email {raw!r}")
            doc["email"] = raw
        elif name == "birth_year":
            if not (is_ascii_digits(raw) and len(raw) == 4 and year_in_range(int(raw))):
                raise RowError(f"bad birth_year {raw[:40]!r}: expected a year from {MIN_YEAR} to {MAX_YEAR}")
            doc["birth_year"] = int(raw)
        elif name == "birthday":
            doc.update(_birthday(raw, date_format))
        elif name == "tags":
            doc["tags"] = [tag.strip() for tag in re.split(r"[;,]", raw) if tag.strip()]
        elif name == "consent_to_contact":
            doc[name] = parse_bool(raw, name)
        elif name == "referred_by":
            doc["referred_by_code"] = raw  # the referrer's code; the importer finds the id
        else:
            doc[name] = raw
    return doc


def _birthday(raw: str, date_format: str | None) -> dict[str, object]:
    if re.fullmatch(r"[0-9]{2}-[0-9]{2}", raw):
        return {"birthday": raw}
    iso = parse_date(raw, date_format)
    return {"birthday": iso[5:], "birth_year": int(iso[:4])}


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One parsed order row; `extra` holds the optional fields present in the row."""

    customer_code: str
    customer_name: str
    customer_phone: str
    date: str
    total: int
    items: str
    extra: dict[str, object]


def parse_order(values: Mapping[str, str], currency: str, date_format: str | None = None) -> OrderRow:
    """Order fields from one row's text; raises RowError with the first reason found."""
    code = values.get("customer_code", "")
    phone = values.get("customer_phone", "")
    if not code and not phone:
        raise RowError("no customer code")
    day = parse_date(values.get("date", ""), date_format)
    raw_total = values.get("total", "")
    if not raw_total:
        raise RowError("the amount is empty")
    total = parse_amount(raw_total, currency)
    extra: dict[str, object] = {}
    if values.get("channel"):
        extra["channel"] = values["channel"]
    for flag in ("promo", "void"):
        if flag in values:
            extra[flag] = parse_bool(values[flag], flag)
    if values.get("void_reason"):
        extra["void_reason"] = values["void_reason"]
    if values.get("points_redeemed"):
        extra["points_redeemed"] = parse_count(values["points_redeemed"], "points_redeemed")
    return OrderRow(
        customer_code=code,
        customer_name=values.get("customer_name", ""),
        customer_phone=phone,
        date=day,
        total=total,
        items=values.get("items", ""),
        extra=extra,
    )


def order_identity(code: str, day: str, total: int, items: str) -> str:
    """What makes two order rows the same purchase: customer, date, amount and items.

    Formatting does not matter (1.250.000 and 1250000, 12/01/1997 and 1997-01-12 agree);
    the importer adds `#n` for the n-th identical row of a file (separate purchases).
    """
    text = "\x1f".join((code, day, str(total), fold(items)))
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()
