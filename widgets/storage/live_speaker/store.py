"""The live talarstatistik of one course run: sessions opened, taps counted, the circle's consent kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from widgets.core.i18n import t
from widgets.models.speaker_stats import SpeakerSettings, Tally, parse_settings
from widgets.storage.live_db import live_engine
from widgets.storage.live_speaker.records import LiveSpeakerError, LiveSpeakerSession, TapOutcome, Unchanged, tally_json
from widgets.storage.live_speaker.rows import (
    check_category,
    check_id,
    lock_session,
    read_session,
    read_tally,
    write_tally,
)
from widgets.storage.live_speaker.tables import SESSIONS, TALLIES
from widgets.storage.speaker_consent import (
    ANONYMOUS_ID,
    CONSENTS,
    Consent,
    agreed_date,
    anonymous_settings,
    is_anonymous,
)

#: how long after a tap the keeper may take it back
UNDO_SECONDS = 30.0


class LiveSpeakerStore:
    """The live talarstatistik of one course run.

    Parameters
    ----------
    run_dir
        The course run whose live database holds the sessions.
    clock
        Returns the time in seconds (``time.time`` by default); every device
        of a run uses the server's clock, and a test passes its own.
    undo_seconds
        How long after a tap it may be undone.
    """

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        *,
        clock: Callable[[], float] = time.time,
        undo_seconds: float = UNDO_SECONDS,
    ):
        self.run_dir = Path(run_dir)
        self.clock = clock
        self.undo_seconds = float(undo_seconds)
        self.engine: Engine = live_engine(self.run_dir)

    def __repr__(self) -> str:
        return f"LiveSpeakerStore({str(self.run_dir)!r})"

    # -- reading ---------------------------------------------------------------------------
    def session(self, session_id: int | str) -> LiveSpeakerSession:
        """The session ``session_id``; ``LiveSpeakerError`` if there is none."""
        with self.engine.connect() as conn:
            return read_session(conn, check_id(session_id))

    def open_for(self, circle_id: str) -> LiveSpeakerSession | None:
        """The circle's open session, if one is open."""
        with self.engine.connect() as conn:
            found = conn.execute(select(SESSIONS.c.session_id).where(SESSIONS.c.open_circle == circle_id)).scalar()
            return None if found is None else read_session(conn, found)

    def current_for(self, circle_id: str) -> LiveSpeakerSession | None:
        """The circle's open session, else its latest ended one, else ``None``."""
        marker = self.current_marker(circle_id)
        return None if marker is None else self.session(marker[0])

    def current_marker(self, circle_id: str) -> tuple[int, int] | None:
        """``(session_id, version)`` of the circle's current session: one cheap query for a poll."""
        query = (
            select(SESSIONS.c.session_id, SESSIONS.c.version)
            .where(SESSIONS.c.circle_id == circle_id)
            .order_by(SESSIONS.c.open_circle.is_(None), SESSIONS.c.session_id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def version(self, session_id: int) -> int | None:
        """The session's change counter (``None`` if it does not exist): a poll reads only this."""
        with self.engine.connect() as conn:
            value = conn.execute(select(SESSIONS.c.version).where(SESSIONS.c.session_id == session_id)).scalar()
        return None if value is None else int(value)

    # -- writing ------------------------------------------------------------------------------
    def open_session(
        self, circle_id: str, keeper: str, settings_source: str, settings: dict[str, Any]
    ) -> LiveSpeakerSession:
        """Open a session for the circle, or continue the one already open.

        ``settings`` is the talarstatistik content (as from YAML); it is
        validated here and kept with the session, so every device counts with
        the same categories even if the file changes later.
        """
        parse_settings(settings, settings_source)  # ContentError names the problem
        existing = self.open_for(circle_id)
        if existing is not None:
            return existing
        if self.consent(circle_id) is None:  # no gender without the circle's consent
            settings = anonymous_settings(settings)
        parsed = parse_settings(settings, settings_source)
        now = self.clock()
        try:
            with self.engine.begin() as conn:
                session_id = conn.execute(
                    SESSIONS.insert().values(
                        circle_id=circle_id,
                        open_circle=circle_id,
                        keeper=keeper,
                        settings_source=settings_source,
                        settings_json=json.dumps(settings, ensure_ascii=False, default=str),
                        started_at=now,
                        ended_at=None,
                        version=1,
                        running_category=None,
                        running_started=None,
                        undo_json=None,
                        undo_until=None,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has its key
                conn.execute(
                    TALLIES.insert(),
                    [{"session_id": session_id, "category": c, "contributions": 0, "seconds": 0.0} for c in parsed.ids],
                )
        except IntegrityError:  # another device opened one in the same instant: continue that one
            existing = self.open_for(circle_id)
            if existing is None:
                raise
            return existing
        return self.session(session_id)

    def start(self, session_id: int, category: str, *, seen_version: int | None = None) -> TapOutcome:
        """Start a contribution for ``category``, ending any running one.

        ``seen_version`` is the version the keeper's device showed when tapped:
        if another device changed the session since and ``category`` already
        runs, that device already started it and nothing more is counted.
        """

        def apply(tally: Tally, settings: SpeakerSettings, version: int, now: float) -> dict[str, Any]:
            check_category(settings, category)
            if tally.running == category and seen_version is not None and seen_version != version:
                raise Unchanged({"action": "nothing", "category": category})
            previous = tally.running
            spoken, capped = tally.start(category, now, settings.max_minutes * 60.0)
            return {
                "action": "switched" if previous else "started",
                "category": category,
                "previous": previous,
                "spoken": spoken,
                "capped": capped,
            }

        return self._tap(session_id, apply)

    def stop(self, session_id: int, category: str | None = None) -> TapOutcome:
        """End the running contribution (only if it is ``category``'s, when given)."""

        def apply(tally: Tally, settings: SpeakerSettings, _version: int, now: float) -> dict[str, Any]:
            if category is not None:
                check_category(settings, category)
            running = tally.running
            if not running or (category is not None and running != category):
                raise Unchanged({"action": "nothing", "category": category or ""})
            spoken, capped = tally.stop(now, settings.max_minutes * 60.0)
            return {"action": "stopped", "category": running, "spoken": spoken, "capped": capped}

        return self._tap(session_id, apply)

    def undo(self, session_id: int) -> TapOutcome:
        """Take back the last tap, if it was at most ``undo_seconds`` ago (one step only)."""
        now = self.clock()
        session_id = check_id(session_id)
        with self.engine.begin() as conn:
            row = lock_session(conn, session_id)
            if row.undo_json is None or row.undo_until is None or now > row.undo_until:
                raise LiveSpeakerError(t("livespeaker.undo_too_late", seconds=int(self.undo_seconds)))
            settings = parse_settings(json.loads(row.settings_json), row.settings_source)
            before = Tally.from_json(json.loads(row.undo_json), settings)
            write_tally(conn, session_id, before, undo_json=None, undo_until=None)
            session = read_session(conn, session_id)
        return TapOutcome(session, "undone")

    def end(self, session_id: int) -> LiveSpeakerSession:
        """End the session: a running contribution is stopped and counted; the numbers stay for export.

        Ending a session that has already ended changes nothing (a second
        keeper device may press it too).
        """
        now = self.clock()
        session_id = check_id(session_id)
        with self.engine.begin() as conn:
            try:
                row = lock_session(conn, session_id)
            except LiveSpeakerError:
                ended = conn.execute(select(SESSIONS.c.ended_at).where(SESSIONS.c.session_id == session_id)).first()
                if ended is not None and ended[0] is not None:
                    return read_session(conn, session_id)
                raise
            settings = parse_settings(json.loads(row.settings_json), row.settings_source)
            tally = read_tally(conn, row, settings)
            tally.stop(now, settings.max_minutes * 60.0)
            write_tally(conn, session_id, tally, undo_json=None, undo_until=None)
            conn.execute(
                update(SESSIONS).where(SESSIONS.c.session_id == session_id).values(ended_at=now, open_circle=None)
            )
            return read_session(conn, session_id)

    # -- consent ------------------------------------------------------------------------------------
    def consent(self, circle_id: str) -> Consent | None:
        """The circle's consent to talarstatistik by gender, if it has given one."""
        with self.engine.connect() as conn:
            row = conn.execute(select(CONSENTS).where(CONSENTS.c.circle_id == circle_id)).first()
        if row is None:
            return None
        return Consent(row.circle_id, dt.date.fromisoformat(row.agreed_on), row.recorded_by, float(row.recorded_at))

    def give_consent(self, circle_id: str, recorded_by: str, agreed_on: Any) -> Consent:
        """Record that the circle agreed on ``agreed_on`` (a date, or ISO text); sessions opened after count gender.

        A date that cannot be read, or one in the future, is refused in plain Swedish.
        """
        now = self.clock()
        try:
            day = agreed_date(agreed_on, dt.date.fromtimestamp(now))
        except ValueError as exc:
            raise LiveSpeakerError(str(exc)) from None
        with self.engine.begin() as conn:
            conn.execute(delete(CONSENTS).where(CONSENTS.c.circle_id == circle_id))
            conn.execute(
                CONSENTS.insert().values(
                    circle_id=circle_id, agreed_on=day.isoformat(), recorded_by=recorded_by, recorded_at=now
                )
            )
        return Consent(circle_id, day, recorded_by, now)

    def withdraw_consent(self, circle_id: str) -> int:
        """Withdraw the circle's consent and delete its gender tallies; returns the sessions changed.

        Every session of the circle keeps only the anonymous count: its
        contributions and seconds summed over the categories, the running
        contribution kept running, and nothing left to undo (the undo step
        holds the tallies by gender too). Screens redraw (the version moves).
        """
        changed = 0
        with self.engine.begin() as conn:
            conn.execute(delete(CONSENTS).where(CONSENTS.c.circle_id == circle_id))
            rows = conn.execute(select(SESSIONS).where(SESSIONS.c.circle_id == circle_id)).all()
            for row in rows:
                settings = parse_settings(json.loads(row.settings_json), row.settings_source)
                if is_anonymous(settings.ids):
                    continue
                tallies = conn.execute(select(TALLIES).where(TALLIES.c.session_id == row.session_id)).all()
                conn.execute(delete(TALLIES).where(TALLIES.c.session_id == row.session_id))
                conn.execute(
                    TALLIES.insert().values(
                        session_id=row.session_id,
                        category=ANONYMOUS_ID,
                        contributions=sum(int(r.contributions) for r in tallies),
                        seconds=sum(float(r.seconds) for r in tallies),
                    )
                )
                raw = json.loads(row.settings_json)
                conn.execute(
                    update(SESSIONS)
                    .where(SESSIONS.c.session_id == row.session_id)
                    .values(
                        settings_json=json.dumps(anonymous_settings(raw), ensure_ascii=False, default=str),
                        running_category=ANONYMOUS_ID if row.running_category else None,
                        undo_json=None,
                        undo_until=None,
                        version=SESSIONS.c.version + 1,
                    )
                )
                changed += 1
        if self.engine.url.get_backend_name() == "sqlite":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
                db.exec_driver_sql("VACUUM")  # the deleted tallies leave the file's free pages too
                db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # ... and the write-ahead log
        return changed

    # -- internals ----------------------------------------------------------------------------------
    def _tap(
        self, session_id: int, apply: Callable[[Tally, SpeakerSettings, int, float], dict[str, Any]]
    ) -> TapOutcome:
        now = self.clock()
        session_id = check_id(session_id)
        try:
            with self.engine.begin() as conn:
                row = lock_session(conn, session_id)
                settings = parse_settings(json.loads(row.settings_json), row.settings_source)
                tally = read_tally(conn, row, settings)
                before = tally_json(tally)
                result = apply(tally, settings, int(row.version) - 1, now)
                write_tally(conn, row.session_id, tally, undo_json=before, undo_until=now + self.undo_seconds)
                session = read_session(conn, row.session_id)
        except Unchanged as unchanged:  # the transaction rolled back: the version did not move
            return TapOutcome(self.session(session_id), **unchanged.outcome_args)
        return TapOutcome(session, **result)
