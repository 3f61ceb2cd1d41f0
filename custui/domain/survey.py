"""Survey answers: validation per question type, and the results maths (averages, NPS, counts).

Answers are stored as `{question_id: value}` with the survey id beside them, so
a survey edited in YAML never breaks old feedback: unknown question ids are
kept and shown under their id, and results only count the answers they can read.

Stored value per question type:
- rating: int 1..5            - nps: int 0..10
- choice: choice id (str)     - multi_choice: list of choice ids (config order)
- yes_no: bool                - text: str (stripped; "" is no answer)
A question left unanswered is absent from `answers` (never stored as None).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from custui.domain.models.surveys import Question, Survey
from custui.domain.text import is_ascii_digits

RATING_RANGE = (1, 5)
NPS_RANGE = (0, 10)
PROMOTER_MIN = 9  # 9-10 promote
DETRACTOR_MAX = 6  # 0-6 detract; 7-8 are passive


class AnswerError(ValueError):
    """An answer that does not fit its question; `code` is an i18n key suffix."""

    def __init__(self, question_id: str, code: str) -> None:
        super().__init__(f"{question_id}: {code}")
        self.question_id = question_id
        self.code = code  # required | range | choice | type


def is_empty(value: Any) -> bool:
    """True for "no answer": None, "", whitespace, or an empty selection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    return False


