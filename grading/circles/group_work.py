"""Group work: an exercise a circle did together at a meeting, credited to every member present.

A module marks such an exercise ``grupp: true`` in ``module.yml``. One answer
file of it (what the circle wrote together, as a learner's
``svar/<exercise_id>.json``) is recorded for one meeting of one circle; the
circle's attendance for that meeting says who was there. The answer is graded
once, by the exercise's own check, when it is recorded.

After each autograde, :func:`credit_group_work` gives every present member who
has a graded submission of the module the better of their own automatic score
and the group's, in the exercise's grade cell of nbgrader's gradebook (the
``auto_score``). So the gradebook stays the one record of points, a course
leader's manual score in formgrader still wins (nbgrader's own rule), and an
autograde run again gives the same result. Absent members keep their own score.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from grading.circles.store import CircleError, CircleStore
from grading.circles.tables import GROUP_ANSWERS, GROUP_CREDITS, MEETINGS, circles_engine, has_circles
from grading.course_runs.run import CourseRun
from widgets.core import learner_json
from widgets.core.i18n import t, yaml_data
from widgets.core.setting_env import SVAR_DIR_ENV
from widgets.storage import database as storage
from widgets.storage.answers import MAX_ANSWER_BYTES

__all__ = [
    "GroupAnswer",
    "Credit",
    "group_exercises",
    "group_exercise",
    "record_group_answer",
    "record_from_learner",
    "group_answers",
    "credit_group_work",
    "credited",
    "group_work_labels",
]


@dataclass(frozen=True)
class GroupAnswer:
    """A circle's answer to a group exercise at one meeting, with its points (graded once)."""

    answer_id: int
    module: str
    exercise_id: str
    meeting_id: int
    circle_id: str
    meeting_date: dt.date
    points: float
    max_points: float


@dataclass(frozen=True)
class Credit:
    """What one present member's grade cell was given: the better of ``own`` and the group's."""

    answer: GroupAnswer
    student_id: str
    own_points: float | None
    credited_points: float


def group_exercises(run: CourseRun, module: str) -> dict[str, dict[str, Any]]:
    """The module's exercises marked ``grupp: true``, by id (as written in the run's ``module.yml``)."""
    data = yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8")) or {}
    return {
        str(ex["id"]): ex
        for ex in data.get("exercises") or []
        if isinstance(ex, dict) and ex.get("grupp") is True and ex.get("check")
    }


def _db(run: CourseRun) -> contextlib.AbstractContextManager[Connection]:
    """The circles' database (group work's tables are made with the circles'); one transaction, all or nothing."""
    return storage.writing(circles_engine(run.root))


def _grade_once(run: CourseRun, module: str, exercise: dict[str, Any], answer_text: str) -> float:
    """The group's points: the exercise's own check on the answer, beside the module's content."""
    from grading import checks

    check = getattr(checks, str(exercise["check"]))
    with tempfile.TemporaryDirectory(prefix="cirkel-grupp-") as tmp:
        folder = Path(tmp)
        for path in (run.source_dir / module).iterdir():
            if path.is_file() and path.suffix in (".yml", ".yaml", ".csv"):
                shutil.copy2(path, folder / path.name)
        (folder / "svar").mkdir()
        (folder / "svar" / f"{exercise['id']}.json").write_text(answer_text, encoding="utf-8")
        kept = os.environ.pop(SVAR_DIR_ENV, None)
        try:
            with contextlib.chdir(folder):
                kwargs = {"content": exercise["content"]} if exercise.get("content") else {}
                return float(check(str(exercise["id"]), points=float(exercise["points"]), **kwargs))
        finally:
            if kept is not None:
                os.environ[SVAR_DIR_ENV] = kept


def group_exercise(run: CourseRun, module: str, exercise_id: str) -> dict[str, Any]:
    """The exercise's entry in ``module.yml``; ``CircleError`` unless it is marked ``grupp: true``."""
    from grading.course_runs.run import RunError

    try:
        module = run.check_module(module)
    except RunError as exc:
        raise CircleError(str(exc)) from None
    exercises = group_exercises(run, module)
    if exercise_id not in exercises:
        known = ", ".join(exercises) or "–"
        raise CircleError(t("group.not_group", exercise=exercise_id, module=module, known=known))
    return exercises[exercise_id]


