"""Feedback use-cases: pick a survey, save a response, list a customer's feedback, results."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from custui.domain.models.surveys import Survey
from custui.domain.money import format_money
from custui.domain.survey import (
    AnswerError,
    SurveyResults,
    clean_answers,
    find_survey,
    labelled_answers,
    survey_results,
)
from custui.errors import BadInput
from custui.i18n import format_day, get_locale, t
from custui.services.workspace import Workspace
from custui.store.base import Doc


def surveys(ws: Workspace) -> list[Survey]:
    return list(ws.config.surveys.surveys)


def get_survey(ws: Workspace, survey_id: str) -> Survey | None:
    return find_survey(ws.config.surveys.surveys, survey_id)


def default_survey_id(ws: Workspace) -> str | None:
    """The survey care.yaml asks for after a purchase, when it exists; else the first."""
    wanted = ws.config.care.follow_ups.feedback_survey
    if get_survey(ws, wanted) is not None:
        return wanted
    return ws.config.surveys.surveys[0].id if ws.config.surveys.surveys else None


def recent_orders(ws: Workspace, customer_id: int, limit: int = 10) -> list[Doc]:
    """The customer's latest non-void orders, newest first (to link a response to one)."""
    orders = [o for o in ws.store.children("orders", customer_id) if not o.get("void")]
    orders.sort(key=lambda o: (o.get("date", ""), o["id"]), reverse=True)
    return orders[:limit]


def order_line(ws: Workspace, order: Doc) -> str:
    """An order as a survey or complaint names it: number, day in the language's format, total."""
    amount = format_money(int(order.get("total") or 0), ws.currency, get_locale())
    return t("survey.order_line", id=order["id"], date=format_day(str(order.get("date") or "")[:10]),
             amount=amount)


def default_order_id(ws: Workspace, customer_id: int | None, within_days: int = 30) -> int | None:
    """The latest order when it is recent enough that the response is likely about it."""
    if customer_id is None:
        return None
    orders = recent_orders(ws, customer_id, 1)
    if not orders:
        return None
    since = (ws.today() - timedelta(days=within_days)).isoformat()
    return int(orders[0]["id"]) if str(orders[0].get("date", "")) >= since else None


def submit_feedback(
    ws: Workspace,
    survey_id: str,
    answers: dict[str, Any],
    customer_id: int | None = None,
    order_id: int | None = None,
    channel: str = "in_person",
) -> Doc:
    """Validate the answers against the survey and store the response. Raises BadInput."""
    survey = get_survey(ws, survey_id)
    if survey is None:
        raise BadInput(t("survey.err.unknown_survey", survey=survey_id))
    try:
        cleaned = clean_answers(survey, answers)
    except AnswerError as err:
        raise BadInput(t(f"survey.err.{err.code}", question=err.question_id)) from err
    if customer_id is not None and ws.store.get("customers", customer_id) is None:
        raise BadInput(t("care.err.no_customer", id=customer_id))
    if order_id is not None:
        order = ws.store.get("orders", order_id)
        if order is None or order.get("customer_id") != customer_id:
            raise BadInput(t("survey.err.order", order=order_id))
    return ws.store.insert("feedback", {
        "customer_id": customer_id,
        "order_id": order_id,
        "survey_id": survey.id,
        "answers": cleaned,
        "channel": channel,
        "created_at": ws.now_iso(),
        "who": ws.operator,
    })


def feedback_for(ws: Workspace, customer_id: int) -> list[Doc]:
    """A customer's responses, newest first."""
    rows = ws.store.children("feedback", customer_id)
    return sorted(rows, key=lambda f: (str(f.get("created_at", "")), f["id"]), reverse=True)


def describe(ws: Workspace, feedback: Doc) -> list[tuple[str, str]]:
    """(question label, answer text) for one stored response, removed questions by id."""
    survey = get_survey(ws, str(feedback.get("survey_id", "")))
    return labelled_answers(survey, feedback.get("answers", {}), get_locale(), t("survey.yes"), t("survey.no"))


def survey_title(ws: Workspace, survey_id: str) -> str:
    survey = get_survey(ws, survey_id)
    return survey.title.get(get_locale()) if survey else survey_id


PERIODS = (7, 30, 90, 365, None)  # days back from today; None = all time


def period_bounds(today: date, days: int | None) -> tuple[str | None, str]:
    """[start, end] ISO dates of the last `days` days including today."""
    start = None if days is None else (today - timedelta(days=days - 1)).isoformat()
    return start, today.isoformat()


def results(ws: Workspace, survey_id: str, days: int | None) -> SurveyResults:
    """Results of one survey over the last `days` days (None: all time). Reads every response."""
    survey = get_survey(ws, survey_id)
    if survey is None:
        raise BadInput(t("survey.err.unknown_survey", survey=survey_id))
    start, end = period_bounds(ws.today(), days)
    return survey_results(survey, ws.store.all("feedback"), start, end)
