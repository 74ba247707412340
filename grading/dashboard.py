"""The completion dashboard's data: the one completion table, shaped for the views.

``dashboard_table(run)`` is :func:`grading.completion.completion_table` (the
gradebook read with SQL, each folder listed once: the same table ``cirkel
report`` and the exports use) plus the learner's study circle and, for a
learner who has not submitted a module released long ago, the date it became
overdue.

The other functions shape that table for the views: completion over time, the
spread of points, a summary per circle, filters, the "behind" list and one
learner's page (modules, reflections, feedback).
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from widgets.i18n import t, yaml_data

from .completion import COLUMNS, completion_table, state_label
from .completion_files import utc as _utc
from .gradebook_sql import read_gradebook

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

# -- when modules were released and fall due ------------------------------------------------


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
        from .circle_tables import has_circles
        from .circles import CircleStore
    except ImportError:
        return {}
    if not has_circles(run.root):
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
        from .circle_tables import has_circles
        from .circles import CircleStore
    except ImportError:
        return {}
    if not has_circles(run.root):
        return {}
    return {c.circle_id: c.name for c in CircleStore(run).circles()}


# -- the table --------------------------------------------------------------------------------


def dashboard_table(run: CourseRun, *, behind_days: int | None = None, now: _dt.datetime | None = None) -> pd.DataFrame:
    """The completion table (:func:`grading.completion.completion_table`) plus ``circle`` and ``behind_since``.

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
    import pandas as pd

    now = _utc(now or _dt.datetime.now(_dt.UTC))
    book = read_gradebook(run)
    frame = completion_table(run, book=book)
    circles = {sid: CIRCLE_SEPARATOR.join(ids) for sid, ids in _circle_map(run).items()}
    frame["circle"] = [circles.get(sid, "") for sid in frame["student_id"]]
    overdue = _overdue_dates(run, book.duedates, _behind_days(run, behind_days))
    due = pd.to_datetime(frame["module"].map(overdue), utc=True, errors="coerce")
    waiting = ~frame["state"].isin(_done_labels()).to_numpy()
    frame["behind_since"] = due.where(waiting & (due <= pd.Timestamp(now)).to_numpy())
    frame["behind_since"] = pd.to_datetime(frame["behind_since"], utc=True, errors="coerce")
    return frame[DASHBOARD_COLUMNS]


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
