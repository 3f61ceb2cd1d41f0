"""Importing customers and orders from CSV: plan every row first, then write all or nothing.

Customers match by code, else normalised phone, else e-mail: an existing one is updated,
never duplicated. Orders carry `external_key` = identity of the row (customer, date,
amount, items) + "#n" for the n-th identical row of the file, so importing the same
data again (even re-exported with other formatting) adds nothing, while two identical
purchases in one file stay two orders. Orders entered by hand (no key) count as already
imported when a row has their identity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from custui.domain.csv_rows import (
    HeaderError,
    HeaderMap,
    OrderRow,
    RowError,
    cells_of,
    decode,
    map_headers,
    order_identity,
    parse_customer,
    parse_order,
    split_rows,
)
from custui.domain.text import fold
from custui.errors import BadInput
from custui.services.import_conflicts import find_conflicts
from custui.services.import_plan import (
    CustomerIndex,
    ImportOptions,
    ImportPlan,
    ImportResult,
    Ref,
)
from custui.services.import_write import apply_plan
from custui.store.base import Doc, Store

Progress = Callable[[int], None]
_PROGRESS_STEP = 1_000


def _rows(data: bytes, table: str, options: ImportOptions, result: ImportResult
          ) -> tuple[HeaderMap, int, Iterator[tuple[int, list[str]]]]:
    try:
        header, rows = split_rows(decode(data))
        hmap = map_headers(header, table, options.mapping)
    except (RowError, HeaderError) as exc:
        raise BadInput(str(exc)) from None
    result.ignored_columns = hmap.ignored
    return hmap, len(header), _readable(rows)


def _readable(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The rows; a file the csv module cannot read on (a huge cell) is bad input as a whole."""
    try:
        yield from rows
    except RowError as exc:
        raise BadInput(str(exc)) from None


def _require(hmap: HeaderMap, groups: list[tuple[str, ...]], header_hint: str) -> None:
    for group in groups:
        if not any(hmap.has(name) for name in group):
            names = " or ".join(group)
            raise BadInput(f"the file has no {names} column ({header_hint}); use --map COLUMN={group[0]}")


def _counted(rows: Iterator[tuple[int, list[str]]], progress: Progress | None
             ) -> Iterator[tuple[int, list[str]]]:
    done = 0
    for item in rows:
        yield item
        done += 1
        if progress and done % _PROGRESS_STEP == 0:
            progress(_PROGRESS_STEP)
    if progress:
        progress(done % _PROGRESS_STEP)


# -- customers ------------------------------------------------------------------------------
def _parse_customers(rows: Iterator[tuple[int, list[str]]], hmap: HeaderMap, width: int,
                     options: ImportOptions, result: ImportResult
                     ) -> list[tuple[int, dict[str, Any], str]]:
    """(line, customer fields, referrer code) of every row that reads; bad ones to `result`."""
    parsed: list[tuple[int, dict[str, Any], str]] = []
    for line, cells in rows:
        result.rows_read += 1
        try:
            doc = parse_customer(cells_of(cells, hmap, width), options.date_format)
        except RowError as exc:
            result.refuse(line, str(exc))
            continue
        parsed.append((line, doc, str(doc.pop("referred_by_code", "") or "")))
    return parsed


def _rename(store: Store, ref: Ref, doc: dict[str, Any], how: str) -> str | None:
    """Why updating stored customer `ref` with `doc` is a rename (not just spelling, case or
    accents), or None."""
    if not isinstance(ref, int) or not doc.get("name"):
        return None
    old = str((store.get("customers", ref) or {}).get("name") or "")
    if not old or fold(old) == fold(str(doc["name"])):
        return None
    matched = "code" if how == "code" else "phone or e-mail"
    return (f"would rename {old!r} to {doc['name']!r} (matched by {matched}: a reused or mistyped "
            "number?); check the row, or use --allow-renames")


