"""The group quiz's shared state and rules: sessions, participants, answers (no ipywidgets).

A study circle answers a module's question bank together: the cirkelledare
opens a session, each participant answers on their own phone and the big
screen shows who has answered, then the spread, then the explanation. Every
device has its own Voilà kernel; they meet only here, in the course run's live
database (``widgets.storage.live_db``). Each write is one transaction that first bumps
the session's change counter (``version``): that takes the write lock before
anything is read, so the checks see the state they change, and a screen only
has to read one number to know whether anything moved. (A tap's answer is checked
just before, and its bump re-checks that the same question is still open.) On
SQLite the writers queue at a file lock first (``db.writing``): a room of phones
tapping at once would otherwise wait in SQLite's sleeping busy handler.

The bank is copied into the session when it opens (``groupquiz_questions``), so
an edit of the bank during a meeting cannot shift the questions, and the
circle's results keep their wording. Participants' devices are given question
and options only; the right answer and the explanation only once revealed.

Answers count toward completion (``counts``): when a question closes, each
logged-in participant's answer is written into *their* answer store for the
module's quiz (``svar/<exercise_id>.json``) as their first try, unless they
already answered that question themselves (see :func:`credit_answers`).

It reads the run's circles and the learners' folders (``grading.circles.store``, ``grading.course_runs.run``),
and the hub and personal data use it, so it lives in ``grading`` (docs/architecture.md); the
app that draws it is ``voila_apps.live.group_quiz``. One job per module: ``tables`` (the
tables and the rules' constants), ``records`` (errors, what is handed out), ``db`` (the
shared queries), ``banks`` (the run's quizzes), ``joining``, ``steps`` (answers and the
leader's steps), ``reading`` (what the screens read) and ``credit`` (completion).
"""

from __future__ import annotations

from grading.circles.group_quiz.banks import quiz_exercises
from grading.circles.group_quiz.credit import credit_answers
from grading.circles.group_quiz.joining import (
    admit_guest,
    join,
    join_by_code,
    normalise_code,
    open_session,
    valid_display_name,
)
from grading.circles.group_quiz.reading import (
    circle_results,
    guest_sessions,
    open_sessions,
    session_info,
    session_state,
    snapshot,
)
from grading.circles.group_quiz.records import (
    CodeRefused,
    GroupQuizError,
    Guest,
    Participant,
    QuestionResult,
    QuestionView,
    QuizChoice,
    SessionInfo,
    SessionResult,
    Snapshot,
)
from grading.circles.group_quiz.steps import answer, end_session, next_question, reveal, show_spread
from grading.circles.group_quiz.tables import (
    ANSWERS,
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_CODE_HOURS,
    MAX_DISPLAY_NAME,
    PARTICIPANTS,
    PHASES,
    QUESTIONS,
    SESSIONS,
)

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
    "SESSIONS",
    "QUESTIONS",
    "PARTICIPANTS",
    "ANSWERS",
]
