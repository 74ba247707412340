"""Grading checks: plain functions an nbgrader "autograder tests" cell calls.

Each reads the learner's saved answers (``svar/<exercise_id>.json`` in the
working directory, the notebook's folder) and the exercise's content, and
returns points between 0 and ``points``; nbgrader takes the number as partial
credit. A learner's missing or damaged answers give 0 and never raise; a
broken content file raises ``widgets.content.ContentError``, because that is
the course author's bug and must not be hidden as a learner's zero.

No ipywidgets here: scoring lives in the pure modules ``widgets._quiz_bank``
and ``widgets._plan_model``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from widgets._plan_model import Plan, load_prompts, plan_completeness
from widgets._quiz_bank import load_bank, score_answers
from widgets.store import AnswerStore, UnreadableAnswer

__all__ = ["score_quiz", "score_plan", "saved_data"]


def saved_data(exercise_id: str, kind: str, store: AnswerStore | None = None) -> dict[str, Any] | None:
    """The saved ``data`` of one exercise, or ``None`` if missing or unreadable (left untouched)."""
    store = store if store is not None else AnswerStore()
    try:
        saved = store.load(exercise_id, kind=kind, keep_aside=False)
    except (UnreadableAnswer, OSError, ValueError):
        return None
    return saved.data if saved is not None else None


def _scaled(share: float, points: float) -> float:
    share = min(max(share, 0.0), 1.0)
    return round(share * points, 2)


def _content_path(exercise_id: str, content: str | Path | None) -> Path:
    return Path(content) if content is not None else Path(f"{exercise_id}.yml")


def score_quiz(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """The quiz score scaled to ``points`` (rounded to 2 decimals).

    Parameters
    ----------
    exercise_id
        The quiz's id: its answers are in ``svar/<exercise_id>.json``.
    points
        What a full score is worth in nbgrader.
    content
        The question bank file; by default ``<exercise_id>.yml``.
    """
    bank = load_bank(_content_path(exercise_id, content))
    data = saved_data(exercise_id, "quiz")
    if data is None or not bank.max_score:
        return 0.0
    return _scaled(score_answers(bank, data) / bank.max_score, points)


def score_plan(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of a strategic plan scaled to ``points`` (rounded to 2 decimals).

    Each of the six steps filled in counts as one part, and a goal count
    within the prompts' limits as a seventh.
    """
    prompts = load_prompts(_content_path(exercise_id, content))
    data = saved_data(exercise_id, "plan")
    if data is None:
        return 0.0
    return _scaled(plan_completeness(Plan.from_json(data), prompts), points)
