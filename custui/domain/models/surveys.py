"""surveys.yaml: surveys made of typed questions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from custui.domain.models.base import Localized, StrictModel

QuestionType = Literal["rating", "nps", "choice", "multi_choice", "yes_no", "text"]


class Choice(StrictModel):
    id: str
    text: Localized


class Question(StrictModel):
    id: str
    type: QuestionType
    text: Localized
    label: Localized | None = None  # a short name for lists (Today's call-backs); the id without one
    required: bool = True
    choices: list[Choice] = Field(default_factory=list)

    def short_name(self, locale: str) -> str:
        """The question in a few words: its label, else its id as words ("staff attitude")."""
        return self.label.get(locale) if self.label else self.id.replace("_", " ")

    @model_validator(mode="after")
    def _choices_match_type(self) -> Question:
        wants = self.type in ("choice", "multi_choice")
        if wants and len(self.choices) < 2:
            raise ValueError(f"a {self.type} question needs at least two choices")
        if not wants and self.choices:
            raise ValueError(f"a {self.type} question takes no choices")
        return self


class Survey(StrictModel):
    id: str
    title: Localized
    questions: list[Question] = Field(min_length=1)


class Surveys(StrictModel):
    surveys: list[Survey] = Field(default_factory=list)
