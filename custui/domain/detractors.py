"""Unhappy answers that need a person: which answers make a detractor, when the call-back is
due, and how many detractors were called back in time.

A response is a detractor's when any NPS answer is at or below `nps_max` (0-6 by default)
or any rating at or below `rating_max` (1-2); either threshold may be off (None). The
call-back is due `due_hours` after the response; it is "in time" when its done mark (an
interaction carrying the item's care_key) was logged by then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class DetractorRule:
    nps_max: int | None = 6
    rating_max: int | None = 2
    due_hours: int = 24
    keep_days: int = 30  # a call-back not done drops off the queue this many days after the answer


def call_back_key(feedback_id: int) -> str:
    return f"call_back:f{feedback_id}"


def low_answers(
    answers: Mapping[str, Any], types: Mapping[str, str], rule: DetractorRule
) -> list[tuple[str, int]]:
    """(question id, value) of the answers at or below the thresholds, in answer order."""
    found: list[tuple[str, int]] = []
    for question, value in answers.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        kind = types.get(question)
        if kind == "nps" and rule.nps_max is not None and 0 <= value <= rule.nps_max:
            found.append((question, value))
        elif kind == "rating" and rule.rating_max is not None and 1 <= value <= rule.rating_max:
            found.append((question, value))
    return found


def due_at(created_at: str, rule: DetractorRule) -> datetime:
    return datetime.fromisoformat(str(created_at)).replace(tzinfo=None) + timedelta(hours=rule.due_hours)


@dataclass(frozen=True)
class Detractor:
    feedback: Doc
    answers: tuple[tuple[str, int], ...]
    due: datetime


def detractors(
    feedback: Iterable[Doc], question_types: Mapping[str, Mapping[str, str]], rule: DetractorRule
) -> list[Detractor]:
    """Responses by a known customer with at least one low answer; `question_types` is
    survey id -> question id -> type."""
    found: list[Detractor] = []
    for doc in feedback:
        if doc.get("customer_id") is None or not doc.get("created_at"):
            continue
        low = low_answers(doc.get("answers") or {}, question_types.get(str(doc.get("survey_id")), {}), rule)
        if low:
            found.append(Detractor(doc, tuple(low), due_at(str(doc["created_at"]), rule)))
    return found


def done_times(interactions: Iterable[Doc]) -> dict[str, str]:
    """care_key -> when it was first marked done (snoozes are not done)."""
    done: dict[str, str] = {}
    for doc in interactions:
        key = doc.get("care_key")
        if key and not doc.get("snoozed_until"):
            at = str(doc.get("at", ""))
            if key not in done or at < done[key]:
                done[key] = at
    return done


@dataclass(frozen=True)
class CallBackShare:
    detractors: int  # detractor responses whose call-back fell due in the period (or is done)
    in_time: int  # of those, called back by the due time

    @property
    def share(self) -> float | None:
        return self.in_time / self.detractors if self.detractors else None


def called_back_in_time(found: Iterable[Detractor], done: Mapping[str, str], now: datetime) -> CallBackShare:
    """Of the detractors whose call-back is due by `now` or already done, those done in time."""
    total = in_time = 0
    now = now.replace(tzinfo=None)
    for item in found:
        at = done.get(call_back_key(int(item.feedback["id"])))
        if at is None and item.due > now:
            continue  # still open and not late: not counted yet
        total += 1
        if at is not None and datetime.fromisoformat(at).replace(tzinfo=None) <= item.due:
            in_time += 1
    return CallBackShare(total, in_time)
