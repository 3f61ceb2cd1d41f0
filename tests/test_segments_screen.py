"""Segments screen and segment members: open a segment, filter, sort, export, log a campaign.

Data: tests/conftest.py PEOPLE on 2026-11-28. By the shipped segments.yaml (lapsed after
180 days without an order), C000002 (last order 2026-06-01) and C000005 (2025-01-10)
are lapsed; the four individuals are C000001, C000002, C000004 ([b]Eve[/]) and C000005.
"""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pilot_helpers import open_segment, screen_text, settle
from textual.widgets import DataTable, Input

from custui.app import make_app
from custui.modals.campaign import CampaignModal
from custui.screens.segment_members import SegmentMembersScreen
from custui.screens.segments import SegmentsScreen
from custui.services.campaign import log_campaign
from custui.services.workspace import Workspace
from custui.widgets.customer_table import CustomerTable


def shown_ids(screen: SegmentMembersScreen) -> list[int]:
    return [row.customer_id for row in screen.query_one(CustomerTable).rows_shown]


def code_of(workspace: Workspace, code: str) -> int:
    return next(c["id"] for c in workspace.store.all("customers") if c["code"] == code)


async def test_segments_list_shows_counts_and_shares(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SegmentsScreen)
        table = screen.query_one("#segments-table", DataTable)
        row = [str(cell).strip() for cell in table.get_row("lapsed")]
        # 2 of 5 customers; 5,000,000 + 450,000 of 7,099,000 lifetime revenue
        assert row[:4] == ["Lapsed", "2", "40.0%", "₫5,450,000"]
        assert row[4] == "76.8%"
        assert [str(c).strip() for c in table.get_row("group:lifecycle")][0] == "Lifecycle"


async def test_enter_on_a_segment_lists_its_members(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        members = await open_segment(pilot, "lapsed")
        expected = {code_of(workspace, "C000002"), code_of(workspace, "C000005")}
        assert set(shown_ids(members)) == expected
        assert "Lapsed" in app.screen.title
        await pilot.press("escape")
        assert isinstance(app.screen, SegmentsScreen)


async def test_members_filter_sort_and_hostile_names(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        members = await open_segment(pilot, "individual")
        # sorted by name (folded): "[b]Eve[/]" first, then Đặng, Nguyễn, Trần
        assert [r.name for r in members.query_one(CustomerTable).rows_shown] == [
            "[b]Eve[/]", "Đặng Văn Đức", "Nguyễn Thị Ánh", "Trần Minh Khôi"]
        await pilot.press("s")  # -> code
        assert [r.code for r in members.query_one(CustomerTable).rows_shown] == [
            "C000001", "C000002", "C000004", "C000005"]
        await pilot.press("s")  # -> spend, biggest first
        assert [r.code for r in members.query_one(CustomerTable).rows_shown][0] == "C000002"
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"khoi")
        await pilot.pause()
        assert shown_ids(members) == [code_of(workspace, "C000005")]
        await pilot.press("escape")  # back to the table, filter kept
        assert isinstance(app.focused, CustomerTable)
        assert shown_ids(members) == [code_of(workspace, "C000005")]


async def test_campaign_logs_one_interaction_per_member(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_segment(pilot, "individual")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CampaignModal)
        await pilot.press(*"sent 20% voucher SMS", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SegmentMembersScreen)
    logged = workspace.store.all("interactions")
    expected = {code_of(workspace, c) for c in ("C000001", "C000002", "C000004", "C000005")}
    assert sorted(d["customer_id"] for d in logged) == sorted(expected)
    assert {d["summary"] for d in logged} == {"sent 20% voucher SMS"}
    assert {d["type"] for d in logged} == {"sms"}
    assert {d["campaign"] for d in logged} == {"individual"}


def test_log_campaign_writes_in_one_batch(workspace: Workspace) -> None:
    batches = 0
    original = workspace.store.batch

    @contextmanager
    def counting() -> Iterator[None]:
        nonlocal batches
        batches += 1
        with original():
            yield

    workspace.store.batch = counting  # type: ignore[method-assign]
    assert log_campaign(workspace, [1, 2, 3], "call", "  thank-you call  ") == 3
    assert batches == 1
    docs = workspace.store.all("interactions")
    assert [(d["customer_id"], d["summary"]) for d in docs] == [
        (1, "thank-you call"), (2, "thank-you call"), (3, "thank-you call")]


async def test_export_members_to_private_csv(workspace: Workspace, tmp_path: Path) -> None:
    lapsed = code_of(workspace, "C000005")
    workspace.store.update("customers", lapsed, {"name": "=HYPERLINK(\"x\")"})
    target = tmp_path / "lapsed.personal-data.csv"
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_segment(pilot, "lapsed")
        await pilot.press("e")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["code"] for r in rows) == ["C000002", "C000005"]
    formula = next(r for r in rows if r["code"] == "C000005")["name"]
    assert formula.startswith("'=")  # neutralised: a spreadsheet shows it as text


