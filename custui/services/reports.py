"""`custui report`: one period against a comparison period, from the dashboard's computation.

The figures come from services.analytics_dashboard.Dashboard.period (the dashboard
screen's code), so the report and the screen always agree. Periods are inclusive
date ranges [start, end]; lifecycle groups are judged on `today`, as on the screen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.money import decimals, format_money
from custui.domain.periods import Comparison, Kind, Span, custom, last_complete, period_to_date
from custui.i18n import decimal_text, format_day, percent_text, t
from custui.services.analytics_base import Base
from custui.services.analytics_dashboard import (
    Active,
    Dashboard,
    PeriodFigures,
    month_start,
    retention_of,
)
from custui.services.period_text import change_text, heading, rate_label, versus
from custui.store.base import Store

RATE_PLACES = 6
TEXT_WIDTH = 80  # the text report fits a terminal of this width


PRESETS: dict[str, tuple[str, Kind]] = {
    "month-to-date": ("to_date", "month"),
    "quarter-to-date": ("to_date", "quarter"),
    "year-to-date": ("to_date", "year"),
    "last-month": ("complete", "month"),
    "last-quarter": ("complete", "quarter"),
    "last-year": ("complete", "year"),
}


def preset(name: str, today: date) -> Comparison:
    """A named period (PRESETS) seen from `today`."""
    basis, kind = PRESETS[name]
    return period_to_date(kind, today) if basis == "to_date" else last_complete(kind, today)


def choose_periods(today: date, start: date | None = None, end: date | None = None,
                   vs_start: date | None = None, vs_end: date | None = None,
                   period: str | None = None) -> Comparison:
    """Default: month to date against the same days of the month before.

    `period`: a PRESETS name (not with dates). Only --from: up to today. Only --to:
    from the first day of that month. Dates: against --vs-from/--vs-to, else the
    previous months for whole calendar months, else the same number of days before.
    Raises ValueError when a period ends before it starts or only one comparison bound
    is given.
    """
    if (vs_start is None) != (vs_end is None):
        raise ValueError("--vs-from and --vs-to go together")
    if period is not None:
        if start is not None or end is not None or vs_start is not None:
            raise ValueError("--period does not go with --from/--to/--vs-from/--vs-to")
        return preset(period, today)
    if start is None and end is None:
        if vs_start is None:
            return preset("month-to-date", today)
        start, end = month_start(today), today
    elif start is None:
        assert end is not None
        start = month_start(end)
    elif end is None:
        end = max(today, start)
    assert start is not None and end is not None
    if end < start:
        raise ValueError(f"{start.isoformat()} is after {end.isoformat()}")
    given = None
    if vs_start is not None and vs_end is not None:
        if vs_end < vs_start:
            raise ValueError(f"{vs_start.isoformat()} is after {vs_end.isoformat()}")
        given = Span(vs_start, vs_end)
    return custom(start, end, today, given)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, RATE_PLACES)


def _major(minor: float | int, places: int) -> int | float:
    value = Decimal(str(minor)).scaleb(-places).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return int(value) if places == 0 else float(value)


def _figures(figures: PeriodFigures, before: Active, active: Active, places: int) -> dict[str, Any]:
    """One period's figures as the JSON report writes them."""
    kept = retention_of(before, active)
    retained = kept.retained
    retention = kept.rate
    return {
        "active": figures.active_customers,
        "active_comparison": kept.base,
        "new": figures.new_customers,
        "retained": retained,
        "retention_rate": _rate(retention),
        "churn_rate": _rate(None if retention is None else 1 - retention),
        "revenue": _major(figures.revenue, places),
        "orders": figures.orders,
        "avg_order_value": None if figures.aov is None else _major(figures.aov, places),
        "revenue_share_by_lifecycle": {k: _rate(v) for k, v in figures.revenue_share_by_lifecycle.items()},
        "top20_revenue_share": _rate(figures.pareto_share),
        "nps": None if figures.nps is None else round(figures.nps, 1),
        "complaints_by_category": dict(figures.complaints_by_category),
    }