def record_group_answer(
    run: CourseRun, meeting_id: int | str, module: str, exercise_id: str, answer_text: str
) -> GroupAnswer:
    """Record what the circle answered together at the meeting, graded once; again replaces it.

    ``CircleError`` in plain Swedish for an unknown meeting, a module the run
    does not have, an exercise not marked ``grupp: true``, or a file that is
    not an answer of that exercise.
    """
    from grading.course_runs.run import RunError

    try:
        module = run.check_module(module)
    except RunError as exc:
        raise CircleError(str(exc)) from None
    meeting = CircleStore(run).meeting(meeting_id)
    exercise = group_exercise(run, module, exercise_id)
    try:
        too_large = len(answer_text.encode("utf-8")) > MAX_ANSWER_BYTES
        record = None if too_large else learner_json.loads(answer_text)
    except (AttributeError, TypeError, ValueError):
        record = None
    if not isinstance(record, dict) or record.get("exercise_id", exercise_id) != exercise_id:
        raise CircleError(t("group.bad_answer", exercise=exercise_id))
    points = _grade_once(run, module, exercise, answer_text)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    row = {
        "module": module,
        "exercise_id": exercise_id,
        "meeting_id": meeting.meeting_id,
        "circle_id": meeting.circle_id,
        "answer_json": answer_text,
        "points": points,
        "max_points": float(exercise["points"]),
        "recorded_at": now,
    }
    with _db(run) as db:
        storage.upsert(db, GROUP_ANSWERS, row, keys=("module", "exercise_id", "meeting_id"))
    key = (module, exercise_id, meeting.meeting_id)
    return next(a for a in group_answers(run) if (a.module, a.exercise_id, a.meeting_id) == key)


def record_from_learner(
    run: CourseRun, meeting_id: int | str, module: str, exercise_id: str, student_id: str
) -> GroupAnswer:
    """Record as the group's answer what ``student_id`` wrote for the circle at the meeting.

    The one who wrote must have been present. Their answer file is read from
    their collected submission, else from their workspace.
    """
    store = CircleStore(run)
    meeting = store.meeting(meeting_id)
    if student_id not in store.attendance(meeting.circle_id).get(meeting.meeting_id, set()):
        raise CircleError(t("group.writer_absent", id=student_id, meeting=meeting.label))
    from grading.course_runs.run import RunError

    try:
        module = run.check_module(module)
        places = [
            run.root / "submitted" / student_id / module / "svar" / f"{exercise_id}.json",
            run.notebook_path(student_id, module).parent / "svar" / f"{exercise_id}.json",
        ]
    except (RunError, ValueError) as exc:
        raise CircleError(str(exc)) from None
    group_exercise(run, module, exercise_id)
    for path in places:
        if path.is_file():
            if path.stat().st_size > MAX_ANSWER_BYTES:  # no answer the widgets write is this large
                raise CircleError(t("group.bad_answer", exercise=exercise_id))
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise CircleError(t("group.bad_answer", exercise=exercise_id)) from None
            return record_group_answer(run, meeting.meeting_id, module, exercise_id, text)
    raise CircleError(t("group.no_answer", id=student_id, exercise=exercise_id, module=module))


def group_answers(run: CourseRun, modules: Iterable[str] | None = None) -> list[GroupAnswer]:
    """Every recorded group answer (of ``modules`` when given), by module, exercise and meeting date."""
    wanted = set(modules) if modules is not None else None
    if not has_circles(run.root):  # a run without circles has no group work (and gets no database)
        return []
    g, m = GROUP_ANSWERS, MEETINGS
    with circles_engine(run.root).connect() as db:
        rows = db.execute(
            sa.select(*(g.c[n] for n in ("answer_id", "module", "exercise_id", "meeting_id", "circle_id")))
            .add_columns(m.c.date, g.c.points, g.c.max_points)
            .join(m, m.c.meeting_id == g.c.meeting_id)
            .order_by(g.c.module, g.c.exercise_id, m.c.date)
        ).all()
    return [
        GroupAnswer(r[0], r[1], r[2], r[3], r[4], dt.date.fromisoformat(r[5]), float(r[6]), float(r[7]))
        for r in rows
        if wanted is None or r[1] in wanted
    ]


