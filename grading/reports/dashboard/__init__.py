"""The completion dashboard's data: the one completion table, shaped for the views.

``dashboard_table(run)`` is :func:`grading.reports.completion.completion_table` (the
gradebook read with SQL, each folder listed once: the same table ``cirkel
report`` and the exports use) plus the learner's study circle and, for a
learner who has not submitted a module released long ago, the date it became
overdue.

The other functions shape that table for the views: completion over time, the
spread of points, a summary per circle, filters, the "behind" list and one
learner's page (modules, reflections, feedback).

One job per module: ``table`` (the table, the circles, "behind"), ``views`` (the table shaped
for each view) and ``learner`` (one learner's page).
"""

from __future__ import annotations

from grading.reports.dashboard.learner import FeedbackComment, LearnerModule, LearnerPage, Reflection, learner_page
from grading.reports.dashboard.table import (
    CIRCLE_SEPARATOR,
    DASHBOARD_COLUMNS,
    DEFAULT_BEHIND_DAYS,
    circle_names,
    dashboard_table,
    released_at,
)
from grading.reports.dashboard.views import (
    behind_list,
    circle_summary,
    completion_over_time,
    filter_table,
    points_spread,
)
from grading.reports.gradebook_sql import read_gradebook

__all__ = [
    "DEFAULT_BEHIND_DAYS",
    "DASHBOARD_COLUMNS",
    "CIRCLE_SEPARATOR",
    "dashboard_table",
    "read_gradebook",
    "released_at",
    "circle_names",
    "filter_table",
    "behind_list",
    "completion_over_time",
    "points_spread",
    "circle_summary",
    "LearnerModule",
    "Reflection",
    "FeedbackComment",
    "LearnerPage",
    "learner_page",
]
