"""The words for which period a figure covers and what it is compared with.

One wording for the dashboard heading and `custui report`, so a shop owner reads the
same thing in both: "Month to date 2026-12-01 – 2026-12-07 (partial: 7 of 31 days)"
and "vs the same days of the month before 2026-11-01 – 2026-11-07 (7 days)".
"""

from __future__ import annotations

from custui.domain.metrics import change_words
from custui.domain.periods import Comparison
from custui.i18n import decimal_mark, format_day, t


def period_name(comparison: Comparison) -> str:
    if comparison.kind is None or comparison.basis == "custom":
        return t("period.custom")
    return t(f"period.{comparison.basis}.{comparison.kind}")


def comparison_name(comparison: Comparison) -> str:
    if comparison.kind is None or comparison.basis == "custom":
        return t("period.vs.custom")
    return t(f"period.vs.{comparison.basis}.{comparison.kind}")


def partial_note(comparison: Comparison) -> str:
    """"partial: 7 of 31 days", "partial: 7 of 31 days so far" or "complete"."""
    if not comparison.partial:
        return t("period.complete")
    if comparison.basis == "to_date":
        return t("period.partial", days=comparison.current.days, full=comparison.full_days)
    return t("period.partial_open", days=comparison.data_days, full=comparison.current.days)


def heading(comparison: Comparison, name: str | None = None) -> str:
    """"Month to date 2026-12-01 – 2026-12-07 (partial: 7 of 31 days)"; `name` for a span
    chosen by a name of its own (the dashboard's "Last 12 months")."""
    cur = comparison.current
    return t("period.heading", name=name or period_name(comparison), start=format_day(cur.start),
             end=format_day(cur.end), note=partial_note(comparison))


def versus(comparison: Comparison) -> str:
    prev = comparison.previous
    return t("period.vs", name=comparison_name(comparison), start=format_day(prev.start),
             end=format_day(prev.end), days=prev.days)


def rate_label(label: str, comparison: Comparison) -> str:
    """A retention or churn label, marked "(so far)" when the period has had fewer days."""
    return t("period.so_far", label=label) if comparison.so_far else label


def change_text(change: float | None, kind: str = "relative") -> str:
    """domain.metrics.change_words in the current language: '▲ +12,0%', '▼ -3,5 điểm' in vi."""
    return change_words(change, kind, decimal_mark(), t("unit.pts"))
