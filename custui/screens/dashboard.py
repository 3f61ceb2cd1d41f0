"""DashboardScreen: how the shop is doing in a period against the period before, with charts.

Keys 1-5 pick a period (month to date, last complete month, quarter to date, year
to date, last 12 months; a period to date is compared with the same days of the one
before, see domain.periods), p asks for dates. The heading says which it is and
marks a period that is not over as partial. Figures are computed in a thread worker by the shared
Analytics (the same computation as `custui report`); the screen shows a loading
line meanwhile and never blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Header, Input, Static

from custui.domain.dates import DateOutOfRange, read_typed_day
from custui.domain.periods import Comparison, add_months, custom, last_complete, period_to_date
from custui.i18n import count_text, decimal_text, format_day, get_locale, t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.screens.records_screen import RecordsScreen
from custui.screens.segments import money_text, percent
from custui.services.analytics_dashboard import DashboardFigures, PeriodFigures
from custui.services.customer_view import short_money
from custui.services.limits import date_range_error
from custui.services.period_text import heading, rate_label, versus
from custui.services.workspace import Workspace
from custui.widgets.chart import Chart, Series
from custui.widgets.customer_table import fit
from custui.widgets.footer import keys_footer
from custui.widgets.labels import LabelledModal
from custui.widgets.metric_card import ChangeKind, MetricCard, change_text
from custui.widgets.safe import plain


def _last_12_months(today: date) -> Comparison:
    """The twelve months ending today, against the twelve months before them."""
    return custom(add_months(today + timedelta(days=1), -12), today, today)


PRESETS: dict[str, Callable[[date], Comparison]] = {
    "this_month": partial(period_to_date, "month"),
    "last_month": partial(last_complete, "month"),
    "this_quarter": partial(period_to_date, "quarter"),
    "this_year": partial(period_to_date, "year"),
    "last_12_months": _last_12_months,
}
CARDS = ("active_customers", "new_customers", "retention", "revenue", "orders", "aov")
TABLE_FIGURES = ("churn", "pareto_share", "returning_revenue_share", "avg_clv", "nps", "avg_rating",
                 "complaints", "sla_breaches", "called_back")
RATES = {"retention", "churn", "pareto_share", "returning_revenue_share", "called_back"}
LOWER_IS_BETTER = {"churn", "complaints", "sla_breaches"}


def preset_dates(name: str, today: date) -> tuple[date, date]:
    """Inclusive (start, end) of a named period seen from `today`."""
    current = PRESETS[name](today).current
    return current.start, current.end


def parse_period_day(raw: str, today: date) -> date:
    """A period box's day, written as any date box takes it (2026-11-01, 01/11/2026, 01/11)."""
    text = raw.strip()
    try:
        if not text:
            raise ValueError(text)
        return read_typed_day(text, today)
    except DateOutOfRange:
        raise ValueError(date_range_error(text)) from None
    except ValueError:
        raise ValueError(t("dash.bad_date", value=text)) from None


