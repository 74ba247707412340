"""nbgrader's gradebook read with SQL: what completion needs, in four queries.

Why SQL and not nbgrader's objects: a submission's ``score`` and
``needs_manual_grade`` are deferred column properties, so walking
``Gradebook`` objects costs queries per submission, and nbgrader's schema has
no index on ``grade.notebook_id``: each of those queries scans the grade
table, and the time grows with the square of the run. Here one grouped join
per question reads the same numbers with nbgrader's own rules (a grade's
score is its manual score if set, else its automatic one, plus extra credit;
a module's maximum is its grade cells' and task cells' maxima). As
nbgrader's ``find_assignment`` does, a module is found by its name alone (names
are unique in a gradebook), whatever course id nbgrader recorded it under.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun

__all__ = ["GradebookFrames", "read_gradebook"]

_STUDENTS_SQL = "SELECT id AS student_id, first_name FROM student"

_MAX_SQL = """
SELECT a.name AS module,
       SUM(COALESCE(gc.max_score, 0.0) + COALESCE(tc.max_score, 0.0)) AS max_points
FROM assignment a
JOIN notebook n ON n.assignment_id = a.id
LEFT JOIN base_cell bc ON bc.notebook_id = n.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
GROUP BY a.id, a.name
"""

# nbgrader's Grade.score: the manual score if set, else the automatic one, plus extra credit.
# The grades are summed per submission in one pass over the grade table (joined to their notebook
# by its primary key) before they meet the submissions: joining submissions to grades instead made
# SQLite build an index on grade.notebook_id for every report (2.2 s against 0.9 s at 10,000 x 15).
_SUBMISSIONS_SQL = """
WITH sums AS (
    SELECT sn.assignment_id AS submission,
           SUM(CASE
               WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0.0)
               WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0.0)
               ELSE 0.0 END) AS points,
           MAX(CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END) AS needs_manual_grade
    FROM grade g
    JOIN submitted_notebook sn ON sn.id = g.notebook_id
    {only_grades}
    GROUP BY sn.assignment_id
)
SELECT sa.student_id AS student_id,
       a.name AS module,
       sa.timestamp AS timestamp,
       COALESCE(sums.points, 0.0) AS points,
       COALESCE(sums.needs_manual_grade, 0) AS needs_manual_grade
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
LEFT JOIN sums ON sums.submission = sa.id
{only}
"""

_DUEDATES_SQL = "SELECT name AS module, duedate FROM assignment"


@dataclass(frozen=True)
class GradebookFrames:
    """What completion needs from the gradebook, one DataFrame per question."""

    students: pd.DataFrame  #: student_id, first_name, ordered by id
    max_points: dict[str, float]  #: module -> max points (modules with notebooks)
    submissions: pd.DataFrame  #: student_id, module, timestamp (UTC), points, needs_manual_grade
    duedates: dict[str, _dt.datetime]  #: module -> due date (UTC) where the leader set one


def read_gradebook(run: CourseRun, students: Sequence[str] | None = None) -> GradebookFrames:
    """Read students, maximum points, submissions and due dates in four SQL queries.

    ``students`` limits the students and submissions read to those ids (one
    learner's certificate need not read the whole run).
    """
    import pandas as pd
    import sqlalchemy as sa

    from grading.course_runs.run import ensure_tools_on_path

    ensure_tools_on_path()
    params: dict[str, object] = {}
    students_sql, submissions_sql = _STUDENTS_SQL, _SUBMISSIONS_SQL.format(only="", only_grades="")
    if students is not None:
        params["ids"] = list(students)
        students_sql += " WHERE id IN :ids"
        submissions_sql = _SUBMISSIONS_SQL.format(
            only="WHERE sa.student_id IN :ids",
            only_grades="JOIN submitted_assignment mine ON mine.id = sn.assignment_id WHERE mine.student_id IN :ids",
        )
    ids: Any = sa.bindparam("ids", expanding=True)
    engine = sa.create_engine(run.db_url)
    try:
        with engine.connect() as conn:
            learners = pd.read_sql(_text(students_sql, ids), conn, params=params)
            maxima = pd.read_sql(sa.text(_MAX_SQL), conn)
            submissions = pd.read_sql(_text(submissions_sql, ids), conn, params=params)
            duedates = pd.read_sql(sa.text(_DUEDATES_SQL), conn)
    finally:
        engine.dispose()
    # Python's order of ids (code points), whatever the database's collation
    learners = learners.sort_values("student_id", kind="stable").reset_index(drop=True)
    submissions["timestamp"] = pd.to_datetime(submissions["timestamp"], utc=True, errors="coerce")
    submissions["points"] = submissions["points"].astype(float)
    submissions["needs_manual_grade"] = submissions["needs_manual_grade"].astype(bool)
    due = {}
    for row in duedates.itertuples(index=False):
        stamp = pd.to_datetime(row.duedate, utc=True, errors="coerce")
        if not pd.isna(stamp):
            due[str(row.module)] = stamp.to_pydatetime()
    return GradebookFrames(
        students=learners,
        max_points={str(m): float(p) for m, p in zip(maxima["module"], maxima["max_points"])},
        submissions=submissions,
        duedates=due,
    )


def _text(sql: str, ids):
    import sqlalchemy as sa

    clause = sa.text(sql)
    return clause.bindparams(ids) if ":ids" in sql else clause