def _int_in(question: Question, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(question.id, "type")
    if not low <= value <= high:
        raise AnswerError(question.id, "range")
    return value


def clean_answer(question: Question, value: Any) -> Any:
    """The value to store for `question`, or None for "no answer".

    Raises AnswerError when the value does not fit, or when a required question
    has no answer.
    """
    if is_empty(value):
        if question.required:
            raise AnswerError(question.id, "required")
        return None
    kind = question.type
    if kind == "rating":
        return _int_in(question, value, *RATING_RANGE)
    if kind == "nps":
        return _int_in(question, value, *NPS_RANGE)
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise AnswerError(question.id, "type")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerError(question.id, "type")
        return value.strip()
    ids = [c.id for c in question.choices]
    if kind == "choice":
        if value not in ids:
            raise AnswerError(question.id, "choice")
        return value
    # multi_choice
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(question.id, "type")
    picked = set(value)
    if not picked <= set(ids):
        raise AnswerError(question.id, "choice")
    return [cid for cid in ids if cid in picked]


def clean_answers(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """All answers checked against `survey`; empty ones dropped. Raises on the first problem.

    Answers to question ids the survey does not have are an error here (a new
    response is always typed against the current survey).
    """
    known = {q.id for q in survey.questions}
    for qid in answers:
        if qid not in known:
            raise AnswerError(qid, "unknown")
    cleaned: dict[str, Any] = {}
    for question in survey.questions:
        value = clean_answer(question, answers.get(question.id))
        if value is not None:
            cleaned[question.id] = value
    return cleaned


def find_survey(surveys: Iterable[Survey], survey_id: str) -> Survey | None:
    return next((s for s in surveys if s.id == survey_id), None)


# -- keys ------------------------------------------------------------------------------
CHOICE_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"


def choice_key(index: int) -> str:
    """The key that picks choice number `index` (0-based): 1-9, then a-z."""
    return CHOICE_KEYS[index] if index < len(CHOICE_KEYS) else ""


def choice_index(key: str, count: int) -> int | None:
    """Which choice (0-based) `key` picks among `count`, or None."""
    pos = CHOICE_KEYS.find(key) if len(key) == 1 else -1
    return pos if 0 <= pos < count else None


def nps_key(pending: str, key: str) -> tuple[int | None, str]:
    """Fold one key into an NPS entry: returns (answer or None, new pending text).

    "0" and "2".."9" answer at once; "1" waits: then "0" makes 10, Enter
    (key "enter") makes 1, another digit starts over with that digit.
    """
    if pending == "1":
        if key == "0":
            return 10, ""
        if key == "enter":
            return 1, ""
    if key == "1":
        return None, "1"
    if len(key) == 1 and is_ascii_digits(key):
        return int(key), ""
    return None, pending


# -- showing answers ------------------------------------------------------------------
def answer_text(question: Question | None, value: Any, locale: str, yes: str, no: str) -> str:
    """A stored value as text; `question` None (removed from YAML) shows the raw value."""
    if isinstance(value, bool):
        return yes if value else no
    if question is not None and question.type in ("choice", "multi_choice"):
        names = {c.id: c.text.get(locale) for c in question.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.get(str(v), str(v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def labelled_answers(
    survey: Survey | None, answers: Mapping[str, Any], locale: str, yes: str, no: str
) -> list[tuple[str, str]]:
    """(label, text) for every stored answer: survey order first, then removed questions by id."""
    questions = {q.id: q for q in survey.questions} if survey else {}
    rows: list[tuple[str, str]] = []
    for qid, question in questions.items():
        if qid in answers:
            rows.append((question.text.get(locale), answer_text(question, answers[qid], locale, yes, no)))
    for qid, value in answers.items():
        if qid not in questions:
            rows.append((qid, answer_text(None, value, locale, yes, no)))
    return rows


# -- results --------------------------------------------------------------------------
def nps_score(scores: Iterable[int]) -> float | None:
    """Net Promoter Score in percent: share of 9-10 minus share of 0-6; None with no scores."""
    total = promoters = detractors = 0
    for score in scores:
        total += 1
        if score >= PROMOTER_MIN:
            promoters += 1
        elif score <= DETRACTOR_MAX:
            detractors += 1
    if total == 0:
        return None
    return 100.0 * (promoters - detractors) / total


@dataclass
class QuestionResult:
    """What the responses say about one question."""

    question_id: str
    type: str
    answered: int = 0
    # value -> count: ints for rating/nps, choice ids, "yes"/"no"
    distribution: dict[str, int] = field(default_factory=dict)
    average: float | None = None  # rating and nps
    nps: float | None = None  # nps only
    promoters: int = 0
    passives: int = 0
    detractors: int = 0


@dataclass
class SurveyResults:
    survey_id: str
    responses: int
    questions: list[QuestionResult]


def _bucket_order(question: Question) -> list[str]:
    if question.type == "rating":
        return [str(v) for v in range(RATING_RANGE[0], RATING_RANGE[1] + 1)]
    if question.type == "nps":
        return [str(v) for v in range(NPS_RANGE[0], NPS_RANGE[1] + 1)]
    if question.type == "yes_no":
        return ["yes", "no"]
    return [c.id for c in question.choices]


def question_result(question: Question, values: Sequence[Any]) -> QuestionResult:
    """Count, distribution, average and NPS of the readable answers to one question."""
    result = QuestionResult(question.id, question.type)
    counts: Counter[str] = Counter()
    numbers: list[int] = []
    for value in values:
        try:
            value = clean_answer(question, value)
        except AnswerError:
            continue  # an answer the current YAML cannot read (e.g. a removed choice)
        if value is None:
            continue
        result.answered += 1
        if question.type in ("rating", "nps"):
            numbers.append(value)
            counts[str(value)] += 1
        elif question.type == "yes_no":
            counts["yes" if value else "no"] += 1
        elif question.type == "choice":
            counts[value] += 1
        elif question.type == "multi_choice":
            counts.update(value)
    if question.type != "text":
        result.distribution = {key: counts.get(key, 0) for key in _bucket_order(question)}
    if numbers:
        result.average = sum(numbers) / len(numbers)
    if question.type == "nps":
        result.nps = nps_score(numbers)
        result.promoters = sum(1 for n in numbers if n >= PROMOTER_MIN)
        result.detractors = sum(1 for n in numbers if n <= DETRACTOR_MAX)
        result.passives = len(numbers) - result.promoters - result.detractors
    return result


def in_period(created_at: str, start: str | None, end: str | None) -> bool:
    """Whether an ISO timestamp falls in [start, end] (ISO dates; None = open)."""
    day = created_at[:10]
    return (start is None or day >= start) and (end is None or day <= end)


def survey_results(
    survey: Survey, feedback: Iterable[Mapping[str, Any]], start: str | None = None, end: str | None = None
) -> SurveyResults:
    """Results of `survey` over the feedback dated in [start, end] (ISO dates, inclusive)."""
    responses = [
        f for f in feedback
        if f.get("survey_id") == survey.id and in_period(str(f.get("created_at", "")), start, end)
    ]
    questions = [
        question_result(q, [r.get("answers", {}).get(q.id) for r in responses])
        for q in survey.questions
    ]
    return SurveyResults(survey.id, len(responses), questions)
