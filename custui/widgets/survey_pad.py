"""What the survey screen shows under a question: the answer pad and the review list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from custui.domain.models.surveys import Question
from custui.domain.survey import answer_text, choice_key
from custui.i18n import get_locale, t
from custui.widgets.safe import plain

YES_KEYS, NO_KEYS = ("y", "c"), ("n", "k")  # c/k: có / không


class AnswerPad(Static, can_focus=True):
    """The focus target while answering a non-text question (keys go to the screen)."""


def pad_text(question: Question, value: Any, cursor: int = 0, pending_nps: str = "") -> Text:
    """The choices of a non-text question with the current answer `value` highlighted;
    `cursor` marks the highlighted choice, `pending_nps` a "1" waiting for "0" or Enter."""
    text = Text()
    if question.type in ("rating", "nps"):
        low, high = (1, 5) if question.type == "rating" else (0, 10)
        for number in range(low, high + 1):
            chosen = value == number
            text.append(f" {number} ", style="reverse bold" if chosen else "")
            text.append(" ")
        if pending_nps:
            text.append("\n" + t("survey.nps_pending"), style="italic")
        return text
    if question.type == "yes_no":
        for keys, flag in ((YES_KEYS[0], True), (NO_KEYS[0], False)):
            label = f" {keys} {t('survey.yes' if flag else 'survey.no')} "
            text.append(label, style="reverse bold" if value is flag else "")
            text.append("   ")
        return text
    picked = set(value) if isinstance(value, list) else {value}
    for index, choice in enumerate(question.choices):
        mark = ("[x] " if choice.id in picked else "[ ] ") if question.type == "multi_choice" else ""
        line = Text(f"{'>' if index == cursor else ' '} {choice_key(index)}  {mark}")
        line.append_text(plain(choice.text.get(get_locale())))
        if question.type == "choice" and choice.id in picked:
            line.stylize("reverse bold")
        text.append_text(line)
        text.append("\n")
    return text


def review_text(questions: Sequence[Question], answers: Mapping[str, Any], width: int) -> Text:
    """One line per question: number, question (cut to `width`), answer in bold."""
    text = Text()
    yes, no = t("survey.yes"), t("survey.no")
    for index, question in enumerate(questions, 1):
        value = answers.get(question.id)
        shown = answer_text(question, value, get_locale(), yes, no) if value is not None else "—"
        label = question.text.get(get_locale())
        if len(label) > width:
            label = label[: width - 1] + "…"
        line = Text(f"{index}. ", style="dim")
        line.append_text(plain(label.ljust(width)))
        line.append(" ")
        line.append_text(plain(shown, style="bold"))
        text.append_text(line)
        text.append("\n")
    return text
