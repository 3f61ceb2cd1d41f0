"""Dashboard screen: the period keys, custom dates, the figures shown, charts or text tables.

Data: tests/conftest.py PEOPLE, today 2026-11-28. Orders by month:
2025-01 Khôi 450,000; 2026-06 Đức 5,000,000; 2026-10 Ánh 300,000;
2026-11 Ánh 1,250,000 and Eve 99,000 (Eve's first order).
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pilot_helpers import settle
from rich.console import Console
from textual.widgets import Input

from custui.app import make_app
from custui.i18n import set_locale
from custui.screens.dashboard import DashboardScreen, preset_dates
from custui.services.workspace import Workspace
from custui.widgets.chart import Chart, series_table
from custui.widgets.metric_card import MetricCard


def card(screen: DashboardScreen, name: str) -> list[str]:
    """The lines of a card: value, change, previous value."""
    return str(screen.query_one(f"#card-{name}", MetricCard).render()).splitlines()


def period_line(screen: DashboardScreen) -> str:
    return str(screen.query_one("#dash-period").render()).splitlines()[0]


async def open_dashboard(pilot) -> DashboardScreen:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+b")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def pick_dates(pilot, start: str, end: str) -> None:  # type: ignore[no-untyped-def]
    """p, type both dates, Enter; wait for the figures."""
    await pilot.press("p")
    await pilot.pause()
    modal = pilot.app.screen
    modal.query_one("#period-from").value = start
    modal.query_one("#period-to").value = end
    modal.query_one("#period-to").focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_this_month_against_last_month(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        # like for like: 28 days of November against the same 28 days of October
        assert period_line(screen) == (
            "Month to date 2026-11-01 – 2026-11-28 (partial: 28 of 30 days)  vs the same days "
            "of the month before 2026-10-01 – 2026-10-28 (28 days)")
        # 1,250,000 + 99,000 against 300,000: +349.7 %
        assert card(screen, "revenue") == ["₫1,349,000", "▲ +349.7%", "vs ₫300,000"]
        assert card(screen, "orders") == ["2", "▲ +100.0%", "vs 1"]
        assert card(screen, "active_customers")[0] == "2"
        assert card(screen, "new_customers")[0] == "1"  # Eve
        # Ánh, active in October, bought again in November
        assert card(screen, "retention")[0] == "100.0%"
        assert card(screen, "aov")[0] == "₫674,500"


async def test_period_keys_switch_the_figures(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert period_line(screen).startswith(
            "Last complete month 2026-10-01 – 2026-10-31 (complete)  vs the month before 2026-09-01")
        assert card(screen, "revenue") == ["₫300,000", "—", "vs ₫0"]
        await pilot.press("4")
        await settle(pilot)
        assert period_line(screen).startswith(
            "Year to date 2026-01-01 – 2026-11-28 (partial: 332 of 365 days)  vs the same days of "
            "the year before 2025-01-01 – 2025-11-28")
        # 2026: 300,000 + 1,250,000 + 5,000,000 + 99,000; 2025 to 28 November: Khôi's 450,000
        assert card(screen, "revenue")[0::2] == ["₫6,649,000", "vs ₫450,000"]
        assert card(screen, "active_customers")[0] == "3"
        # Khôi, the only customer active in 2025, bought nothing in 2026
        assert card(screen, "retention")[0] == "0.0%"


async def test_custom_dates(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        await pick_dates(pilot, "2026-06-01", "2026-06-30")
        assert app.screen is screen
        assert period_line(screen).startswith(
            "Dates 2026-06-01 – 2026-06-30 (complete)  vs the period before 2026-05-01 – 2026-05-31")
        assert card(screen, "revenue")[0] == "₫5,000,000"


async def test_custom_dates_typed_day_first_as_in_every_other_date_box(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        await pick_dates(pilot, "01/06/2026", "30/6/2026")  # refused as "not a date" before
        assert app.screen is screen
        assert period_line(screen).startswith("Dates 2026-06-01 – 2026-06-30 (complete)")
        assert card(screen, "revenue")[0] == "₫5,000,000"


async def test_the_period_boxes_show_the_languages_dates(workspace: Workspace) -> None:
    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(pilot)
        await pilot.press("p")
        await settle(pilot)
        boxes = [app.screen.query_one(f"#period-{end}", Input).value for end in ("from", "to")]
        assert all(len(box) == 10 and box[2] == "/" and box[5] == "/" for box in boxes), boxes


async def test_custom_dates_reject_a_reversed_period(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(pilot)
        await pilot.press("p")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#period-from").value = "2026-06-30"  # type: ignore[attr-defined]
        modal.query_one("#period-to").value = "2026-06-01"  # type: ignore[attr-defined]
        modal.query_one("#period-to").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal
        assert "ends before it starts" in str(modal.query_one("#period-error").render())


async def test_mid_month_compares_the_same_days(workspace: Workspace) -> None:
    """On 21 November: Ánh's 1,250,000 of the 20th against October 1-21 (her 300,000 of
    the 2nd), not against the whole of October; Eve's order of the 27th is not yet in."""
    workspace.clock = lambda: datetime(2026, 11, 21, 10, 0)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        assert period_line(screen) == (
            "Month to date 2026-11-01 – 2026-11-21 (partial: 21 of 30 days)  vs the same days "
            "of the month before 2026-10-01 – 2026-10-21 (21 days)")
        assert card(screen, "revenue") == ["₫1,250,000", "▲ +316.7%", "vs ₫300,000"]
        assert card(screen, "retention")[0] == "100.0%"  # Ánh: active 1-21 Oct and 1-21 Nov
        await pick_dates(pilot, "2026-11-01", "2026-11-30")
        # the whole month seen on the 21st: partial, and retention only "so far"
        assert "(partial: 21 of 30 days so far)" in period_line(screen)
        assert screen.query_one("#card-retention", MetricCard).border_title == "Retention (so far)"


def test_presets_are_calendar_periods() -> None:
    from datetime import date

    today = date(2026, 11, 28)
    assert preset_dates("this_month", today) == (date(2026, 11, 1), date(2026, 11, 28))
    assert preset_dates("last_month", today) == (date(2026, 10, 1), date(2026, 10, 31))
    assert preset_dates("this_quarter", today) == (date(2026, 10, 1), date(2026, 11, 28))
    assert preset_dates("last_12_months", today) == (date(2025, 11, 29), date(2026, 11, 28))


async def test_charts_are_text_tables_at_80x24(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        chart = screen.query_one("#chart-revenue", Chart)
        assert chart.as_text
        assert chart.series is not None
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(series_table(chart.series, "Month", "Revenue"))
        lines = console.export_text().splitlines()
        assert lines[0].split() == ["Month", "Revenue"]
        # twelve months to this one; bars scaled to June's 5,000,000 (20 cells)
        assert len(lines) == 13
        assert lines[-1].split() == ["2026-11", "₫1,349,000", "█" * 5]
        assert lines[-6].split() == ["2026-06", "₫5,000,000", "█" * 20]


async def test_charts_plot_on_a_big_colour_screen(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        assert not screen.query_one("#chart-revenue", Chart).as_text


async def test_no_color_keeps_text_tables(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dashboard(pilot)
        assert all(chart.as_text for chart in screen.query(Chart))
