"""SurveyScreen: answer a survey one question at a time with as few keys as possible.

Keys: rating 1-5 and NPS 0-9 answer and move on ("1" then "0" is 10, "1" then
Enter is 1); choice 1-9/a-z; multi choice digits or space toggle, Enter next;
yes/no y/n; text: type, Enter next. Enter keeps the current answer (or skips an
optional question); Backspace clears it; shift+tab goes back; the last step
reviews the answers and Enter saves.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from custui.domain.models.surveys import Question, Survey
from custui.domain.survey import (
    AnswerError,
    choice_index,
    choice_key,
    clean_answer,
    is_empty,
    nps_key,
)
from custui.domain.text import is_ascii_digits
from custui.i18n import get_locale, t
from custui.services import feedback as service
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.widgets.footer import KeysFooter
from custui.widgets.labels import LabelledScreen
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain, safe_str
from custui.widgets.save_runner import SaveRunner
from custui.widgets.survey_pad import NO_KEYS, YES_KEYS, AnswerPad, pad_text, review_text


class SurveyScreen(SaveRunner, LabelledScreen[bool]):
    """Pick a survey (and the order it is about), answer it, review, save."""

    DEFAULT_CSS = """
    SurveyScreen #survey { padding: 0 1; }
    SurveyScreen #survey-title { color: $text-muted; }
    SurveyScreen #survey-progress { color: $accent; text-style: bold; margin-top: 1; }
    SurveyScreen #survey-question { margin-bottom: 1; }
    SurveyScreen #survey-pad { height: auto; margin-top: 1; }
    SurveyScreen #survey-pad:focus { background: $boost; }
    SurveyScreen #survey-pick { height: auto; max-height: 12; margin-top: 1; }
    SurveyScreen #survey-text { margin-top: 1; }
    SurveyScreen #survey-error { color: $error; text-style: bold; margin-top: 1; }
    """

    BINDINGS = [
        Binding("shift+tab", "back", "survey.back", id="survey.back", priority=True),
        Binding("ctrl+s", "save", "survey.save", id="survey.save", priority=True),
        Binding("escape", "cancel", "survey.cancel", id="survey.cancel"),
        Binding("o", "cycle_order", "survey.order", id="survey.order", show=False),
    ]
    SAVE_MESSAGE = "#survey-error"

    def __init__(
        self,
        workspace: Workspace,
        customer_id: int | None = None,
        survey_id: str | None = None,
        order_id: int | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.customer_id = customer_id
        self.customer: Doc | None = (
            workspace.store.get("customers", customer_id) if customer_id is not None else None
        )
        self.survey: Survey | None = service.get_survey(workspace, survey_id) if survey_id else None
        self.orders = service.recent_orders(workspace, customer_id) if customer_id is not None else []
        self.order_id = order_id if order_id is not None else service.default_order_id(workspace, customer_id)
        self.answers: dict[str, Any] = {}
        self.step = -1  # -1: pick a survey; 0..n-1: a question; n: review
        self.pending_nps = ""
        self.cursor = 0  # highlighted choice
        self.discard_armed = False

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="survey"):
            yield Static(id="survey-title")
            yield Static(id="survey-progress")
            yield Static(id="survey-question")
            yield Static(id="survey-hint")
            yield OptionList(id="survey-pick", compact=True)
            yield AnswerPad(id="survey-pad")
            yield SafeInput(id="survey-text", compact=True)
            yield Static(id="survey-error")
        yield KeysFooter()

    def on_mount(self) -> None:
        pick = self.query_one("#survey-pick", OptionList)
        default = service.default_survey_id(self.workspace)
        for index, survey in enumerate(service.surveys(self.workspace)):
            label = Text(f"{choice_key(index)}  ")
            label.append_text(plain(survey.title.get(get_locale())))
            label.append(f"  ({len(survey.questions)})", style="dim")
            pick.add_option(Option(label, id=survey.id))
            if survey.id == default:
                pick.highlighted = index
        if self.survey is not None:
            self.goto(0)
        else:
            self.goto(-1)

    # -- helpers ---------------------------------------------------------------------
    @property
    def questions(self) -> list[Question]:
        return list(self.survey.questions) if self.survey else []

    @property
    def question(self) -> Question | None:
        qs = self.questions
        return qs[self.step] if 0 <= self.step < len(qs) else None

    def order_text(self) -> str:
        if self.customer is None:
            return t("survey.walk_in")
        order = next((o for o in self.orders if o["id"] == self.order_id), None)
        if order is None:
            return t("survey.no_order")
        return service.order_line(self.workspace, order)

    def title_text(self) -> Text:
        who = safe_str(self.customer.get("name")) if self.customer else t("survey.walk_in")
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.survey is not None:
            text.append(safe_str(self.survey.title.get(get_locale())), style="bold")
            text.append(" · ")
        text.append(who)
        if self.customer is not None:
            text.append(f" · {self.order_text()}", style="dim")
        return text

    def show_error(self, message: str = "") -> None:
        self.show_save_message(message)

    # -- moving between steps ----------------------------------------------------------
    def goto(self, step: int) -> None:
        self.step = step
        self.pending_nps = ""
        self.discard_armed = False
        self.show_error()
        question = self.question
        pick = self.query_one("#survey-pick", OptionList)
        pad = self.query_one("#survey-pad", AnswerPad)
        text = self.query_one("#survey-text", Input)
        pick.display = step == -1
        text.display = question is not None and question.type == "text"
        pad.display = not pick.display and not text.display
        self.query_one("#survey-title", Static).update(self.title_text())
        if question is not None and question.type in ("choice", "multi_choice"):
            current = self.answers.get(question.id)
            ids = [c.id for c in question.choices]
            self.cursor = ids.index(current) if isinstance(current, str) and current in ids else 0
        self.render_step()
        if pick.display:
            pick.focus()
        elif text.display:
            text.value = str(self.answers.get(question.id, "")) if question else ""
            text.focus()
        else:
            pad.focus()

    def render_step(self) -> None:
        progress = self.query_one("#survey-progress", Static)
        heading = self.query_one("#survey-question", Static)
        hint = self.query_one("#survey-hint", Static)
        pad = self.query_one("#survey-pad", AnswerPad)
        total = len(self.questions)
        if self.step == -1:
            progress.update(plain(t("survey.pick")))
            heading.update(plain(self.order_text() if self.customer else t("survey.walk_in")))
            hint.update(plain(t("survey.hint.pick") + (t("survey.hint.order") if self.orders else "")))
            return
        if self.step >= total:
            progress.update(plain(t("survey.review")))
            heading.update(plain(t("survey.review_help")))
            hint.update(plain(""))
            pad.update(review_text(self.questions, self.answers, max(20, (self.size.width or 80) - 30)))
            return
        question = self.questions[self.step]
        label = t("survey.progress", n=self.step + 1, total=total)
        if not question.required:
            label += " · " + t("survey.optional")
        progress.update(plain(label))
        heading.update(plain(question.text.get(get_locale()), style="bold"))
        hint_text = t(f"survey.hint.{question.type}")
        if not question.required:
            hint_text += " " + t("survey.hint.skip")
        hint.update(plain(hint_text, style="dim"))
        if question.type != "text":
            pad.update(pad_text(question, self.answers.get(question.id), self.cursor, self.pending_nps))

    # -- answering -------------------------------------------------------------------
    def answer(self, value: Any, advance: bool = True) -> None:
        """Check `value` for the current question; store it and move on, or say why not."""
        question = self.question
        if question is None:
            return
        try:
            cleaned = clean_answer(question, value)
        except AnswerError as err:
            self.show_error(t(f"survey.err.{err.code}", question=question.text.get(get_locale())))
            self.render_step()
            return
        if cleaned is None:
            self.answers.pop(question.id, None)
        else:
            self.answers[question.id] = cleaned
        if advance:
            self.goto(self.step + 1)
        else:
            self.show_error()
            self.render_step()

    def on_key(self, event: events.Key) -> None:
        if self.saving:
            return None
        if self.step == -1:
            return self.pick_key(event)
        if self.step >= len(self.questions):
            if event.key == "enter":
                event.stop()
                self.action_save()
            return None
        question = self.question
        if question is None or question.type == "text":
            return None
        if self.question_key(question, event.key, event.character):
            event.stop()
            event.prevent_default()
        return None

    def pick_key(self, event: events.Key) -> None:
        if self.step != -1 or event.character is None:
            return
        index = choice_index(event.character, len(service.surveys(self.workspace)))
        if index is not None:
            event.stop()
            self.start(service.surveys(self.workspace)[index].id)

    def question_key(self, question: Question, key: str, char: str | None) -> bool:
        """Handle one key for a non-text question; True when it was used."""
        current = self.answers.get(question.id)
        if key in ("backspace", "delete"):
            self.answers.pop(question.id, None)
            self.pending_nps = ""
            self.render_step()
            return True
        if question.type == "rating" and char and char in "12345":
            self.answer(int(char))
            return True
        if question.type == "nps" and (key == "enter" and self.pending_nps or (char and is_ascii_digits(char))):
            value, self.pending_nps = nps_key(self.pending_nps, "enter" if key == "enter" else str(char))
            if value is not None:
                self.answer(value)
            else:
                self.render_step()
            return True
        if question.type == "yes_no" and char and char.lower() in YES_KEYS + NO_KEYS:
            self.answer(char.lower() in YES_KEYS)
            return True
        if question.type in ("choice", "multi_choice"):
            if self.choice_key(question, key, char):
                return True
        if key == "enter":
            self.answer(current)
            return True
        return False

    def choice_key(self, question: Question, key: str, char: str | None) -> bool:
        count = len(question.choices)
        if key in ("up", "down"):
            self.cursor = (self.cursor + (1 if key == "down" else -1)) % count
            self.render_step()
            return True
        index = choice_index(char, count) if char else None
        if key == "space":
            index = self.cursor
        if index is None:
            if key == "enter" and question.type == "choice" and self.question_key_enter_picks(question):
                return True
            return False
        choice_id = question.choices[index].id
        self.cursor = index
        if question.type == "choice":
            self.answer(choice_id)
            return True
        picked = list(self.answers.get(question.id) or [])
        picked = [c for c in picked if c != choice_id] if choice_id in picked else [*picked, choice_id]
        if is_empty(picked):
            self.answers.pop(question.id, None)
        else:
            self.answer(picked, advance=False)
        self.render_step()
        return True

    def question_key_enter_picks(self, question: Question) -> bool:
        """Enter on a single-choice question with no answer picks the highlighted choice."""
        if question.id in self.answers:
            return False
        self.answer(question.choices[self.cursor].id)
        return True

    @on(Input.Submitted, "#survey-text")
    def text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(event.value)

    @on(OptionList.OptionSelected, "#survey-pick")
    def survey_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.start(event.option.id)

    def start(self, survey_id: str) -> None:
        self.survey = service.get_survey(self.workspace, survey_id)
        self.answers = {}
        self.goto(0)

    # -- actions ---------------------------------------------------------------------
    def action_back(self) -> None:
        if self.saving or self.step < 0:
            return
        question = self.question
        if question is not None and question.type == "text":
            typed = self.query_one("#survey-text", Input).value
            if typed.strip():
                self.answers[question.id] = typed.strip()
        self.goto(self.step - 1)

    def action_cycle_order(self) -> None:
        if self.step != -1 or not self.orders:
            return
        ids: list[int | None] = [None, *(int(o["id"]) for o in self.orders)]
        position = ids.index(self.order_id) if self.order_id in ids else 0
        self.order_id = ids[(position + 1) % len(ids)]
        self.query_one("#survey-title", Static).update(self.title_text())
        self.render_step()

    @property
    def dirty(self) -> bool:
        """Answers given that leaving would lose."""
        return bool(self.answers) and not self.saving

    def action_cancel(self) -> None:
        if self.answers and not self.discard_armed:
            self.discard_armed = True
            self.show_error(t("survey.discard"))
            return
        self.dismiss(False)

    @writes
    def action_save(self) -> None:
        """Ctrl+S: save what is answered (a text answer typed but not yet entered counts); a
        required question still open is shown with its message instead."""
        if self.saving or self.survey is None or self.step < 0:
            return
        question = self.question
        if question is not None and question.type == "text":
            typed = self.query_one("#survey-text", Input).value.strip()
            if typed:
                self.answers[question.id] = typed
        missing = next((index for index, q in enumerate(self.questions)
                        if q.required and is_empty(self.answers.get(q.id))), None)
        if missing is not None:
            self.goto(missing)
            self.show_error(t("survey.err.required"))
            return
        self.save()

    def save(self) -> None:
        if self.survey is None:
            return
        ws, survey_id, answers = self.workspace, self.survey.id, dict(self.answers)
        customer_id, order_id = self.customer_id, self.order_id
        self.run_save(lambda: service.submit_feedback(ws, survey_id, answers, customer_id, order_id),
                      lambda _doc: self.saved(), status=t("survey.saving"))

    def saved(self) -> None:
        self.app.notify(t("survey.saved"))
        self.dismiss(True)
