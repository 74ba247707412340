"""One learner's page: each module's state and points, their reflections, the leader's comments."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from grading.reports.dashboard.table import CIRCLE_SEPARATOR, circle_names, dashboard_table
from widgets.core.i18n import t, yaml_data

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun


@dataclass(frozen=True)
class LearnerModule:
    """One module on a learner's page."""

    module: str
    state: str
    points: float | None
    max_points: float | None
    needs_manual_grade: bool
    submitted_at: _dt.datetime | None
    behind_since: _dt.datetime | None
    feedback_html: bool  #: nbgrader's feedback for this module has been generated
    unreadable: str = ""  #: answer files that cannot be read (scored 0), joined by ", "
    group_work: str = ""  #: group work credited to the learner at a meeting ("gruppuppgift ... (träff ...)")


@dataclass(frozen=True)
class Reflection:
    """A reflection the learner wrote, as saved in the answer store."""

    module: str
    exercise_id: str
    prompt: str
    text: str
    source: str  #: ``"inlamnad"`` (from the graded submission) or ``"arbetskopia"`` (the workspace)


@dataclass(frozen=True)
class FeedbackComment:
    """A course leader's comment in formgrader, on one cell of a submitted module."""

    module: str
    cell: str
    comment: str


@dataclass(frozen=True)
class LearnerPage:
    """Everything the dashboard shows on one learner's page."""

    student_id: str
    name: str
    circles: tuple[str, ...]
    modules: tuple[LearnerModule, ...]
    reflections: tuple[Reflection, ...]
    feedback: tuple[FeedbackComment, ...] = field(default=())


_COMMENTS_SQL = """
SELECT a.name AS module, bc.name AS cell, c.manual_comment AS comment
FROM comment c
JOIN submitted_notebook sn ON sn.id = c.notebook_id
JOIN submitted_assignment sa ON sa.id = sn.assignment_id
JOIN assignment a ON a.id = sa.assignment_id
JOIN base_cell bc ON bc.id = c.cell_id
WHERE sa.student_id = :student_id AND a.course_id = :course_id
  AND c.manual_comment IS NOT NULL AND TRIM(c.manual_comment) != ''
ORDER BY a.name, bc.name
"""


def _comments(run: CourseRun, student_id: str) -> list[FeedbackComment]:
    import sqlalchemy as sa

    engine = sa.create_engine(run.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(_COMMENTS_SQL), {"student_id": student_id, "course_id": run.course_id}).all()
    finally:
        engine.dispose()
    order = {m: i for i, m in enumerate(run.modules)}
    found = [FeedbackComment(str(r.module), str(r.cell), str(r.comment).strip()) for r in rows]
    return sorted(found, key=lambda c: (order.get(c.module, len(order)), c.cell))


def _reflection_specs(run: CourseRun, module: str) -> list[tuple[str, str]]:
    """(exercise id, prompt) of the module's reflections, from its ``module.yml``."""
    try:
        data = yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    return [
        (str(ex["id"]), str(ex.get("prompt") or ""))
        for ex in data.get("exercises") or []
        if isinstance(ex, dict) and ex.get("widget") == "Reflection" and ex.get("id")
    ]


def _reflections(run: CourseRun, student_id: str) -> list[Reflection]:
    """The learner's reflections: from the graded submission's ``svar/``, else their workspace."""
    from grading.course_runs.run import RunError
    from widgets.storage.answers import AnswerStore
    from widgets.storage.reflection import reflection_text

    found = []
    for module in run.modules:
        places = [("inlamnad", run.root / "autograded" / student_id / module / "svar")]
        try:
            places.append(("arbetskopia", run.notebook_path(student_id, module).parent / "svar"))
        except (ValueError, RunError):  # a bad id or module name has no workspace
            pass
        for exercise_id, prompt in _reflection_specs(run, module):
            for source, folder in places:
                if not folder.is_dir():
                    continue
                text = reflection_text(exercise_id, AnswerStore(folder)).strip()
                if text:
                    found.append(Reflection(module, exercise_id, prompt, text, source))
                    break
    return found


def learner_page(
    run: CourseRun, student_id: str, frame: pd.DataFrame | None = None, names: dict[str, str] | None = None
) -> LearnerPage:
    """One learner's modules with state and points, reflections and feedback.

    ``frame`` is the dashboard table when the caller has it (else it is built).
    Raises ``RunError`` naming the learner when the run does not know them.
    """
    import pandas as pd

    from grading.course_runs.run import RunError

    frame = dashboard_table(run) if frame is None else frame
    rows = frame[frame["student_id"] == student_id]
    if rows.empty:
        raise RunError(t("dashboard.unknown_learner", id=student_id))
    names = circle_names(run) if names is None else names

    def value(x):
        if x is None or (not isinstance(x, str) and pd.isna(x)):
            return None
        return x.to_pydatetime() if isinstance(x, pd.Timestamp) else x

    modules = []
    for row in rows.itertuples(index=False):
        feedback_dir = run.root / "feedback" / student_id / row.module
        modules.append(
            LearnerModule(
                module=row.module,
                state=row.state,
                points=value(row.points),
                max_points=value(row.max_points),
                needs_manual_grade=bool(row.needs_manual_grade),
                submitted_at=value(row.submitted_at),
                behind_since=value(row.behind_since),
                feedback_html=feedback_dir.is_dir() and any(feedback_dir.glob("*.html")),
                unreadable=str(row.unreadable or ""),
                group_work=str(row.group_work or ""),
            )
        )
    first = rows.iloc[0]
    circle_ids = [c for c in str(first["circle"]).split(CIRCLE_SEPARATOR) if c]
    return LearnerPage(
        student_id=student_id,
        name=str(first["namn"] or student_id),
        circles=tuple(names.get(c, c) for c in circle_ids),
        modules=tuple(modules),
        reflections=tuple(_reflections(run, student_id)),
        feedback=tuple(_comments(run, student_id)),
    )
