"""A study circle's study plan: its meetings (dates) and the modules each takes up, with planned time.

The study association asks each circle for a plan (studieplan / arbetsplan)
made at its first meeting. Here the cirkelledare sets it with ``cirkel circle
plan``: one planned meeting per date, the run's modules it takes up, and a
short note (a place, say). The planned time of a meeting is the sum of its
modules' ``minutes`` in ``module.yml``, in whole 45-minute study hours as the
rules count them; a meeting planned over 4 study hours, or a plan under 3
meetings or 9 hours, is flagged with the rules' own sentences.

The plan lives beside the circles, in ``<run>/cirklar.sqlite`` (table
``study_plan``), through SQLAlchemy Core so that it moves to PostgreSQL with
the circles. It holds no personal data. The note is leader text: it is
escaped when printed and neutralised in every spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Column, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from grading.circles import study_rules as rules
from grading.circles.input import as_date
from grading.circles.store import CircleError, CircleStore
from grading.circles.tables import circles_engine
from grading.course_runs.run import CourseRun, RunError
from grading.system.atomic_write import write_atomically
from widgets.core.i18n import t, yaml_data
from widgets.core.spreadsheet import csv_text, xlsx_bytes

__all__ = [
    "MAX_NOTE",
    "PlannedModule",
    "PlannedMeeting",
    "StudyPlan",
    "set_planned_meeting",
    "remove_planned_meeting",
    "study_plan",
    "run_modules",
    "plan_rows",
    "plan_csv",
    "plan_xlsx",
]

#: the longest note on a planned meeting, in characters
MAX_NOTE = 200

_METADATA = MetaData()
_PLAN = Table(
    "study_plan",
    _METADATA,
    Column("circle_id", String, primary_key=True),
    Column("date", String, primary_key=True),  # ISO date: one planned meeting a day
    Column("modules", String, nullable=False),  # module folder names, comma-separated, in the order given
    Column("note", String, nullable=False, default=""),
)


@dataclass(frozen=True)
class PlannedModule:
    """A module as planned: its folder name, its title and its minutes from ``module.yml``."""

    name: str
    title: str
    minutes: int


@dataclass(frozen=True)
class PlannedMeeting:
    """One planned meeting: its number in date order, date, modules, planned time and what the rules say."""

    number: int
    date: dt.date
    modules: tuple[PlannedModule, ...]
    note: str
    reasons: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)

    @property
    def hours(self) -> int:
        """Whole study hours, as the rules count them."""
        return rules.study_hours(self.minutes)


@dataclass(frozen=True)
class StudyPlan:
    """A circle's whole plan: the circle, its course, its leader's display name, the meetings in date order."""

    circle_id: str
    circle_name: str
    course_title: str
    leader_name: str
    meetings: tuple[PlannedMeeting, ...]
    reasons: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.meetings)

    @property
    def hours(self) -> int:
        return sum(m.hours for m in self.meetings)


def _engine(run: CourseRun) -> Engine:
    """The circles' database, with the plan's table (the circles' own tables first)."""
    CircleStore(run)
    engine = circles_engine(run.root)  # the run's SQLite file or its PostgreSQL, as the circles
    _METADATA.create_all(engine)
    return engine


def _modules(run: CourseRun, modules: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(str(m).strip() for m in modules if str(m).strip()))
    if not names:
        raise CircleError(t("circles.plan.no_modules", known=", ".join(run.modules)))
    for name in names:
        try:
            run.check_module(name)
        except RunError as exc:
            raise CircleError(str(exc)) from None
    return names


def _as_run(run: CourseRun | str | os.PathLike[str]) -> CourseRun:
    return run if isinstance(run, CourseRun) else CourseRun(run)


def set_planned_meeting(
    run: CourseRun | str | os.PathLike[str], circle_id: str, date: dt.date | str, modules: Iterable[str], note: str = ""
) -> dt.date:
    """Plan a meeting of the circle on ``date`` taking up ``modules``; a date planned again is replaced.

    ``CircleError`` in plain Swedish for an unknown circle, a date that cannot
    be read, no module or one the run does not have, or a note too long.
    """
    run = _as_run(run)
    CircleStore(run).circle(circle_id)
    day = as_date(date)
    names = _modules(run, modules)
    text = " ".join(str(note or "").split())
    if len(text) > MAX_NOTE:
        raise CircleError(t("circles.plan.long_note", max=MAX_NOTE))
    engine = _engine(run)
    with engine.begin() as db:
        db.execute(delete(_PLAN).where(_PLAN.c.circle_id == circle_id, _PLAN.c.date == day.isoformat()))
        db.execute(insert(_PLAN).values(circle_id=circle_id, date=day.isoformat(), modules=",".join(names), note=text))
    engine.dispose()
    return day


def remove_planned_meeting(run: CourseRun | str | os.PathLike[str], circle_id: str, date: dt.date | str) -> None:
    """Take the meeting planned on ``date`` out of the plan; ``CircleError`` if none is planned then."""
    run = _as_run(run)
    CircleStore(run).circle(circle_id)
    day = as_date(date)
    engine = _engine(run)
    with engine.begin() as db:
        gone = db.execute(delete(_PLAN).where(_PLAN.c.circle_id == circle_id, _PLAN.c.date == day.isoformat()))
    engine.dispose()
    if not gone.rowcount:
        raise CircleError(t("circles.plan.not_planned", date=day.isoformat()))


def _module_info(run: CourseRun, name: str) -> PlannedModule:
    """Title and minutes (the parts of ``minutes`` added up) from the run's ``module.yml``."""
    try:
        data = yaml_data((run.source_dir / name / "module.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = {}
    parts = data.get("minutes") if isinstance(data, dict) else None
    minutes = sum(int(v) for v in parts.values() if isinstance(v, int)) if isinstance(parts, dict) else 0
    title = str(data.get("title") or name) if isinstance(data, dict) else name
    return PlannedModule(name, title, minutes)


def run_modules(run: CourseRun | str | os.PathLike[str]) -> list[PlannedModule]:
    """The run's modules in teaching order, each with its title and minutes: what a meeting can take up."""
    run = _as_run(run)
    return [_module_info(run, name) for name in run.modules]


def study_plan(run: CourseRun | str | os.PathLike[str], circle_id: str) -> StudyPlan:
    """The circle's plan with each module's title and minutes and the rules' remarks."""
    run = _as_run(run)
    store = CircleStore(run)
    circle = store.circle(circle_id)
    engine = _engine(run)
    with engine.connect() as db:
        rows = db.execute(
            select(_PLAN.c.date, _PLAN.c.modules, _PLAN.c.note)
            .where(_PLAN.c.circle_id == circle_id)
            .order_by(_PLAN.c.date)
        ).all()
    engine.dispose()
    info: dict[str, PlannedModule] = {}
    meetings = []
    for number, (day, modules, note) in enumerate(rows, start=1):
        planned = tuple(info.setdefault(m, _module_info(run, m)) for m in modules.split(",") if m)
        hours = rules.study_hours(sum(m.minutes for m in planned))
        reasons: tuple[str, ...] = ()
        if hours > rules.MAX_HOURS_PER_MEETING:
            reasons = (t("circles.rule.over_four", hours=hours, max=rules.MAX_HOURS_PER_MEETING),)
        meetings.append(PlannedMeeting(number, dt.date.fromisoformat(day), planned, note or "", reasons))
    hours = sum(m.hours for m in meetings)
    reasons_all = []
    if len(meetings) < rules.MIN_MEETINGS:
        reasons_all.append(t("circles.plan.few_meetings", count=len(meetings), min=rules.MIN_MEETINGS))
    if hours < rules.MIN_HOURS:
        reasons_all.append(t("circles.plan.few_hours", hours=hours, min=rules.MIN_HOURS))
    leader = store.display_names([circle.leader_id]).get(circle.leader_id, "") if circle.leader_id else ""
    return StudyPlan(circle.circle_id, circle.name, run.title, leader, tuple(meetings), tuple(reasons_all))


# -- the plan as a spreadsheet -----------------------------------------------------------------------
def _write_atomically(path: str | os.PathLike[str], payload: bytes) -> Path:
    """Write ``payload`` to ``path`` whole or not at all: a reader never sees half a file."""
    return write_atomically(
        path, payload, lambda where, reason: CircleError(t("export.write_failed", path=str(where), reason=reason))
    )


_COLUMNS = ("number", "date", "modules", "minutes", "hours", "note", "remark")


def plan_rows(plan: StudyPlan) -> tuple[list[str], list[list[object]]]:
    """The plan as a table: Swedish headings, then one row per meeting and a total row."""
    headings = [t(f"circles.plan.col.{c}") for c in _COLUMNS]
    rows: list[list[object]] = [
        [
            m.number,
            m.date.isoformat(),
            "; ".join(t("circles.plan.module_item", title=x.title, minutes=x.minutes) for x in m.modules),
            m.minutes,
            m.hours,
            m.note,
            " ".join(m.reasons),
        ]
        for m in plan.meetings
    ]
    rows.append([t("circles.plan.total"), "", "", plan.minutes, plan.hours, "", " ".join(plan.reasons)])
    return headings, rows


def plan_csv(run: CourseRun | str | os.PathLike[str], circle_id: str, path: str | os.PathLike[str]) -> Path:
    """The plan as CSV for Swedish Excel (UTF-8 with BOM, ``;``): the circle, its course and leader, then the table."""
    plan = study_plan(run, circle_id)
    headings, rows = plan_rows(plan)
    head = [
        [t("circles.plan.title"), plan.circle_name],
        [t("circles.plan.course"), plan.course_title],
        [t("circles.plan.leader"), plan.leader_name],
        [],
    ]
    text = csv_text([*head, headings, *rows])
    return _write_atomically(path, text.encode("utf-8-sig"))


def plan_xlsx(run: CourseRun | str | os.PathLike[str], circle_id: str, path: str | os.PathLike[str]) -> Path:
    """The plan as one Excel sheet (numbers as number cells, text neutralised), titled with the circle."""
    import pandas as pd

    plan = study_plan(run, circle_id)
    headings, rows = plan_rows(plan)
    frame = pd.DataFrame(rows, columns=headings)
    payload = xlsx_bytes(
        frame,
        title=t("circles.plan.title"),
        number_columns=(t("circles.plan.col.minutes"), t("circles.plan.col.hours")),
    )
    return _write_atomically(path, payload)
