"""FeedbackAnswersModal: one stored response, every answer under its question (read-only)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from custui.i18n import t
from custui.services.customer_view import day
from custui.services.feedback import describe, survey_title
from custui.services.workspace import Workspace
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain


def answers_text(pairs: list[tuple[str, str]]) -> Text:
    """Each question (dim) with its answer below it; a removed question shows under its id."""
    if not pairs:
        return plain(t("profile.feedback_none"), style="dim")
    lines: list[Text] = []
    for label, answer in pairs:
        lines.append(plain(label, style="dim"))
        line = Text("  ")
        line.append_text(plain(answer or "—", style="bold"))
        lines.append(line)
    text = Text("\n").join(lines)
    text.no_wrap = False
    return text


class FeedbackAnswersModal(LabelledModal[None]):
    """Shows a response in full; Esc or Enter closes it."""

    DEFAULT_CSS = """
    FeedbackAnswersModal { align: center middle; }
    FeedbackAnswersModal > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FeedbackAnswersModal .title { text-style: bold; }
    FeedbackAnswersModal VerticalScroll { height: auto; max-height: 18; }
    FeedbackAnswersModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,enter", "close", "profile.close", id="feedback-view.close"),
    ]

    def __init__(self, workspace: Workspace, feedback_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.feedback = workspace.store.get("feedback", feedback_id) or {}

    def compose(self) -> ComposeResult:
        doc, ws = self.feedback, self.workspace
        with Vertical():
            title = plain(t("profile.feedback_title", survey=survey_title(ws, str(doc.get("survey_id") or "")),
                            date=day(doc.get("created_at"))), style="bold")
            yield Static(title, classes="title")
            with VerticalScroll(id="answers-scroll"):
                yield Static(answers_text(describe(ws, doc) if doc else []), id="answers")
            yield Static(plain(f"Esc/Enter {t('profile.close')}"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#answers-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
