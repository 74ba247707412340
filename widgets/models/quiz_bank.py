"""A quiz's question bank and its scoring: pure data, no ipywidgets.

The bank is YAML a course author writes beside the module (see
``docs/course-format.md``). It is validated strictly so an author sees a
message naming the file, the place and the problem instead of a quiz that
silently misbehaves. Scoring lives here so that ``grading.checks`` can score a
learner's saved answers without a display or ipywidgets.

Saved answers (the ``data`` of ``svar/<exercise_id>.json``)::

    {"questions": {"<question id>": {"chosen": [1], "tries": [[0], [1]], "retrying": false}}}

``tries`` holds every submitted selection, in order. Correctness is always
recomputed from the bank, never read from the file, so a learner cannot edit
their way to points and a corrected bank re-grades fairly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import field_validator, model_validator

from widgets.models.answer_keys import load_keyed
from widgets.models.check import ContentModel, Source, problem, validate

__all__ = [
    "Option",
    "Question",
    "Bank",
    "QuestionState",
    "KEY_PLACES",
    "load_bank",
    "parse_bank",
    "question_state",
    "question_credit",
    "score_answers",
]

QUESTION_TYPES = ("single", "multiple")
_QUESTION_ID = re.compile(r"^[a-z0-9_-]+$")


# -- the bank file's model (widgets.models.kinds names it) ---------------------------------------------------------------


class QuizOption(ContentModel):
    """One answer option; ``correct`` marks a right one (only in the keyed original)."""

    text: str
    correct: bool = False

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise problem("quiz.content.empty", key="text")
        return value.strip()

    @field_validator("correct", mode="before")
    @classmethod
    def _default(cls, value: Any) -> Any:
        return False if value is None else value


class QuizQuestion(ContentModel):
    """One question: ``single`` has exactly one right option, ``multiple`` at least one."""

    id: str
    type: str
    text: str
    options: list[QuizOption]
    explanation: str

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _QUESTION_ID.match(value):
            raise problem("quiz.content.bad_id", id=value)
        return value

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in ("single", "multiple"):
            raise problem("quiz.content.bad_type", type=value)
        return value

    @field_validator("text", "explanation")
    @classmethod
    def _strip(cls, value: str, info: Any) -> str:
        if info.field_name == "text" and not value.strip():
            raise problem("quiz.content.empty", key="text")
        return value.strip()

    @field_validator("options")
    @classmethod
    def _enough(cls, options: list[QuizOption]) -> list[QuizOption]:
        if len(options) < 2:
            raise problem("quiz.content.few_options")
        return options

    @model_validator(mode="after")
    def _right(self) -> QuizQuestion:
        right = sum(option.correct for option in self.options)
        if self.type == "single" and right != 1:
            raise problem("quiz.content.single_right", "options", count=right)
        if self.type == "multiple" and right < 1:
            raise problem("quiz.content.multiple_right", "options")
        return self


class QuizBank(ContentModel):
    """A quiz's question bank: title, tries, credit for a right answer on a retry, questions."""

    title: str
    source: Source | None = None
    attempts: int | None = None
    retry_credit: float | None = None  # strict: an int is taken, ``yes`` is not
    questions: list[QuizQuestion]

    @field_validator("attempts")
    @classmethod
    def _attempts(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise problem("quiz.content.attempts")
        return value

    @field_validator("retry_credit")
    @classmethod
    def _credit(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= 1:
            raise problem("quiz.content.retry_credit")
        return value

    @field_validator("questions")
    @classmethod
    def _questions(cls, items: list[QuizQuestion]) -> list[QuizQuestion]:
        if not items:
            raise problem("quiz.content.no_questions")
        ids = [q.id for q in items]
        for index, question_id in enumerate(ids):
            if question_id in ids[:index]:
                raise problem("quiz.content.duplicate_id", index, "id", id=question_id)
        return items


#: What only grading and feedback read: which options are right, and the explanation shown
#: after an answer. A learner's copy of the bank has neither (``widgets.models.answer_keys``).
KEY_PLACES = (("questions", "*", "options", "*", "correct"), ("questions", "*", "explanation"))


@dataclass(frozen=True)
class Option:
    """One answer option."""

    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """One question: ``single`` has exactly one right option, ``multiple`` a right set."""

    id: str
    type: str
    text: str
    options: tuple[Option, ...]
    explanation: str

    @property
    def correct(self) -> frozenset[int]:
        """Indices of the right options."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    def is_right(self, chosen: Iterable[int]) -> bool:
        """A selection is right only when it is exactly the right set."""
        return frozenset(chosen) == self.correct


@dataclass(frozen=True)
class Bank:
    """A validated question bank."""

    title: str
    questions: tuple[Question, ...]
    attempts: int = 2
    retry_credit: float = 0.5
    source: dict[str, str] = field(default_factory=dict)

    @property
    def max_score(self) -> float:
        """One point per question."""
        return float(len(self.questions))

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``; ``KeyError`` if the bank has none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @classmethod
    def from_file(cls, path: str | Path) -> Bank:
        """Read and validate a bank file (relative to the working directory)."""
        return load_bank(path)


def load_bank(path: str | Path) -> Bank:
    """Read and validate a bank file (a learner copy: its keyed original); ``ContentError`` names the problem."""
    return parse_bank(load_keyed(path), Path(path).name)


def parse_bank(raw: Any, path: str | Path = "<bank>") -> Bank:
    """Validate an already parsed bank (a dict as from YAML) by its model (``QuizBank``).

    ``raw`` may come from a keyed original, not the file ``path`` names, so the line is
    found by the course check (``grading.course.content_check``), which reads the file itself.
    """
    model = validate(QuizBank, raw, path, lines=False)
    return Bank(
        title=model.title.strip(),
        questions=tuple(
            Question(
                id=q.id,
                type=q.type,
                text=q.text,
                options=tuple(Option(text=o.text, correct=o.correct) for o in q.options),
                explanation=q.explanation,
            )
            for q in model.questions
        ),
        attempts=2 if model.attempts is None else model.attempts,
        retry_credit=0.5 if model.retry_credit is None else float(model.retry_credit),
        source=model.source.model_dump(exclude_unset=True) if model.source else {},
    )


# -- a learner's answers ------------------------------------------------------


@dataclass(frozen=True)
class QuestionState:
    """Where a learner stands on one question, derived from their saved answers.

    ``phase`` is ``open`` (choosing), ``retry`` (wrong, a try left, feedback
    shown), ``right`` (answered right) or ``locked`` (no tries left).
    """

    chosen: tuple[int, ...]
    tries: tuple[tuple[int, ...], ...]
    phase: str
    credit: float

    @property
    def done(self) -> bool:
        return self.phase in ("right", "locked")


def _indices(value: Any, n_options: int) -> tuple[int, ...] | None:
    """Valid, sorted, distinct option indices, or ``None`` for damaged data."""
    if not isinstance(value, list):
        return None
    if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_options for i in value):
        return None
    return tuple(sorted(set(value)))


def question_state(bank: Bank, question: Question, saved: Any) -> QuestionState:
    """The state of ``question`` from its saved entry; damaged entries count as not started."""
    n = len(question.options)
    entry = saved if isinstance(saved, dict) else {}
    chosen = _indices(entry.get("chosen", []), n) or ()
    raw_tries = entry.get("tries", [])
    tries: list[tuple[int, ...]] = []
    if isinstance(raw_tries, list):
        for raw in raw_tries[: bank.attempts]:
            indices = _indices(raw, n)
            if indices is None:
                break
            tries.append(indices)
    credit = question_credit(bank, question, tries)
    if credit > 0:
        phase = "right"
        tries = tries[: _first_right(question, tries) + 1]
    elif len(tries) >= bank.attempts:
        phase = "locked"
    elif tries and not entry.get("retrying", False):
        phase = "retry"
    else:
        phase = "open"
    return QuestionState(chosen=chosen, tries=tuple(tries), phase=phase, credit=credit)


def _first_right(question: Question, tries: list[tuple[int, ...]]) -> int:
    return next((k for k, chosen in enumerate(tries) if question.is_right(chosen)), -1)


def question_credit(
    bank: Bank, question: Question, tries: list[tuple[int, ...]] | tuple[tuple[int, ...], ...]
) -> float:
    """1 for right on the first try, ``retry_credit`` for right on a later allowed try, else 0."""
    k = _first_right(question, list(tries[: bank.attempts]))
    if k < 0:
        return 0.0
    return 1.0 if k == 0 else bank.retry_credit


def score_answers(bank: Bank, data: Any) -> float:
    """Points earned (0 to ``bank.max_score``) for saved quiz answers.

    Never raises for a learner's data: anything damaged or unknown scores 0.
    """
    saved = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(saved, dict):
        return 0.0
    return float(sum(question_state(bank, q, saved.get(q.id)).credit for q in bank.questions))
