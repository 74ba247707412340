"""What changes a session: a participant's answer and the leader's steps through the questions."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from grading.circles.group_quiz.credit import credit_answers
from grading.circles.group_quiz.db import (
    is_participant,
    lock_session,
    question_at,
    questions_of,
    run_engine,
    session_row,
    writing,
)
from grading.circles.group_quiz.records import GroupQuizError, SessionInfo, utc_now
from grading.circles.group_quiz.tables import ANSWERS, SESSIONS
from widgets.core.i18n import t

# -- answering ---------------------------------------------------------------------------------


#: a tap's write when nothing has moved since its check: one counter bump that re-checks the phase and
#: question, then the answer; as SQL text, which SQLAlchemy compiles in a tenth of the time of its
#: expressions (a phone's first tap compiles its statements, and those waiting for the lock wait for that)
_BUMP_IF_OPEN = sa.text(
    "UPDATE groupquiz_sessions SET version = version + 1, updated_at = :now"
    " WHERE session_id = :session AND phase = 'answering' AND question_index = :position"
).bindparams(sa.bindparam("now", type_=sa.DateTime))
_JOINED = sa.text("SELECT 1 FROM groupquiz_participants WHERE session_id = :session AND person = :person")
_CHANGE = sa.text(
    "UPDATE groupquiz_answers SET chosen = :chosen, answered_at = :now"
    " WHERE session_id = :session AND question_id = :question AND person = :person"
).bindparams(sa.bindparam("now", type_=sa.DateTime))
_ADD = sa.text(
    "INSERT INTO groupquiz_answers (session_id, question_id, person, chosen, answered_at)"
    " VALUES (:session, :question, :person, :chosen, :now)"
).bindparams(sa.bindparam("now", type_=sa.DateTime))


def _refusal(current: Any, question_id: str, picked: tuple[int, ...]) -> str | None:
    """Why ``picked`` cannot answer ``current`` (the open question), or None."""
    if current is None or current.question_id != question_id:
        return t("groupquiz.error.not_current")
    n_options = len(json.loads(current.options))
    if not picked or any(i < 0 or i >= n_options for i in picked):
        return t("groupquiz.error.choose")
    if current.type == "single" and len(picked) != 1:
        return t("groupquiz.error.choose_one")
    return None


def _answer_at_once(
    run_dir: str | os.PathLike[str],
    session_id: int,
    person: str,
    question_id: str,
    picked: tuple[int, ...],
    moment: Any,
) -> bool:
    """Save the answer with the fewest statements under the write lock; False if the session moved meanwhile.

    The checks read the store before the lock (a reader never waits in WAL mode); under the
    lock the bump re-checks that the same question is still open, so a room tapping at once
    queues for three short statements each rather than six, compiled once.
    """
    with run_engine(run_dir).connect() as db:
        info = session_row(db, session_id)
        if info.phase != "answering":
            return False
        current = question_at(db, info.session_id, info.question_index)
    if _refusal(current, question_id, picked) is not None:
        return False  # said by the full path, in its order
    where = {"session": info.session_id, "now": moment}
    with writing(run_dir) as db:
        if db.execute(_BUMP_IF_OPEN, {**where, "position": info.question_index}).rowcount != 1:
            return False
        if db.execute(_JOINED, {**where, "person": person}).first() is None:
            raise GroupQuizError(t("groupquiz.error.not_participant"))
        values = {**where, "question": question_id, "person": person, "chosen": json.dumps(list(picked))}
        if db.execute(_CHANGE, values).rowcount == 0:
            db.execute(_ADD, values)
    return True


def answer(
    run_dir: str | os.PathLike[str],
    session_id: int,
    person: str,
    question_id: str,
    chosen: Iterable[int],
    now: _dt.datetime | None = None,
) -> tuple[int, ...]:
    """Save (or change) ``person``'s answer to the current question and return it.

    Refused while the question is not open for answers (before it is shown, or
    once the leader has shown the spread), for a question that is no longer
    current, and for a selection the question does not allow.
    """
    moment = utc_now(now)
    try:
        picked = tuple(sorted({int(i) for i in chosen}))
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.choose")) from None
    if _answer_at_once(run_dir, session_id, person, question_id, picked, moment):
        return picked
    with writing(run_dir) as db:
        info = lock_session(db, session_id, moment)
        if not is_participant(db, info.session_id, person):
            raise GroupQuizError(t("groupquiz.error.not_participant"))
        if info.phase != "answering":
            raise GroupQuizError(t("groupquiz.error.closed"))
        current = question_at(db, info.session_id, info.question_index)
        if current is None or current.question_id != question_id:
            raise GroupQuizError(t("groupquiz.error.not_current"))
        n_options = len(json.loads(current.options))
        if not picked or any(i < 0 or i >= n_options for i in picked):
            raise GroupQuizError(t("groupquiz.error.choose"))
        if current.type == "single" and len(picked) != 1:
            raise GroupQuizError(t("groupquiz.error.choose_one"))
        key = (
            (ANSWERS.c.session_id == info.session_id)
            & (ANSWERS.c.question_id == question_id)
            & (ANSWERS.c.person == person)
        )
        values = {"chosen": json.dumps(list(picked)), "answered_at": moment}
        if db.execute(ANSWERS.update().where(key).values(**values)).rowcount == 0:
            db.execute(
                ANSWERS.insert().values(session_id=info.session_id, question_id=question_id, person=person, **values)
            )
    return picked


# -- the leader's steps ----------------------------------------------------------------------------


def next_question(
    run_dir: str | os.PathLike[str],
    session_id: int,
    *,
    expected_index: int | None = None,
    now: _dt.datetime | None = None,
) -> SessionInfo:
    """Show the first question (from ``waiting``) or the next one; the current one's answers are final.

    ``expected_index`` is the question the leader's device showed when the
    button was pressed: if another device has moved on meanwhile, nothing
    moves twice.
    """
    moment = utc_now(now)
    with writing(run_dir) as db:
        info = lock_session(db, session_id, moment)
        if info.phase == "ended":
            raise GroupQuizError(t("groupquiz.error.ended"))
        total = len(questions_of(db, info.session_id))
        if info.phase == "waiting":
            target = 0
        else:
            if expected_index is not None and expected_index != info.question_index:
                return info
            target = info.question_index + 1
        if target >= total:
            raise GroupQuizError(t("groupquiz.error.last_question"))
        db.execute(
            SESSIONS.update()
            .where(SESSIONS.c.session_id == info.session_id)
            .values(phase="answering", question_index=target)
        )
        result = session_row(db, info.session_id)
    credit_answers(run_dir, session_id)
    return result


def _close(
    run_dir: str | os.PathLike[str], session_id: int, phase: str, allowed: tuple[str, ...], now: _dt.datetime | None
) -> SessionInfo:
    moment = utc_now(now)
    with writing(run_dir) as db:
        info = lock_session(db, session_id, moment)
        if info.phase == phase or (phase == "spread" and info.phase == "explained"):
            return info  # another device of the leader's did it already
        if info.phase not in allowed:
            raise GroupQuizError(t("groupquiz.error.wrong_step"))
        db.execute(SESSIONS.update().where(SESSIONS.c.session_id == info.session_id).values(phase=phase))
        result = session_row(db, info.session_id)
    credit_answers(run_dir, session_id)
    return result


def show_spread(run_dir: str | os.PathLike[str], session_id: int, now: _dt.datetime | None = None) -> SessionInfo:
    """Close the current question to answers and show everyone the spread."""
    return _close(run_dir, session_id, "spread", ("answering",), now)


def reveal(run_dir: str | os.PathLike[str], session_id: int, now: _dt.datetime | None = None) -> SessionInfo:
    """Show the right option(s) and the explanation (closing the question if still open)."""
    return _close(run_dir, session_id, "explained", ("answering", "spread"), now)


def end_session(run_dir: str | os.PathLike[str], session_id: int, now: _dt.datetime | None = None) -> SessionInfo:
    """End the session: the current question's answers are final and the code expires now."""
    moment = utc_now(now)
    with writing(run_dir) as db:
        info = lock_session(db, session_id, moment)
        if info.phase == "ended":
            return info
        db.execute(
            SESSIONS.update()
            .where(SESSIONS.c.session_id == info.session_id)
            .values(phase="ended", ended_at=moment, code_expires_at=min(info.code_expires_at, moment))
        )
        result = session_row(db, info.session_id)
    credit_answers(run_dir, session_id)
    return result
