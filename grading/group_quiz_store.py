"""The group quiz's shared state and rules: sessions, participants, answers (no ipywidgets).

A study circle answers a module's question bank together: the cirkelledare
opens a session, each participant answers on their own phone and the big
screen shows who has answered, then the spread, then the explanation. Every
device has its own Voilà kernel; they meet only here, in the course run's live
database (``widgets.live_db``). Each write is one transaction that first bumps
the session's change counter (``version``): that takes the write lock before
anything is read, so the checks see the state they change, and a screen only
has to read one number to know whether anything moved.

The bank is copied into the session when it opens (``groupquiz_questions``), so
an edit of the bank during a meeting cannot shift the questions, and the
circle's results keep their wording. Participants' devices are given question
and options only; the right answer and the explanation only once revealed.

Answers count toward completion (``counts``): when a question closes, each
logged-in participant's answer is written into *their* answer store for the
module's quiz (``svar/<exercise_id>.json``) as their first try, unless they
already answered that question themselves (see :func:`credit_answers`).

It reads the run's circles and the learners' folders (``grading.circles``, ``grading.run``),
and the hub and personal data use it, so it lives in ``grading`` (docs/architecture.md); the
app that draws it is ``voila_apps.live.group_quiz``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from widgets.content import ContentError
from widgets.errors import CirkelError
from widgets.i18n import t, yaml_data
from widgets.live_db import BLANK, DELETE, METADATA, PERSON, live_engine
from widgets.live_names import GUEST_PREFIX

__all__ = [
    "PHASES",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_CODE_HOURS",
    "MAX_DISPLAY_NAME",
    "GroupQuizError",
    "CodeRefused",
    "QuizChoice",
    "Guest",
    "SessionInfo",
    "QuestionView",
    "Participant",
    "Snapshot",
    "QuestionResult",
    "SessionResult",
    "quiz_exercises",
    "normalise_code",
    "valid_display_name",
    "open_session",
    "join",
    "join_by_code",
    "admit_guest",
    "answer",
    "next_question",
    "show_spread",
    "reveal",
    "end_session",
    "session_info",
    "session_state",
    "open_sessions",
    "guest_sessions",
    "snapshot",
    "circle_results",
    "credit_answers",
]

#: a session's phases, in the order a question goes through them
PHASES = ("waiting", "answering", "spread", "explained", "ended")
#: no 0/O, 1/I: a code read off a big screen is typed right
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DEFAULT_CODE_HOURS = 4.0
MAX_DISPLAY_NAME = 40
QUIZ_WIDGET = "MeetingRoleQuiz"
QUIZ_KIND = "quiz"  # MeetingRoleQuiz.kind: the answer file's kind
_CLOSED = ("spread", "explained", "ended")  # the current question's answers are final

# credit states of an answer (``groupquiz_answers.credit``); NULL: not yet decided
CREDIT_SAVED = "saved"  # written into the learner's own answer store
CREDIT_KEPT = "kept"  # the learner had answered the question themselves: theirs stays
CREDIT_NONE = "none"  # a guest, or a session that does not count

# -- tables --------------------------------------------------------------------

SESSIONS = sa.Table(
    "groupquiz_sessions",
    METADATA,
    sa.Column("session_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("circle_id", sa.String(40), nullable=False, index=True),
    sa.Column("module", sa.String(100), nullable=False),
    sa.Column("exercise_id", sa.String(64), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False, info={PERSON: BLANK}),
    sa.Column("code", sa.String(CODE_LENGTH), nullable=False, unique=True),
    sa.Column("code_expires_at", sa.DateTime, nullable=False),
    sa.Column("counts", sa.Boolean, nullable=False, default=True),
    sa.Column("phase", sa.String(10), nullable=False, default="waiting"),
    sa.Column("question_index", sa.Integer, nullable=False, default=0),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime, nullable=True),
    sa.CheckConstraint(
        "phase IN ('waiting', 'answering', 'spread', 'explained', 'ended')", name="groupquiz_phase_known"
    ),
)

QUESTIONS = sa.Table(
    "groupquiz_questions",
    METADATA,
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("groupquiz_sessions.session_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("question_id", sa.String(64), nullable=False),
    sa.Column("type", sa.String(10), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False),  # JSON list of option texts
    sa.Column("correct", sa.Text, nullable=False),  # JSON list of right option indices
    sa.Column("explanation", sa.Text, nullable=False),
    sa.UniqueConstraint("session_id", "question_id", name="groupquiz_question_once"),
)

PARTICIPANTS = sa.Table(
    "groupquiz_participants",
    METADATA,
    sa.Column(
        "session_id", sa.Integer, sa.ForeignKey("groupquiz_sessions.session_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("person", sa.String(100), primary_key=True, info={PERSON: DELETE}),
    sa.Column("display_name", sa.String(100), nullable=False),
    sa.Column("is_guest", sa.Boolean, nullable=False, default=False),
    sa.Column("joined_at", sa.DateTime, nullable=False),
)

ANSWERS = sa.Table(
    "groupquiz_answers",
    METADATA,
    sa.Column("session_id", sa.Integer, primary_key=True),
    sa.Column("question_id", sa.String(64), primary_key=True),
    sa.Column("person", sa.String(100), primary_key=True, info={PERSON: DELETE}),
    sa.Column("chosen", sa.Text, nullable=False),  # JSON list of option indices
    sa.Column("answered_at", sa.DateTime, nullable=False),
    sa.Column("credit", sa.String(10), nullable=True),
    sa.ForeignKeyConstraint(
        ["session_id", "person"],
        ["groupquiz_participants.session_id", "groupquiz_participants.person"],
        ondelete="CASCADE",
    ),
)


# -- errors and records ----------------------------------------------------------


class GroupQuizError(CirkelError):
    """Something the group quiz refuses; the message is plain Swedish, fit to show as it is."""


class CodeRefused(GroupQuizError):
    """A join code that is refused; ``kind`` says why: ``format``, ``unknown``, ``expired`` or ``other_circle``.

    The hub's code page asks every run it knows; a refusal from the run that
    knows the code (any kind but ``format``/``unknown``) is the one to show.
    """

    def __init__(self, message: str, kind: str = "unknown"):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class QuizChoice:
    """A module's group-quiz-able exercise: a ``MeetingRoleQuiz`` and its bank."""

    module: str
    exercise_id: str
    title: str
    module_title: str


