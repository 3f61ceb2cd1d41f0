"""The Today queue over a store: done and snooze persist as interactions; the screen's d and z."""

from __future__ import annotations

from datetime import datetime

import pytest
from pilot_helpers import settle, wait_until
from textual.widgets import DataTable

from custui.app import make_app
from custui.screens.care import CareScreen
from custui.services import care as service
from custui.services.interactions import interactions_for
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


def keys(ws: Workspace) -> list[str]:
    return [item.key for item in service.compute_queue(ws)]


def test_queue_from_the_store_and_done_removes_for_good(workspace: Workspace) -> None:
    # seed: Ánh bought 2026-11-20 (thank-you overdue, feedback request overdue), Eve 2026-11-27
    assert keys(workspace) == ["thank_you:c1:2026-11-20", "feedback:c1:2026-11-20", "thank_you:c4:2026-11-27"]
    first = service.compute_queue(workspace)[0]
    mark = service.mark_done(workspace, first)
    assert mark["care_key"] == first.key and mark["type"] == "note"
    assert "Bought on 2026-11-20" in mark["summary"]
    assert first.key not in keys(workspace)


def test_snooze_hides_until_the_day_and_survives_a_new_workspace(workspace: Workspace) -> None:
    item = service.compute_queue(workspace)[0]
    mark = service.snooze(workspace, item)
    assert mark["snoozed_until"] == "2026-11-29"
    assert item.key not in keys(workspace)
    tomorrow = Workspace(store=workspace.store, config=workspace.config,
                         clock=lambda: datetime(2026, 11, 29, 9, 0))
    assert item.key in keys(tomorrow)
    # snooze marks are kept out of the profile's interaction list
    assert interactions_for(workspace, item.customer_id) == []


def test_follow_up_done_ticks_the_interaction(workspace: Workspace) -> None:
    store = workspace.store
    call = store.insert("interactions", {"customer_id": 2, "type": "call", "summary": "quote sent",
                                         "at": "2026-11-20T10:00:00", "follow_up_due": "2026-11-28"})
    item = next(i for i in service.compute_queue(workspace) if i.kind == "follow_up")
    assert service.reason_text(item) == "After call: quote sent"
    service.mark_done(workspace, item)
    assert store.get("interactions", call["id"])["follow_up_done"] is True


async def test_screen_d_marks_done_and_z_snoozes(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, CareScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert await wait_until(pilot, lambda: "today 3 (2 late)" in app.sub_title), app.sub_title
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert table.row_count == 1
        # the header is recounted after the writes, in a worker: wait for it
        assert await wait_until(pilot, lambda: "today 1 (0 late)" in app.sub_title), app.sub_title
    marks = [i for i in workspace.store.all("interactions") if i.get("care_key")]
    assert [(m["care_key"], bool(m.get("snoozed_until"))) for m in marks] == [
        ("thank_you:c1:2026-11-20", False), ("feedback:c1:2026-11-20", True),
    ]


async def test_enter_opens_the_customer_profile(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ProfileScreen"
        assert app.screen.customer_id == 1  # type: ignore[attr-defined]


def test_empty_store_has_an_empty_queue(shipped_config) -> None:
    ws = Workspace(store=MemoryStore(), config=shipped_config, clock=lambda: datetime(2026, 1, 1))
    assert service.compute_queue(ws) == []


def test_vietnamese_today_says_days_and_category_names_in_vietnamese(workspace: Workspace) -> None:
    from datetime import date

    from custui.domain.care import CareItem
    from custui.i18n import set_locale
    from custui.screens.care import due_label

    item = CareItem("complaint:7:x", "complaint", 1, date(2026, 11, 16),
                    "care.reason.complaint_overdue",
                    (("id", "7"), ("due", "2026-11-16 10:00"), ("category", "product_quality")),
                    overdue=True, ref_id=7)
    set_locale("vi")
    try:
        assert due_label(item, date(2026, 11, 28)) == "! 12ng"
        assert service.reason_text(item, workspace) == "#7 Chất lượng sản phẩm, dịch vụ, quá hạn"
    finally:
        set_locale("en")
    assert due_label(item, date(2026, 11, 28)) == "! 12d"
    assert service.reason_text(item, workspace) == "#7 Product or service quality, late"


async def test_header_shows_care_counts_before_a_long_database_path(workspace: Workspace) -> None:
    """At 80 columns a long --db path is cut at the right, never today's care counts."""
    from pilot_helpers import screen_text

    workspace.store.location = "/srv/shop/" + "very-long-folder-name/" * 4 + "customers.json"
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: "today " in app.sub_title)
        await pilot.pause()
        header = screen_text(app).splitlines()[0]
        assert "today 3 (2 late)" in header, header
        assert header.index("today") < header.index("/srv/shop"), header


async def test_the_count_line_names_every_kind_at_80_columns_in_both_languages(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chain's Today read `33421 to do · 28880 late · complaint 4940, call back 4567,
    follow-up 1300, th…`: the line wraps to a second row instead of cutting the last kinds.
    (The counts are a chain's, given to the screen: the queue itself is the seed's.)"""
    from pilot_helpers import screen_text

    from custui.domain.care import QueueCounts
    from custui.i18n import set_locale
    from custui.screens import care as care_screen

    counts = {"complaint": 4940, "call_back": 4567, "follow_up": 1300, "thank_you": 9876,
              "feedback_request": 8765, "winback": 3973}
    chain = QueueCounts(total=sum(counts.values()), overdue=28880, by_kind=counts)
    monkeypatch.setattr(care_screen, "queue_counts", lambda items: chain)
    for language in ("en", "vi"):
        set_locale(language)
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+t")
            await settle(pilot)
            top = " ".join(" ".join(line.split()) for line in screen_text(app).splitlines()[1:3])
            for kind, number in counts.items():
                assert f"{service.kind_label(kind)} {number}" in top, (language, top)
