"""The few queries every part of the group quiz shares: the run's engine, a session's row, its lock."""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from grading.circles.group_quiz.records import GroupQuizError, SessionInfo
from grading.circles.group_quiz.tables import CLOSED_PHASES, PARTICIPANTS, QUESTIONS, SESSIONS
from widgets.core.i18n import t
from widgets.core.setting_env import LIVE_DB_ENV, passed
from widgets.storage.live_db import live_engine

#: per run folder: (what named its live store when last looked, the engine)
_ENGINES: dict[str, tuple[tuple[Any, ...], Engine]] = {}


def _where_named(root: str) -> tuple[Any, ...]:
    """What says where the run's live store is: the ``live_db`` setting and ``cirkel-run.yml`` as the disk has it now.

    The setting is read from its environment variable as ``CirkelSettings.live_db`` reads it,
    without building the configurable: a meeting of 100 phones asks this 100 times a second.
    """
    try:
        found = os.stat(os.path.join(root, "cirkel-run.yml"))
        run_file: tuple[int, ...] | None = (found.st_mtime_ns, found.st_size, found.st_ino)
    except OSError:
        run_file = None
    return passed(LIVE_DB_ENV), run_file


def run_engine(run_dir: str | os.PathLike[str]) -> Engine:
    """The run's live engine, looked up again only when the ``live_db`` setting or ``cirkel-run.yml`` changes.

    ``live_engine`` reads and parses ``cirkel-run.yml`` at every call: more than half of
    what a phone's poll (``session_state``) cost, and a meeting of 100 phones polls 100 times
    a second on the same few cores. A stat of the file is enough to know nothing moved.
    """
    root = os.fspath(run_dir)
    named = _where_named(root)
    kept = _ENGINES.get(root)
    if kept is not None and kept[0] == named:
        engine = kept[1]
        if engine.dialect.name != "sqlite" or os.path.exists(engine.url.database or ""):
            return engine
    engine = live_engine(root)  # creates the tables (and a removed SQLite file) as before
    _ENGINES[root] = (named, engine)
    return engine


@contextlib.contextmanager
def writing(run_dir: str | os.PathLike[str]) -> Iterator[Connection]:
    """A write transaction on the run's live store; on SQLite the quiz's writers first queue at a file lock.

    SQLite lets one writer in at a time, and one that finds the store locked sleeps and tries
    again, up to 100 ms between tries (its busy handler): 100 phones tapping "Svara" at once
    took p95 2.5 s for the write alone (8 ms alone). Waiting at an ``flock`` instead, each
    writer is woken as soon as the one before it has committed.
    """
    engine = run_engine(run_dir)
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        with engine.begin() as db:
            yield db
        return
    path = os.path.join(os.path.dirname(database), f".{os.path.splitext(os.path.basename(database))[0]}.writers")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with engine.begin() as db:
            yield db
    finally:
        os.close(fd)  # closing drops the lock


def info_of(row: Any) -> SessionInfo:
    return SessionInfo(
        session_id=int(row.session_id),
        circle_id=row.circle_id,
        module=row.module,
        exercise_id=row.exercise_id,
        title=row.title,
        created_by=row.created_by,
        code=row.code,
        code_expires_at=row.code_expires_at,
        counts=bool(row.counts),
        phase=row.phase,
        question_index=int(row.question_index),
        version=int(row.version),
        created_at=row.created_at,
        ended_at=row.ended_at,
    )


def session_row(db: Connection, session_id: int) -> SessionInfo:
    try:
        number = int(session_id)
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id)) from None
    row = db.execute(sa.select(SESSIONS).where(SESSIONS.c.session_id == number)).first()
    if row is None:
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id))
    return info_of(row)


def lock_session(db: Connection, session_id: int, now: _dt.datetime) -> SessionInfo:
    """Bump the change counter first: the write lock is taken before anything is read."""
    try:
        number = int(session_id)
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id)) from None
    db.execute(
        SESSIONS.update().where(SESSIONS.c.session_id == number).values(version=SESSIONS.c.version + 1, updated_at=now)
    )
    return session_row(db, number)


def questions_of(db: Connection, session_id: int) -> list[Any]:
    return list(
        db.execute(sa.select(QUESTIONS).where(QUESTIONS.c.session_id == session_id).order_by(QUESTIONS.c.position))
    )


def question_at(db: Connection, session_id: int, position: int) -> Any:
    return db.execute(
        sa.select(QUESTIONS).where(QUESTIONS.c.session_id == session_id, QUESTIONS.c.position == position)
    ).first()


def count_spread(chosen_rows: Iterable[str], n_options: int) -> tuple[int, ...]:
    counts = [0] * n_options
    for raw in chosen_rows:
        for i in parse_chosen(raw):
            if 0 <= i < n_options:
                counts[i] += 1
    return tuple(counts)


def parse_chosen(raw: str) -> tuple[int, ...]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return ()
    return tuple(i for i in value if isinstance(i, int) and not isinstance(i, bool)) if isinstance(value, list) else ()


def is_participant(db: Connection, session_id: int, person: str) -> bool:
    """Whether ``person`` has joined session ``session_id``."""
    found = db.execute(
        sa.select(PARTICIPANTS.c.person).where(PARTICIPANTS.c.session_id == session_id, PARTICIPANTS.c.person == person)
    ).first()
    return found is not None


def joined_sessions(db: Connection, person: str | None) -> set[int]:
    if not person:
        return set()
    return {int(r[0]) for r in db.execute(sa.select(PARTICIPANTS.c.session_id).where(PARTICIPANTS.c.person == person))}


def closed_positions(info: SessionInfo) -> int:
    """How many questions, from the first, have final answers."""
    if info.phase == "waiting":
        return 0
    return info.question_index + (1 if info.phase in CLOSED_PHASES else 0)
