"""SurveyResultsScreen: responses, average rating per question, NPS and answer counts."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from custui.domain.models.surveys import Question
from custui.domain.survey import QuestionResult, SurveyResults
from custui.i18n import decimal_text, get_locale, t
from custui.screens.records_screen import RecordsScreen
from custui.services import feedback as service
from custui.services.workspace import Workspace
from custui.widgets.footer import KeysFooter
from custui.widgets.safe import plain

BAR_WIDTH = 30


def period_label(days: int | None) -> str:
    return t("results.days", days=days) if days else t("results.all_time")


def bucket_label(question: Question, key: str) -> str:
    if question.type == "yes_no":
        return t("survey.yes" if key == "yes" else "survey.no")
    if question.type in ("choice", "multi_choice"):
        found = next((c for c in question.choices if c.id == key), None)
        return found.text.get(get_locale()) if found else key
    return key


def distribution_text(question: Question, result: QuestionResult) -> Text:
    """One bar per answer value: "  5 ██████████ 12"."""
    text = Text()
    if not result.distribution:
        return text
    peak = max(result.distribution.values()) or 1
    labels = {key: bucket_label(question, key) for key in result.distribution}
    width = min(24, max(len(label) for label in labels.values()))
    for key, count in result.distribution.items():
        label = labels[key][:width]
        text.append("  ")
        text.append_text(plain(label.rjust(width)))
        text.append(" ")
        text.append("█" * round(BAR_WIDTH * count / peak), style="green")
        text.append(f" {count}\n")
    return text


def results_text(survey_questions: list[Question], results: SurveyResults, days: int | None) -> Text:
    text = Text()
    text.append(t("results.responses", count=results.responses), style="bold")
    text.append(f" · {period_label(days)}\n")
    if not results.responses:
        text.append(t("results.none"), style="dim")
        return text
    by_id = {q.id: q for q in survey_questions}
    for number, result in enumerate(results.questions, 1):
        question = by_id[result.question_id]
        text.append(f"\n{number}. ", style="dim")
        text.append_text(plain(question.text.get(get_locale()), style="bold"))
        text.append("\n  ")
        if result.nps is not None:
            text.append(t("results.nps", score=f"{result.nps:+.0f}", p=result.promoters,
                          pa=result.passives, d=result.detractors), style="bold")
            text.append("\n  ")
        if result.average is not None:
            text.append(t("results.average", avg=decimal_text(result.average, 2), count=result.answered))
        else:
            text.append(t("results.answers", count=result.answered))
        text.append("\n")
        text.append_text(distribution_text(question, result))
    return text


class SurveyResultsScreen(RecordsScreen[None]):
    """s: next survey, p: next period (7, 30, 90, 365 days, all time)."""

    DEFAULT_CSS = """
    SurveyResultsScreen #results-head { height: auto; padding: 0 1; color: $accent; }
    SurveyResultsScreen #results-scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "next_survey", "results.next_survey", id="results.survey"),
        Binding("p", "next_period", "results.next_period", id="results.period"),
        Binding("r", "refresh", "care.refresh", id="results.refresh", show=False),
    ]

    def __init__(self, workspace: Workspace | None = None, survey_id: str | None = None) -> None:
        super().__init__(workspace)
        self.survey_id = survey_id
        self.survey_index = 0
        self.period_index = 1  # 30 days

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-head")
        with VerticalScroll(id="results-scroll"):
            yield Static(plain(t("results.loading")), id="results-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        ids = [s.id for s in service.surveys(self.workspace)]
        wanted = self.survey_id or service.default_survey_id(self.workspace)
        self.survey_index = ids.index(wanted) if wanted in ids else 0
        self.query_one("#results-scroll").focus()
        self.load()

    def refresh_records(self) -> None:
        self.load()

    @property
    def days(self) -> int | None:
        return service.PERIODS[self.period_index]

    def load(self) -> None:
        surveys = service.surveys(self.workspace)
        if not surveys:
            return
        survey = surveys[self.survey_index % len(surveys)]
        head = Text(t("results.title") + ": ", style="bold")
        head.append_text(plain(survey.title.get(get_locale())))
        head.append(f" · {period_label(self.days)}  (s / p)", style="dim")
        self.query_one("#results-head", Static).update(head)
        self.compute(survey.id, self.days)

    @work(thread=True, exclusive=True, group="survey-results", exit_on_error=False)
    def compute(self, survey_id: str, days: int | None) -> None:
        results = service.results(self.workspace, survey_id, days)
        survey = service.get_survey(self.workspace, survey_id)
        questions = list(survey.questions) if survey else []
        self.app.call_from_thread(self.show, results_text(questions, results, days))

    def show(self, text: Text) -> None:
        self.query_one("#results-body", Static).update(text)

    def action_next_survey(self) -> None:
        self.survey_index = (self.survey_index + 1) % max(1, len(service.surveys(self.workspace)))
        self.load()

    def action_next_period(self) -> None:
        self.period_index = (self.period_index + 1) % len(service.PERIODS)
        self.load()

    def action_refresh(self) -> None:
        self.load()