def period_report(store: Store, config: AppConfig, periods: Comparison, today: date,
                  now: datetime | None = None) -> dict[str, Any]:
    """The report as the JSON document `custui report --format json` prints.

    The period's figures at the top level, the comparison period's (computed the same
    way, its retention against the span before it) under "comparison_figures". Money
    in the currency's major unit; rates 0-1 with 6 decimals; NPS -100..100; complaint
    categories by id.
    """
    base = Base(store, config, today)
    now_iso = (now or datetime.combine(today, datetime.max.time())).isoformat(timespec="minutes")
    dashboard = Dashboard(base, now_iso)
    cur, prev, older = periods.current, periods.previous, periods.before_previous
    earlier = base.active(older.start, older.end)
    prev_figures, before = dashboard.period(prev.start, prev.end, earlier)
    figures, active = dashboard.period(cur.start, cur.end, before)
    places = decimals(config.settings.currency)
    return {
        "period": {"from": cur.start.isoformat(), "to": cur.end.isoformat()},
        "comparison": {"from": prev.start.isoformat(), "to": prev.end.isoformat()},
        "basis": periods.basis,
        "kind": periods.kind,
        "partial": periods.partial,
        "rates_so_far": periods.so_far,
        **_figures(figures, before, active, places),
        "comparison_figures": _figures(prev_figures, earlier, before, places),
        "currency": config.settings.currency,
    }




# figures whose change is a difference of points (rates, NPS)
_POINTS = {"retention_rate", "churn_rate", "top20_revenue_share", "nps"}


def _change(key: str, now: float | int | None, before: float | int | None) -> str:
    if now is None or before is None:
        return "—"
    if key in _POINTS:
        scale = 1 if key == "nps" else 100
        return change_text((now - before) * scale, "points")
    return change_text((now - before) / abs(before) if before else None, "relative")


def report_text(report: dict[str, Any], locale: str = "en", periods: Comparison | None = None,
                category_names: dict[str, str] | None = None) -> str:
    """The report for people: each figure, the comparison's and the change; money
    formatted for the locale; complaint categories by their configured names."""
    currency = report["currency"]
    places = decimals(currency)
    names = category_names or {}

    def _percent(value: float | None) -> str:
        return percent_text(value, locale=locale)
    vs_report = report.get("comparison_figures") or {}

    def money(value: float | int | None) -> str:
        if value is None:
            return "—"
        minor = int(Decimal(str(value)).scaleb(places))
        return format_money(minor, currency, locale)

    def show(key: str, value: Any) -> str:
        if key in ("revenue", "avg_order_value"):
            return money(value)
        if key in _POINTS and key != "nps":
            return _percent(value)
        if key == "nps" and value is not None:
            return decimal_text(value, locale=locale)
        return "—" if value is None else str(value)

    keys = ("active", "new", "retained", "retention_rate", "churn_rate", "revenue", "orders",
            "avg_order_value", "top20_revenue_share", "nps")
    labels = {key: t(f"data.report.{key}") for key in keys}
    if periods is not None:
        for key in ("retained", "retention_rate", "churn_rate"):
            labels[key] = rate_label(labels[key], periods)
    rows = [(labels[key], show(key, report[key]), show(key, vs_report.get(key)),
             _change(key, report[key], vs_report.get(key))) for key in keys]
    shares = []
    for group, share in report["revenue_share_by_lifecycle"].items():
        then = (vs_report.get("revenue_share_by_lifecycle") or {}).get(group)
        shares.append(("  " + t(f"lifecycle.{group}"), _percent(share), _percent(then),
                       _change("retention_rate", share, then)))
    complaints = []
    for category, count in report["complaints_by_category"].items():
        then = (vs_report.get("complaints_by_category") or {}).get(category)
        complaints.append(("  " + names.get(category, category), str(count),
                           "—" if then is None else str(then), _change("orders", count, then)))
    head = (t("data.report.col.figure"), t("data.report.col.period"), t("data.report.col.comparison"),
            t("data.report.col.change"))
    every = [head, *rows, *shares, *complaints]
    widths = [max(len(row[i]) for row in every) for i in range(4)]
    # the figure's name gives way so a line fits 80 columns
    widths[0] = min(widths[0], max(12, TEXT_WIDTH - 2 - sum(widths[1:]) - 6))

    def line(row: tuple[str, str, str, str]) -> str:
        name = row[0] if len(row[0]) <= widths[0] else row[0][:widths[0] - 1] + "…"
        cells = [name.ljust(widths[0]), *(cell.rjust(widths[i]) for i, cell in enumerate(row[1:], 1))]
        return "  " + "  ".join(cells).rstrip()

    period, vs = report["period"], report["comparison"]
    if periods is not None:
        title = [heading(periods), versus(periods)]
    else:
        title = [t("data.report.title", start=format_day(period["from"]), end=format_day(period["to"]),
                   vs_start=format_day(vs["from"]), vs_end=format_day(vs["to"]))]
    return "\n".join([
        *title, "", line(head), *(line(row) for row in rows),
        "", "  " + t("data.report.by_lifecycle"), *(line(row) for row in shares),
        "", "  " + t("data.report.by_category"), *(line(row) for row in complaints),
    ])
