"""Grading checks for the builders: completeness of a meeting plan, a role template, a handover plan.

Same conventions as ``grading.checks``: read ``svar/<exercise_id>.json`` in the
working directory and the content file (by default ``<exercise_id>.yml``),
return points between 0 and ``points`` rounded to two decimals, 0 for missing
or damaged answers, never raise for the learner's data and never write to
stderr. A broken content file raises ``ContentError``: the author's bug.
No ipywidgets here: the rules live in the pure model modules.
Each check imports its exercise's model module when called, so a module's grading
cell (run in the learner's kernel too) loads the models of that module's exercises only.
"""

from __future__ import annotations

from pathlib import Path

from grading.checks.support import content_path, saved_data, scaled

__all__ = ["score_meeting_plan", "score_role_expectations", "score_handover_plan"]


def score_meeting_plan(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of a meeting plan scaled to ``points``.

    Seven parts count equally: what meeting and when, the political purpose,
    the social purpose, an agenda whose items all have minutes, an agenda that
    fits the meeting's length, the three roles (chair, notes, welcome), and
    the practicalities.
    """
    from widgets.models.meeting_planner import MeetingPlan, load_meeting_content, meeting_completeness

    spec = load_meeting_content(content_path(exercise_id, content))
    data = saved_data(exercise_id, "meeting-planner")
    if data is None:
        return 0.0
    return scaled(meeting_completeness(MeetingPlan.from_json(data, spec), spec), points)


def score_role_expectations(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of a role-expectations template scaled to ``points``.

    Six parts count equally: the assignment, its period, tasks that all have
    hours, at least one task that may be dropped, the support, and the
    person's own hours. Whether the time suffices is not graded: seeing that
    it does not is what the exercise is for.
    """
    from widgets.models.role_expectations import Expectations, load_role_content, role_completeness

    spec = load_role_content(content_path(exercise_id, content))
    data = saved_data(exercise_id, "role-expectations")
    if data is None:
        return 0.0
    return scaled(role_completeness(Expectations.from_json(data, spec), spec), points)


def score_handover_plan(exercise_id: str, points: float, content: str | Path | None = None) -> float:
    """Completeness of a handover plan scaled to ``points``.

    One part each: the assignment, every checklist item written, the mentor
    (role and what they help with), and at least ``min_meetings`` meetings
    with a date and a topic. Text the widget would refuse (a password, more
    than a first name) does not count.
    """
    from widgets.models.handover_plan import Handover, handover_completeness, load_handover_content, scrub

    spec = load_handover_content(content_path(exercise_id, content))
    data = saved_data(exercise_id, "handover-plan")
    if data is None:
        return 0.0
    plan = Handover.from_json(data, spec)
    scrub(plan, spec)
    return scaled(handover_completeness(plan, spec), points)
