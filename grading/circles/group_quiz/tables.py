"""The group quiz's tables in the run's live database, and the constants of its rules."""

from __future__ import annotations

import sqlalchemy as sa

from widgets.storage.live_db import BLANK, DELETE, METADATA, PERSON

#: a session's phases, in the order a question goes through them
PHASES = ("waiting", "answering", "spread", "explained", "ended")
#: no 0/O, 1/I: a code read off a big screen is typed right
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DEFAULT_CODE_HOURS = 4.0
MAX_DISPLAY_NAME = 40
QUIZ_WIDGET = "MeetingRoleQuiz"
QUIZ_KIND = "quiz"  # MeetingRoleQuiz.kind: the answer file's kind
CLOSED_PHASES = ("spread", "explained", "ended")  # the current question's answers are final

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
