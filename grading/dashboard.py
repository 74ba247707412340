"""The completion dashboard's data: pandas over nbgrader's gradebook, read with SQL.

``dashboard_table(run)`` gives the same rows, states and points as
:func:`grading.completion.completion_table` (the same rules: graded when the
gradebook has the submission and its autograded notebook exists, submitted
when ``submitted/`` or the exchange's inbound has it, started when the answer
store has a file), plus the learner's study circle and, for a learner who has
not submitted a module released long ago, the date it became overdue.

Why a second path: ``completion_table`` walks nbgrader's ORM object by object,
and each submission's score is a separate query, which is too slow for a large
run. Here the gradebook is read in four SQL queries (``pandas.read_sql``
through SQLAlchemy on ``run.db_url``) and each folder is listed once.

The other functions shape that table for the views: completion over time, the
spread of points, a summary per circle, filters, the "behind" list and one
learner's page (modules, reflections, feedback).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from widgets.i18n import t, yaml_data
from widgets.store import SETTING_IDS

from .completion import COLUMNS, _parse, _utc, state_label, unreadable_answers

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import CourseRun

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

#: Days after release before a module not submitted counts as overdue.
DEFAULT_BEHIND_DAYS = 14
#: ``completion.COLUMNS`` plus the circle ids (joined) and the date the learner fell behind.
DASHBOARD_COLUMNS = [*COLUMNS, "circle", "behind_since"]
CIRCLE_SEPARATOR = ", "

# -- reading the gradebook -------------------------------------------------------------------

_STUDENTS_SQL = "SELECT id AS student_id, first_name FROM student ORDER BY id"

_MAX_SQL = """
SELECT a.name AS module,
       SUM(COALESCE(gc.max_score, 0.0) + COALESCE(tc.max_score, 0.0)) AS max_points
FROM assignment a
JOIN notebook n ON n.assignment_id = a.id
LEFT JOIN base_cell bc ON bc.notebook_id = n.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
WHERE a.course_id = :course_id
GROUP BY a.id, a.name
"""

# nbgrader's Grade.score: the manual score if set, else the automatic one, plus extra credit.
_SUBMISSIONS_SQL = """
SELECT sa.student_id AS student_id,
       a.name AS module,
       sa.timestamp AS timestamp,
       COALESCE(SUM(CASE
           WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0.0)
           WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0.0)
           ELSE 0.0 END), 0.0) AS points,
       COALESCE(MAX(CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END), 0) AS needs_manual_grade
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
LEFT JOIN submitted_notebook sn ON sn.assignment_id = sa.id
LEFT JOIN grade g ON g.notebook_id = sn.id
WHERE a.course_id = :course_id
GROUP BY sa.id, sa.student_id, a.name, sa.timestamp
"""

_DUEDATES_SQL = "SELECT name AS module, duedate FROM assignment WHERE course_id = :course_id"


@dataclass(frozen=True)
class GradebookFrames:
    """What the dashboard needs from the gradebook, one DataFrame per question."""

    students: pd.DataFrame  #: student_id, first_name
    max_points: dict[str, float]  #: module -> max points (modules with notebooks)
    submissions: pd.DataFrame  #: student_id, module, timestamp (UTC), points, needs_manual_grade
    duedates: dict[str, _dt.datetime]  #: module -> due date (UTC) where the leader set one


def read_gradebook(run: CourseRun) -> GradebookFrames:
    """Read students, maximum points, submissions and due dates in four SQL queries."""
    import pandas as pd
    import sqlalchemy as sa

    from .run import ensure_tools_on_path

    ensure_tools_on_path()
    engine = sa.create_engine(run.db_url)
    params = {"course_id": run.course_id}
    try:
        with engine.connect() as conn:
            students = pd.read_sql(sa.text(_STUDENTS_SQL), conn)
            maxima = pd.read_sql(sa.text(_MAX_SQL), conn, params=params)
            submissions = pd.read_sql(sa.text(_SUBMISSIONS_SQL), conn, params=params)
            duedates = pd.read_sql(sa.text(_DUEDATES_SQL), conn, params=params)
    finally:
        engine.dispose()
    submissions["timestamp"] = pd.to_datetime(submissions["timestamp"], utc=True, errors="coerce")
    submissions["points"] = submissions["points"].astype(float)
    submissions["needs_manual_grade"] = submissions["needs_manual_grade"].astype(bool)
    due = {}
    for row in duedates.itertuples(index=False):
        stamp = pd.to_datetime(row.duedate, utc=True, errors="coerce")
        if not pd.isna(stamp):
            due[str(row.module)] = stamp.to_pydatetime()
    return GradebookFrames(
        students=students,
        max_points={str(m): float(p) for m, p in zip(maxima["module"], maxima["max_points"])},
        submissions=submissions,
        duedates=due,
    )


# -- reading the folders, each once -----------------------------------------------------------


def _scandir(path: Path | str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def _autograded_pairs(run: CourseRun, modules: set[str]) -> set[tuple[str, str]]:
    """(student, module) whose ``autograded/<id>/<module>/<module>.ipynb`` exists."""
    found = set()
    for learner in _scandir(run.root / "autograded"):
        if not learner.is_dir():
            continue
        for module in _scandir(learner.path):
            if module.name in modules and os.path.isfile(os.path.join(module.path, f"{module.name}.ipynb")):
                found.add((learner.name, module.name))
    return found


def _submission_times(run: CourseRun, modules: set[str]) -> dict[tuple[str, str], list[str]]:
    """Raw submission time texts per (student, module): collected stamps and inbound names."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for learner in _scandir(run.root / "submitted"):
        if not learner.is_dir():
            continue
        for module in _scandir(learner.path):
            if module.name not in modules:
                continue
            try:
                text = Path(module.path, "timestamp.txt").read_text(encoding="utf-8")
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
            found[(learner.name, module.name)].append(text)
    for entry in _scandir(run.exchange_root / run.course_id / "inbound"):
        parts = entry.name.split("+")
        if len(parts) >= 3 and parts[1] in modules:
            found[(parts[0], parts[1])].append(parts[2])
    return found


