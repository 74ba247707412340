"""Opening a session and coming in: the join code, a member joining, a guest admitted."""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from grading.circles.group_quiz.banks import load_quiz_bank, run_info
from grading.circles.group_quiz.db import info_of, is_participant, lock_session, run_engine, session_row, writing
from grading.circles.group_quiz.reading import open_sessions
from grading.circles.group_quiz.records import CodeRefused, GroupQuizError, Guest, SessionInfo, utc_now
from grading.circles.group_quiz.tables import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_CODE_HOURS,
    MAX_DISPLAY_NAME,
    PARTICIPANTS,
    QUESTIONS,
    SESSIONS,
)
from widgets.core.i18n import t
from widgets.core.live_names import GUEST_PREFIX


def normalise_code(code: str) -> str:
    """A code as typed (any case, spaces or a dash) in its stored form: ``abc 123`` -> ``ABC123``."""
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def valid_display_name(name: str) -> str:
    """A guest's display name, trimmed; ``GroupQuizError`` naming what is wrong.

    1 to 40 characters, letters and ordinary punctuation, nothing shaped like a
    personnummer (the project never stores one).
    """
    from grading.circles.input import looks_like_personnummer

    text = " ".join(str(name or "").split())
    if not text:
        raise GroupQuizError(t("groupquiz.error.name_empty"))
    if len(text) > MAX_DISPLAY_NAME:
        raise GroupQuizError(t("groupquiz.error.name_long", max=MAX_DISPLAY_NAME))
    if any(not ch.isprintable() for ch in text):
        raise GroupQuizError(t("groupquiz.error.name_characters"))
    if looks_like_personnummer(text):
        raise GroupQuizError(t("groupquiz.error.name_personnummer"))
    return text


# -- opening and joining ------------------------------------------------------------------


