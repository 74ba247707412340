"""The completion dashboard ("Översikt"): the course leader's Voilà app over one course run.

It shows, from :mod:`grading.reports.dashboard`: filters by circle and module, the
table of learners by modules (state as text, and points), who is behind and
since when, completion over time and the spread of points as SVG pictures
with tables as their text alternative, a summary per study circle, and one
learner's page (modules, reflections, the leader's comments). A CSV of the
table as filtered can be downloaded.

Learner text is hostile: names and answers are escaped, a reflection is shown
as sanitised markdown (:mod:`widgets.core.safe_text`), the CSV is written by
:mod:`widgets.core.spreadsheet` so that no name can be a formula.

Personal data: opening a learner's page and making the CSV are written to the
run's access log (``grading.course_runs.access_log``) before anything is shown.

The HTML is built by plain functions (``*_html``) so tests can read it without
a browser; :class:`Dashboard` wires them to the dropdowns and buttons.

One job per module: ``formatting`` (the style sheet, points, dates, names, a captioned table),
``course`` (the course's views and the CSV), ``learner`` (one learner's page) and ``app``
(:class:`Dashboard`).
"""

from __future__ import annotations

from voila_apps.views.dashboard_view.app import Dashboard
from voila_apps.views.dashboard_view.course import (
    behind_html,
    circles_html,
    over_time_html,
    spread_html,
    table_csv,
    table_html,
)
from voila_apps.views.dashboard_view.learner import learner_html

__all__ = [
    "Dashboard",
    "table_html",
    "behind_html",
    "over_time_html",
    "spread_html",
    "circles_html",
    "learner_html",
    "table_csv",
]
