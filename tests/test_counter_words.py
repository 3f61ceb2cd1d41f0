"""What the counter reads at 80x24: counts with the right noun in English, the language's
decimal mark and date format on every screen, and nothing cut without saying so."""

from __future__ import annotations

from pilot_helpers import burst, open_profile, screen_text, settle, wait_until

from custui.app import make_app
from custui.i18n import format_day, percent_text, set_locale, t
from custui.services.period_text import change_text
from custui.services.workspace import Workspace


def test_counts_take_the_singular_for_one_in_english_only() -> None:
    assert t("lookup.matches", shown=1, query="C000042") == "1 best match for “C000042”"
    assert t("lookup.matches", shown=3, query="an") == "3 best matches for “an”"
    assert t("profile.orders_spend", orders=1, spend="₫1") == "1 order, ₫1"
    assert t("explain.orders_n", count="15,076") == "15,076 orders"
    set_locale("vi")
    assert t("profile.orders_spend", orders=1, spend="1 ₫") == "1 đơn, 1 ₫"


def test_decimals_and_dates_follow_the_language() -> None:
    assert (percent_text(0.126), change_text(-8.9, "points"), format_day("2026-12-07")) == (
        "12.6 %", "▼ -8.9 pts", "2026-12-07")
    set_locale("vi")
    assert (percent_text(0.126), change_text(-8.9, "points"), change_text(0.477)) == (
        "12,6 %", "▼ -8,9 điểm", "▲ +47,7%")
    assert format_day("2026-12-07") == "07/12/2026"


async def test_one_match_and_one_order_read_in_the_singular(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"C000002")
        assert await wait_until(pilot, lambda: "1 best match for “C000002”" in screen_text(app))
        await burst(pilot, "enter")
        assert await wait_until(pilot, lambda: "1 order, ₫5,000,000" in screen_text(app))


async def test_profile_and_loyalty_tab_write_dates_one_way(workspace: Workspace) -> None:
    """English: ISO in the header, the tabs and the Loyalty tab (it showed 05/01/2026 there)."""
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        assert "2026-11-20" in screen_text(app)
        await burst(pilot, "6")
        assert await wait_until(pilot, lambda: "points on 2026-11-28" in screen_text(app))
        assert "/2026" not in screen_text(app)


def test_vietnamese_lookup_columns_fit_their_longest_names_and_the_name_keeps_its_room(
    workspace: Workspace,
) -> None:
    """At 80 columns in vi: 'Thành viên', 'Kim cương', 'Trung thành' and the header 'Chi tiêu'
    in full (they showed 'Thành …', 'Trung th…', 'Chi ti…'), a 24-character name too."""
    from custui.services.customer_view import longest_labels
    from custui.widgets.customer_table import column_widths, fit

    for locale, values in (("en", {"tier": "Diamond", "lifecycle": "Potential"}),
                           ("vi", {"tier": "Thành viên", "lifecycle": "Trung thành"})):
        set_locale(locale)
        widths = column_widths(80, longest_labels(workspace.config))
        assert sum(widths.values()) == 79 and widths["name"] >= 25, widths
        for column, value in values.items():
            assert fit(value, widths[column]).plain == value
        for column in widths:
            title = "last_month" if column == "last_order" and widths[column] < 11 else column
            header = t(f"lookup.col.{title}")
            assert fit(header, widths[column]).plain == header, (locale, column)
        name = "Nguyễn Thị Phương Thanh" + "A"  # 24 characters
        assert len(name) == 24 and fit(name, widths["name"]).plain == name


async def test_help_table_fits_its_box_at_80_columns(workspace: Workspace) -> None:
    """F1 on Today: no column runs off the box (no sideways scrolling), long texts wrap."""
    from textual.widgets import DataTable

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+t")
        await burst(pilot, "f1")
        table = app.screen.query_one("#help-keys", DataTable)
        assert await wait_until(pilot, lambda: table.row_count > 10)
        assert table.max_scroll_x == 0 and table.virtual_size.width <= table.size.width
        assert app.screen.query_one("#help").max_scroll_x == 0