@dataclass(frozen=True)
class Guest:
    """Someone without an account, admitted to one session by its code."""

    name: str  # the hub username to create: ``gast-<random>``
    display_name: str
    session_id: int
    circle_id: str
    course_id: str


@dataclass(frozen=True)
class SessionInfo:
    """One session's row: what a list of sessions or a role check needs."""

    session_id: int
    circle_id: str
    module: str
    exercise_id: str
    title: str
    created_by: str
    code: str
    code_expires_at: _dt.datetime
    counts: bool
    phase: str
    question_index: int
    version: int
    created_at: _dt.datetime
    ended_at: _dt.datetime | None

    def code_open(self, now: _dt.datetime | None = None) -> bool:
        """Whether the code still lets people join."""
        return self.phase != "ended" and _now(now) < self.code_expires_at


@dataclass(frozen=True)
class QuestionView:
    """What a participant may see of a question: the text and the options, nothing more."""

    question_id: str
    type: str
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Participant:
    """Who is in the session, and whether they have answered the current question (never what)."""

    person: str
    display_name: str
    is_guest: bool
    answered: bool


@dataclass(frozen=True)
class Snapshot:
    """Everything a screen needs at one moment; ``spread``, ``correct`` and ``explanation`` only once shown."""

    session: SessionInfo
    total: int
    question: QuestionView | None
    participants: tuple[Participant, ...]
    spread: tuple[int, ...] | None
    correct: tuple[int, ...] | None
    explanation: str | None
    mine: tuple[int, ...] | None  # the asking person's answer to the current question

    @property
    def phase(self) -> str:
        return self.session.phase

    @property
    def index(self) -> int:
        return self.session.question_index

    @property
    def version(self) -> int:
        return self.session.version

    @property
    def answered_count(self) -> int:
        return sum(p.answered for p in self.participants)

    @property
    def is_last(self) -> bool:
        return self.index >= self.total - 1


@dataclass(frozen=True)
class QuestionResult:
    """A closed question of a past session: the spread of answers, the right options."""

    position: int
    question_id: str
    text: str
    options: tuple[str, ...]
    correct: tuple[int, ...]
    counts: tuple[int, ...]
    answered: int = 0  # how many answered (a multiple-choice answer counts once)


@dataclass(frozen=True)
class SessionResult:
    """A session as the circle keeps it: when, which quiz, how many took part, each closed question."""

    session: SessionInfo
    participants: int
    questions: tuple[QuestionResult, ...]


# -- small helpers ------------------------------------------------------------------


