"""A session's rows read and written inside a transaction: the lock, the aggregates, the session handed out."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from widgets.core.i18n import t
from widgets.models.speaker_stats import SpeakerSettings, Tally, parse_settings
from widgets.storage.live_speaker.records import LiveSpeakerError, LiveSpeakerSession, finite
from widgets.storage.live_speaker.tables import SESSIONS, TALLIES


def check_id(session_id: Any) -> int:
    """A session id as a number, else ``LiveSpeakerError``."""
    try:
        return int(session_id)
    except (TypeError, ValueError):
        raise LiveSpeakerError(t("livespeaker.unknown_session", id=session_id)) from None


def check_category(settings: SpeakerSettings, category: str) -> None:
    """A category the session counts, else ``LiveSpeakerError``."""
    if category not in settings.ids:
        raise LiveSpeakerError(t("speaker_stats.unknown_category", category=category))


def lock_session(conn: Connection, session_id: int) -> Any:
    """Bump the open session's version first (the write lock), then read its row."""
    session_id = check_id(session_id)
    bumped = conn.execute(
        update(SESSIONS)
        .where(SESSIONS.c.session_id == session_id, SESSIONS.c.ended_at.is_(None))
        .values(version=SESSIONS.c.version + 1)
    ).rowcount
    if not bumped:
        exists = conn.execute(select(SESSIONS.c.session_id).where(SESSIONS.c.session_id == session_id)).scalar()
        raise LiveSpeakerError(
            t("livespeaker.session_ended" if exists is not None else "livespeaker.unknown_session", id=session_id)
        )
    return conn.execute(select(SESSIONS).where(SESSIONS.c.session_id == session_id)).one()


def read_tally(conn: Connection, row: Any, settings: SpeakerSettings) -> Tally:
    """The session's aggregates, the running contribution included."""
    rows = conn.execute(
        select(TALLIES.c.category, TALLIES.c.contributions, TALLIES.c.seconds).where(
            TALLIES.c.session_id == row.session_id
        )
    ).all()
    running = None
    if row.running_category and finite(row.running_started) is not None:
        running = {"category": row.running_category, "started": float(row.running_started)}
    return Tally.from_json(
        {"counts": {r[0]: r[1] for r in rows}, "seconds": {r[0]: r[2] for r in rows}, "running": running}, settings
    )


def write_tally(
    conn: Connection, session_id: int, tally: Tally, *, undo_json: str | None, undo_until: float | None
) -> None:
    """Store the aggregates, the running contribution and the undo step."""
    conn.execute(
        update(SESSIONS)
        .where(SESSIONS.c.session_id == session_id)
        .values(
            running_category=tally.running or None,
            running_started=tally.started if tally.running else None,
            undo_json=undo_json,
            undo_until=undo_until,
        )
    )
    conn.execute(
        update(TALLIES)
        .where(TALLIES.c.session_id == bindparam("sid"), TALLIES.c.category == bindparam("cat"))
        .values(contributions=bindparam("n"), seconds=bindparam("s")),
        [{"sid": session_id, "cat": c, "n": tally.counts[c], "s": tally.seconds[c]} for c in tally.counts],
    )


def read_session(conn: Connection, session_id: int) -> LiveSpeakerSession:
    """The session as handed out, else ``LiveSpeakerError``."""
    row = conn.execute(select(SESSIONS).where(SESSIONS.c.session_id == session_id)).first()
    if row is None:
        raise LiveSpeakerError(t("livespeaker.unknown_session", id=session_id))
    settings = parse_settings(json.loads(row.settings_json), row.settings_source)
    return LiveSpeakerSession(
        session_id=int(row.session_id),
        circle_id=row.circle_id,
        keeper=row.keeper,
        settings_source=row.settings_source,
        settings=settings,
        started_at=float(row.started_at),
        ended_at=finite(row.ended_at),
        version=int(row.version),
        tally=read_tally(conn, row, settings),
        undo_until=finite(row.undo_until),
    )
