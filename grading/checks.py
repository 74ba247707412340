"""Grading checks: plain functions an nbgrader "autograder tests" cell calls.

Each reads the learner's saved answers (``svar/<exercise_id>.json`` in the
working directory, the notebook's folder) and the exercise's content, and
returns points between 0 and ``points``; nbgrader takes the number as partial
credit. A learner's missing or damaged answers give 0 and never raise; a
broken content file raises ``widgets.content.ContentError``, because that is
the course author's bug and must not be hidden as a learner's zero.

No ipywidgets here: scoring lives in the widgets' pure model modules
(``widgets._quiz_bank``, ``widgets._plan_model``, ...). ``grading.CHECKS`` names
every check; this module provides each of them.
"""

from __future__ import annotations

from pathlib import Path

from widgets._plan_model import Plan, load_prompts, plan_completeness
from widgets._quiz_bank import load_bank, score_answers

from . import CHECKS
from ._check_support import content_path, saved_data, scaled
from ._checks_builders import score_handover_plan, score_meeting_plan, score_role_expectations
from ._checks_live import score_goal_calculator, score_readability, score_speaker_stats
from ._checks_practice import score_role_finder, score_suppression, score_voting

__all__ = [*CHECKS, "saved_data"]  # every check an autograder cell may call


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
    prompts = load_prompts(content_path(exercise_id, content))
    data = saved_data(exercise_id, "plan")
    if data is None:
        return 0.0
    return scaled(plan_completeness(Plan.from_json(data), prompts), points)