def _latest(texts: Iterable[str]) -> _dt.datetime | None:
    times = [stamp for stamp in map(_parse, texts) if stamp is not None]
    return max(times) if times else None


def _started_modules(run: CourseRun, student_id: str, wanted: Iterable[str]) -> set[str]:
    """Modules among ``wanted`` with an answer file in the learner's ``svar/``."""
    try:
        course_dir = run.workspace(student_id) / run.course_id
    except ValueError:
        return set()
    started = set()
    for module in wanted:
        files = _scandir(course_dir / module / "svar")
        if any(e.name.endswith(".json") and e.name[:-5] not in SETTING_IDS for e in files):
            started.add(module)
    return started


def released_at(run: CourseRun) -> dict[str, _dt.datetime]:
    """When each module was released: its folder in the exchange's ``outbound/`` (UTC)."""
    found = {}
    outbound = run.exchange_root / run.course_id / "outbound"
    for module in run.modules:
        try:
            stamp = (outbound / module).stat().st_mtime
        except OSError:
            continue
        found[module] = _dt.datetime.fromtimestamp(stamp, _dt.UTC)
    return found


def _overdue_dates(run: CourseRun, duedates: dict[str, _dt.datetime], behind_days: int) -> dict[str, _dt.datetime]:
    """The date each module became overdue: its due date if set, else release + ``behind_days``."""
    released = released_at(run)
    overdue = {m: stamp + _dt.timedelta(days=behind_days) for m, stamp in released.items()}
    overdue.update({m: _utc(d) for m, d in duedates.items() if m in run.modules})
    return overdue


def _behind_days(run: CourseRun, behind_days: int | None) -> int:
    if behind_days is None:
        behind_days = run.info.get("behind_days", DEFAULT_BEHIND_DAYS)
    try:
        days = int(behind_days)
    except (TypeError, ValueError):
        days = DEFAULT_BEHIND_DAYS
    return max(days, 0)


# -- circles (part A's store; absent until it lands) -------------------------------------------


def _circle_map(run: CourseRun) -> dict[str, list[str]]:
    """student id -> circle ids, read from the run's circle store in one pass."""
    try:
        from .circles import CircleStore
    except ImportError:
        return {}
    if not (run.root / "cirklar.sqlite").exists():
        return {}
    members: dict[str, list[str]] = defaultdict(list)
    for circle in CircleStore(run).circles():
        for student_id in dict.fromkeys([*circle.members, circle.leader_id]):
            if student_id:
                members[student_id].append(circle.circle_id)
    return {sid: sorted(ids) for sid, ids in members.items()}


def circle_names(run: CourseRun) -> dict[str, str]:
    """circle id -> name, empty when the run has no circles."""
    try:
        from .circles import CircleStore
    except ImportError:
        return {}
    if not (run.root / "cirklar.sqlite").exists():
        return {}
    return {c.circle_id: c.name for c in CircleStore(run).circles()}


# -- the table --------------------------------------------------------------------------------


