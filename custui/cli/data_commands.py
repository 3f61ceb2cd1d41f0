"""Data commands: import customers/orders from CSV, export tables, the period report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from custui.cli.options import Resolved, common_options, format_option, resolve
from custui.cli.output import deliver_bytes, emit, output_file, say
from custui.cli.roles import authorize
from custui.clock import pinned_today
from custui.errors import BadInput
from custui.i18n import t

F = TypeVar("F", bound=Callable[..., Any])


def _parse_day(value: str | None, option_name: str) -> date | None:
    if not value:
        return None
    from custui.domain.csv_rows import RowError, parse_date

    try:
        return date.fromisoformat(parse_date(value))
    except RowError as exc:
        raise BadInput(f"{option_name}: {exc}") from None


def _open(resolved: Resolved, read_only: bool = False) -> Any:
    from custui.store.dispatch import open_any

    settings = resolved.config.settings
    return open_any(resolved.db_path, read_only=read_only, backups_kept=settings.backups_kept,
                      backup_retention_days=settings.backup_retention_days,
                      journal_compact_mb=settings.journal_compact_mb)


def _open_for_export(resolved: Resolved) -> Any:
    """Read-only (on a file an export works while the app holds the lock): the access entry
    goes to the `.access.log` beside the file, or on PostgreSQL to the audit table through
    `Store.append_audit`, which a read-only open allows."""
    return _open(resolved, read_only=True)


def _log_export(ws: Any, what: str, rows: int, out: Path | None) -> None:
    """Every export of customer data goes into the data-access log (who, when, what, rows)."""
    from custui.services.access_log import log_access

    log_access(ws.store, who=ws.operator, at=ws.now_iso(), action="export", what=what, rows=rows,
               target=str(out) if out is not None else "stdout")


# -- import ---------------------------------------------------------------------------------
@click.group("import")
@common_options
def import_group() -> None:
    """Import customers or orders from a CSV file (comma, semicolon or tab; UTF-8)."""


def _import_options(func: F) -> F:
    func = format_option(func)
    func = click.option("--skip-bad", is_flag=True,
                        help="Import the good rows and list the bad ones (default: all or nothing).")(func)
    func = click.option("--review", "review", metavar="FILE", default=None,
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="With --dry-run: write a CSV of every row and what it would do "
                             "(create, update old → new, unchanged, conflict, error).")(func)
    func = click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")(func)
    func = click.option("--date-format", metavar="FORMAT", default=None, callback=_check_date_format,
                        help="strptime format of the dates, e.g. %m/%d/%Y (ISO and dd/mm/yyyy always work).")(func)
    func = click.option("--map", "mapping", metavar="COLUMN=FIELD", multiple=True,
                        help="Read COLUMN as FIELD (FIELD '-' ignores the column). Repeatable.")(func)
    func = click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))(func)
    return common_options(func)


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip():
            raise BadInput(f"--map {pair!r}: expected COLUMN=FIELD")
        result[column.strip()] = target.strip() or "-"
    return result


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except OSError as exc:
        raise BadInput(f"{path}: {exc.strerror}") from None


@contextmanager
def _progress(total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    if not enabled or not sys.stderr.isatty() or total < 2_000:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _check_date_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --date-format that cannot read back a date it wrote (e.g. %Q, or no %d)."""
    if value is None:
        return None
    from datetime import datetime

    sample = datetime(2024, 1, 31)
    try:
        if "%" not in value or datetime.strptime(sample.strftime(value), value).date() != sample.date():
            raise ValueError
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date format that names day, month and year (e.g. %m/%d/%Y)"
        ) from None
    return value