async def test_today_summary_wraps_to_a_second_row_on_a_narrow_screen(workspace: Workspace) -> None:
    """At 44 columns the summary was cut (`…`); it now takes a second row and reads whole."""
    app = make_app(workspace)
    async with app.run_test(size=(44, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+t")
        assert await wait_until(pilot, lambda: " late · " in screen_text(app))
        rows = screen_text(app).splitlines()
        at = next(number for number, row in enumerate(rows) if " late · " in row)
        summary = " ".join(" ".join(row.split()) for row in rows[at : at + 2])
        assert "thank you 2, ask feedback 1" in summary and "…" not in summary, rows[at : at + 2]


async def test_dashboard_key_1_reads_as_the_heading(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+b")
        assert await wait_until(pilot, lambda: "Month to date 2026-11-01" in screen_text(app))
        assert "1 Month to date" in screen_text(app).splitlines()[-1]
        await burst(pilot, "5")
        assert await wait_until(pilot, lambda: "Last 12 months 2025-11-29" in screen_text(app))


def test_big_counts_are_grouped_the_languages_way() -> None:
    assert t("purchase.saved", total="₫1", points=149_999_998) == "Order saved: ₫1, +149,999,998 points."
    assert t("profile.redeemed", points=12_000) == "-12,000 pts"
    set_locale("vi")
    assert t("purchase.saved", total="1 ₫", points=149_999_998) == "Đã lưu đơn hàng: 1 ₫, +149.999.998 điểm."
    assert t("members.title", segment="VIP", count=1_234) == "VIP · 1.234 thành viên"


async def test_the_saved_toast_groups_the_points_earned(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_profile(pilot, 1)
        await burst(pilot, "o", *"999999999999", "ctrl+s", "y")

        def saved() -> list[str]:
            return [str(n.message) for n in app._notifications if "Order saved" in str(n.message)]

        assert await wait_until(pilot, lambda: bool(saved()))
        assert saved() == ["Order saved: ₫999,999,999,999, +99,999,999 points."]


async def test_the_tier_progress_is_never_cut_when_it_shares_no_line_with_the_tier(
    workspace: Workspace,
) -> None:
    """Vietnamese says more than English: the progress to the next tier moves under the tier
    when both do not fit on one line, so its amount and date stay whole (at 80 columns it ended
    `… Kim cương trước 16/12/20…`; a 70-column window makes this customer's line too long)."""
    from custui.services.loyalty import customer_loyalty, progress_text

    set_locale("vi")
    summary = customer_loyalty(workspace.store, workspace.config, 1, workspace.today())
    progress = progress_text(summary.progress, workspace.currency, "vi")
    app = make_app(workspace)
    async with app.run_test(size=(70, 24)) as pilot:
        await open_profile(pilot, 1)
        assert await wait_until(pilot, lambda: progress in screen_text(app))
        tier_line = next(line for line in screen_text(app).splitlines() if line.startswith(" Hạng   "))
        assert "…" not in tier_line and tier_line.split() == ["Hạng", "Thành", "viên"]


def test_a_long_overdue_complaint_shows_its_whole_lateness_in_the_due_column() -> None:
    """Complaints lists years-old open complaints: `! QUÁ HẠN 694 n…` lost its unit at 80
    columns; the Vietnamese word is now as short as the English one."""
    from datetime import datetime

    from rich.cells import cell_len

    from custui.screens.complaints import WIDTH
    from custui.services.complaints import due_text

    doc = {"status": "open", "due_at": "2025-01-01T09:00:00"}
    now = datetime(2026, 11, 27, 10, 0)
    for language in ("en", "vi"):
        set_locale(language)
        text = due_text(doc, now)
        assert "695" in text and cell_len(text) <= WIDTH["due"], text


def test_segment_figure_headers_fit_their_columns_in_both_languages() -> None:
    """The segments table at 80 columns headed its count `Số khá…`."""
    from rich.cells import cell_len

    from custui.screens.segments import FIGURE_COLUMNS

    for language in ("en", "vi"):
        set_locale(language)
        for column, size in FIGURE_COLUMNS:  # the size includes a one-cell gap
            header = t(f"segui.col.{column}")
            assert cell_len(header) <= size - 1, (language, header)


async def test_every_choice_in_the_dialogs_is_read_whole_at_80_columns(workspace: Workspace) -> None:
    """A row of choices shares the dialog's width: `4 meeti…`, `2 Trung bình (24 giờ…` were cut.
    Choices that do not fit one row go into columns, and the dialog still shows its keys."""
    from textual.widgets import RadioButton

    for language in ("en", "vi"):
        set_locale(language)
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_profile(pilot, 1)
            for key in ("c", "i", "k"):
                await burst(pilot, key)
                shown = screen_text(app)
                labels = [str(button.label) for button in app.screen.query(RadioButton)]
                assert labels and all(label in shown for label in labels), (language, key, shown)
                assert "Esc" in shown, shown  # the keys line at its foot is still in view
                await burst(pilot, "escape")


async def test_the_order_a_survey_or_complaint_is_about_is_dated_the_languages_way(
    workspace: Workspace,
) -> None:
    """The survey's heading and the complaint's order choice wrote `Đơn #1 ngày 2026-11-20`."""
    from textual.widgets import Select

    set_locale("vi")
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await burst(pilot, "f")
        assert await wait_until(pilot, lambda: "Đơn #1 ngày 20/11/2026, 1.250.000" in screen_text(app))
        await burst(pilot, "escape")
        await burst(pilot, "c")
        options = [str(label) for label, _ in app.screen.query_one(Select)._options]
        assert "Đơn #1 ngày 20/11/2026, 1.250.000\xa0₫" in options
        assert "2026-11-20" not in screen_text(app) + " ".join(options)
