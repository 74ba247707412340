"""Grading checks for the practice exercises: härskartekniker, voteringsordning, rollsökaren.

Same conventions as ``grading.checks``: each reads ``svar/<exercise_id>.json``
in the working directory and the exercise's content file, returns points
between 0 and ``points`` (rounded to 2 decimals), gives 0 for a learner's
missing or damaged answers, never writes to stderr, and raises
``ContentError`` only for a broken content file (the author's bug).
Each check imports its exercise's model module when called, so a module's grading
cell (run in the learner's kernel too) loads the models of that module's exercises only.
"""

from __future__ import annotations

from pathlib import Path

from grading.checks.support import content_path, saved_data, scaled

__all__ = ["score_suppression", "score_voting", "score_role_finder"]


def score_suppression(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Correctness on the härskartekniker cards, scaled to ``points``.

    Each answered card earns the bank's weights for a right technique, an
    accepted counter-strategy and an accepted confirming technique.

    Parameters
    ----------
    exercise_id
        The exercise's id: its answers are in ``svar/<exercise_id>.json``.
    points
        What a full score is worth in nbgrader.
    content
        The card bank; by default ``<exercise_id>.yml``.
    """
    from widgets.models.suppression import load_suppression_bank, suppression_score

    bank = load_suppression_bank(content_path(exercise_id, content))
    data = saved_data(exercise_id, "suppression")
    if data is None or not bank.max_score:
        return 0.0
    return scaled(suppression_score(bank, data) / bank.max_score, points)


def score_voting(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Correctness of the order of questions and of the decision, per scenario, scaled to ``points``."""
    from widgets.models.voting import load_voting_bank, voting_score

    bank = load_voting_bank(content_path(exercise_id, content))
    data = saved_data(exercise_id, "voting")
    if data is None or not bank.max_score:
        return 0.0
    return scaled(voting_score(bank, data) / bank.max_score, points)


def score_role_finder(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of the role finder, scaled to ``points``.

    Three equal parts: an interest or skill ticked, a time chosen, a note to
    the board written. The content file is read so that a saved choice the
    content no longer knows does not count.
    """
    from widgets.models.role_finder import MemberChoices, load_role_content, role_completeness

    role_content = load_role_content(content_path(exercise_id, content))
    data = saved_data(exercise_id, "role-finder")
    if data is None:
        return 0.0
    return scaled(role_completeness(MemberChoices.from_json(role_content, data)), points)
