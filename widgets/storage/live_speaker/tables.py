"""Live talarstatistik's tables in the run's live database: sessions and their aggregates, never a speaker."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text

from widgets.storage.live_db import BLANK, METADATA, PERSON

SESSIONS = Table(
    "livespeaker_sessions",
    METADATA,
    Column("session_id", Integer, primary_key=True, autoincrement=True),
    Column("circle_id", String(40), nullable=False, index=True),
    # equals circle_id while the session is open, NULL once ended: at most one open session per circle
    Column("open_circle", String(40), unique=True, nullable=True),
    # the hub user who opened the session (never a speaker): blanked when that person is erased
    Column("keeper", String(100), nullable=False, info={PERSON: BLANK}),
    Column("settings_source", String(300), nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("started_at", Float, nullable=False),
    Column("ended_at", Float, nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Column("running_category", String(100), nullable=True),
    Column("running_started", Float, nullable=True),
    # the aggregates as they were before the last tap (no identities), and until when it may be undone
    Column("undo_json", Text, nullable=True),
    Column("undo_until", Float, nullable=True),
)

TALLIES = Table(
    "livespeaker_tallies",
    METADATA,
    Column("session_id", Integer, ForeignKey(SESSIONS.c.session_id, ondelete="CASCADE"), primary_key=True),
    Column("category", String(100), primary_key=True),
    Column("contributions", Integer, nullable=False, default=0),
    Column("seconds", Float, nullable=False, default=0.0),
)
