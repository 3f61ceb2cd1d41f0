"""Exports: customers with derived figures, every other table, CSV (optionally for Excel) or JSON.

Files are written through a temp file and renamed, mode 0600. CSV cells that a
spreadsheet would run as a formula (= + - @ tab CR) get a leading quote; the importer
takes it off again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import orjson

from custui.config.loader import AppConfig
from custui.domain.csv_rows import neutralise
from custui.domain.lifecycle import lifecycle
from custui.domain.loyalty import tier_for, tier_from_totals
from custui.domain.metrics import clv
from custui.domain.money import decimals
from custui.domain.points import points_ledger
from custui.domain.stats import EMPTY_STATS, CustomerStats, stats_by_customer
from custui.domain.text import normalize_phone
from custui.services.alive import fit_stats
from custui.services.customers import FORM_FIELDS
from custui.services.loyalty import goodwill_events
from custui.store.base import Doc, Store

CUSTOMER_COLUMNS = (
    "code", "name", "kind", "scope", "role", "phone", "phone_normalized", "email", "orders", "total_spend",
    "avg_order_value", "first_order", "last_order", "days_since_last_order", "lifecycle",
    "tier", "points", "clv", "p_alive", "expected_purchases_90d",
)
# the rest of what a customer record holds (`--all-fields`, and `export all`); imports back
EXTRA_CUSTOMER_COLUMNS = (
    "referred_by", "status_override", "address", "region", "gender", "birth_year", "birthday",
    "income_band", "needs", "budget", "source", "tags", "consent_to_contact",
)
# every table's columns, in this order; customer_code follows customer_id
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    # what the orders import reads back (JSON has every stored field)
    "orders": ("customer_code", "customer_name", "date", "total", "items", "channel", "promo",
               "points_redeemed", "void", "void_reason"),
    "feedback": ("id", "customer_id", "customer_code", "order_id", "survey_id", "answers",
                 "channel", "created_at"),
    "complaints": ("id", "customer_id", "customer_code", "order_id", "category", "severity",
                   "description", "status", "opened_at", "due_at", "resolved_at", "resolution",
                   "history", "updated_at"),
    "interactions": ("id", "customer_id", "customer_code", "type", "summary", "outcome", "at",
                     "follow_up_due", "follow_up_done", "care_key"),
    "vouchers": ("id", "customer_id", "customer_code", "rule", "amount", "percent", "issued_at",
                 "expires_at", "used_at", "used_order_id", "source_order_id"),
    "audit": ("id", "customer_id", "customer_code", "at", "who", "action", "changes"),
}
ALL_TABLES = ("customers", *TABLE_COLUMNS)
PERSONAL_MARK = "personal-data"
Row = dict[str, Any]


def _referrals(customers: Sequence[Doc], stats: Mapping[int, CustomerStats]
               ) -> dict[int, list[tuple[date, int]]]:
    """(first order day, referred id) per referrer: bonuses for referred customers who bought."""
    events: dict[int, list[tuple[date, int]]] = {}
    for doc in customers:
        referrer = doc.get("referred_by")
        found = stats.get(doc["id"])
        if referrer and referrer != doc["id"] and not doc.get("merged_into") and found:
            assert found.first_order is not None
            events.setdefault(int(referrer), []).append((found.first_order, int(doc["id"])))
    return events


def segment_members(store: Store, config: AppConfig, as_of: date, segment_id: str) -> set[int]:
    """Ids of the customers in a segment (built-in or custom) on `as_of`; KeyError if unknown."""
    from custui.services.analytics import Analytics

    return set(Analytics(store, config, lambda: as_of).members(segment_id))


def _major(minor: int | float | Decimal, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(minor).scaleb(-places)).quantize(quantum, rounding=ROUND_HALF_UP)


def customer_rows(store: Store, config: AppConfig, as_of: date, only: set[int] | None = None,
                  all_fields: bool = False, in_order: Sequence[int] | None = None) -> list[Row]:
    """One row per customer (archived ones too: their orders export) with CUSTOMER_COLUMNS.

    Orders dated after `as_of` are left out, so an export "as of" a past day shows the
    figures of that day. Money is a Decimal in the major unit; empty fields are None.
    `all_fields` adds EXTRA_CUSTOMER_COLUMNS (referred_by as the referrer's code).
    """
    cutoff = as_of.isoformat()
    orders = [o for o in store.all("orders") if str(o.get("date", ""))[:10] <= cutoff]
    stats = stats_by_customer(orders)
    by_customer: dict[int, list[Doc]] = {}
    for order in orders:
        by_customer.setdefault(order.get("customer_id"), []).append(order)  # type: ignore[arg-type]
    customers = sorted(store.all("customers"), key=lambda c: c["id"])
    if in_order is not None:  # as the caller lists them (a screen's sort); the rest after, by id
        position = {cid: index for index, cid in enumerate(in_order)}
        customers.sort(key=lambda c: position.get(c["id"], len(position)))
    referrals = _referrals(customers, stats) if config.loyalty.referral.reward_points else {}
    rules = config.segments.lifecycle
    places = decimals(config.settings.currency)
    loyalty = config.loyalty
    nobody_tier = tier_from_totals(loyalty, 0, 0)
    codes = {c["id"]: c.get("code") for c in customers}
    # P(alive) fitted on the orders up to as_of (empty with too little data to fit)
    alive = fit_stats(stats, as_of, config.segments.alive.model_copy(update={"horizon_days": 90}))
    rows: list[Row] = []
    for doc in customers:
        cid = doc["id"]
        if only is not None and cid not in only:
            continue
        found = stats.get(cid, EMPTY_STATS)
        mine = by_customer.get(cid, [])
        tier = (tier_for(mine, loyalty, as_of) if mine else nobody_tier) if loyalty.tiers else None
        bonus = referrals.get(cid)
        goodwill = [g for g in goodwill_events(store, cid) if g[0] <= as_of]
        points = points_ledger(mine, loyalty, as_of, sorted(bonus or ()), goodwill).balance \
            if mine or bonus or goodwill else 0
        bought = found.has_orders
        rows.append({
            "code": doc.get("code", ""), "name": doc.get("name", ""), "kind": doc.get("kind", ""),
            "scope": doc.get("scope", ""), "role": doc.get("role", ""),
            "phone": doc.get("phone", ""),
            "phone_normalized": SheetText(normalize_phone(str(doc.get("phone") or ""))),
            "email": doc.get("email", ""),
            "orders": found.orders,
            "total_spend": _major(found.total_spend, places),
            "avg_order_value": _major(found.avg_order_value, places) if bought else None,
            "first_order": found.first_order.isoformat() if found.first_order else None,
            "last_order": found.last_order.isoformat() if found.last_order else None,
            "days_since_last_order": found.days_since_last(as_of),
            "lifecycle": lifecycle(found, as_of, rules, doc.get("status_override")),
            "tier": tier.id if tier else None,
            "points": points,
            "clv": _major(clv(found, as_of, rules.expected_lifespan_years), places) if bought else None,
            "p_alive": round(alive.values[cid].p_alive, 3) if cid in alive.values else None,
            "expected_purchases_90d": round(alive.values[cid].expected, 2) if cid in alive.values else None,
        })
        if all_fields:
            row = rows[-1]
            for name in EXTRA_CUSTOMER_COLUMNS:  # a missing field exports as the form's default
                row[name] = doc.get(name, FORM_FIELDS.get(name))
            referrer = codes.get(doc.get("referred_by"))
            row["referred_by"] = referrer
    return rows


def table_rows(store: Store, table: str, currency: str) -> tuple[tuple[str, ...], list[Row]]:
    """Every record of a child table, with the customer's code (and name for orders)."""
    columns = TABLE_COLUMNS[table]
    customers = {c["id"]: c for c in store.all("customers")}
    places = decimals(currency)
    rows: list[Row] = []
    for doc in sorted(store.all(table), key=lambda d: d["id"]):
        row = {name: doc.get(name) for name in columns}
        owner = customers.get(doc.get("customer_id"), {})
        row["customer_code"] = owner.get("code")
        if "customer_name" in row:
            row["customer_name"] = owner.get("name")
        for name in ("total", "amount"):
            amount = row.get(name)
            if isinstance(amount, int):
                row[name] = _major(amount, places)
        if table == "orders":
            row["date"] = str(row["date"] or "")[:10] if row["date"] else None
            row["promo"] = bool(row.get("promo"))
            row["void"] = bool(row.get("void"))
            row["points_redeemed"] = int(row.get("points_redeemed") or 0)
        # JSON carries every stored field (CSV only the columns above)
        row.update((k, v) for k, v in doc.items() if k not in row)
        rows.append(row)
    return columns, rows


# -- formats ----------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    return str(value)


class SheetText(str):
    """Digits a spreadsheet must keep as text (a phone's leading 0): written `="0912345678"`
    in a CSV for Excel, plain elsewhere. Only for text we build from digits, never user text
    (user text is neutralised instead)."""


def _csv_cell(value: Any, excel: bool) -> str:
    if isinstance(value, SheetText):
        return f'="{value}"' if excel and value.isdigit() else neutralise(str(value))
    return neutralise(_cell(value))


def to_csv(columns: Sequence[str], rows: Iterable[Row], *, excel: bool = False,
           delimiter: str = ",") -> bytes:
    """UTF-8 CSV (with a BOM for Excel); formula-looking cells neutralised (= + - @ tab CR
    get a leading quote), digit strings kept as text for Excel (SheetText)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if excel else "\n")
    header = list(columns)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(row.get(name), excel) for name in header])
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent == 0 else float(value)
    return value


def to_json(rows: Iterable[Row]) -> bytes:
    """One JSON array of objects; money as numbers in the major unit."""
    clean = [{k: _json_value(v) for k, v in row.items()} for row in rows]
    return orjson.dumps(clean, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"


def write_private(path: Path, data: bytes) -> None:
    """Write a file created 0600 whatever the umask, replacing any old one atomically; never
    through a symlink or over a FIFO or device (custui.store.safe_files.NotARegularFile)."""
    from custui.store.safe_files import write_atomic

    write_atomic(path, [data])


def render(table: str, store: Store, config: AppConfig, fmt: str, *, as_of: date,
           only: set[int] | None = None, excel: bool = False, all_fields: bool = False) -> bytes:
    """The bytes of one table's export in `fmt` ("csv" or "json")."""
    return render_counted(table, store, config, fmt, as_of=as_of, only=only, excel=excel,
                          all_fields=all_fields)[0]


def personal_data_path(path: Path) -> Path:
    """A customer list's file name says it holds personal data: ".personal-data" goes before
    the suffix unless the name says so already (a note inside would break CSV readers)."""
    if PERSONAL_MARK in path.name.lower():
        return path
    return path.with_name(f"{path.stem}.{PERSONAL_MARK}{path.suffix}")


def render_counted(table: str, store: Store, config: AppConfig, fmt: str, *, as_of: date,
                   only: set[int] | None = None, excel: bool = False,
                   all_fields: bool = False) -> tuple[bytes, int]:
    """`render`, and how many rows it holds (for the data-access log)."""
    if table == "customers":
        columns: Sequence[str] = CUSTOMER_COLUMNS + (EXTRA_CUSTOMER_COLUMNS if all_fields else ())
        rows = customer_rows(store, config, as_of, only, all_fields)
    else:
        columns, rows = table_rows(store, table, config.settings.currency)
    if fmt == "json":
        return to_json(rows), len(rows)
    return to_csv(columns, rows, excel=excel), len(rows)


def export_all(store: Store, config: AppConfig, folder: Path, *, as_of: date,
               excel: bool = False) -> tuple[list[Path], int]:
    """Every table as CSV and JSON into `folder` (created 0700 if missing); customers with
    every field (customers.personal-data.csv), so importing it then orders.csv rebuilds them.
    Returns the files and the number of records in one format."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Path] = []
    records = 0
    for table in ALL_TABLES:
        for fmt in ("csv", "json"):
            path = folder / f"{table}.{fmt}"
            if table == "customers":
                path = personal_data_path(path)
            data, count = render_counted(table, store, config, fmt, as_of=as_of, excel=excel,
                                         all_fields=True)
            write_private(path, data)
            written.append(path)
        records += count
    return written, records