def plan_customers(store: Store, data: bytes, options: ImportOptions,
                   progress: Progress | None = None) -> tuple[ImportResult, ImportPlan]:
    result = ImportResult(table="customers", dry_run=options.dry_run, review=[] if options.review else None)
    hmap, width, rows = _rows(data, "customers", options, result)
    _require(hmap, [("code", "phone", "email")], "customers match by code, phone or email")
    index = CustomerIndex(store)
    plan = ImportPlan()
    parsed = _parse_customers(_counted(rows, progress), hmap, width, options, result)

    def stored_code(doc: dict[str, Any]) -> str | None:
        ref, _how = index.find(str(doc.get("code") or ""), str(doc.get("phone_norm") or ""),
                               str(doc.get("email") or ""))
        if not isinstance(ref, int):
            return None
        return str((store.get("customers", ref) or {}).get("code") or f"#{ref}")

    conflicted: dict[int, str] = {}
    for conflict in find_conflicts([(line, doc) for line, doc, _ in parsed], stored_code):
        result.conflicts.append(conflict.as_dict())
        conflicted.update((line, conflict.reason(line)) for line in conflict.lines)
    # referrers named by a code not seen yet: (line, customer, code, counted unchanged)
    deferred: list[tuple[int, Ref, str, bool]] = []
    for line, doc, referrer_code in parsed:
        if line in conflicted:
            result.refuse(line, conflicted[line], "conflict")
            continue
        try:
            if referrer_code and referrer_code in index.by_code:
                doc["referred_by"] = index.follow(index.by_code[referrer_code])
            ref, how = index.find(str(doc.get("code") or ""), str(doc.get("phone_norm") or ""),
                                  str(doc.get("email") or ""))
            if ref is None:
                if not doc.get("name"):
                    raise RowError("a new customer needs a name")
                doc.setdefault("code", index.next_code())
                plan.new_customers.append(doc)
                ref = ("new", len(plan.new_customers) - 1)
                index._index(doc, ref)
                result.created += 1
                result.note(line, "create", str(doc["code"]), {k: [None, v] for k, v in doc.items()
                                                               if k != "phone_norm"})
                if referrer_code and "referred_by" not in doc:
                    deferred.append((line, ref, referrer_code, False))
                continue
            renamed = None if options.allow_renames else _rename(store, ref, doc, how)
            if renamed:
                raise RowError(renamed)
        except RowError as exc:
            result.refuse(line, str(exc))
            continue
        if how != "code":
            doc.pop("code", None)  # matched by phone or e-mail: keep the customer's own code
        changed = _merge_changes(store, plan, ref, doc)
        code = index.code_of(ref, plan)
        if changed:
            result.updated += 1
            index._index(doc, ref)
            result.note(line, "update", code, changed)
        else:
            result.unchanged += 1
            result.note(line, "unchanged", code, {})
        if referrer_code and "referred_by" not in doc:
            deferred.append((line, ref, referrer_code, not changed))
    _resolve_referrers(index, plan, deferred, result)
    return result, plan


def _resolve_referrers(index: CustomerIndex, plan: ImportPlan, deferred: list[tuple[int, Ref, str, bool]],
                       result: ImportResult) -> None:
    """Referrers named by a code that appears later in the file (or nowhere: a bad row)."""
    for line, ref, code, was_unchanged in deferred:
        target = index.by_code.get(code)
        if target is None:
            result.refuse(line, f"no customer with code {code!r} (referred_by)")
            continue
        target = index.follow(target)
        if isinstance(ref, tuple):
            plan.new_customers[ref[1]]["referred_by"] = target
            continue
        plan.customer_updates.setdefault(ref, {})["referred_by"] = target
        if was_unchanged:
            result.unchanged -= 1
            result.updated += 1
    result.bad.sort(key=lambda bad: bad.line)


def _merge_changes(store: Store, plan: ImportPlan, ref: Ref, doc: dict[str, Any]
                   ) -> dict[str, list[Any]]:
    """Fold a row's values into the planned record for `ref`; the fields it changes, as
    field -> [old, new] (empty when nothing changes)."""
    if isinstance(ref, tuple):
        target = plan.new_customers[ref[1]]
        changed = {k: [target.get(k), v] for k, v in doc.items() if target.get(k) != v}
        target.update((k, v) for k, (_old, v) in changed.items())
    else:
        before = {**(store.get("customers", ref) or {}), **plan.customer_updates.get(ref, {})}
        changed = {k: [before.get(k), v] for k, v in doc.items() if before.get(k) != v}
        if changed:
            plan.customer_updates[ref] = {**plan.customer_updates.get(ref, {}),
                                          **{k: v for k, (_old, v) in changed.items()}}
    changed.pop("phone_norm", None)
    return changed


# -- orders ---------------------------------------------------------------------------------
class _ExistingOrders:
    """One customer's stored orders: by import key, and hand-entered ones by identity."""

    def __init__(self, orders: list[Doc], code: str) -> None:
        self.by_key: dict[str, Doc] = {}
        self.unkeyed: Counter[str] = Counter()
        for order in orders:
            key = order.get("external_key")
            if key:
                self.by_key[str(key)] = order
            else:
                identity = order_identity(code, str(order.get("date", ""))[:10],
                                          int(order.get("total") or 0), str(order.get("items") or ""))
                self.unkeyed[identity] += 1