class PeriodModal(LabelledModal[tuple[date, date] | None]):
    """Two dates (as the language writes them; ISO and dd/mm/yyyy both read); dismisses with
    (start, end) or None."""

    DEFAULT_CSS = """
    PeriodModal { align: center middle; }
    PeriodModal > Vertical {
        width: 50; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    PeriodModal .title { text-style: bold; }
    PeriodModal .error { color: $error; height: auto; }
    PeriodModal .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "campaign.cancel", id="period.cancel")]

    def __init__(self, start: date, end: date) -> None:
        super().__init__()
        self.start, self.end = start, end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("dash.custom_title")), classes="title")
            yield Static(plain(t("dash.from")))
            yield Input(format_day(self.start), id="period-from", compact=True)
            yield Static(plain(t("dash.to")))
            yield Input(format_day(self.end), id="period-to", compact=True)
            yield Static(id="period-error", classes="error")
            yield Static(plain(t("dash.custom_keys")), classes="keys")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "period-from":
            self.query_one("#period-to", Input).focus()
            return
        try:
            start = parse_period_day(self.query_one("#period-from", Input).value, self.end)
            end = parse_period_day(self.query_one("#period-to", Input).value, self.end)
            if end < start:
                raise ValueError(t("dash.bad_order"))
        except ValueError as err:
            self.query_one("#period-error", Static).update(plain(str(err)))
            return
        self.dismiss((start, end))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DashboardScreen(RecordsScreen[None]):
    """Period figures, the change from the previous period, and four charts."""

    DEFAULT_CSS = """
    DashboardScreen #dash-period { height: auto; padding: 0 1; background: $boost; }
    DashboardScreen #dash-body { height: 1fr; }
    DashboardScreen #dash-cards { grid-size: 3; grid-gutter: 0 1; height: auto; padding: 0 1; }
    DashboardScreen #dash-table { height: auto; padding: 0 1; margin-top: 1; }
    DashboardScreen.-loading #dash-body { opacity: 60%; }
    """
    BINDINGS = [
        Binding(key("dashboard.this-month"), "period('this_month')", "period.to_date.month", id="dashboard.this-month"),
        Binding(key("dashboard.last-month"), "period('last_month')", "period.complete.month", id="dashboard.last-month",
                show=False),
        Binding(key("dashboard.this-quarter"), "period('this_quarter')", "period.to_date.quarter",
                id="dashboard.this-quarter", show=False),
        Binding(key("dashboard.this-year"), "period('this_year')", "period.to_date.year", id="dashboard.this-year",
                show=False),
        Binding(key("dashboard.last-12-months"), "period('last_12_months')", "dash.period.last_12_months",
                id="dashboard.last-12-months", show=False),
        Binding(key("dashboard.custom"), "custom_period", "dash.custom", id="dashboard.custom"),
        Binding(key("dashboard.refresh"), "refresh", "dash.refresh", id="dashboard.refresh"),
        Binding(key("dashboard.segments"), "app.switch_mode('segments')", "app.segments", id="dashboard.segments"),
        Binding(key("dashboard.lookup"), "go_lookup", "segui.lookup", id="dashboard.lookup"),
    ]

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__(workspace)
        self.period_name = "this_month"
        self.start: date | None = None
        self.end: date | None = None
        self.comparison: Comparison | None = None
        self.figures: DashboardFigures | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(t("dash.loading")), id="dash-period")
        with VerticalScroll(id="dash-body"):
            with Grid(id="dash-cards"):
                for name in CARDS:
                    yield MetricCard(t(f"dash.fig.{name}"), id=f"card-{name}")
            yield Static(id="dash-table")
            yield Chart(t("dash.chart.revenue"), t("dash.chart.col.month"), t("dash.fig.revenue"),
                        id="chart-revenue")
            yield Chart(t("dash.chart.retention"), t("dash.chart.col.month"),
                        t("dash.fig.retention"), id="chart-retention")
            yield Chart(t("dash.chart.lifecycle"), t("dash.chart.col.group"),
                        t("dash.chart.col.customers"), id="chart-lifecycle")
            yield Chart(t("dash.chart.complaints"), t("dash.chart.col.category"),
                        t("dash.fig.complaints"), id="chart-complaints")
        yield keys_footer()

    def on_mount(self) -> None:
        self.title = t("dash.title")
        self.query_one("#dash-body").focus()
        self.action_period(self.period_name)

    def refresh_records(self) -> None:
        if self.start is not None:
            self.compute()

    def on_resize(self) -> None:
        if self.figures is not None:
            self.query_one("#dash-table", Static).update(self.figures_table(self.figures))

    def action_period(self, name: str) -> None:
        self.period_name = name
        self.choose(PRESETS[name](self.workspace.today()))

    def choose(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.start, self.end = comparison.current.start, comparison.current.end
        self.compute()

    def action_custom_period(self) -> None:
        today = self.workspace.today()

        def chosen(dates: tuple[date, date] | None) -> None:
            if dates is not None:
                self.period_name = "custom"
                self.choose(custom(*dates, self.workspace.today()))

        self.app.push_screen(PeriodModal(self.start or today.replace(day=1), self.end or today), chosen)

    def action_refresh(self) -> None:
        self.compute()

    def action_go_lookup(self) -> None:
        self.app.switch_mode(self.app.DEFAULT_MODE)

    def compute(self) -> None:
        assert self.comparison is not None
        self.add_class("-loading")
        self.query_one("#dash-period", Static).update(plain(t("dash.loading")))
        self.compute_worker(self.comparison)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def compute_worker(self, comparison: Comparison) -> None:
        cur = comparison.current
        figures = app_of(self).analytics.dashboard(
            cur.start, cur.end, comparison.previous, comparison.before_previous)
        self.app.call_from_thread(self.show, figures)

    def show(self, figures: DashboardFigures) -> None:
        comparison = self.comparison
        if comparison is None or (figures.current.start, figures.current.end, figures.previous.start,
                                  figures.previous.end) != (self.start, self.end, comparison.previous.start,
                                                            comparison.previous.end):
            return  # an older period's answer
        self.figures = figures
        self.remove_class("-loading")
        named = t("dash.period.last_12_months") if self.period_name == "last_12_months" else None
        text = plain(heading(comparison, named), style="bold")
        text.append("  ")
        text.append_text(plain(versus(comparison)))
        text.append("\n")
        text.append_text(plain(t("dash.keys"), style="dim"))
        self.query_one("#dash-period", Static).update(text)
        for name in CARDS:
            value, before, change = self.figure(figures, name)
            card = self.query_one(f"#card-{name}", MetricCard)
            card.border_title = self.label(name)
            card.show(value, change, t("dash.vs", value=before))
        self.query_one("#dash-table", Static).update(self.figures_table(figures))
        self.show_charts(figures)

    # -- formatting ------------------------------------------------------------------
    def label(self, name: str) -> str:
        """A figure's name; retention and churn say "(so far)" when the period has had
        fewer days than the one it is compared with."""
        text = t(f"dash.fig.{name}")
        if name in ("retention", "churn") and self.comparison is not None:
            return rate_label(text, self.comparison)
        return text

    def format(self, name: str, period: PeriodFigures) -> str:
        value = getattr(period, name)
        if value is None:
            return t("dash.none")
        if name in ("revenue", "aov", "avg_clv"):
            return money_text(self.workspace, value)
        if name in RATES:
            return percent(value)
        if name == "nps":
            return f"{value:+.0f}"
        if name == "avg_rating":
            return decimal_text(value, 2)
        return count_text(value)

    def figure(self, figures: DashboardFigures, name: str) -> tuple[str, str, Text]:
        """(value now, value before, change) of one figure, formatted."""
        cur, prev = figures.current, figures.previous
        now, before = getattr(cur, name), getattr(prev, name)
        better_up = name not in LOWER_IS_BETTER
        if name in RATES or name in ("nps", "avg_rating"):
            diff = None if now is None or before is None else now - before
            if name in RATES and diff is not None:
                diff *= 100
            kind: ChangeKind = "difference" if name == "avg_rating" else "points"
            change = change_text(diff, better_up, kind)
        else:
            change = change_text(figures.change(name), better_up)
        return self.format(name, cur), self.format(name, prev), change

    def figures_table(self, figures: DashboardFigures) -> Table:
        """Every figure not on a card: this period, the previous one, the change."""
        room = max(16, self.size.width - 48)
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column(plain(t("dash.col.figure"), style="bold"), no_wrap=True)
        for column in ("period", "previous", "change"):
            table.add_column(plain(t(f"dash.col.{column}"), style="bold"), justify="right",
                             no_wrap=True)

        def label(text: str) -> Text:
            return fit(text, room + 1)

        for name in TABLE_FIGURES:
            value, before, change = self.figure(figures, name)
            table.add_row(label(self.label(name)), plain(value), plain(before), change)
        cur, prev = figures.current, figures.previous
        for group, share in cur.revenue_share_by_lifecycle.items():
            share_before = prev.revenue_share_by_lifecycle.get(group, 0.0)
            diff = (share - share_before) * 100 if cur.revenue and prev.revenue else None
            table.add_row(label(t("dash.fig.share_of", group=t(f"lifecycle.{group}"))),
                          plain(percent(share if cur.revenue else None)),
                          plain(percent(share_before if prev.revenue else None)),
                          change_text(diff, True, "points"))
        for category in figures.categories:
            now = cur.complaints_by_category.get(category, 0)
            then = prev.complaints_by_category.get(category, 0)
            table.add_row(label(t("dash.fig.category", category=self.category_label(category))),
                          plain(count_text(now)), plain(count_text(then)),
                          change_text((now - then) / then if then else None, False))
        return table

    def category_label(self, category: str) -> str:
        for spec in self.workspace.config.care.complaint_categories:
            if spec.id == category:
                return spec.name.get(get_locale()) or category
        return category

    def show_charts(self, figures: DashboardFigures) -> None:
        ws = self.workspace
        this_month = ws.today().isoformat()[:7]
        months = [m for m in figures.months if m.month <= this_month][-12:]  # no future months
        labels = tuple(m.month for m in months)
        self.query_one("#chart-revenue", Chart).show(Series(
            labels, tuple(float(m.revenue) for m in months), lambda v: money_text(ws, v),
            tick_fmt=lambda v: short_money(round(v), ws.currency)))
        self.query_one("#chart-retention", Chart).show(Series(
            labels, tuple(None if m.retention is None else m.retention * 100 for m in months),
            lambda v: f"{v:.0f}%", kind="line"))
        groups = tuple(figures.lifecycle_counts)
        self.query_one("#chart-lifecycle", Chart).show(Series(
            tuple(t(f"lifecycle.{g}") for g in groups),
            tuple(float(figures.lifecycle_counts[g]) for g in groups), kind="hbar"))
        categories = figures.categories or tuple(figures.current.complaints_by_category)
        self.query_one("#chart-complaints", Chart).show(Series(
            tuple(self.category_label(c) for c in categories),
            tuple(float(figures.current.complaints_by_category.get(c, 0)) for c in categories),
            kind="hbar"))
