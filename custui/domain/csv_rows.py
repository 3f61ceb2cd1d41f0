"""Reading CSV rows into customer and order fields (pure: text in, values or reasons out).

Header names map to fields by themselves (English and Vietnamese spellings, any case,
with or without diacritics); `--map COLUMN=field` maps the others. Codes stay text
("00042" keeps its zeros). Dates are ISO or dd/mm/yyyy unless a strptime format is
given; amounts follow the currency's decimals (`parse_money`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from custui.domain.enums import GENDERS, KINDS, LIFECYCLES, ROLES, SCOPES, SOURCES
from custui.domain.money import MoneyParseError, decimals, parse_money
from custui.domain.text import EMAIL_RE, fold, normalize_phone


class RowError(ValueError):
    """One field of one row is unusable; the message is the reason shown to the user."""


class HeaderError(ValueError):
    """The header cannot be mapped (a needed field is missing, a --map is wrong)."""


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

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous_end = reader.line_num
        try:
            for cells in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if cells and any(cell.strip() for cell in cells):
                    yield start, cells
        except csv.Error as exc:
            raise RowError(f"line {reader.line_num}: {exc}") from None

    return header, rows()


# -- headers ----------------------------------------------------------------------------------
def header_key(name: str) -> str:
    """`Số điện thoại` -> `so_dien_thoai`, `Customer ID` -> `customer_id`."""
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")


CUSTOMER_FIELDS = (
    "code", "name", "kind", "scope", "role", "phone", "email", "address", "region", "gender",
    "birth_year", "birthday", "income_band", "needs", "budget", "source", "tags",
    "consent_to_contact", "referred_by", "status_override",
)
ORDER_FIELDS = (
    "customer_code", "customer_name", "customer_phone", "date", "total", "items", "channel",
    "promo", "points_redeemed", "void", "void_reason",
)
# columns our own customer export writes that are derived, not imported
DERIVED_COLUMNS = (
    "orders", "total_spend", "avg_order_value", "first_order", "last_order",
    "days_since_last_order", "lifecycle", "tier", "points", "clv", "created_at", "updated_at",
    "archived", "id",
)

CUSTOMER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("customer_code", "customer_id", "customerid", "client_id", "ma", "ma_kh",
             "ma_khach_hang", "ma_khach"),
    "name": ("customer_name", "full_name", "customer", "ten", "ho_ten", "ho_va_ten",
             "ten_khach_hang", "ten_khach"),
    "phone": ("phone_number", "mobile", "tel", "telephone", "so_dien_thoai", "sdt",
              "dien_thoai", "dtdd"),
    "email": ("e_mail", "mail", "thu_dien_tu"),
    "kind": ("customer_type", "type", "loai", "loai_khach", "loai_khach_hang"),
    "scope": ("pham_vi",),
    "role": ("vai_tro",),
    "address": ("dia_chi",),
    "region": ("city", "province", "tinh", "thanh_pho", "khu_vuc", "country", "quoc_gia"),
    "gender": ("sex", "gioi_tinh"),
    "birth_year": ("year_of_birth", "nam_sinh"),
    "birthday": ("date_of_birth", "dob", "ngay_sinh"),
    "income_band": ("income", "thu_nhap"),
    "needs": ("nhu_cau",),
    "budget": ("ngan_sach",),
    "source": ("nguon", "nguon_khach"),
    "tags": ("tag", "nhan"),
    "consent_to_contact": ("consent",),
    "referred_by": ("referred_by_code", "referrer", "nguoi_gioi_thieu"),
    "status_override": ("lifecycle_override",),
}
ORDER_ALIASES: dict[str, tuple[str, ...]] = {
    "customer_code": ("customer_id", "customerid", "customer", "code", "client_id", "ma_kh",
                      "ma_khach_hang", "ma_khach"),
    "customer_name": ("name", "ten_khach_hang", "ho_ten", "ten_khach"),
    "customer_phone": ("phone", "so_dien_thoai", "sdt", "dien_thoai"),
    "date": ("order_date", "invoice_date", "invoicedate", "purchase_date", "ngay", "ngay_mua",
             "ngay_dat", "ngay_hoa_don"),
    "total": ("amount", "order_total", "total_amount", "value", "revenue", "price",
              "thanh_tien", "tong_tien", "so_tien", "tong_cong"),
    "items": ("item", "product", "products", "description", "san_pham", "mat_hang", "hang"),
    "channel": ("kenh", "kenh_ban"),
    "promo": ("promotion", "on_promo", "khuyen_mai"),
    "points_redeemed": ("points_used",),
    "void": ("voided", "cancelled", "canceled", "huy"),
    "void_reason": ("ly_do_huy",),
}
IGNORE = "-"


@dataclass(frozen=True)
class HeaderMap:
    """Which cell holds each field; `ignored` lists the columns nobody reads."""

    fields: dict[str, int]
    ignored: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.fields


def map_headers(
    header: Sequence[str], table: str, overrides: Mapping[str, str] | None = None
) -> HeaderMap:
    """Map header cells to fields of `table` ("customers" or "orders").

    `overrides` maps a column name (as written, or its header_key) to a field, or to
    "-" to ignore it. Raises HeaderError for an unknown field name or a field named twice.
    """
    known = CUSTOMER_FIELDS if table == "customers" else ORDER_FIELDS
    aliases = CUSTOMER_ALIASES if table == "customers" else ORDER_ALIASES
    lookup = {name: name for name in known}
    for target, names in aliases.items():
        for alias in names:
            lookup.setdefault(alias, target)
    wanted = {header_key(col): target.strip() for col, target in (overrides or {}).items()}
    columns = {header_key(col) for col in header}
    for col, target in wanted.items():
        if col not in columns:
            raise HeaderError(f"--map: the file has no column {col!r} (columns: {', '.join(header)})")
        if target != IGNORE and target not in known:
            raise HeaderError(f"--map: unknown field {target!r}; fields: {', '.join(known)}")
    fields: dict[str, int] = {}
    ignored: list[str] = []
    for index, col in enumerate(header):
        key = header_key(unneutralise(col))
        target = wanted.get(key) or lookup.get(key)
        if target is None or target == IGNORE:
            if key and key not in DERIVED_COLUMNS and target != IGNORE:
                ignored.append(col)
            continue
        if target in fields:
            if key in wanted:  # an explicit --map wins over a column that mapped by itself
                fields[target] = index
                continue
            if target in wanted.values():
                continue
            raise HeaderError(
                f"columns {header[fields[target]]!r} and {col!r} both mean {target!r}; "
                f"use --map to say which one (--map {col}=-)"
            )
        fields[target] = index
    return HeaderMap(fields=fields, ignored=ignored)


# -- cells ------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a quote."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` so exported files import back unchanged."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_date(raw: str, date_format: str | None = None) -> str:
    """ISO (1997-01-12, with or without a time), dd/mm/yyyy, or `date_format`; returns ISO."""
    text = raw.strip()
    if not text:
        raise RowError("the date is empty")
    if date_format:
        try:
            return datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            pass
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        if len(text) > 10 and text[10] in "T ":
            return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError as exc:
            raise RowError(f"bad date {text!r}: {exc}") from None
    hint = f" or {date_format}" if date_format else "; use --date-format for others"
    raise RowError(f"bad date {text!r}: expected YYYY-MM-DD or DD/MM/YYYY{hint}")


@cache
def _places(currency: str) -> int:
    return decimals(currency)


def parse_amount(raw: str, currency: str) -> int:
    """An amount in the currency's major unit into minor units (no negatives)."""
    text = raw.strip()
    if text.isdigit():
        return int(text) * 10 ** _places(currency)
    try:
        return parse_money(text, currency)
    except MoneyParseError:
        places = _places(currency)
        expected = "a whole number" if places == 0 else f"a number with up to {places} decimals"
        raise RowError(f"bad amount {text!r}: expected {expected} in {currency}") from None


