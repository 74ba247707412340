"""The dashboard's table: the completion table plus each learner's circles and when they fell behind."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import TYPE_CHECKING

from grading.reports.completion import COLUMNS, completion_table, state_label
from grading.reports.completion_files import utc as _utc
from grading.reports.gradebook_sql import read_gradebook

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun

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
        from grading.circles.store import CircleStore
        from grading.circles.tables import has_circles
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
        from grading.circles.store import CircleStore
        from grading.circles.tables import has_circles
    except ImportError:
        return {}
    if not has_circles(run.root):
        return {}
    return {c.circle_id: c.name for c in CircleStore(run).circles()}


# -- the table --------------------------------------------------------------------------------


def dashboard_table(run: CourseRun, *, behind_days: int | None = None, now: _dt.datetime | None = None) -> pd.DataFrame:
    """The completion table (:func:`grading.reports.completion.completion_table`) plus ``circle`` and ``behind_since``.

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
    waiting = ~frame["state"].isin(done_labels()).to_numpy()
    frame["behind_since"] = due.where(waiting & (due <= pd.Timestamp(now)).to_numpy())
    frame["behind_since"] = pd.to_datetime(frame["behind_since"], utc=True, errors="coerce")
    return frame[DASHBOARD_COLUMNS]


_DONE = ("inlamnad", "rattad")


def done_labels() -> set[str]:
    """The states, as labelled in the table, of a module handed in."""
    return {state_label(s) for s in _DONE}
