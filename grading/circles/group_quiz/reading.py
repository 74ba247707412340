"""What the screens read: a session's state, who is in it, the circle's past results."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from grading.circles.group_quiz.db import (
    closed_positions,
    count_spread,
    info_of,
    joined_sessions,
    parse_chosen,
    questions_of,
    run_engine,
    session_row,
)
from grading.circles.group_quiz.records import (
    GroupQuizError,
    Participant,
    QuestionResult,
    QuestionView,
    SessionInfo,
    SessionResult,
    Snapshot,
    utc_now,
)
from grading.circles.group_quiz.tables import ANSWERS, PARTICIPANTS, SESSIONS
from widgets.core.i18n import t

# -- reading ----------------------------------------------------------------------------------------


def session_info(run_dir: str | os.PathLike[str], session_id: int) -> SessionInfo:
    """One session's row; ``GroupQuizError`` if there is none."""
    with run_engine(run_dir).connect() as db:
        return session_row(db, session_id)


#: per SQLite file: (its inode, a connection of this process's own that only reads the sessions' state)
_POLLERS: dict[str, tuple[int, sqlite3.Connection]] = {}
_POLL_LOCK = threading.Lock()
_KEPT = 8
_STATE = "SELECT version, phase, question_index FROM groupquiz_sessions WHERE session_id = ?"


def _sqlite_state(database: str, session_id: int) -> tuple[int, str, int] | None:
    """The state's row read through :mod:`sqlite3` itself; ``None`` if there is none.

    A phone polls every second, so its CPU caches are cold each time: SQLAlchemy's checkout,
    compile lookup and row processing cost 0.84 ms of CPU per poll, the same query on a kept
    ``sqlite3`` connection 0.12 ms. 100 phones poll 100 times a second on the same cores as
    their taps.
    """
    inode = os.stat(database).st_ino  # a store removed and made again is a new file
    with _POLL_LOCK:
        kept = _POLLERS.get(database)
        if kept is None or kept[0] != inode:
            if kept is not None:
                kept[1].close()  # the file was made again
                del _POLLERS[database]
            while len(_POLLERS) >= _KEPT:  # a test process meets many stores: the newest few are kept
                oldest = next(iter(_POLLERS))
                _POLLERS.pop(oldest)[1].close()
            connection = sqlite3.connect(database, timeout=10, isolation_level=None, check_same_thread=False)
            kept = _POLLERS[database] = (inode, connection)
        row = kept[1].execute(_STATE, (int(session_id),)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def session_state(run_dir: str | os.PathLike[str], session_id: int) -> tuple[int, str, int]:
    """``(version, phase, question_index)``: the one cheap read a polling device makes."""
    engine = run_engine(run_dir)
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    found: tuple[int, str, int] | None = None
    try:
        number = int(session_id)
        if database and database != ":memory:":
            found = _sqlite_state(database, number)
    except (sqlite3.Error, OSError, TypeError, ValueError):
        database = None  # SQLAlchemy's own path says what is wrong, as it always has
    if not database or database == ":memory:":
        with engine.connect() as db:
            row = db.execute(
                sa.select(SESSIONS.c.version, SESSIONS.c.phase, SESSIONS.c.question_index).where(
                    SESSIONS.c.session_id == int(session_id)
                )
            ).first()
        found = None if row is None else (int(row.version), str(row.phase), int(row.question_index))
    if found is None:
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id))
    return found


def open_sessions(
    run_dir: str | os.PathLike[str],
    circle_ids: Iterable[str],
    *,
    person: str | None = None,
    now: _dt.datetime | None = None,
    db: Connection | None = None,
) -> list[SessionInfo]:
    """The sessions of these circles that have not ended, newest first.

    One whose code has expired is left out, unless ``person`` has joined it
    (a long meeting goes on for those already in).
    """
    ids = list(circle_ids)
    if not ids:
        return []
    moment = utc_now(now)
    query = (
        sa.select(SESSIONS)
        .where(SESSIONS.c.circle_id.in_(ids), SESSIONS.c.phase != "ended")
        .order_by(SESSIONS.c.session_id.desc())
    )
    if db is None:
        with run_engine(run_dir).connect() as conn:
            rows = list(conn.execute(query))
            joined = joined_sessions(conn, person)
    else:
        rows = list(db.execute(query))
        joined = joined_sessions(db, person)
    found = [info_of(row) for row in rows]
    return [s for s in found if s.code_expires_at > moment or s.session_id in joined]