def plan_orders(store: Store, data: bytes, options: ImportOptions, currency: str,
                progress: Progress | None = None) -> tuple[ImportResult, ImportPlan]:
    result = ImportResult(table="orders", dry_run=options.dry_run, review=[] if options.review else None)
    hmap, width, rows = _rows(data, "orders", options, result)
    _require(hmap, [("customer_code", "customer_phone"), ("date",), ("total",)], "orders need "
             "a customer code, a date and an amount")
    index = CustomerIndex(store)
    plan = ImportPlan()
    existing: dict[int, _ExistingOrders] = {}
    occurrences: Counter[str] = Counter()
    for line, cells in _counted(rows, progress):
        result.rows_read += 1
        try:
            row = parse_order(cells_of(cells, hmap, width), currency, options.date_format)
            ref, code = _order_customer(index, plan, row, options, result)
        except RowError as exc:
            result.refuse(line, str(exc))
            continue
        identity = order_identity(code, row.date, row.total, row.items)
        occurrences[identity] += 1
        key = f"{identity}#{occurrences[identity]}"
        known = None
        if isinstance(ref, int):
            if ref not in existing:
                existing[ref] = _ExistingOrders(store.children("orders", ref), code)
            known = existing[ref]
        if known is not None and key in known.by_key:
            stored = known.by_key[key]
            changes = {k: v for k, v in row.extra.items() if stored.get(k) != v}
            if changes:
                plan.order_updates[stored["id"]] = changes
                result.updated += 1
                result.note(line, "update", code, {k: [stored.get(k), v] for k, v in changes.items()})
            else:
                result.unchanged += 1
                result.note(line, "unchanged", code)
        elif known is not None and known.unkeyed[identity] > 0:
            known.unkeyed[identity] -= 1
            result.unchanged += 1
            result.note(line, "unchanged", code)
        else:
            plan.new_orders.append(_new_order(ref, row, key))
            result.created += 1
            result.note(line, "create", code, {"date": [None, row.date], "total": [None, row.total]})
    return result, plan


def _order_customer(index: CustomerIndex, plan: ImportPlan, row: OrderRow, options: ImportOptions,
                    result: ImportResult) -> tuple[Ref, str]:
    """The customer an order row names, planning a new one with --create-customers."""
    from custui.domain.text import normalize_phone

    phone = normalize_phone(row.customer_phone) if row.customer_phone else ""
    ref, _how = index.find(row.customer_code, "" if row.customer_code else phone)
    if ref is None:
        if not (options.create_customers and row.customer_code):
            what = f"code {row.customer_code!r}" if row.customer_code else f"phone {row.customer_phone!r}"
            hint = "" if options.create_customers else " (use --create-customers to add it)"
            raise RowError(f"no customer with {what}{hint}")
        doc: dict[str, Any] = {"code": row.customer_code, "name": row.customer_name or row.customer_code}
        if phone:
            doc.update(phone=row.customer_phone, phone_norm=phone)
        plan.new_customers.append(doc)
        ref = ("new", len(plan.new_customers) - 1)
        index._index(doc, ref)
        result.customers_created += 1
        return ref, row.customer_code
    if isinstance(ref, tuple):
        return ref, str(plan.new_customers[ref[1]]["code"])
    stored = index.store.get("customers", ref) or {}
    return ref, str(stored.get("code") or row.customer_code)


def _new_order(ref: Ref, row: OrderRow, key: str) -> dict[str, Any]:
    return {
        "customer_id": ref, "date": row.date, "total": row.total, "items": row.items,
        "promo": False, "channel": "", "voucher_id": None, "points_redeemed": 0, "void": False,
        **row.extra, "external_key": key,
    }


def finish(store: Store, result: ImportResult, plan: ImportPlan, options: ImportOptions, *,
           now: str, operator: str) -> ImportResult:
    """All or nothing: write only when no row is bad (or --skip-bad), and not a dry run."""
    if result.bad:
        result.skipped = len(result.bad)
        if not options.skip_bad:
            return result
    if not options.dry_run and plan.writes():
        apply_plan(store, plan, now=now, operator=operator)
        result.written = True
    return result


def import_customers(store: Store, data: bytes, options: ImportOptions, *, now: str,
                     operator: str, progress: Progress | None = None) -> ImportResult:
    result, plan = plan_customers(store, data, options, progress)
    return finish(store, result, plan, options, now=now, operator=operator)


def import_orders(store: Store, data: bytes, options: ImportOptions, *, currency: str, now: str,
                  operator: str, progress: Progress | None = None) -> ImportResult:
    result, plan = plan_orders(store, data, options, currency, progress)
    return finish(store, result, plan, options, now=now, operator=operator)