def dashboard_table(run: CourseRun, *, behind_days: int | None = None, now: _dt.datetime | None = None) -> pd.DataFrame:
    """One row per learner and module, as ``completion_table``, plus ``circle`` and ``behind_since``.

    Parameters
    ----------
    run
        The course run.
    behind_days
        Days after a module's release before a learner who has not submitted it
        is behind; ``None`` reads ``behind_days`` from ``cirkel-run.yml`` (default 14).
        A due date set on the assignment in the gradebook wins over this rule.
    now
        The moment to judge "behind" at (UTC); the current time when not given.

    Returns
    -------
    DataFrame
        ``DASHBOARD_COLUMNS``: the columns of ``completion.COLUMNS`` with the same
        values (``group_work`` included), ``circle`` (the learner's circle ids joined by ``", "``, empty if
        none) and ``behind_since`` (UTC timestamp the module became overdue, NaT
        unless the learner is behind on it).
    """
    import numpy as np
    import pandas as pd

    now = _utc(now or _dt.datetime.now(_dt.UTC))
    modules = list(run.modules)
    module_set = set(modules)
    book = read_gradebook(run)

    students = book.students
    ids = students["student_id"].astype(str).tolist()
    names = students["first_name"].fillna("").astype(str).tolist()
    frame = pd.DataFrame(
        {
            "student_id": np.repeat(ids, len(modules)),
            "namn": np.repeat(names, len(modules)),
            "module": modules * len(ids),
        }
    )
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ["student_id", "namn", "module"]})
    subs = book.submissions[book.submissions["module"].isin(module_set)].copy()
    subs["has_submission"] = True
    frame = frame.merge(subs, on=["student_id", "module"], how="left")
    has_sub = frame["has_submission"].eq(True).to_numpy()

    autograded = _autograded_pairs(run, module_set)
    pairs = list(zip(frame["student_id"], frame["module"]))
    graded = np.fromiter((h and p in autograded for h, p in zip(has_sub, pairs)), dtype=bool, count=len(pairs))

    times = _submission_times(run, module_set)
    submitted_at: list[object] = [None] * len(pairs)
    submitted = np.zeros(len(pairs), dtype=bool)
    open_rows: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        if graded[i]:
            continue
        stamp = _latest(times[pair]) if pair in times else None
        if stamp is not None:
            submitted[i] = True
            submitted_at[i] = stamp
        else:
            open_rows[pair[0]].append(i)
    started = np.zeros(len(pairs), dtype=bool)
    for student_id, rows in open_rows.items():
        begun = _started_modules(run, student_id, [pairs[i][1] for i in rows])
        for i in rows:
            started[i] = pairs[i][1] in begun

    labels = {s: state_label(s) for s in ("ej_paborjad", "paborjad", "inlamnad", "rattad")}
    state = np.where(
        graded,
        labels["rattad"],
        np.where(submitted, labels["inlamnad"], np.where(started, labels["paborjad"], labels["ej_paborjad"])),
    )
    frame["state"] = state
    frame["points"] = np.where(graded, frame["points"].astype(float), np.nan)
    frame["needs_manual_grade"] = graded & frame["needs_manual_grade"].eq(True).to_numpy()

    maxima = {m: book.max_points[m] if m in book.max_points else _module_points(run, m) for m in modules}
    frame["max_points"] = pd.to_numeric(frame["module"].map(maxima), errors="coerce")

    graded_at = pd.to_datetime(frame["timestamp"], utc=True, errors="coerce")
    fs_at = pd.to_datetime(pd.Series(submitted_at, index=frame.index, dtype=object), utc=True, errors="coerce")
    frame["submitted_at"] = graded_at.where(graded, fs_at)

    frame["unreadable"] = [", ".join(unreadable_answers(run, student, module)) for student, module in pairs]
    from .group_work import group_work_labels

    group = group_work_labels(run)
    frame["group_work"] = [group.get(pair, "") for pair in pairs]

    circles = _circle_map(run)
    frame["circle"] = frame["student_id"].map(lambda sid: CIRCLE_SEPARATOR.join(circles.get(sid, ())))

    overdue = _overdue_dates(run, book.duedates, _behind_days(run, behind_days))
    due = pd.to_datetime(frame["module"].map(overdue), utc=True, errors="coerce")
    waiting = ~(graded | submitted)
    frame["behind_since"] = due.where(waiting & (due <= pd.Timestamp(now)).to_numpy())

    frame = frame[DASHBOARD_COLUMNS].reset_index(drop=True)
    frame["points"] = pd.to_numeric(frame["points"], errors="coerce")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, errors="coerce")
    frame["behind_since"] = pd.to_datetime(frame["behind_since"], utc=True, errors="coerce")
    return frame


