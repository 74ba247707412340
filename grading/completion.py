"""The completion report: who has done what, from nbgrader's gradebook and exchange.

One row per learner and module, with a state a course leader reads at a
glance: ``ej påbörjad`` (nothing saved), ``påbörjad`` (answers saved in the
learner's workspace), ``inlämnad`` (submitted: in the exchange's inbound or
collected into ``submitted/``), ``rättad`` (autograded in the gradebook), and
the points. The Voilà dashboard shows the same table the ``cirkel report``
command prints.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from widgets.i18n import t
from widgets.store import SETTING_IDS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import CourseRun

__all__ = [
    "STATES",
    "COLUMNS",
    "completion_table",
    "format_points",
    "terminal_table",
    "state_label",
    "unreadable_answers",
    "UNREADABLE_MARK",
    "GROUP_MARK",
]

#: States in order of progress; the value is the string key of the label.
STATES = ("ej_paborjad", "paborjad", "inlamnad", "rattad")
COLUMNS = [
    "student_id",
    "namn",
    "module",
    "state",
    "points",
    "max_points",
    "needs_manual_grade",
    "submitted_at",
    "unreadable",
    "group_work",
]
#: What marks a cell whose points include group work done at a meeting.
GROUP_MARK = "G"
#: What marks a cell of the terminal table whose answers could not all be read.
UNREADABLE_MARK = "!"


def unreadable_answers(run: CourseRun, student_id: str, module: str) -> list[str]:
    """Answer files of the learner's module that cannot be read (a check scores such an exercise 0).

    Looked for in the collected submission (``submitted/<id>/<module>/svar``, what autograde
    grades), else in the learner's workspace. See ``widgets.store.AnswerStore.unreadable``.
    """
    from widgets.store import AnswerStore

    from .run import RunError

    submission = run.root / "submitted" / student_id / module
    if submission.is_dir():
        folder = submission / "svar"
    else:
        try:
            folder = run.notebook_path(student_id, module).parent / "svar"
        except (ValueError, RunError):
            return []
    return AnswerStore(folder).unreadable()


def state_label(state: str) -> str:
    """The state as a person reads it (``ej påbörjad`` ...)."""
    return t(f"completion.state.{state}")


def completion_table(run: CourseRun) -> pd.DataFrame:
    """One row per learner and module.

    Columns: ``student_id``, ``namn``, ``module``, ``state`` (one of ``STATES``
    as its label), ``points`` (float, or NaN until graded), ``max_points``,
    ``needs_manual_grade`` (a reflection waits for the course leader),
    ``submitted_at`` (UTC timestamp or NaT), ``unreadable`` (the learner's answer files
    that cannot be read, joined by ``", "``; empty when all can be), ``group_work``
    ("gruppuppgift ... (träff <date>)" for group work credited to the learner, else empty).
    """
    import pandas as pd
    from nbgrader.api import MissingEntry

    from .group_work import group_work_labels

    group = group_work_labels(run)
    rows = []
    with run.gradebook() as gb:
        students = sorted(gb.students, key=lambda s: s.id)
        graded: dict[tuple[str, str], object] = {}
        max_points: dict[str, float] = {}
        for module in run.modules:
            try:
                assignment = gb.find_assignment(module)
            except MissingEntry:
                continue
            if assignment.notebooks:
                max_points[module] = float(assignment.max_score)
            for sub in assignment.submissions:
                graded[(sub.student.id, module)] = sub
        for student in students:
            for module in run.modules:
                row = _row(
                    run, student.id, student.first_name or "", module, graded.get((student.id, module)), max_points
                )
                row["group_work"] = group.get((student.id, module), "")
                rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["points"] = pd.to_numeric(frame["points"], errors="coerce")
    frame["max_points"] = pd.to_numeric(frame["max_points"], errors="coerce")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, errors="coerce")
    return frame


def _row(run: CourseRun, student_id: str, name: str, module: str, submission, max_points: dict) -> dict:
    autograded = run.root / "autograded" / student_id / module / f"{module}.ipynb"
    most = max_points.get(module)
    if most is None:
        most = run.module_points(module)
    row = {
        "student_id": student_id,
        "namn": name,
        "module": module,
        "points": None,
        "max_points": most,
        "needs_manual_grade": False,
        "submitted_at": None,
        "unreadable": ", ".join(unreadable_answers(run, student_id, module)),
    }
    if submission is not None and autograded.is_file():
        row.update(
            state=state_label("rattad"),
            points=float(submission.score),
            needs_manual_grade=bool(submission.needs_manual_grade),
            submitted_at=_utc(submission.timestamp),
        )
        return row
    submitted = _submitted_at(run, student_id, module)
    if submitted is not None:
        row.update(state=state_label("inlamnad"), submitted_at=submitted)
    elif _started(run, student_id, module):
        row.update(state=state_label("paborjad"))
    else:
        row.update(state=state_label("ej_paborjad"))
    return row


def _submitted_at(run: CourseRun, student_id: str, module: str) -> _dt.datetime | None:
    """The latest submission time in ``submitted/`` or the exchange's inbound, if any."""
    found: list[_dt.datetime] = []
    stamp = run.root / "submitted" / student_id / module / "timestamp.txt"
    if stamp.is_file():
        found.append(_parse(stamp.read_text(encoding="utf-8")))
    inbound = run.exchange_root / run.course_id / "inbound"
    if inbound.is_dir():
        for entry in inbound.glob(f"{student_id}+{module}+*"):
            parts = entry.name.split("+")
            if len(parts) >= 3 and parts[0] == student_id and parts[1] == module:
                found.append(_parse(parts[2]))
    found = [f for f in found if f is not None]
    return max(found) if found else None


