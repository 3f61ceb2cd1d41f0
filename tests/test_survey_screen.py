"""Typing surveys through Pilot: the keys of each question type, blocking, back, review, save."""

from __future__ import annotations

from pilot_helpers import settle

from custui.app import make_app
from custui.screens.survey import SurveyScreen
from custui.services.workspace import Workspace


async def run_survey(workspace: Workspace, keys: list[str], customer_id: int | None = 1,
                     survey_id: str | None = None) -> tuple[list[bool | None], SurveyScreen]:
    """Type `keys` into a SurveyScreen; returns what it dismissed with, and the screen
    (with `error_text` set to the message line as it was at the end)."""
    app = make_app(workspace)
    results: list[bool | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SurveyScreen(workspace, customer_id, survey_id)
        app.push_screen(screen, results.append)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        # the save runs in a worker, then dismisses: wait for both, however loaded the machine
        await settle(pilot)
        error = "" if results else str(screen.query_one("#survey-error").render())
        screen.error_text = error  # type: ignore[attr-defined]
    return results, screen


def typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_after_purchase_survey_in_ten_keys_plus_comment(workspace: Workspace) -> None:
    keys = ["enter", "5", "4", "3", "2", "4", "1", "0", *typed("ok thanks"), "enter", "enter"]
    results, _ = await run_survey(workspace, keys)
    assert results == [True]
    [doc] = workspace.store.all("feedback")
    assert doc["survey_id"] == "after_purchase"
    assert doc["customer_id"] == 1 and doc["order_id"] == 1  # the order of 8 days ago
    assert doc["answers"] == {
        "product_quality": 5, "staff_attitude": 4, "information_accuracy": 3,
        "policy_clarity": 2, "after_sales_support": 4, "nps": 10, "comment": "ok thanks",
    }
    assert doc["created_at"] == "2026-11-28T10:00:00"
    assert len(keys) - len("ok thanks") == 10  # + the f that opened it = 11


async def test_required_question_blocks_and_optional_can_be_skipped(workspace: Workspace) -> None:
    keys = ["enter", "enter"]  # Enter on a required rating without an answer
    _, screen = await run_survey(workspace, keys)
    assert screen.step == 0
    assert "needs an answer" in screen.error_text
    # optional after_sales_support skipped with Enter; NPS 1 is "1" then Enter; empty comment
    keys = ["enter", "5", "5", "5", "5", "enter", "1", "enter", "enter", "enter"]
    results, _ = await run_survey(workspace, keys)
    assert results == [True]
    answers = workspace.store.all("feedback")[0]["answers"]
    assert "after_sales_support" not in answers and "comment" not in answers
    assert answers["nps"] == 1


async def test_back_changes_an_earlier_answer(workspace: Workspace) -> None:
    keys = ["enter", "5", "4", "shift+tab", "2", "3", "3", "3", "7", "enter", "enter"]
    results, _ = await run_survey(workspace, keys)
    assert results == [True]
    answers = workspace.store.all("feedback")[0]["answers"]
    assert answers["staff_attitude"] == 2 and answers["nps"] == 7


async def test_choice_multi_choice_and_walk_in(workspace: Workspace) -> None:
    # buying_factors: multi (1 and 3 toggled, 1 untoggled, space on highlighted), choice 4, text
    keys = ["3", "enter", "1", "3", "1", "down", "space", "enter", "4", *typed("a phone"), "enter", "enter"]
    results, _ = await run_survey(workspace, keys, customer_id=None)
    assert results == [True]
    [doc] = workspace.store.all("feedback")
    assert doc["customer_id"] is None and doc["order_id"] is None
    assert doc["answers"] == {"factors": ["price", "service"], "found_us": "referral", "needs": "a phone"}


async def test_multi_choice_needs_one_pick(workspace: Workspace) -> None:
    _, screen = await run_survey(workspace, ["enter"], customer_id=None, survey_id="buying_factors")
    assert screen.step == 0
    assert workspace.store.all("feedback") == []


async def test_yes_no_keys_and_escape_twice_discards(workspace: Workspace) -> None:
    keys = ["n", "2", *typed("slow"), "enter", "enter"]
    results, _ = await run_survey(workspace, keys, survey_id="complaint_follow_up")
    assert results == [True]
    assert workspace.store.all("feedback")[0]["answers"] == {"resolved": False, "rating": 2, "comment": "slow"}
    results, screen = await run_survey(workspace, ["y", "escape"], survey_id="complaint_follow_up")
    assert results == [] and "Escape again" in screen.error_text
    results, _ = await run_survey(workspace, ["y", "escape", "escape"], survey_id="complaint_follow_up")
    assert results == [False]
    assert len(workspace.store.all("feedback")) == 1


async def test_o_links_another_order_or_none(workspace: Workspace) -> None:
    keys = ["o", "o", "enter", "y", "5", "enter", "enter"]  # order 1 -> order 2 -> none... then start
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SurveyScreen(workspace, 1)
        app.push_screen(screen)
        await pilot.pause()
        assert screen.order_id == 1
        await pilot.press("o")
        assert screen.order_id == 2
        await pilot.press("o")
        assert screen.order_id is None
    del keys