def _module_points(run: CourseRun, module: str) -> float | None:
    try:
        return run.module_points(module)
    except (OSError, yaml.YAMLError, TypeError, ValueError):
        return None


# -- shaping the table for the views -----------------------------------------------------------

_DONE = ("inlamnad", "rattad")


def _done_labels() -> set[str]:
    return {state_label(s) for s in _DONE}


def filter_table(frame: pd.DataFrame, circle: str | None = None, module: str | None = None) -> pd.DataFrame:
    """The rows of one circle (by id) and/or one module; ``None`` or ``""`` keeps all."""
    mask = frame["module"].notna()
    if circle:
        mask &= frame["circle"].map(lambda text: circle in str(text).split(CIRCLE_SEPARATOR))
    if module:
        mask &= frame["module"] == module
    return frame[mask].reset_index(drop=True)


def behind_list(frame: pd.DataFrame) -> pd.DataFrame:
    """Who is behind on which module and since when, longest behind first."""
    rows = frame[frame["behind_since"].notna()]
    rows = rows[["student_id", "namn", "circle", "module", "state", "behind_since"]]
    return rows.sort_values(["behind_since", "student_id", "module"]).reset_index(drop=True)


def completion_over_time(frame: pd.DataFrame) -> pd.DataFrame:
    """Submissions per day (local date of ``submitted_at``) and their running total.

    Columns: ``date`` (``datetime.date``), ``submissions``, ``cumulative``.
    """
    import pandas as pd

    done = frame[frame["state"].isin(_done_labels()) & frame["submitted_at"].notna()]
    if done.empty:
        return pd.DataFrame(
            {"date": pd.Series(dtype=object), "submissions": pd.Series(dtype=int), "cumulative": pd.Series(dtype=int)}
        )
    days = done["submitted_at"].dt.tz_convert(_local_zone()).dt.date
    per_day = days.value_counts().sort_index()
    out = pd.DataFrame({"date": list(per_day.index), "submissions": per_day.to_numpy(dtype=int)})
    out["cumulative"] = out["submissions"].cumsum()
    return out


def _local_zone():
    return _dt.datetime.now().astimezone().tzinfo


def points_spread(frame: pd.DataFrame) -> pd.DataFrame:
    """The spread of points per graded module: count, min, quartiles, median, max, mean.

    One row per module in the table's order that has at least one graded row.
    """
    import pandas as pd

    graded = frame[frame["points"].notna()]
    rows = []
    for module in dict.fromkeys(frame["module"]):
        points = graded.loc[graded["module"] == module, "points"].astype(float)
        if points.empty:
            continue
        most = frame.loc[frame["module"] == module, "max_points"].dropna()
        rows.append(
            {
                "module": module,
                "count": int(points.size),
                "min": float(points.min()),
                "q1": float(points.quantile(0.25)),
                "median": float(points.median()),
                "q3": float(points.quantile(0.75)),
                "max": float(points.max()),
                "mean": float(points.mean()),
                "max_points": float(most.iloc[0]) if not most.empty else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["module", "count", "min", "q1", "median", "q3", "max", "mean", "max_points"])


def circle_summary(frame: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Per circle: members, modules submitted of all, the share, mean points, rows behind.

    Learners in no circle are summed under ``circle_id`` ``""``.
    """
    import pandas as pd

    names = names or {}
    exploded = frame.assign(
        circle_id=frame["circle"].map(lambda text: [c for c in str(text).split(CIRCLE_SEPARATOR) if c] or [""])
    ).explode("circle_id")
    done = _done_labels()
    rows = []
    for circle_id, part in exploded.groupby("circle_id", sort=True):
        total = len(part)
        finished = int(part["state"].isin(done).sum())
        rows.append(
            {
                "circle_id": circle_id,
                "name": names.get(circle_id, circle_id),
                "members": int(part["student_id"].nunique()),
                "done": finished,
                "total": total,
                "share_done": finished / total if total else 0.0,
                "mean_points": float(part["points"].mean()) if part["points"].notna().any() else float("nan"),
                "behind": int(part["behind_since"].notna().sum()),
            }
        )
    out = pd.DataFrame(
        rows, columns=["circle_id", "name", "members", "done", "total", "share_done", "mean_points", "behind"]
    )
    # named circles first, the learners in no circle last
    return out.sort_values("circle_id", key=lambda s: s.eq("")).reset_index(drop=True)


# -- one learner's page -----------------------------------------------------------------------


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
    from widgets._reflection_data import reflection_text
    from widgets.store import AnswerStore

    from .run import RunError

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

    from .run import RunError

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