def _now(now: _dt.datetime | None = None) -> _dt.datetime:
    """A naive UTC moment (how every time is stored, portable across SQLite and PostgreSQL)."""
    if now is None:
        return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(_dt.UTC).replace(tzinfo=None)
    return now


#: per run folder: (what named its live store when last looked, the engine)
_ENGINES: dict[str, tuple[tuple[Any, ...], Engine]] = {}


def _where_named(root: str) -> tuple[Any, ...]:
    """What says where the run's live store is: ``CIRKEL_LIVE_DB`` and ``cirkel-run.yml`` as the disk has it now."""
    try:
        found = os.stat(os.path.join(root, "cirkel-run.yml"))
        run_file: tuple[int, ...] | None = (found.st_mtime_ns, found.st_size, found.st_ino)
    except OSError:
        run_file = None
    return os.environ.get("CIRKEL_LIVE_DB"), run_file


def _engine(run_dir: str | os.PathLike[str]) -> Engine:
    """The run's live engine, looked up again only when ``CIRKEL_LIVE_DB`` or ``cirkel-run.yml`` changes.

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


def _info(row: Any) -> SessionInfo:
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


def _session(db: Connection, session_id: int) -> SessionInfo:
    try:
        number = int(session_id)
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id)) from None
    row = db.execute(sa.select(SESSIONS).where(SESSIONS.c.session_id == number)).first()
    if row is None:
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id))
    return _info(row)


def _lock(db: Connection, session_id: int, now: _dt.datetime) -> SessionInfo:
    """Bump the change counter first: the write lock is taken before anything is read."""
    try:
        number = int(session_id)
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id)) from None
    db.execute(
        SESSIONS.update().where(SESSIONS.c.session_id == number).values(version=SESSIONS.c.version + 1, updated_at=now)
    )
    return _session(db, number)


def _questions(db: Connection, session_id: int) -> list[Any]:
    return list(
        db.execute(sa.select(QUESTIONS).where(QUESTIONS.c.session_id == session_id).order_by(QUESTIONS.c.position))
    )


def _question_at(db: Connection, session_id: int, position: int) -> Any:
    return db.execute(
        sa.select(QUESTIONS).where(QUESTIONS.c.session_id == session_id, QUESTIONS.c.position == position)
    ).first()


def _spread(chosen_rows: Iterable[str], n_options: int) -> tuple[int, ...]:
    counts = [0] * n_options
    for raw in chosen_rows:
        for i in _parse_chosen(raw):
            if 0 <= i < n_options:
                counts[i] += 1
    return tuple(counts)


def _parse_chosen(raw: str) -> tuple[int, ...]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return ()
    return tuple(i for i in value if isinstance(i, int) and not isinstance(i, bool)) if isinstance(value, list) else ()


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
    from .circles import looks_like_personnummer

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


# -- the question banks of a run ----------------------------------------------------------


def _run_info(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / "cirkel-run.yml"
    try:
        info = yaml_data(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raise GroupQuizError(t("groupquiz.error.no_run", path=str(run_dir))) from None
    if not isinstance(info, dict):
        raise GroupQuizError(t("groupquiz.error.no_run", path=str(run_dir)))
    return info


def _module_spec(run_dir: Path, module: str) -> dict[str, Any]:
    path = Path(run_dir) / "source" / module / "module.yml"
    try:
        spec = yaml_data(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raise GroupQuizError(t("groupquiz.error.no_module", module=module)) from None
    return spec if isinstance(spec, dict) else {}


def quiz_exercises(run_dir: str | os.PathLike[str]) -> list[QuizChoice]:
    """Every ``MeetingRoleQuiz`` of the run's modules, in teaching order (unreadable banks left out)."""
    from widgets._quiz_bank import load_bank

    root = Path(run_dir)
    modules = _run_info(root).get("modules") or []
    found: list[QuizChoice] = []
    for module in modules:
        try:
            spec = _module_spec(root, str(module))
        except GroupQuizError:
            continue
        for exercise in spec.get("exercises") or []:
            if not isinstance(exercise, dict) or exercise.get("widget") != QUIZ_WIDGET:
                continue
            try:
                bank = load_bank(root / "source" / str(module) / str(exercise.get("content")))
            except ContentError:
                continue
            found.append(QuizChoice(str(module), str(exercise.get("id")), bank.title, str(spec.get("title") or module)))
    return found