def _run_import(ctx: click.Context, table: str, file: Path, mapping: tuple[str, ...],
                date_format: str | None, dry_run: bool, skip_bad: bool, output_format: str,
                create_customers: bool = False, review: Path | None = None,
                allow_renames: bool = False) -> None:
    from custui.services.import_plan import ImportOptions
    from custui.services.importer import import_customers, import_orders

    if review is not None and not dry_run:
        raise BadInput(t("data.import.review_needs_dry_run"))
    resolved = resolve(ctx)
    options = ImportOptions(mapping=_mapping(mapping), date_format=date_format, skip_bad=skip_bad,
                            dry_run=dry_run, create_customers=create_customers,
                            allow_renames=allow_renames, review=review is not None)
    data = _read(file)
    store = _open(resolved, read_only=dry_run)
    try:
        ws = authorize(ctx, resolved, "import", store)
        with _progress(data.count(b"\n"), t("data.import.progress", table=table),
                       output_format == "text") as progress:
            if table == "customers":
                result = import_customers(store, data, options, now=ws.now_iso(),
                                          operator=ws.operator, progress=progress)
            else:
                result = import_orders(store, data, options, currency=ws.currency,
                                       now=ws.now_iso(), operator=ws.operator, progress=progress)
    finally:
        store.close()
    if review is not None:
        from custui.services.exporter import write_private
        from custui.services.import_review import review_csv

        try:
            write_private(review, review_csv(result))
        except OSError as exc:
            raise BadInput(f"{review}: {exc.strerror}") from None
        say(t("data.import.review_written", path=str(review), rows=len(result.review or [])),
                   err=True)
    name = "-" if str(file) == "-" else str(file)
    for bad in result.bad:
        say(f"{name}:{bad.line}: {bad.reason}", err=True)
    if result.ignored_columns and output_format == "text":
        say(t("data.import.ignored", columns=", ".join(result.ignored_columns)), err=True)
    emit(result.as_dict(), output_format, _summary_text(result))
    if result.bad and not skip_bad:
        count = len(result.bad)
        raise BadInput(t("data.import.refused_1") if count == 1 else t("data.import.refused", count=count))


def _summary_text(result: Any) -> str:
    text = t("data.import.summary", table=result.table, read=result.rows_read,
             created=result.created, updated=result.updated, unchanged=result.unchanged,
             skipped=result.skipped)
    if result.customers_created:
        text += "\n" + t("data.import.customers_created", count=result.customers_created)
    if result.dry_run:
        text += "\n" + t("data.import.dry_run")
    elif result.bad and not result.written and result.skipped:
        text += "\n" + t("data.import.nothing_written")
    return text


@import_group.command("customers")
@_import_options
@click.option("--allow-renames", is_flag=True,
              help="Let a matched customer's name change (not just its spelling, case or accents).")
@click.pass_context
def import_customers_command(ctx: click.Context, file: Path, mapping: tuple[str, ...],
                             date_format: str | None, dry_run: bool, review: Path | None,
                             skip_bad: bool, output_format: str, allow_renames: bool) -> None:
    """Import customers: matched by code, else phone, else e-mail (updated, never duplicated).

    Two rows that are the same customer (code, phone in any form, e-mail) and disagree are
    a conflict: both are refused, naming each other and the fields that differ."""
    _run_import(ctx, "customers", file, mapping, date_format, dry_run, skip_bad, output_format,
                review=review, allow_renames=allow_renames)


@import_group.command("orders")
@_import_options
@click.option("--create-customers", is_flag=True,
              help="Create a customer for an unknown code (named by the code until edited).")
@click.pass_context
def import_orders_command(ctx: click.Context, file: Path, mapping: tuple[str, ...],
                          date_format: str | None, dry_run: bool, review: Path | None,
                          skip_bad: bool, output_format: str, create_customers: bool) -> None:
    """Import orders naming their customer by code; importing the same rows again adds nothing."""
    _run_import(ctx, "orders", file, mapping, date_format, dry_run, skip_bad, output_format,
                create_customers, review=review)


# -- export ---------------------------------------------------------------------------------
@click.group("export")
@common_options
def export_group() -> None:
    """Export customers (with their figures), other tables, or everything."""


