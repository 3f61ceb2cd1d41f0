"""A titled chart: a textual-plotext plot on big colour screens, a plain text table otherwise.

The table is used when the terminal is smaller than CHART_MIN_SIZE (80x24 shows
tables) or colour is off (NO_COLOR in the environment, or `app.no_color`): a
terminal plot without colour and room is harder to read than the numbers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from custui.widgets.safe import plain

CHART_MIN_SIZE = (100, 32)  # terminal columns, rows
BAR_WIDTH = 20
ChartKind = Literal["bar", "hbar", "line"]


def text_mode(app: App[object]) -> bool:
    """Whether charts show as text tables: small terminal or colour off."""
    if getattr(app, "no_color", False) or os.environ.get("NO_COLOR") is not None:
        return True
    width, height = app.size
    return width < CHART_MIN_SIZE[0] or height < CHART_MIN_SIZE[1]


@dataclass(frozen=True)
class Series:
    """What a chart shows: one value per label (None = no data), and how to write a value."""

    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}"
    kind: ChartKind = "bar"
    tick_fmt: Callable[[float], str] | None = None  # shorter labels for the plot's y axis


def series_table(series: Series, label_header: str, value_header: str) -> Table:
    """The series as a plain table with a bar of '█' per row (no colour needed)."""
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False, padding=(0, 1))
    table.add_column(plain(label_header, style="bold"), no_wrap=True)
    table.add_column(plain(value_header, style="bold"), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    top = max((abs(v) for v in series.values if v is not None), default=0.0)
    for label, value in zip(series.labels, series.values, strict=True):
        if value is None:
            table.add_row(plain(label), Text("—"), Text(""))
            continue
        length = round(BAR_WIDTH * abs(value) / top) if top else 0
        table.add_row(plain(label), plain(series.fmt(value)), Text("█" * length))
    return table


class Chart(Vertical):
    """A title, then either a plotext plot or the same figures as a text table."""

    DEFAULT_CSS = """
    Chart { height: auto; margin: 1 0 0 0; }
    Chart > .chart-title { text-style: bold; padding: 0 1; }
    Chart > PlotextPlot { height: 16; display: none; }
    Chart > .chart-table { height: auto; padding: 0 1; }
    Chart.-plot > PlotextPlot { display: block; }
    Chart.-plot > .chart-table { display: none; }
    """

    def __init__(self, title: str, label_header: str, value_header: str, *,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.title = title
        self.headers = (label_header, value_header)
        self.series: Series | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title), classes="chart-title")
        yield PlotextPlot()
        yield Static(classes="chart-table")

    def on_mount(self) -> None:
        self._choose()

    def on_resize(self) -> None:
        self._choose()

    @property
    def as_text(self) -> bool:
        """Whether the chart currently shows its text table."""
        return not self.has_class("-plot")

    def _choose(self) -> None:
        """Plot or table, by terminal size and colour; redraw when that changes."""
        plot = not text_mode(self.app)
        if plot != self.has_class("-plot"):
            self.set_class(plot, "-plot")
            self._draw()

    def show(self, series: Series) -> None:
        self.series = series
        self._draw()

    def _draw(self) -> None:
        series = self.series
        if series is None or not self.is_mounted:
            return
        self.query_one(".chart-table", Static).update(series_table(series, *self.headers))
        if self.has_class("-plot"):
            self._plot(series)

    def _plot(self, series: Series) -> None:
        widget = self.query_one(PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        values = [v if v is not None else 0.0 for v in series.values]
        labels = list(series.labels)
        if series.kind == "line":
            positions: list[float] = list(range(1, len(values) + 1))
            plt.plot(positions, values, marker="braille")
            plt.xticks(positions, labels)
        elif series.kind == "hbar":
            plt.bar(labels[::-1], values[::-1], orientation="horizontal", width=0.6)  # first on top
        else:
            plt.bar(labels, values)
        ticks = _ticks(values)
        if ticks and series.kind != "hbar":
            plt.yticks(ticks, [(series.tick_fmt or series.fmt)(v) for v in ticks])
        widget.refresh()


def _ticks(values: Sequence[float], count: int = 4) -> list[float]:
    """Evenly spaced y ticks from 0 to the largest value (formatted by the series)."""
    top = max(values, default=0.0)
    if top <= 0:
        return []
    return [top * k / count for k in range(count + 1)]
