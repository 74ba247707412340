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
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.i18n import t, yaml_data
from widgets.store import MAX_ANSWER_BYTES

from .circles import DB_NAME, CircleError, CircleStore
from .run import CourseRun

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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS group_answers (
    answer_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    module      TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    meeting_id  INTEGER NOT NULL,
    circle_id   TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    points      REAL NOT NULL,      -- the group's score, graded once when recorded
    max_points  REAL NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (module, exercise_id, meeting_id),
    FOREIGN KEY (meeting_id, circle_id) REFERENCES meetings(meeting_id, circle_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS group_credits (
    answer_id       INTEGER NOT NULL REFERENCES group_answers(answer_id) ON DELETE CASCADE,
    circle_id       TEXT NOT NULL,
    student_id      TEXT NOT NULL,
    own_points      REAL,           -- the member's own automatic score before the credit
    credited_points REAL NOT NULL,  -- what the gradebook's cell was given
    PRIMARY KEY (answer_id, student_id),
    FOREIGN KEY (circle_id, student_id) REFERENCES members(circle_id, student_id) ON DELETE CASCADE
);
"""


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


@contextlib.contextmanager
def _db(run: CourseRun) -> Iterator[sqlite3.Connection]:
    """The circles' database with the group-work tables; one transaction, all or nothing."""
    CircleStore(run)  # the circles' own tables first: ours refer to them
    db = sqlite3.connect(run.root / DB_NAME, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        db.executescript(_SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.close()


def _grade_once(run: CourseRun, module: str, exercise: dict[str, Any], answer_text: str) -> float:
    """The group's points: the exercise's own check on the answer, beside the module's content."""
    from . import checks

    check = getattr(checks, str(exercise["check"]))
    with tempfile.TemporaryDirectory(prefix="cirkel-grupp-") as tmp:
        folder = Path(tmp)
        for path in (run.source_dir / module).iterdir():
            if path.is_file() and path.suffix in (".yml", ".yaml", ".csv"):
                shutil.copy2(path, folder / path.name)
        (folder / "svar").mkdir()
        (folder / "svar" / f"{exercise['id']}.json").write_text(answer_text, encoding="utf-8")
        kept = os.environ.pop("CIRKEL_SVAR_DIR", None)
        try:
            with contextlib.chdir(folder):
                kwargs = {"content": exercise["content"]} if exercise.get("content") else {}
                return float(check(str(exercise["id"]), points=float(exercise["points"]), **kwargs))
        finally:
            if kept is not None:
                os.environ["CIRKEL_SVAR_DIR"] = kept


def group_exercise(run: CourseRun, module: str, exercise_id: str) -> dict[str, Any]:
    """The exercise's entry in ``module.yml``; ``CircleError`` unless it is marked ``grupp: true``."""
    from .run import RunError

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
    from .run import RunError

    try:
        module = run.check_module(module)
    except RunError as exc:
        raise CircleError(str(exc)) from None
    meeting = CircleStore(run).meeting(meeting_id)
    exercise = group_exercise(run, module, exercise_id)
    try:
        too_large = len(answer_text.encode("utf-8")) > MAX_ANSWER_BYTES
        record = None if too_large else json.loads(answer_text)
    except (AttributeError, TypeError, ValueError):
        record = None
    if not isinstance(record, dict) or record.get("exercise_id", exercise_id) != exercise_id:
        raise CircleError(t("group.bad_answer", exercise=exercise_id))
    points = _grade_once(run, module, exercise, answer_text)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with _db(run) as db:
        db.execute(
            "INSERT INTO group_answers (module, exercise_id, meeting_id, circle_id, answer_json, points, max_points,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (module, exercise_id, meeting_id) DO UPDATE"
            " SET answer_json = excluded.answer_json, points = excluded.points, max_points = excluded.max_points,"
            " recorded_at = excluded.recorded_at",
            (
                module,
                exercise_id,
                meeting.meeting_id,
                meeting.circle_id,
                answer_text,
                points,
                float(exercise["points"]),
                now,
            ),
        )
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
    from .run import RunError

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
    if not (run.root / DB_NAME).is_file():  # a run without circles has no group work (and gets no database)
        return []
    with _db(run) as db:
        rows = db.execute(
            "SELECT g.answer_id, g.module, g.exercise_id, g.meeting_id, g.circle_id, m.date, g.points, g.max_points"
            " FROM group_answers g JOIN meetings m USING (meeting_id) ORDER BY g.module, g.exercise_id, m.date"
        ).fetchall()
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
                "SELECT c.own_points, c.credited_points FROM group_credits c JOIN group_answers g USING (answer_id)"
                " WHERE c.student_id = ? AND g.module = ? AND g.exercise_id = ?",
                (student_id, module, exercise_id),
            ).fetchone()
            current = grade.auto_score
            # the cell still holds what was credited last time: the member's own score is the one kept then
            own = before[0] if before is not None and current == before[1] else current
            given = max(float(own or 0.0), answer.points)
            grade.auto_score = given
            db.execute(
                "DELETE FROM group_credits WHERE student_id = ? AND answer_id IN"
                " (SELECT answer_id FROM group_answers WHERE module = ? AND exercise_id = ?)",
                (student_id, module, exercise_id),
            )
            db.execute(
                "INSERT INTO group_credits (answer_id, circle_id, student_id, own_points, credited_points)"
                " VALUES (?, ?, ?, ?, ?)",
                (answer.answer_id, answer.circle_id, student_id, own, given),
            )
            credits.append(Credit(answer, student_id, None if own is None else float(own), given))
        _withdraw_stale(db, gb, {a.answer_id for a in answers}, best)
        gb.db.commit()
    return credits


def _withdraw_stale(db: sqlite3.Connection, gb: Any, answer_ids: set[int], best: dict) -> None:
    """A credit whose member is no longer marked present: the cell gets the member's own score back."""
    from nbgrader.api import MissingEntry

    rows = db.execute(
        "SELECT c.answer_id, c.student_id, c.own_points, c.credited_points, g.module, g.exercise_id"
        " FROM group_credits c JOIN group_answers g USING (answer_id)"
    ).fetchall()
    for answer_id, student_id, own, given, module, exercise_id in rows:
        if answer_id not in answer_ids or (module, exercise_id, student_id) in best:
            continue
        try:
            grade = gb.find_grade(f"{exercise_id}-check", module, module, student_id)
        except MissingEntry:
            grade = None
        if grade is not None and grade.auto_score == given:
            grade.auto_score = own
        db.execute("DELETE FROM group_credits WHERE answer_id = ? AND student_id = ?", (answer_id, student_id))


def credited(run: CourseRun) -> list[Credit]:
    """Every credit given so far, as recorded beside the circles."""
    answers = {a.answer_id: a for a in group_answers(run)}
    if not answers:
        return []
    with _db(run) as db:
        rows = db.execute(
            "SELECT answer_id, student_id, own_points, credited_points FROM group_credits ORDER BY student_id"
        ).fetchall()
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
