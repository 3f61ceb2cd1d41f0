"""Survey answers: per-type validation, keys, and the results maths."""

from __future__ import annotations

import pytest

from custui.config.loader import load_config
from custui.domain.models.surveys import Survey
from custui.domain.survey import (
    AnswerError,
    choice_index,
    clean_answer,
    clean_answers,
    labelled_answers,
    nps_key,
    nps_score,
    survey_results,
)

SURVEYS = {s.id: s for s in load_config().surveys.surveys}


def question(survey: str, qid: str):
    return next(q for q in SURVEYS[survey].questions if q.id == qid)


@pytest.mark.parametrize(
    ("survey", "qid", "value", "stored"),
    [
        ("after_purchase", "product_quality", 4, 4),
        ("after_purchase", "nps", 0, 0),
        ("after_purchase", "nps", 10, 10),
        ("after_purchase", "comment", "  good  ", "good"),
        ("complaint_follow_up", "resolved", False, False),
        ("buying_factors", "found_us", "social", "social"),
        ("buying_factors", "factors", ["price", "quality"], ["quality", "price"]),
    ],
)
def test_valid_answers_are_stored_in_canonical_form(survey, qid, value, stored) -> None:
    assert clean_answer(question(survey, qid), value) == stored


@pytest.mark.parametrize(
    ("survey", "qid", "value", "code"),
    [
        ("after_purchase", "product_quality", 6, "range"),
        ("after_purchase", "product_quality", 0, "range"),
        ("after_purchase", "product_quality", True, "type"),
        ("after_purchase", "nps", 11, "range"),
        ("after_purchase", "nps", None, "required"),
        ("buying_factors", "found_us", "tv", "choice"),
        ("buying_factors", "factors", [], "required"),
        ("buying_factors", "factors", ["quality", "tv"], "choice"),
        ("complaint_follow_up", "resolved", "yes", "type"),
    ],
)
def test_invalid_answers_are_refused_with_a_reason(survey, qid, value, code) -> None:
    with pytest.raises(AnswerError) as err:
        clean_answer(question(survey, qid), value)
    assert err.value.code == code


def test_optional_questions_may_be_left_empty() -> None:
    assert clean_answer(question("after_purchase", "comment"), "   ") is None
    assert clean_answer(question("after_purchase", "after_sales_support"), None) is None


def test_clean_answers_drops_empty_and_blocks_missing_required() -> None:
    survey = SURVEYS["after_purchase"]
    answers = {"product_quality": 5, "staff_attitude": 4, "information_accuracy": 3,
               "policy_clarity": 2, "nps": 9, "comment": ""}
    assert clean_answers(survey, answers) == {k: v for k, v in answers.items() if k != "comment"}
    with pytest.raises(AnswerError) as err:
        clean_answers(survey, {"product_quality": 5})
    assert err.value.question_id == "staff_attitude"


def test_nps_keys_one_waits_for_zero_or_enter() -> None:
    assert nps_key("", "7") == (7, "")
    assert nps_key("", "0") == (0, "")
    assert nps_key("", "1") == (None, "1")
    assert nps_key("1", "0") == (10, "")
    assert nps_key("1", "enter") == (1, "")
    assert nps_key("1", "8") == (8, "")


def test_choice_keys_are_digits_then_letters() -> None:
    assert choice_index("1", 6) == 0
    assert choice_index("6", 6) == 5
    assert choice_index("7", 6) is None
    assert choice_index("a", 12) == 9


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    assert nps_score([10, 9, 8, 7, 6, 0]) == pytest.approx(0.0)
    assert nps_score([10, 10, 10, 5]) == pytest.approx(50.0)
    assert nps_score([]) is None


def test_results_count_average_and_distribution_within_the_period() -> None:
    survey = SURVEYS["after_purchase"]
    rows = [
        {"survey_id": "after_purchase", "created_at": "2026-03-01T10:00:00",
         "answers": {"product_quality": 5, "nps": 10}},
        {"survey_id": "after_purchase", "created_at": "2026-03-05T10:00:00",
         "answers": {"product_quality": 3, "nps": 6}},
        {"survey_id": "after_purchase", "created_at": "2026-04-05T10:00:00",
         "answers": {"product_quality": 1, "nps": 0}},
        {"survey_id": "complaint_follow_up", "created_at": "2026-03-02T10:00:00",
         "answers": {"rating": 1}},
    ]
    result = survey_results(survey, rows, "2026-03-01", "2026-03-31")
    assert result.responses == 2
    quality = result.questions[0]
    assert quality.average == pytest.approx(4.0)
    assert quality.distribution == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    nps = next(q for q in result.questions if q.question_id == "nps")
    assert (nps.promoters, nps.passives, nps.detractors) == (1, 0, 1)
    assert nps.nps == pytest.approx(0.0)


def test_old_feedback_with_a_removed_question_still_shows_under_its_id() -> None:
    survey = Survey.model_validate(
        {"id": "s", "title": "S", "questions": [{"id": "q1", "type": "rating", "text": "Q1"}]}
    )
    rows = labelled_answers(survey, {"q1": 4, "gone": "blue"}, "en", "Yes", "No")
    assert rows == [("Q1", "4"), ("gone", "blue")]
    # and the results ignore what the survey no longer asks
    result = survey_results(survey, [{"survey_id": "s", "created_at": "2026-01-01", "answers": {"gone": 1}}])
    assert result.responses == 1 and result.questions[0].answered == 0