def _load_bank(root: Path, module: str, exercise_id: str):
    from widgets._quiz_bank import load_bank

    if module not in [str(m) for m in (_run_info(root).get("modules") or [])]:
        raise GroupQuizError(t("groupquiz.error.no_module", module=module))
    for exercise in _module_spec(root, module).get("exercises") or []:
        if isinstance(exercise, dict) and exercise.get("id") == exercise_id and exercise.get("widget") == QUIZ_WIDGET:
            try:
                return load_bank(root / "source" / module / str(exercise.get("content")))
            except ContentError as problem:
                raise GroupQuizError(str(problem)) from None
    raise GroupQuizError(t("groupquiz.error.no_quiz", module=module, exercise=exercise_id))


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
    from .circles import CircleError, CircleStore

    root = Path(run_dir)
    moment = _now(now)
    if code_hours <= 0:
        raise GroupQuizError(t("groupquiz.error.code_hours"))
    try:
        circle = CircleStore(root).circle(circle_id)
    except CircleError as problem:
        raise GroupQuizError(str(problem)) from None
    bank = _load_bank(root, module, exercise_id)
    engine = _engine(root)
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
                session_id = int(result.inserted_primary_key[0])
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
    moment = _now(now)
    person = str(person or "").strip()
    if not person:
        raise GroupQuizError(t("groupquiz.error.no_person"))
    with _engine(run_dir).begin() as db:
        info = _lock(db, session_id, moment)
        known = db.execute(
            sa.select(PARTICIPANTS.c.person).where(
                PARTICIPANTS.c.session_id == info.session_id, PARTICIPANTS.c.person == person
            )
        ).first()
        if known is not None:
            return _session(db, info.session_id)
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
        return _session(db, info.session_id)


def _by_code(db: Connection, code: str, moment: _dt.datetime) -> SessionInfo:
    wanted = normalise_code(code)
    if len(wanted) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in wanted):
        raise CodeRefused(t("groupquiz.error.code_format", length=CODE_LENGTH), "format")
    row = db.execute(sa.select(SESSIONS).where(SESSIONS.c.code == wanted)).first()
    if row is None:
        raise CodeRefused(t("groupquiz.error.code_unknown", code=wanted), "unknown")
    info = _info(row)
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
    moment = _now(now)
    with _engine(run_dir).connect() as db:
        info = _by_code(db, code, moment)
    circles = set(person_circles)
    if info.circle_id not in circles:
        raise CodeRefused(t("groupquiz.error.other_circle"), "other_circle")
    if not display_name:
        from .circles import CircleStore

        display_name = CircleStore(run_dir).display_names([person]).get(person) or person
    return join(run_dir, info.session_id, person, display_name, circles=circles, now=moment)


def admit_guest(
    run_dir: str | os.PathLike[str], code: str, display_name: str, now: _dt.datetime | None = None
) -> Guest:
    """Admit someone without an account to the session of ``code``; the hub then makes the user ``name``.

    The guest may see that one session only, and their answers count for nobody.
    """
    moment = _now(now)
    name = valid_display_name(display_name)
    course_id = str(_run_info(Path(run_dir)).get("course_id") or "")
    with _engine(run_dir).connect() as db:
        info = _by_code(db, code, moment)
    guest = f"{GUEST_PREFIX}{secrets.token_hex(4)}"
    join(run_dir, info.session_id, guest, name, is_guest=True, now=moment)
    return Guest(
        name=guest, display_name=name, session_id=info.session_id, circle_id=info.circle_id, course_id=course_id
    )


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
    moment = _now(now)
    try:
        picked = tuple(sorted({int(i) for i in chosen}))
    except (TypeError, ValueError):
        raise GroupQuizError(t("groupquiz.error.choose")) from None
    with _engine(run_dir).begin() as db:
        info = _lock(db, session_id, moment)
        member = db.execute(
            sa.select(PARTICIPANTS.c.person).where(
                PARTICIPANTS.c.session_id == info.session_id, PARTICIPANTS.c.person == person
            )
        ).first()
        if member is None:
            raise GroupQuizError(t("groupquiz.error.not_participant"))
        if info.phase != "answering":
            raise GroupQuizError(t("groupquiz.error.closed"))
        current = _question_at(db, info.session_id, info.question_index)
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
    moment = _now(now)
    with _engine(run_dir).begin() as db:
        info = _lock(db, session_id, moment)
        if info.phase == "ended":
            raise GroupQuizError(t("groupquiz.error.ended"))
        total = len(_questions(db, info.session_id))
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
        result = _session(db, info.session_id)
    credit_answers(run_dir, session_id)
    return result