def _export_options(func: F) -> F:
    func = click.option("--excel", is_flag=True, help="Add a BOM so Excel reads UTF-8 (Vietnamese).")(func)
    func = click.option("--out", "out", metavar="FILE", type=click.Path(path_type=Path), default=None,
                        help="Write to FILE (mode 0600) instead of stdout.")(func)
    func = click.option("--format", "output_format", type=click.Choice(["csv", "json"]),
                        default="csv", show_default=True)(func)
    return common_options(func)


def _deliver(data: bytes, out: Path | None) -> None:
    from custui.services.exporter import write_private

    if out is None:
        deliver_bytes(data)
        return
    out = output_file(out)
    try:
        write_private(out, data)
    except OSError as exc:
        raise BadInput(f"{out}: {exc.strerror}") from None
    say(t("data.export.written", path=out), err=True)


def _segment_members(store: Any, config: Any, as_of: date, name: str) -> set[int]:
    from custui.services.exporter import segment_members

    try:
        return segment_members(store, config, as_of, name)
    except KeyError:
        from custui.services.analytics import Analytics

        ids = ", ".join(seg.id for seg in Analytics(store, config, lambda: as_of).segment_list())
        raise BadInput(t("data.export.no_segment", name=name, ids=ids)) from None


@export_group.command("customers")
@_export_options
@click.option("--segment", metavar="NAME", default=None, help="Only the members of a segment (its id).")
@click.option("--all-fields", is_flag=True,
              help="Add every other stored field after the standard columns (address, tags, ...).")
@click.option("--as-of", "as_of", metavar="DATE", default=None,
              help="Figures as of DATE (orders after it left out); default today.")
@click.pass_context
def export_customers_command(ctx: click.Context, output_format: str, out: Path | None, excel: bool,
                             segment: str | None, all_fields: bool, as_of: str | None) -> None:
    """One row per customer: contact fields, orders, spend, lifecycle, tier, points, CLV.
    A file's name says it holds personal data (".personal-data" is added when missing)."""
    from custui.services.exporter import personal_data_path, render_counted

    resolved = resolve(ctx)
    day = _parse_day(as_of, "--as-of") or pinned_today()
    # the path given is checked first: a FIFO or device must not become "<name>.personal-data"
    out = personal_data_path(output_file(out)) if out is not None else None
    store = _open_for_export(resolved)
    try:
        ws = authorize(ctx, resolved, "export", store)
        only = _segment_members(store, resolved.config, day, segment) if segment else None
        data, rows = render_counted("customers", store, resolved.config, output_format, as_of=day,
                                    only=only, excel=excel, all_fields=all_fields)
        _log_export(ws, f"customers (segment {segment})" if segment else "customers", rows, out)
    finally:
        store.close()
    _deliver(data, out)


def _table_command(table: str) -> click.Command:
    @click.command(table, help=f"Every {table} record (with the customer's code).")
    @_export_options
    @click.pass_context
    def command(ctx: click.Context, output_format: str, out: Path | None, excel: bool) -> None:
        from custui.services.exporter import render_counted

        resolved = resolve(ctx)
        store = _open_for_export(resolved)
        try:
            ws = authorize(ctx, resolved, "export", store)
            data, rows = render_counted(table, store, resolved.config, output_format,
                                        as_of=pinned_today(), excel=excel)
            _log_export(ws, table, rows, out)
        finally:
            store.close()
        _deliver(data, out)

    return command


for _table in ("orders", "feedback", "complaints", "interactions", "vouchers"):
    export_group.add_command(_table_command(_table))