def open_session(
    run_dir: str | os.PathLike[str],
    circle_id: str,
    module: str,
    exercise_id: str,
    created_by: str,
    *,
    counts: bool = True,
    now: _dt.datetime | None = None,
    code_hours: float = DEFAULT_CODE_HOURS,
) -> int:
    """Open a session of a module's quiz for a circle and return its id.

    The circle may have one open session at a time (a leader who reloads finds
    theirs again; an old one must be ended first). The join code is six
    characters from :data:`CODE_ALPHABET`, never used before in this run, and
    lets people join for ``code_hours`` hours or until the session ends.
    """
    from grading.circles.store import CircleError, CircleStore

    root = Path(run_dir)
    moment = utc_now(now)
    if code_hours <= 0:
        raise GroupQuizError(t("groupquiz.error.code_hours"))
    try:
        circle = CircleStore(root).circle(circle_id)
    except CircleError as problem:
        raise GroupQuizError(str(problem)) from None
    bank = load_quiz_bank(root, module, exercise_id)
    engine = run_engine(root)
    for _attempt in range(20):
        try:
            with engine.begin() as db:
                already = open_sessions(root, [circle.circle_id], now=moment, db=db)
                if already:
                    raise GroupQuizError(t("groupquiz.error.circle_busy", circle=circle.name))
                result = db.execute(
                    SESSIONS.insert().values(
                        circle_id=circle.circle_id,
                        module=module,
                        exercise_id=exercise_id,
                        title=bank.title,
                        created_by=created_by,
                        code=_new_code(),
                        code_expires_at=moment + _dt.timedelta(hours=code_hours),
                        counts=bool(counts),
                        phase="waiting",
                        question_index=0,
                        version=1,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
                session_id = int(result.inserted_primary_key[0])  # type: ignore[index]  # one row's key
                db.execute(
                    QUESTIONS.insert(),
                    [
                        {
                            "session_id": session_id,
                            "position": position,
                            "question_id": q.id,
                            "type": q.type,
                            "text": q.text,
                            "options": json.dumps([o.text for o in q.options], ensure_ascii=False),
                            "correct": json.dumps(sorted(q.correct)),
                            "explanation": q.explanation,
                        }
                        for position, q in enumerate(bank.questions)
                    ],
                )
                return session_id
        except IntegrityError:  # the code was drawn before: draw again
            continue
    raise GroupQuizError(t("groupquiz.error.no_code"))


def join(
    run_dir: str | os.PathLike[str],
    session_id: int,
    person: str,
    display_name: str,
    *,
    circles: Iterable[str] | None = None,
    is_guest: bool = False,
    now: _dt.datetime | None = None,
) -> SessionInfo:
    """Add ``person`` to the session (again: nothing changes) and return the session.

    ``circles``, when given, are the circles the person belongs to: a session
    of another circle is refused. A session that has ended takes nobody new.
    """
    moment = utc_now(now)
    person = str(person or "").strip()
    if not person:
        raise GroupQuizError(t("groupquiz.error.no_person"))
    with writing(run_dir) as db:
        info = lock_session(db, session_id, moment)
        if is_participant(db, info.session_id, person):
            return session_row(db, info.session_id)
        if circles is not None and info.circle_id not in set(circles):
            raise CodeRefused(t("groupquiz.error.other_circle"), "other_circle")
        if info.phase == "ended":
            raise GroupQuizError(t("groupquiz.error.ended"))
        db.execute(
            PARTICIPANTS.insert().values(
                session_id=info.session_id,
                person=person,
                display_name=(display_name or person)[:100],
                is_guest=bool(is_guest),
                joined_at=moment,
            )
        )
        return session_row(db, info.session_id)


def _by_code(db: Connection, code: str, moment: _dt.datetime) -> SessionInfo:
    wanted = normalise_code(code)
    if len(wanted) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in wanted):
        raise CodeRefused(t("groupquiz.error.code_format", length=CODE_LENGTH), "format")
    row = db.execute(sa.select(SESSIONS).where(SESSIONS.c.code == wanted)).first()
    if row is None:
        raise CodeRefused(t("groupquiz.error.code_unknown", code=wanted), "unknown")
    info = info_of(row)
    if not info.code_open(moment):
        raise CodeRefused(t("groupquiz.error.code_expired", code=wanted), "expired")
    return info


def join_by_code(
    run_dir: str | os.PathLike[str],
    code: str,
    person: str,
    person_circles: Iterable[str],
    display_name: str | None = None,
    now: _dt.datetime | None = None,
) -> SessionInfo:
    """Join the session a code opens; ``CodeRefused`` for an unknown or expired code or another circle's."""
    moment = utc_now(now)
    with run_engine(run_dir).connect() as db:
        info = _by_code(db, code, moment)
    circles = set(person_circles)
    if info.circle_id not in circles:
        raise CodeRefused(t("groupquiz.error.other_circle"), "other_circle")
    if not display_name:
        from grading.circles.store import CircleStore

        display_name = CircleStore(run_dir).display_names([person]).get(person) or person
    return join(run_dir, info.session_id, person, display_name, circles=circles, now=moment)


def admit_guest(
    run_dir: str | os.PathLike[str], code: str, display_name: str, now: _dt.datetime | None = None
) -> Guest:
    """Admit someone without an account to the session of ``code``; the hub then makes the user ``name``.

    The guest may see that one session only, and their answers count for nobody.
    """
    moment = utc_now(now)
    name = valid_display_name(display_name)
    course_id = str(run_info(Path(run_dir)).get("course_id") or "")
    with run_engine(run_dir).connect() as db:
        info = _by_code(db, code, moment)
    guest = f"{GUEST_PREFIX}{secrets.token_hex(4)}"
    join(run_dir, info.session_id, guest, name, is_guest=True, now=moment)
    return Guest(
        name=guest, display_name=name, session_id=info.session_id, circle_id=info.circle_id, course_id=course_id
    )