def guest_sessions(run_dir: str | os.PathLike[str], guest: str) -> list[int]:
    """The sessions a guest was admitted to (normally one), newest first."""
    with run_engine(run_dir).connect() as db:
        return sorted(joined_sessions(db, guest), reverse=True)


def snapshot(run_dir: str | os.PathLike[str], session_id: int, person: str | None = None) -> Snapshot:
    """The session as a screen shows it now; ``mine`` is ``person``'s answer to the current question."""
    with run_engine(run_dir).connect() as db:
        info = session_row(db, session_id)
        questions = questions_of(db, info.session_id)
        current = (
            questions[info.question_index]
            if info.phase in ("answering", "spread", "explained") and info.question_index < len(questions)
            else None
        )
        people = list(
            db.execute(
                sa.select(PARTICIPANTS)
                .where(PARTICIPANTS.c.session_id == info.session_id)
                .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.display_name)
            )
        )
        answers: dict[str, str] = {}
        if current is not None:
            answers = {
                row.person: row.chosen
                for row in db.execute(
                    sa.select(ANSWERS.c.person, ANSWERS.c.chosen).where(
                        ANSWERS.c.session_id == info.session_id, ANSWERS.c.question_id == current.question_id
                    )
                )
            }
    view = spread = correct = explanation = mine = None
    if current is not None:
        options = tuple(json.loads(current.options))
        view = QuestionView(current.question_id, current.type, current.text, options)
        if info.phase in ("spread", "explained"):
            spread = count_spread(answers.values(), len(options))
        if info.phase == "explained":
            correct = tuple(json.loads(current.correct))
            explanation = current.explanation
        if person is not None and person in answers:
            mine = parse_chosen(answers[person])
    participants = tuple(Participant(p.person, p.display_name, bool(p.is_guest), p.person in answers) for p in people)
    return Snapshot(
        session=info,
        total=len(questions),
        question=view,
        participants=participants,
        spread=spread,
        correct=correct,
        explanation=explanation,
        mine=mine,
    )


def circle_results(run_dir: str | os.PathLike[str], circle_id: str) -> list[SessionResult]:
    """The circle's sessions, newest first, with each closed question's spread: the results stay with the circle.

    Only counts per option are kept here, never who chose what.
    """
    results: list[SessionResult] = []
    with run_engine(run_dir).connect() as db:
        rows = list(
            db.execute(
                sa.select(SESSIONS).where(SESSIONS.c.circle_id == circle_id).order_by(SESSIONS.c.session_id.desc())
            )
        )
        for row in rows:
            info = info_of(row)
            people = db.execute(
                sa.select(sa.func.count()).select_from(PARTICIPANTS).where(PARTICIPANTS.c.session_id == info.session_id)
            ).scalar_one()
            closed: list[QuestionResult] = []
            for q in questions_of(db, info.session_id)[: closed_positions(info)]:
                chosen = [
                    r[0]
                    for r in db.execute(
                        sa.select(ANSWERS.c.chosen).where(
                            ANSWERS.c.session_id == info.session_id, ANSWERS.c.question_id == q.question_id
                        )
                    )
                ]
                options = tuple(json.loads(q.options))
                closed.append(
                    QuestionResult(
                        q.position,
                        q.question_id,
                        q.text,
                        options,
                        tuple(json.loads(q.correct)),
                        count_spread(chosen, len(options)),
                        answered=len(chosen),
                    )
                )
            results.append(SessionResult(info, int(people), tuple(closed)))
    return results