def credit_group_work(run: CourseRun, modules: Iterable[str] | None = None) -> list[Credit]:
    """Give each present member the better of their own score and the group's, in the gradebook.

    Only members with a graded submission of the module are credited (nbgrader
    has no cell to give points to before that); the next autograde after they
    submit credits them. Absent members are left as they are.
    """
    from nbgrader.api import MissingEntry

    answers = group_answers(run, modules)
    if not answers:
        return []
    store = CircleStore(run)
    present = {a.circle_id: store.attendance(a.circle_id) for a in answers}
    best: dict[tuple[str, str, str], GroupAnswer] = {}
    for answer in answers:
        for student_id in present[answer.circle_id].get(answer.meeting_id, set()):
            key = (answer.module, answer.exercise_id, student_id)
            if key not in best or answer.points > best[key].points:
                best[key] = answer
    credits: list[Credit] = []
    with _db(run) as db, run.gradebook() as gb:
        for (module, exercise_id, student_id), answer in sorted(best.items(), key=lambda kv: kv[0]):
            try:
                grade = gb.find_grade(f"{exercise_id}-check", module, module, student_id)
            except MissingEntry:
                continue
            before = db.execute(
                sa.select(GROUP_CREDITS.c.own_points, GROUP_CREDITS.c.credited_points)
                .join(GROUP_ANSWERS, GROUP_ANSWERS.c.answer_id == GROUP_CREDITS.c.answer_id)
                .where(
                    GROUP_CREDITS.c.student_id == student_id,
                    GROUP_ANSWERS.c.module == module,
                    GROUP_ANSWERS.c.exercise_id == exercise_id,
                )
            ).first()
            current = grade.auto_score
            # the cell still holds what was credited last time: the member's own score is the one kept then
            own = before[0] if before is not None and current == before[1] else current
            given = max(float(own or 0.0), answer.points)
            grade.auto_score = given
            same_exercise = sa.select(GROUP_ANSWERS.c.answer_id).where(
                GROUP_ANSWERS.c.module == module, GROUP_ANSWERS.c.exercise_id == exercise_id
            )
            db.execute(
                GROUP_CREDITS.delete().where(
                    GROUP_CREDITS.c.student_id == student_id, GROUP_CREDITS.c.answer_id.in_(same_exercise)
                )
            )
            db.execute(
                GROUP_CREDITS.insert().values(
                    answer_id=answer.answer_id,
                    circle_id=answer.circle_id,
                    student_id=student_id,
                    own_points=own,
                    credited_points=given,
                )
            )
            credits.append(Credit(answer, student_id, None if own is None else float(own), given))
        _withdraw_stale(db, gb, {a.answer_id for a in answers}, best)
        gb.db.commit()
    return credits


def _withdraw_stale(db: Connection, gb: Any, answer_ids: set[int], best: dict) -> None:
    """A credit whose member is no longer marked present: the cell gets the member's own score back."""
    from nbgrader.api import MissingEntry

    c, g = GROUP_CREDITS, GROUP_ANSWERS
    rows = db.execute(
        sa.select(c.c.answer_id, c.c.student_id, c.c.own_points, c.c.credited_points, g.c.module, g.c.exercise_id)
        .join(g, g.c.answer_id == c.c.answer_id)
        .order_by(c.c.answer_id, c.c.student_id)
    ).all()
    for answer_id, student_id, own, given, module, exercise_id in rows:
        if answer_id not in answer_ids or (module, exercise_id, student_id) in best:
            continue
        try:
            grade = gb.find_grade(f"{exercise_id}-check", module, module, student_id)
        except MissingEntry:
            grade = None
        if grade is not None and grade.auto_score == given:
            grade.auto_score = own
        db.execute(GROUP_CREDITS.delete().where(c.c.answer_id == answer_id, c.c.student_id == student_id))


def credited(run: CourseRun) -> list[Credit]:
    """Every credit given so far, as recorded beside the circles."""
    answers = {a.answer_id: a for a in group_answers(run)}
    if not answers:
        return []
    c = GROUP_CREDITS
    with circles_engine(run.root).connect() as db:
        rows = db.execute(
            sa.select(c.c.answer_id, c.c.student_id, c.c.own_points, c.c.credited_points).order_by(
                c.c.student_id, c.c.answer_id
            )
        ).all()
    return [Credit(answers[r[0]], r[1], r[2], float(r[3])) for r in rows if r[0] in answers]


def group_work_labels(run: CourseRun) -> dict[tuple[str, str], str]:
    """``(student_id, module)`` -> "gruppuppgift talarstatistik (träff 2026-12-01)" for every credit."""
    labels: dict[tuple[str, str], list[str]] = {}
    for credit in credited(run):
        a = credit.answer
        labels.setdefault((credit.student_id, a.module), []).append(
            t("group.label", exercise=a.exercise_id, date=a.meeting_date.isoformat())
        )
    return {key: "; ".join(texts) for key, texts in labels.items()}
