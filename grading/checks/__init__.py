"""Grading checks: plain functions an nbgrader "autograder tests" cell calls.

Each reads the learner's saved answers (``svar/<exercise_id>.json`` in the
working directory, the notebook's folder) and the exercise's content, and
returns points between 0 and ``points``; nbgrader takes the number as partial
credit. A learner's missing or damaged answers give 0 and never raise; a
broken content file raises ``widgets.models.content.ContentError``, because that is
the course author's bug and must not be hidden as a learner's zero.

No ipywidgets here: scoring lives in the widgets' pure model modules
(``widgets.models.quiz_bank``, ``widgets.models.plan``, ...). ``widgets.models.kinds`` names
every check (``grading.CHECKS``); this module provides each of them. The checks kept in
``_checks_builders``, ``_checks_live`` and ``_checks_practice`` are imported when
first named, so a module's grading cell (run in the learner's Voilà kernel too)
loads only the content models of the exercises that module has.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from grading import CHECKS
from grading.checks.support import content_path, saved_data, scaled
from widgets.models.kinds import CHECK_MODULES

__all__ = [*CHECKS, "saved_data"]  # every check an autograder cell may call

#: The checks that live in a module of their own (named by each kind in ``widgets.models.kinds``), imported on first use.
_ELSEWHERE = {name: module for name, module in CHECK_MODULES.items() if module != __name__}


def __getattr__(name: str) -> Any:
    if name in _ELSEWHERE:
        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module 'grading.checks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    from widgets.models.quiz_bank import load_bank, score_answers

    bank = load_bank(content_path(exercise_id, content))
    data = saved_data(exercise_id, "quiz")
    if data is None or not bank.max_score:
        return 0.0
    return scaled(score_answers(bank, data) / bank.max_score, points)


def score_plan(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of a strategic plan scaled to ``points`` (rounded to 2 decimals).

    Each of the six steps filled in counts as one part, and a goal count
    within the prompts' limits as a seventh.
    """
    from widgets.models.plan import Plan, load_prompts, plan_completeness

    prompts = load_prompts(content_path(exercise_id, content))
    data = saved_data(exercise_id, "plan")
    if data is None:
        return 0.0
    return scaled(plan_completeness(Plan.from_json(data), prompts), points)