@export_group.command("all")
@common_options
@click.argument("folder", metavar="DIR", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The same as DIR.")
@click.option("--as-of", "as_of", metavar="DATE", default=None, help="Customer figures as of DATE.")
@click.option("--excel", is_flag=True, help="CSV with a BOM for Excel.")
@format_option
@click.pass_context
def export_all_command(ctx: click.Context, folder: Path | None, out: Path | None, as_of: str | None,
                       excel: bool, output_format: str) -> None:
    """Every table as CSV and JSON into DIR (created if missing; files 0600)."""
    from custui.services.exporter import export_all

    if folder is not None and out is not None and folder != out:
        raise BadInput(t("data.export.two_folders", a=str(folder), b=str(out)))
    out = folder or out
    if out is None:
        raise BadInput(t("data.export.no_folder"))
    resolved = resolve(ctx)
    day = _parse_day(as_of, "--as-of") or pinned_today()
    out = output_file(out, folder=True)
    store = _open_for_export(resolved)
    try:
        ws = authorize(ctx, resolved, "export", store)
        written, rows = export_all(store, resolved.config, out, as_of=day, excel=excel)
        _log_export(ws, "all", rows, out)
    except OSError as exc:
        raise BadInput(f"{out}: {exc.strerror or exc}") from None
    finally:
        store.close()
    emit({"folder": str(out), "files": [str(p) for p in written]}, output_format,
         "\n".join(str(p) for p in written))


# -- report ---------------------------------------------------------------------------------
@click.command("report")
@common_options
@click.option("--from", "start", metavar="DATE", default=None, help="First day (default: month to date).")
@click.option("--to", "end", metavar="DATE", default=None, help="Last day.")
@click.option("--vs-from", "vs_start", metavar="DATE", default=None,
              help="Comparison period start (default: the previous months for whole months, "
                   "else as many days just before).")
@click.option("--vs-to", "vs_end", metavar="DATE", default=None, help="Comparison period end.")
@click.option("--period", "period", default=None,
              type=click.Choice(["month-to-date", "quarter-to-date", "year-to-date", "last-month",
                                 "last-quarter", "last-year"]),
              help="A named period instead of dates (default: month-to-date, against the same "
                   "days of the month before).")
@format_option
@click.pass_context
def report_command(ctx: click.Context, start: str | None, end: str | None, vs_start: str | None,
                   vs_end: str | None, period: str | None, output_format: str) -> None:
    """Customers, retention, revenue, lifecycle shares, NPS and complaints for a period,
    each against the comparison period."""
    from custui.i18n import get_locale
    from custui.services.reports import choose_periods, period_report, report_text

    resolved = resolve(ctx)
    today = pinned_today()
    try:
        periods = choose_periods(
            today, _parse_day(start, "--from"), _parse_day(end, "--to"),
            _parse_day(vs_start, "--vs-from"), _parse_day(vs_end, "--vs-to"), period)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    store = _open(resolved, read_only=True)
    try:
        report = period_report(store, resolved.config, periods, today)
    finally:
        store.close()
    locale = get_locale()
    names = {c.id: c.name.get(locale) or c.id for c in resolved.config.care.complaint_categories}
    emit(report, output_format, report_text(report, locale, periods, names))


COMMANDS: list[click.Command] = [import_group, export_group, report_command]


# -- explain --------------------------------------------------------------------------------
@click.command("explain")
@common_options
@click.argument("code", metavar="CODE")
@format_option
@click.pass_context
def explain_command(ctx: click.Context, code: str, output_format: str) -> None:
    """Why a customer has their points and tier: every points movement with its source and
    running balance, and the tier's window, orders, thresholds and what keeps it."""
    from custui.services.explain import explain_customer, explanation_json, explanation_lines
    from custui.services.privacy import find_by_code

    resolved = resolve(ctx)
    store = _open(resolved, read_only=True)
    try:
        customer = find_by_code(store, code)
        explanation = explain_customer(store, resolved.config, int(customer["id"]), pinned_today())
    finally:
        store.close()
    emit(explanation_json(explanation, resolved.config), output_format,
         "\n".join(explanation_lines(explanation, resolved.config)))


COMMANDS.append(explain_command)


# the outbox commands (export outbox, import sent, send) attach to the groups above
from custui.cli import outbox_commands  # noqa: E402

COMMANDS.extend(outbox_commands.COMMANDS)