def _close(
    run_dir: str | os.PathLike[str], session_id: int, phase: str, allowed: tuple[str, ...], now: _dt.datetime | None
) -> SessionInfo:
    moment = _now(now)
    with _engine(run_dir).begin() as db:
        info = _lock(db, session_id, moment)
        if info.phase == phase or (phase == "spread" and info.phase == "explained"):
            return info  # another device of the leader's did it already
        if info.phase not in allowed:
            raise GroupQuizError(t("groupquiz.error.wrong_step"))
        db.execute(SESSIONS.update().where(SESSIONS.c.session_id == info.session_id).values(phase=phase))
        result = _session(db, info.session_id)
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
    moment = _now(now)
    with _engine(run_dir).begin() as db:
        info = _lock(db, session_id, moment)
        if info.phase == "ended":
            return info
        db.execute(
            SESSIONS.update()
            .where(SESSIONS.c.session_id == info.session_id)
            .values(phase="ended", ended_at=moment, code_expires_at=min(info.code_expires_at, moment))
        )
        result = _session(db, info.session_id)
    credit_answers(run_dir, session_id)
    return result


# -- reading ----------------------------------------------------------------------------------------


def session_info(run_dir: str | os.PathLike[str], session_id: int) -> SessionInfo:
    """One session's row; ``GroupQuizError`` if there is none."""
    with _engine(run_dir).connect() as db:
        return _session(db, session_id)


def session_state(run_dir: str | os.PathLike[str], session_id: int) -> tuple[int, str, int]:
    """``(version, phase, question_index)``: the one cheap read a polling device makes."""
    with _engine(run_dir).connect() as db:
        row = db.execute(
            sa.select(SESSIONS.c.version, SESSIONS.c.phase, SESSIONS.c.question_index).where(
                SESSIONS.c.session_id == int(session_id)
            )
        ).first()
    if row is None:
        raise GroupQuizError(t("groupquiz.error.no_session", session=session_id))
    return int(row.version), str(row.phase), int(row.question_index)


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
    moment = _now(now)
    query = (
        sa.select(SESSIONS)
        .where(SESSIONS.c.circle_id.in_(ids), SESSIONS.c.phase != "ended")
        .order_by(SESSIONS.c.session_id.desc())
    )
    if db is None:
        with _engine(run_dir).connect() as conn:
            rows = list(conn.execute(query))
            joined = _joined(conn, person)
    else:
        rows = list(db.execute(query))
        joined = _joined(db, person)
    found = [_info(row) for row in rows]
    return [s for s in found if s.code_expires_at > moment or s.session_id in joined]


def _joined(db: Connection, person: str | None) -> set[int]:
    if not person:
        return set()
    return {int(r[0]) for r in db.execute(sa.select(PARTICIPANTS.c.session_id).where(PARTICIPANTS.c.person == person))}


def guest_sessions(run_dir: str | os.PathLike[str], guest: str) -> list[int]:
    """The sessions a guest was admitted to (normally one), newest first."""
    with _engine(run_dir).connect() as db:
        return sorted(_joined(db, guest), reverse=True)


def snapshot(run_dir: str | os.PathLike[str], session_id: int, person: str | None = None) -> Snapshot:
    """The session as a screen shows it now; ``mine`` is ``person``'s answer to the current question."""
    with _engine(run_dir).connect() as db:
        info = _session(db, session_id)
        questions = _questions(db, info.session_id)
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
            spread = _spread(answers.values(), len(options))
        if info.phase == "explained":
            correct = tuple(json.loads(current.correct))
            explanation = current.explanation
        if person is not None and person in answers:
            mine = _parse_chosen(answers[person])
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


def _closed_positions(info: SessionInfo) -> int:
    """How many questions, from the first, have final answers."""
    if info.phase == "waiting":
        return 0
    return info.question_index + (1 if info.phase in _CLOSED else 0)


def circle_results(run_dir: str | os.PathLike[str], circle_id: str) -> list[SessionResult]:
    """The circle's sessions, newest first, with each closed question's spread: the results stay with the circle.

    Only counts per option are kept here, never who chose what.
    """
    results: list[SessionResult] = []
    with _engine(run_dir).connect() as db:
        rows = list(
            db.execute(
                sa.select(SESSIONS).where(SESSIONS.c.circle_id == circle_id).order_by(SESSIONS.c.session_id.desc())
            )
        )
        for row in rows:
            info = _info(row)
            people = db.execute(
                sa.select(sa.func.count()).select_from(PARTICIPANTS).where(PARTICIPANTS.c.session_id == info.session_id)
            ).scalar_one()
            closed: list[QuestionResult] = []
            for q in _questions(db, info.session_id)[: _closed_positions(info)]:
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
                        _spread(chosen, len(options)),
                        answered=len(chosen),
                    )
                )
            results.append(SessionResult(info, int(people), tuple(closed)))
    return results