def _started(run: CourseRun, student_id: str, module: str) -> bool:
    try:
        svar = run.workspace(student_id) / run.course_id / module / "svar"
    except ValueError:
        return False
    # the text version a learner chose is a setting, not an answer
    return svar.is_dir() and any(p.stem not in SETTING_IDS for p in svar.glob("*.json"))


def _parse(text: str) -> _dt.datetime | None:
    from dateutil.parser import parse

    try:
        return _utc(parse(text.strip()))
    except (ValueError, OverflowError):
        return None


def _utc(value: _dt.datetime | None) -> _dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.UTC)
    return value.astimezone(_dt.UTC)


def format_points(points: float | None, max_points: float | None) -> str:
    """Points as the gradebook has them (two decimals at most, the Swedish way): ``7,25/9``; empty until graded.

    The learner's exercises show the same numbers (``widgets._points``).
    """
    import math

    from widgets.formats import format_number

    if points is None or (isinstance(points, float) and math.isnan(points)):
        return ""
    return f"{format_number(points)}/{format_number(max_points or 0)}"


def terminal_table(frame: pd.DataFrame) -> str:
    """Learners × modules as plain text: state and points in each cell."""
    if frame.empty:
        return t("completion.no_learners")
    modules = list(dict.fromkeys(frame["module"]))
    cells: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        text = row.state
        points = format_points(row.points, row.max_points)
        if points:
            text += f" {points}"
        if row.needs_manual_grade:
            text += " *"
        if row.unreadable:
            text += f" {UNREADABLE_MARK}"
        if row.group_work:
            text += f" {GROUP_MARK}"
        cells[(row.student_id, row.module)] = text
        names[row.student_id] = row.namn
    header = [t("completion.col.learner"), *modules]
    body = [[f"{names[sid]} ({sid})", *[cells.get((sid, m), "") for m in modules]] for sid in names]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if frame["needs_manual_grade"].any():
        lines += ["", t("completion.manual_note")]
    grouped = frame[frame["group_work"].astype(bool)]
    if not grouped.empty:
        lines += ["", t("completion.group_note", mark=GROUP_MARK)]
        lines += [
            "  " + t("completion.group_line", learner=row.student_id, module=row.module, work=row.group_work)
            for row in grouped.itertuples(index=False)
        ]
    unreadable = frame[frame["unreadable"].astype(bool)]
    if not unreadable.empty:
        lines += ["", t("completion.unreadable_note", mark=UNREADABLE_MARK)]
        lines += [
            "  " + t("completion.unreadable_line", learner=row.student_id, module=row.module, files=row.unreadable)
            for row in unreadable.itertuples(index=False)
        ]
    return "\n".join(lines)