_TRUE = {"1", "true", "yes", "y", "x", "co", "c", "dung", "t"}
_FALSE = {"0", "false", "no", "n", "khong", "k", "sai", "f", ""}


def parse_bool(raw: str, name: str) -> bool:
    value = fold(raw)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowError(f"bad {name} {raw.strip()!r}: expected yes or no")


_CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "kind": {"ca nhan": "individual", "person": "individual", "doanh nghiep": "business",
             "company": "business", "organisation": "business", "organization": "business",
             "to chuc": "business", "cong ty": "business"},
    "scope": {"ben ngoai": "external", "noi bo": "internal"},
    "role": {"end user": "end_user", "user": "end_user", "nguoi dung": "end_user",
             "nguoi mua": "buyer", "dai ly": "agent", "reseller": "agent",
             "nha cung cap": "supplier", "phong ban": "department"},
    "gender": {"f": "female", "nu": "female", "m": "male", "nam": "male", "khac": "other"},
    "source": {"walk in": "walk_in", "bought data": "bought_data", "gioi thieu": "referral"},
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": KINDS, "scope": SCOPES, "role": ROLES, "gender": GENDERS, "source": SOURCES,
    "status_override": LIFECYCLES,
}


def parse_choice(raw: str, name: str) -> str:
    value = fold(raw)
    choices = _CHOICES[name]
    if value.replace(" ", "_") in choices:
        return value.replace(" ", "_")
    mapped = _CHOICE_ALIASES.get(name, {}).get(value)
    if mapped:
        return mapped
    raise RowError(f"bad {name} {raw.strip()!r}: expected one of {', '.join(c for c in choices if c)}")


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
        if name in _CHOICES:
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
            if not (raw.isdigit() and 1900 <= int(raw) <= 2100):
                raise RowError(f"bad birth_year {raw!r}")
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
    if re.fullmatch(r"\d{2}-\d{2}", raw):
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
        raw = values["points_redeemed"]
        if not raw.isdigit():
            raise RowError(f"bad points_redeemed {raw!r}: expected a whole number")
        extra["points_redeemed"] = int(raw)
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