# -- completion: the group's answers in each learner's own answer store -----------------------------


def credit_answers(run_dir: str | os.PathLike[str], session_id: int) -> dict[str, int]:
    """Write the session's final answers into the participants' own answer stores; returns counts per outcome.

    Called after every step that makes answers final (and safe to call again):
    for each answer not yet credited to a closed question,

    - a guest's answer, or any answer of a session that does not count, counts for nobody;
    - a learner who already chose or answered that question in their own module
      keeps their own answer (nothing of theirs is overwritten);
    - otherwise the group answer becomes their first try
      (``{"chosen": c, "tries": [c], "retrying": false}``), exactly as if they
      had answered it in the module: the bank's tries and retry rules go on from there.

    A learner whose module is not fetched yet, or whose answer file cannot be
    read or written, stays pending and is tried again at the next step (the
    damaged file is left exactly as it is; their module tells them about it).
    """
    from widgets.store import AnswerStore, UnreadableAnswer

    from .run import CourseRun, RunError

    engine = _engine(run_dir)
    outcome = {CREDIT_SAVED: 0, CREDIT_KEPT: 0, CREDIT_NONE: 0, "pending": 0}
    with engine.connect() as db:
        info = _session(db, session_id)
        final = {q.question_id for q in _questions(db, info.session_id)[: _closed_positions(info)]}
        rows = list(
            db.execute(
                sa.select(ANSWERS.c.question_id, ANSWERS.c.person, ANSWERS.c.chosen, PARTICIPANTS.c.is_guest)
                .join(
                    PARTICIPANTS,
                    (PARTICIPANTS.c.session_id == ANSWERS.c.session_id) & (PARTICIPANTS.c.person == ANSWERS.c.person),
                )
                .where(ANSWERS.c.session_id == info.session_id, ANSWERS.c.credit.is_(None))
            )
        )
    rows = [r for r in rows if r.question_id in final]
    decided: list[tuple[str, str, str]] = []  # (question_id, person, credit)
    by_person: dict[str, list[Any]] = {}
    for row in rows:
        if row.is_guest or not info.counts:
            decided.append((row.question_id, row.person, CREDIT_NONE))
        else:
            by_person.setdefault(row.person, []).append(row)
    try:
        course_run = CourseRun(run_dir)
    except RunError:
        course_run = None
    for person, answers in by_person.items():
        try:
            folder = course_run.notebook_path(person, info.module).parent if course_run else None
        except (RunError, ValueError):
            folder = None
        if folder is None or not folder.is_dir():
            outcome["pending"] += len(answers)
            continue
        store = AnswerStore(folder / "svar")
        try:
            saved = store.load(info.exercise_id, kind=QUIZ_KIND, keep_aside=False)
        except (UnreadableAnswer, OSError):
            outcome["pending"] += len(answers)
            continue
        data = dict(saved.data) if saved is not None else {}
        questions = dict(data.get("questions") or {}) if isinstance(data.get("questions"), dict) else {}
        changed = False
        for row in answers:
            entry = questions.get(row.question_id)
            if isinstance(entry, dict) and (entry.get("chosen") or entry.get("tries")):
                decided.append((row.question_id, person, CREDIT_KEPT))
                continue
            chosen = list(_parse_chosen(row.chosen))
            questions[row.question_id] = {"chosen": chosen, "tries": [chosen], "retrying": False}
            decided.append((row.question_id, person, CREDIT_SAVED))
            changed = True
        if changed:
            data["questions"] = questions
            try:
                store.save(info.exercise_id, QUIZ_KIND, data)
            except OSError:
                decided = [d for d in decided if d[1] != person]
                outcome["pending"] += len(answers)
                continue
    if decided:
        with engine.begin() as db:
            for question_id, person, credit in decided:
                db.execute(
                    ANSWERS.update()
                    .where(
                        ANSWERS.c.session_id == info.session_id,
                        ANSWERS.c.question_id == question_id,
                        ANSWERS.c.person == person,
                        ANSWERS.c.credit.is_(None),
                    )
                    .values(credit=credit)
                )
    for _q, _p, credit in decided:
        outcome[credit] += 1
    return outcome
