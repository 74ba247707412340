"""What changes a session: a participant's answer and the leader's steps through the questions."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable

from grading.circles.group_quiz.credit import credit_answers
from grading.circles.group_quiz.db import (
    is_participant,
    lock_session,
    question_at,
    questions_of,
    session_row,
    writing,
)
from grading.circles.group_quiz.records import GroupQuizError, SessionInfo, utc_now
from grading.circles.group_quiz.tables import ANSWERS, SESSIONS
from widgets.core.i18n import t

# -- answering ---------------------------------------------------------------------------------


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
