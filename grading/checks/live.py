"""Grading checks for the live tools: talarstatistik, readability and the 2030 goal calculator.

Same conventions as ``grading.checks``: each reads ``svar/<exercise_id>.json``
in the working directory and the exercise's content, returns points between 0
and ``points`` (rounded to 2 decimals), gives 0 for a learner's missing or
damaged answers and never writes to stderr. A broken content file raises
``widgets.models.content.ContentError`` (the course author's bug, not the learner's).

The model modules are imported inside each check, so re-exporting these names
from ``grading.checks`` does not make every grading cell import pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grading.checks.support import content_path, saved_data, scaled

__all__ = ["score_speaker_stats", "score_readability", "score_goal_calculator"]


def score_speaker_stats(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of talarstatistik: full points at ``min_contributions`` contributions (from content).

    Fewer contributions give their share: 4 of 10 gives 40 % of ``points``.
    Contributions counted without gender (a circle that did not agree to it,
    ``widgets.storage.speaker_consent``) count the same.

    Parameters
    ----------
    exercise_id
        The exercise's id: its answers are in ``svar/<exercise_id>.json``.
    points
        What a full score is worth in nbgrader.
    content
        The talarstatistik file; by default ``<exercise_id>.yml``.
    """
    from widgets.models.speaker_stats import ANONYMOUS_ID, Tally, load_settings

    settings = load_settings(content_path(exercise_id, content))
    data = saved_data(exercise_id, "speaker-stats")
    if data is None:
        return 0.0
    tally = Tally.from_json(data, settings)
    saved_counts = data.get("counts")
    counts: dict[str, Any] = saved_counts if isinstance(saved_counts, dict) else {}
    anonymous = counts.get(ANONYMOUS_ID) if ANONYMOUS_ID not in settings.ids else 0
    if isinstance(anonymous, bool) or not isinstance(anonymous, int) or anonymous < 0:
        anonymous = 0  # a circle without consent counts turns only: they count just the same
    return scaled((tally.total_contributions + anonymous) / settings.min_contributions, points)


def score_readability(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """A text of at least ``min_words`` words with LIX at most ``target_lix`` gives full points.

    Otherwise partial, as ``widgets.models.readability.readability_share``
    describes: the share of the words asked for, and half of that for a text
    far above the target. LIX is always counted again from the saved text.
    The content file is optional here: without ``content`` and without
    ``<exercise_id>.yml`` the defaults apply (target 40, at least 50 words).
    """
    from widgets.models.readability import ReadabilitySettings, load_settings, readability_share

    path = content_path(exercise_id, content)
    settings = load_settings(path) if content is not None or path.exists() else ReadabilitySettings()
    data = saved_data(exercise_id, "readability")
    if data is None or not isinstance(data.get("text"), str):
        return 0.0
    return scaled(readability_share(data["text"], settings), points)


def score_goal_calculator(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of the goal calculator: own numbers entered (half) and a plan of conversations (half).

    "Own" means every group's number of people and the active members are
    filled in and are not exactly a row of the example table.
    """
    from widgets.models.goal_calculator import Plan, goal_completeness, load_settings

    settings = load_settings(content_path(exercise_id, content))
    data = saved_data(exercise_id, "goal-calculator")
    if data is None:
        return 0.0
    return scaled(goal_completeness(Plan.from_json(data, settings), settings), points)
