"""`custui report`: one period against a comparison period, from the dashboard's computation.

The figures come from services.analytics_dashboard.Dashboard.period (the dashboard
screen's code), so the report and the screen always agree. Periods are inclusive
date ranges [start, end]; lifecycle groups are judged on `today`, as on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.money import decimals, format_money
from custui.i18n import t
from custui.services.analytics_base import Base
from custui.services.analytics_dashboard import Dashboard, month_end, month_start, previous_period
from custui.store.base import Store

RATE_PLACES = 6


@dataclass(frozen=True)
class Periods:
    start: date
    end: date
    vs_start: date
    vs_end: date


def choose_periods(today: date, start: date | None = None, end: date | None = None,
                   vs_start: date | None = None, vs_end: date | None = None) -> Periods:
    """Default: this month against the period of equal length just before it (last month).

    Only --from: up to today. Only --to: from the first day of that month. Raises
    ValueError when a period ends before it starts or only one comparison bound is given.
    """
    if start is None and end is None:
        start, end = month_start(today), month_end(month_start(today))
    elif start is None:
        assert end is not None
        start = month_start(end)
    elif end is None:
        end = max(today, start)
    if end < start:
        raise ValueError(f"{start.isoformat()} is after {end.isoformat()}")
    if (vs_start is None) != (vs_end is None):
        raise ValueError("--vs-from and --vs-to go together")
    if vs_start is None or vs_end is None:
        vs_start, vs_end = previous_period(start, end)
    if vs_end < vs_start:
        raise ValueError(f"{vs_start.isoformat()} is after {vs_end.isoformat()}")
    return Periods(start, end, vs_start, vs_end)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, RATE_PLACES)


def _major(minor: float | int, places: int) -> int | float:
    value = Decimal(str(minor)).scaleb(-places).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return int(value) if places == 0 else float(value)


def period_report(store: Store, config: AppConfig, periods: Periods, today: date,
                  now: datetime | None = None) -> dict[str, Any]:
    """The report as the JSON document `custui report --format json` prints.

    Money in the currency's major unit; rates 0-1 with 6 decimals; NPS -100..100.
    """
    base = Base(store, config, today)
    now_iso = (now or datetime.combine(today, datetime.max.time())).isoformat(timespec="minutes")
    dashboard = Dashboard(base, now_iso)
    before = base.active_in(periods.vs_start, periods.vs_end)
    figures, active = dashboard.period(periods.start, periods.end, before)
    retained = len(before & active)
    retention = retained / len(before) if before else None
    places = decimals(config.settings.currency)
    return {
        "period": {"from": periods.start.isoformat(), "to": periods.end.isoformat()},
        "comparison": {"from": periods.vs_start.isoformat(), "to": periods.vs_end.isoformat()},
        "active": figures.active_customers,
        "active_comparison": len(before),
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
        "currency": config.settings.currency,
    }


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def report_text(report: dict[str, Any], locale: str = "en") -> str:
    """The report for people: one figure a line, money formatted for the locale."""
    currency = report["currency"]
    places = decimals(currency)

    def money(value: float | int | None) -> str:
        if value is None:
            return "—"
        minor = int(Decimal(str(value)).scaleb(places))
        return format_money(minor, currency, locale)

    period, vs = report["period"], report["comparison"]
    nps = "—" if report["nps"] is None else str(report["nps"])
    figures = [
        ("active", f"{report['active']}  ({t('data.report.comparison')}: {report['active_comparison']})"),
        ("new", str(report["new"])),
        ("retained", str(report["retained"])),
        ("retention_rate", _percent(report["retention_rate"])),
        ("churn_rate", _percent(report["churn_rate"])),
        ("revenue", money(report["revenue"])),
        ("orders", str(report["orders"])),
        ("avg_order_value", money(report["avg_order_value"])),
        ("top20_revenue_share", _percent(report["top20_revenue_share"])),
        ("nps", nps),
    ]
    width = max(len(t(f"data.report.{key}")) for key, _ in figures) + 2
    lines = [
        t("data.report.title", start=period["from"], end=period["to"], vs_start=vs["from"],
          vs_end=vs["to"]),
        "",
        *(f"  {t(f'data.report.{key}'):<{width}}{value}" for key, value in figures),
        "",
        "  " + t("data.report.by_lifecycle"),
        *(f"    {t(f'lifecycle.{k}'):<14}{_percent(v):>8}"
          for k, v in report["revenue_share_by_lifecycle"].items()),
        "",
        "  " + t("data.report.by_category"),
        *(f"    {k:<28}{v:>6}" for k, v in report["complaints_by_category"].items()),
    ]
    return "\n".join(lines)
