"""The study associations' rules (``grading.circles.study_rules``) as values for the printed texts.

The shared texts in ``courses/tryck/`` name the rules with ``{placeholders}``, so
the paper says exactly what the attendance app checks.
"""

from __future__ import annotations

__all__ = ["rule_values"]


def rule_values() -> dict[str, int]:
    """Each rule's number under the name the shared texts use."""
    from grading.circles import study_rules as rules

    return {
        "min_people": rules.MIN_PARTICIPANTS,
        "max_people": rules.MAX_PARTICIPANTS,
        "min_meetings": rules.MIN_MEETINGS,
        "min_hours": rules.MIN_HOURS,
        "hour_minutes": rules.STUDY_HOUR_MINUTES,
        "max_hours_meeting": rules.MAX_HOURS_PER_MEETING,
        "max_meetings_week": rules.MAX_MEETINGS_PER_WEEK,
        "max_hours_week": rules.MAX_HOURS_PER_WEEK,
        "first_meetings": rules.FIRST_MEETINGS,
        "min_present": rules.MIN_PRESENT,
    }
