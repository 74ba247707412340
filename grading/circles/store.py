"""A course run's study circles: members, cirkelledare, meetings (träffar) and attendance.

The circles live in SQLite, ``<run>/cirklar.sqlite`` (WAL mode, foreign keys
on), beside the gradebook they draw their people from, or in the run's
PostgreSQL database (:mod:`widgets.storage.database`; the tables are
:mod:`grading.circles.tables`). Every write is one transaction, checked before it is written, so a bad input leaves nothing half
saved: the caller gets a :class:`CircleError` with a plain Swedish message.

Only pseudonymous learner ids are stored here; display names come from the
gradebook when something is shown, and no personal identity number is ever
written (see :mod:`grading.reports.attendance_form`, the export).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from grading.circles.input import CIRCLE_ID, MAX_NAME, CircleError, as_date, as_minutes, as_time, unique_ids
from grading.circles.records import Circle, Meeting
from grading.circles.tables import (
    ATTENDANCE,
    CIRCLES,
    DB_NAME,
    GROUP_ANSWERS,
    GROUP_CREDITS,
    MEETINGS,
    MEMBERS,
    circles_engine,
)
from grading.course_runs.run import CourseRun
from widgets.core.i18n import t
from widgets.storage import database as storage

__all__ = [
    "DB_NAME",
    "CircleError",
    "Circle",
    "Meeting",
    "CircleStore",
]


class CircleStore:
    """The study circles of one course run, in ``<run>/cirklar.sqlite`` or the run's database server.

    Parameters
    ----------
    run
        The course run, or its folder.
    """

    def __init__(self, run: CourseRun | str | os.PathLike[str]):
        self.run = run if isinstance(run, CourseRun) else CourseRun(run)
        #: the SQLite file when the run has no database server
        self.path = self.run.root / DB_NAME
        self.engine = circles_engine(self.run.root)

    def __repr__(self) -> str:
        return f"CircleStore({str(self.run.root)!r})"

    # -- the database ----------------------------------------------------------------
    def _connect(self) -> contextlib.AbstractContextManager[Connection]:
        return self.engine.connect()

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction: all of it is saved, or none of it."""
        return storage.writing(self.engine)

    # -- the people ---------------------------------------------------------------------
    def learners(self) -> dict[str, str]:
        """The run's learners from its gradebook: id -> display name (first name as in the roster)."""
        with self.run.gradebook() as gb:
            return {s.id: (s.first_name or s.id) for s in gb.students}

    def display_names(self, student_ids: Iterable[str]) -> dict[str, str]:
        """Display names of ``student_ids`` (the id itself for anyone not in the gradebook)."""
        known = self.learners()
        return {sid: known.get(sid, sid) for sid in student_ids}

    def _check_learners(self, student_ids: Iterable[str]) -> None:
        known = self.learners()
        unknown = [sid for sid in student_ids if sid not in known]
        if unknown:
            raise CircleError(t("circles.unknown_learners", ids=", ".join(unknown), count=len(unknown)))

    # -- reading ----------------------------------------------------------------------
    def circles(self) -> list[Circle]:
        """Every circle of the run, by id."""
        with self._connect() as db:
            ids = db.scalars(sa.select(CIRCLES.c.circle_id).order_by(CIRCLES.c.circle_id)).all()
            return [self._circle(db, circle_id) for circle_id in ids]

    def circle(self, circle_id: str) -> Circle:
        """The circle ``circle_id``; ``CircleError`` if the run has none by that id."""
        with self._connect() as db:
            return self._circle(db, circle_id)

    def _circle(self, db: Connection, circle_id: str, *, lock: bool = False) -> Circle:
        """The circle; ``lock`` holds its row until the write ends (PostgreSQL: writers to one circle queue)."""
        query = sa.select(CIRCLES.c.name, CIRCLES.c.leader_id).where(CIRCLES.c.circle_id == circle_id)
        row = db.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise CircleError(t("circles.unknown_circle", id=circle_id))
        leader = row[1] or ""
        members = db.scalars(
            sa.select(MEMBERS.c.student_id).where(MEMBERS.c.circle_id == circle_id).order_by(MEMBERS.c.student_id)
        ).all()
        ordered = ([leader] if leader in members else []) + [m for m in members if m != leader]
        return Circle(circle_id, row[0], leader, tuple(ordered))

    def circle_of(self, student_id: str) -> list[str]:
        """The ids of the circles ``student_id`` is a member (or the leader) of."""
        query = sa.union(
            sa.select(MEMBERS.c.circle_id).where(MEMBERS.c.student_id == student_id),
            sa.select(CIRCLES.c.circle_id).where(CIRCLES.c.leader_id == student_id),
        )
        with self._connect() as db:
            return sorted(db.scalars(query).all())

    def meetings(self, circle_id: str) -> list[Meeting]:
        """The circle's meetings in time order."""
        with self._connect() as db:
            self._circle(db, circle_id)
            rows = db.execute(
                _MEETING_COLUMNS.where(MEETINGS.c.circle_id == circle_id).order_by(
                    MEETINGS.c.date, MEETINGS.c.start, MEETINGS.c.meeting_id
                )
            ).all()
        return [_meeting(row) for row in rows]

    def meeting(self, meeting_id: int | str) -> Meeting:
        """One meeting by its number; ``CircleError`` if there is none."""
        with self._connect() as db:
            return self._meeting(db, meeting_id)

    def _meeting(self, db: Connection, meeting_id: int | str) -> Meeting:
        try:
            number = int(meeting_id)
        except (TypeError, ValueError):
            raise CircleError(t("circles.unknown_meeting", id=meeting_id)) from None
        if not -(2**31) <= number < 2**31:  # beyond any meeting number (and PostgreSQL's integer)
            raise CircleError(t("circles.unknown_meeting", id=meeting_id))
        row = db.execute(_MEETING_COLUMNS.where(MEETINGS.c.meeting_id == number)).first()
        if row is None:
            raise CircleError(t("circles.unknown_meeting", id=meeting_id))
        return _meeting(row)

    def attendance(self, circle_id: str) -> dict[int, set[str]]:
        """Meeting id -> the ids present, for every meeting of the circle (empty set: nobody yet)."""
        with self._connect() as db:
            self._circle(db, circle_id)
            result: dict[int, set[str]] = {
                mid: set()
                for mid in db.scalars(sa.select(MEETINGS.c.meeting_id).where(MEETINGS.c.circle_id == circle_id))
            }
            for meeting_id, student_id in db.execute(
                sa.select(ATTENDANCE.c.meeting_id, ATTENDANCE.c.student_id).where(ATTENDANCE.c.circle_id == circle_id)
            ):
                result[meeting_id].add(student_id)
        return result

    # -- writing -------------------------------------------------------------------------
    def create_circle(self, circle_id: str, name: str, leader_id: str, members: Iterable[str] = ()) -> Circle:
        """Create a circle; the leader is a member too.

        Every person must be a learner of the run (in its gradebook). The
        number of people (3–20 with the leader) is a validity rule shown with
        the circle's status, not a reason to refuse it.
        """
        circle_id = str(circle_id or "").strip()
        name = " ".join(str(name or "").split())
        leader_id = str(leader_id or "").strip()
        if not CIRCLE_ID.match(circle_id):
            raise CircleError(t("circles.bad_id", id=circle_id))
        if not name:
            raise CircleError(t("circles.empty_name"))
        if len(name) > MAX_NAME:
            raise CircleError(t("circles.long_name", max=MAX_NAME))
        if not leader_id:
            raise CircleError(t("circles.no_leader"))
        people = unique_ids([leader_id, *members])
        self._check_learners(people)
        try:
            with self._write() as db:
                if db.execute(sa.select(CIRCLES.c.circle_id).where(CIRCLES.c.circle_id == circle_id)).first():
                    raise CircleError(t("circles.exists", id=circle_id))
                db.execute(CIRCLES.insert().values(circle_id=circle_id, name=name, leader_id=leader_id))
                db.execute(MEMBERS.insert(), [{"circle_id": circle_id, "student_id": sid} for sid in people])
                return self._circle(db, circle_id)
        except sa.exc.IntegrityError:  # the same id, created meanwhile from another device
            raise CircleError(t("circles.exists", id=circle_id)) from None

    def add_member(self, circle_id: str, student_id: str) -> Circle:
        """Add a learner of the run to the circle (already a member: nothing changes)."""
        student_id = str(student_id or "").strip()
        self._check_learners([student_id])
        with self._write() as db:
            self._circle(db, circle_id, lock=True)
            storage.insert_ignore(db, MEMBERS, [{"circle_id": circle_id, "student_id": student_id}])
            return self._circle(db, circle_id)

    def remove_member(self, circle_id: str, student_id: str) -> Circle:
        """Take a member out of the circle, with their attendance; the leader cannot be removed."""
        with self._write() as db:
            circle = self._circle(db, circle_id, lock=True)
            if student_id not in circle.members:
                raise CircleError(t("circles.not_members", ids=student_id, circle=circle_id, count=1))
            if student_id == circle.leader_id:
                raise CircleError(t("circles.leader_stays", id=student_id))
            db.execute(MEMBERS.delete().where(MEMBERS.c.circle_id == circle_id, MEMBERS.c.student_id == student_id))
            return self._circle(db, circle_id)

    def add_meeting(
        self,
        circle_id: str,
        date: dt.date | str,
        start: dt.time | str,
        end: dt.time | str,
        break_minutes: int | str = 0,
    ) -> Meeting:
        """Add a meeting; refused when it ends before it starts, is all break, or overlaps another."""
        day = as_date(date)
        begins = as_time(start, "start")
        ends = as_time(end, "end")
        pause = as_minutes(break_minutes)
        if ends <= begins:
            raise CircleError(t("circles.end_before_start", start=f"{begins:%H:%M}", end=f"{ends:%H:%M}"))
        length = (ends.hour * 60 + ends.minute) - (begins.hour * 60 + begins.minute)
        if pause >= length:
            raise CircleError(t("circles.break_too_long", count=pause, length=length))
        with self._write() as db:
            self._circle(db, circle_id, lock=True)  # two devices adding meetings: the second sees the first
            clash = db.execute(
                _MEETING_COLUMNS.where(
                    MEETINGS.c.circle_id == circle_id,
                    MEETINGS.c.date == day.isoformat(),
                    MEETINGS.c.start < f"{ends:%H:%M}",
                    MEETINGS.c.end > f"{begins:%H:%M}",
                ).order_by(MEETINGS.c.start)
            ).first()
            if clash is not None:
                raise CircleError(t("circles.overlap", other=_meeting(clash).label))
            added = db.execute(
                MEETINGS.insert().values(
                    circle_id=circle_id,
                    date=day.isoformat(),
                    start=f"{begins:%H:%M}",
                    end=f"{ends:%H:%M}",
                    break_minutes=pause,
                )
            )
            key = added.inserted_primary_key
            assert key is not None  # an INSERT of one row always has its key
            return self._meeting(db, key[0])

    def remove_meeting(self, meeting_id: int) -> None:
        """Remove a meeting entered by mistake, with its attendance."""
        with self._write() as db:
            meeting = self._meeting(db, meeting_id)
            db.execute(MEETINGS.delete().where(MEETINGS.c.meeting_id == meeting.meeting_id))

    def set_attendance(self, meeting_id: int, present: Iterable[str]) -> set[str]:
        """Replace who was present at the meeting; refused, naming them, for anyone not in the circle."""
        people = unique_ids(present)
        with self._write() as db:
            meeting = self._meeting(db, meeting_id)
            circle = self._circle(db, meeting.circle_id, lock=True)
            strangers = sorted(sid for sid in people if sid not in circle.members)
            if strangers:
                raise CircleError(
                    t("circles.not_members", ids=", ".join(strangers), circle=circle.circle_id, count=len(strangers))
                )
            db.execute(ATTENDANCE.delete().where(ATTENDANCE.c.meeting_id == meeting.meeting_id))
            if people:
                db.execute(
                    ATTENDANCE.insert(),
                    [
                        {"meeting_id": meeting.meeting_id, "circle_id": circle.circle_id, "student_id": sid}
                        for sid in people
                    ],
                )
        return set(people)

    # -- one person's data (GDPR) ------------------------------------------------------------
    def person_data(self, student_id: str) -> dict[str, Any]:
        """Everything the circles hold about one person, as plain JSON-ready values."""
        c, m, a, mt = CIRCLES, MEMBERS, ATTENDANCE, MEETINGS
        with self._connect() as db:
            memberships = [
                {"circle_id": cid, "circle_name": name, "leader": leader == student_id}
                for cid, name, leader in db.execute(
                    sa.select(c.c.circle_id, c.c.name, c.c.leader_id)
                    .join(m, m.c.circle_id == c.c.circle_id)
                    .where(m.c.student_id == student_id)
                    .order_by(c.c.circle_id)
                )
            ]
            leading = list(
                db.scalars(sa.select(c.c.circle_id).where(c.c.leader_id == student_id).order_by(c.c.circle_id))
            )
            attendance = [
                {"circle_id": cid, "meeting_id": mid, "date": date, "start": start, "end": end}
                for cid, mid, date, start, end in db.execute(
                    sa.select(a.c.circle_id, a.c.meeting_id, mt.c.date, mt.c.start, mt.c.end)
                    .join(mt, mt.c.meeting_id == a.c.meeting_id)
                    .where(a.c.student_id == student_id)
                    .order_by(mt.c.date, mt.c.start)
                )
            ]
            group_work = [
                {
                    "module": module,
                    "exercise_id": exercise,
                    "meeting_id": mid,
                    "own_points": own,
                    "credited_points": got,
                }
                for module, exercise, mid, own, got in _group_credit_rows(db, student_id)
            ]
        return {
            "student_id": student_id,
            "memberships": memberships,
            "leading": leading,
            "attendance": attendance,
            "group_work": group_work,
        }

    def erase_person(self, student_id: str) -> int:
        """Remove every row about one person; the circles stay. Returns the number of rows removed or cleared.

        A circle the person led keeps going without a leader (its status says so).
        """
        with self._write() as db:
            removed = db.execute(ATTENDANCE.delete().where(ATTENDANCE.c.student_id == student_id)).rowcount
            removed += db.execute(MEMBERS.delete().where(MEMBERS.c.student_id == student_id)).rowcount
            removed += db.execute(
                CIRCLES.update().where(CIRCLES.c.leader_id == student_id).values(leader_id=None)
            ).rowcount
        if removed:
            storage.compact(self.engine)  # no copy of the erased rows left in the file or its log
        return removed


_MEETING_COLUMNS = sa.select(
    MEETINGS.c.meeting_id,
    MEETINGS.c.circle_id,
    MEETINGS.c.date,
    MEETINGS.c.start,
    MEETINGS.c.end,
    MEETINGS.c.break_minutes,
)


def _group_credit_rows(db: Connection, student_id: str) -> list[Any]:
    """Group work credited to the person (``grading.circles.group_work``'s tables)."""
    g, c = GROUP_ANSWERS, GROUP_CREDITS
    return list(
        db.execute(
            sa.select(g.c.module, g.c.exercise_id, g.c.meeting_id, c.c.own_points, c.c.credited_points)
            .join(g, g.c.answer_id == c.c.answer_id)
            .where(c.c.student_id == student_id)
            .order_by(g.c.module, g.c.exercise_id)
        )
    )


def _meeting(row: Any) -> Meeting:
    meeting_id, circle_id, date, start, end, pause = row
    return Meeting(
        int(meeting_id),
        circle_id,
        dt.date.fromisoformat(date),
        dt.time.fromisoformat(start),
        dt.time.fromisoformat(end),
        int(pause),
    )