async def test_cursor_skips_group_headings(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SegmentsScreen)
        assert screen.selected_id() == "potential"  # not the "Lifecycle" heading above it
        table = screen.query_one("#segments-table", DataTable)
        table.move_cursor(row=table.get_row_index("lapsed"))
        await pilot.pause()
        await pilot.press("down")  # over the "Kind" heading
        await pilot.pause()
        assert screen.selected_id() == "individual"
        await pilot.press("up")
        await pilot.pause()
        assert screen.selected_id() == "lapsed"


async def test_export_follows_the_on_screen_sort(workspace: Workspace, tmp_path: Path) -> None:
    """Sorted by spend (s twice: name -> code -> spend), the CSV lists the members in that order,
    not by id: Đức (5,000,000) before Ánh (1,550,000) before Khôi (450,000) before Eve."""
    target = tmp_path / "individual.personal-data.csv"
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        members = await open_segment(pilot, "individual")
        await pilot.press("s", "s")
        await settle(pilot)
        assert members.sort_key == "spend"
        on_screen = shown_ids(members)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    with target.open(newline="", encoding="utf-8") as handle:
        codes = [r["code"] for r in csv.DictReader(handle)]
    ids = {c["code"]: c["id"] for c in workspace.store.all("customers")}
    assert [ids[code] for code in codes] == on_screen
    assert on_screen != sorted(on_screen)  # the sort is not the id order


async def test_a_chains_revenue_is_never_cut_whole_where_it_fits_else_compact(workspace: Workspace) -> None:
    """At 100k customers a segment's revenue reads ₫1,269,059,330,000, and the column cut it
    to `₫1,269,059,330…`. The money columns grow into the label's room; where that is not
    enough (both columns huge at 80 columns) they write their amounts compact."""
    customer = code_of(workspace, "C000002")  # lapsed

    async def lapsed_row(size: tuple[int, int]) -> list[str]:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            await pilot.press("ctrl+g")
            await settle(pilot)
            table = app.screen.query_one("#segments-table", DataTable)
            cells = [str(cell).strip() for key in ("lapsed", "individual") for cell in table.get_row(key)[1:]]
            assert not [cell for cell in cells if "…" in cell], (size, cells)
            return [str(cell).strip() for cell in table.get_row("lapsed")]

    def order(total: int) -> None:
        workspace.store.insert("orders", {"customer_id": customer, "date": "2026-01-10", "total": total,
                                          "items": "", "channel": "store", "created_at": "2026-01-10T12:00:00"})

    order(1_269_059_330_000)
    assert (await lapsed_row((80, 24)))[3] == "₫1,269,064,780,000"
    order(900_000_000_000_000)  # revenue and CLV both past what 80 columns hold whole
    row = await lapsed_row((80, 24))
    assert row[3] == "₫901,269,064,780,000" and row[5].startswith("₫") and row[5].endswith("T"), row
    row = await lapsed_row((160, 40))
    assert row[3] == "₫901,269,064,780,000" and row[5].count(",") >= 4, row


async def test_the_members_line_says_the_list_is_capped_in_full_at_80_columns(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`30,105 of 30,105 members · sorted by Name (first 1,000 listed; filter to` was cut at
    80 columns: the line wraps to a second row. (The cap is lowered so two members pass it.)"""
    from custui.i18n import set_locale
    from custui.screens import segment_members

    monkeypatch.setattr(segment_members, "SHOW_LIMIT", 1)
    for language, end in (("en", "filter to narrow)"), ("vi", "hãy lọc để thu hẹp)")):
        set_locale(language)
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_segment(pilot, "lapsed")
            await pilot.press("s", "s", "s")  # sorted by a longer column name
            await settle(pilot)
            lines = screen_text(app).splitlines()
            status = " ".join(" ".join(line.split()) for line in lines[-4:-1])
            assert end in status, (language, lines[-4:])
