"""The course report's lines about group work: each group answer, its points, who got them.

Apart from :mod:`grading.circles.group_work` because it formats points as the completion report
does (:func:`grading.reports.completion.format_points`), and the completion report reads group work:
kept here, neither of those two imports the other back.
"""

from __future__ import annotations

from collections.abc import Iterable

from grading.circles.group_work import credited, group_answers
from grading.circles.store import CircleStore
from grading.course_runs.run import CourseRun
from grading.reports.completion import format_points
from widgets.core.i18n import t

__all__ = ["group_work_lines"]


def group_work_lines(run: CourseRun) -> list[str]:
    """For the report: each group answer, its points, who was credited and who was not there."""
    answers = group_answers(run)
    if not answers:
        return []
    store = CircleStore(run)
    names = store.learners()
    given: dict[int, list[str]] = {}
    for credit in credited(run):
        given.setdefault(credit.answer.answer_id, []).append(credit.student_id)
    lines = [t("group.report_heading")]
    for a in answers:
        circle = store.circle(a.circle_id)
        there = store.attendance(a.circle_id).get(a.meeting_id, set())
        absent = [m for m in circle.members if m not in there]

        def who(ids: Iterable[str]) -> str:
            return ", ".join(f"{names.get(i) or i} ({i})" for i in sorted(ids)) or "–"

        lines.append(
            t(
                "group.report_line",
                module=a.module,
                exercise=a.exercise_id,
                circle=circle.name,
                date=a.meeting_date.isoformat(),
                points=format_points(a.points, a.max_points),
                credited=who(given.get(a.answer_id, [])),
                absent=who(absent),
            )
        )
    return lines
