"""What the group quiz hands out: its errors and the records a screen or a list needs."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from widgets.core.errors import CirkelError

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
        return self.phase != "ended" and utc_now(now) < self.code_expires_at


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


def utc_now(now: _dt.datetime | None = None) -> _dt.datetime:
    """A naive UTC moment (how every time is stored, portable across SQLite and PostgreSQL)."""
    if now is None:
        return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(_dt.UTC).replace(tzinfo=None)
    return now
