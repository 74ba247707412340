"""The circles' tables (circles, members, meetings, attendance, group work) as SQLAlchemy Core tables.

Kept apart from the stores that use them (:mod:`grading.circles.store`,
:mod:`grading.circles.group_work`) so both read one definition. The layout is the one
``cirklar.sqlite`` has had since circles began (same names, columns, keys and
cascades), so an existing run's file is used as it is; on PostgreSQL the same
tables are made in the run's database.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from widgets.storage import database as storage

__all__ = [
    "DB_NAME",
    "METADATA",
    "CIRCLES",
    "MEMBERS",
    "MEETINGS",
    "ATTENDANCE",
    "GROUP_ANSWERS",
    "GROUP_CREDITS",
    "circles_url",
    "circles_engine",
    "has_circles",
]

DB_NAME = "cirklar.sqlite"
METADATA = sa.MetaData()

CIRCLES = sa.Table(
    "circles",
    METADATA,
    sa.Column("circle_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("leader_id", sa.Text),  # NULL once the leader has been erased; the circle stays
)

MEMBERS = sa.Table(
    "members",
    METADATA,
    sa.Column("circle_id", sa.Text, sa.ForeignKey("circles.circle_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("student_id", sa.Text, primary_key=True),
)

MEETINGS = sa.Table(
    "meetings",
    METADATA,
    sa.Column("meeting_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("circle_id", sa.Text, sa.ForeignKey("circles.circle_id", ondelete="CASCADE"), nullable=False),
    sa.Column("date", sa.Text, nullable=False),  # ISO dates and HH:MM times compare as text
    sa.Column("start", sa.Text, nullable=False),
    sa.Column("end", sa.Text, nullable=False),
    sa.Column("break_minutes", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint("break_minutes >= 0"),
    sa.CheckConstraint('"end" > start'),
    sa.UniqueConstraint("meeting_id", "circle_id"),
    sqlite_autoincrement=True,  # a removed meeting's number is never given again
)

ATTENDANCE = sa.Table(
    "attendance",
    METADATA,
    sa.Column("meeting_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("circle_id", sa.Text, nullable=False),
    sa.Column("student_id", sa.Text, primary_key=True),
    sa.ForeignKeyConstraint(
        ["meeting_id", "circle_id"], ["meetings.meeting_id", "meetings.circle_id"], ondelete="CASCADE"
    ),
    sa.ForeignKeyConstraint(
        ["circle_id", "student_id"], ["members.circle_id", "members.student_id"], ondelete="CASCADE"
    ),
)

GROUP_ANSWERS = sa.Table(
    "group_answers",
    METADATA,
    sa.Column("answer_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("module", sa.Text, nullable=False),
    sa.Column("exercise_id", sa.Text, nullable=False),
    sa.Column("meeting_id", sa.Integer, nullable=False),
    sa.Column("circle_id", sa.Text, nullable=False),
    sa.Column("answer_json", sa.Text, nullable=False),
    sa.Column("points", sa.Float, nullable=False),  # the group's score, graded once when recorded
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("recorded_at", sa.Text, nullable=False),
    sa.UniqueConstraint("module", "exercise_id", "meeting_id"),
    sa.ForeignKeyConstraint(
        ["meeting_id", "circle_id"], ["meetings.meeting_id", "meetings.circle_id"], ondelete="CASCADE"
    ),
    sqlite_autoincrement=True,
)

GROUP_CREDITS = sa.Table(
    "group_credits",
    METADATA,
    sa.Column(
        "answer_id",
        sa.Integer,
        sa.ForeignKey("group_answers.answer_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("circle_id", sa.Text, nullable=False),
    sa.Column("student_id", sa.Text, primary_key=True),
    sa.Column("own_points", sa.Float),  # the member's own automatic score before the credit
    sa.Column("credited_points", sa.Float, nullable=False),  # what the gradebook's cell was given
    sa.ForeignKeyConstraint(
        ["circle_id", "student_id"], ["members.circle_id", "members.student_id"], ondelete="CASCADE"
    ),
)


def circles_url(run_dir: str | os.PathLike[str]) -> str:
    """Where the run's circles live: its database server, else ``<run>/cirklar.sqlite``."""
    return storage.run_url(run_dir, DB_NAME)


def circles_engine(run_dir: str | os.PathLike[str]) -> Engine:
    """The run's circles engine, the tables made if missing."""
    return storage.ready(circles_url(run_dir), METADATA, wait=30, pooled=False)


def has_circles(run_dir: str | os.PathLike[str]) -> bool:
    """Whether the run may have circles (a run without any gets no database from reading)."""
    return storage.has_store(run_dir, DB_NAME)
