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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._answer_keys import load_keyed
from .content import ContentError, optional, place, reject_unknown, require
from .i18n import t

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
_BANK_KEYS = ("title", "source", "attempts", "retry_credit", "questions")
_QUESTION_KEYS = ("id", "type", "text", "options", "explanation")
_OPTION_KEYS = ("text", "correct")
_SOURCE_KEYS = ("part", "section")
#: What only grading and feedback read: which options are right, and the explanation shown
#: after an answer. A learner's copy of the bank has neither (``widgets._answer_keys``).
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

    def is_right(self, chosen: frozenset[int] | set[int] | list[int]) -> bool:
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
    """Validate an already parsed bank (a dict as from YAML)."""
    if not isinstance(raw, dict):
        raise ContentError(path, "", t("content.not_mapping"))
    reject_unknown(raw, _BANK_KEYS, path)
    title = require(raw, "title", str, path)
    source = _parse_source(raw, path)
    attempts = optional(raw, "attempts", int, 2, path)
    if attempts < 1:
        raise ContentError(path, "attempts", t("quiz.content.attempts"))
    retry_credit = optional(raw, "retry_credit", (int, float), 0.5, path)
    if not 0 <= retry_credit <= 1:
        raise ContentError(path, "retry_credit", t("quiz.content.retry_credit"))
    items = require(raw, "questions", list, path)
    if not items:
        raise ContentError(path, "questions", t("quiz.content.no_questions"))
    questions: list[Question] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        question = _parse_question(item, path, index)
        if question.id in seen:
            raise ContentError(path, place("questions", index, "id"), t("quiz.content.duplicate_id", id=question.id))
        seen.add(question.id)
        questions.append(question)
    return Bank(
        title=title.strip(),
        questions=tuple(questions),
        attempts=attempts,
        retry_credit=float(retry_credit),
        source=source,
    )


def _parse_source(raw: dict[str, Any], path: str | Path) -> dict[str, str]:
    source = optional(raw, "source", dict, {}, path)
    reject_unknown(source, _SOURCE_KEYS, path, "source")
    return {key: require(source, key, str, path, "source") for key in _SOURCE_KEYS if key in source}


def _parse_question(item: Any, path: str | Path, index: int) -> Question:
    where = ("questions", index)
    if not isinstance(item, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    reject_unknown(item, _QUESTION_KEYS, path, *where)
    question_id = require(item, "id", str, path, *where)
    if not _QUESTION_ID.match(question_id):
        raise ContentError(path, place(*where, "id"), t("quiz.content.bad_id", id=question_id))
    kind = require(item, "type", str, path, *where)
    if kind not in QUESTION_TYPES:
        raise ContentError(path, place(*where, "type"), t("quiz.content.bad_type", type=kind))
    text = require(item, "text", str, path, *where).strip()
    if not text:
        raise ContentError(path, place(*where, "text"), t("quiz.content.empty", key="text"))
    explanation = require(item, "explanation", str, path, *where).strip()
    raw_options = require(item, "options", list, path, *where)
    if len(raw_options) < 2:
        raise ContentError(path, place(*where, "options"), t("quiz.content.few_options"))
    options = tuple(_parse_option(opt, path, index, o) for o, opt in enumerate(raw_options))
    right = sum(option.correct for option in options)
    if kind == "single" and right != 1:
        raise ContentError(path, place(*where, "options"), t("quiz.content.single_right", count=right))
    if kind == "multiple" and right < 1:
        raise ContentError(path, place(*where, "options"), t("quiz.content.multiple_right"))
    return Question(id=question_id, type=kind, text=text, options=options, explanation=explanation)


def _parse_option(item: Any, path: str | Path, q_index: int, o_index: int) -> Option:
    where = ("questions", q_index, "options", o_index)
    if not isinstance(item, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    reject_unknown(item, _OPTION_KEYS, path, *where)
    text = require(item, "text", str, path, *where).strip()
    if not text:
        raise ContentError(path, place(*where, "text"), t("quiz.content.empty", key="text"))
    correct = optional(item, "correct", bool, False, path, *where)
    return Option(text=text, correct=correct)


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
