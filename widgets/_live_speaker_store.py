"""Live talarstatistik as shared state: one session per circle, counted in the course run's live store.

A study circle keeps talarstatistik on one device (the keeper's phone or
laptop) while the big screen shows the chart; a second keeper device may join.
Each device has its own kernel, so the session lives in the run's live database
(``widgets.live_db``): a session row per circle and meeting, and per category
the number of contributions and the seconds spoken. Only aggregates are kept,
as DESIGN.md asks: never a name, never a log of who spoke when. Gender is
counted only after the circle has agreed (``widgets._speaker_consent``): until
then a session counts every contribution under one anonymous category. The running
contribution's category and start time are kept too, so a reloaded keeper page
or a newly opened screen continues it.

Every tap is one transaction that first bumps the session's change counter
(``version``): that takes the write lock before anything is read (SQLite) or
locks the session row (PostgreSQL), so two keepers tapping at once are applied
one after the other and nothing is lost. Pure Python, no ipywidgets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text, bindparam, delete, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ._speaker_consent import ANONYMOUS_ID, CONSENTS, Consent, agreed_date, anonymous_settings, is_anonymous
from ._speaker_stats_model import SpeakerSettings, Tally, parse_settings
from .content import ContentError
from .errors import CirkelError
from .i18n import t, yaml_data
from .live_db import BLANK, METADATA, PERSON, live_engine

__all__ = [
    "SESSIONS",
    "TALLIES",
    "UNDO_SECONDS",
    "LiveSpeakerError",
    "LiveSpeakerSession",
    "TapOutcome",
    "LiveSpeakerStore",
    "find_run_settings",
]

#: how long after a tap the keeper may take it back
UNDO_SECONDS = 30.0
_WIDGET = "SpeakerStats"

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


class LiveSpeakerError(CirkelError):
    """A live talarstatistik action that cannot be done; the message is plain Swedish."""


@dataclass(frozen=True)
class LiveSpeakerSession:
    """One circle's talarstatistik session as stored: its settings and its aggregates."""

    session_id: int
    circle_id: str
    keeper: str
    settings_source: str
    settings: SpeakerSettings
    started_at: float
    ended_at: float | None
    version: int
    tally: Tally
    undo_until: float | None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_anonymous(self) -> bool:
        """Counted without consent: turns and speaking time only, no gender."""
        return is_anonymous(self.settings.ids)

    def can_undo(self, now: float) -> bool:
        """Whether the last tap may still be taken back."""
        return self.is_open and self.undo_until is not None and now <= self.undo_until


@dataclass(frozen=True)
class TapOutcome:
    """What one tap did.

    Attributes
    ----------
    action:
        ``started``, ``switched`` (one contribution ended, another began),
        ``stopped``, ``undone``, or ``nothing`` (someone else already did it,
        or nothing was running).
    category:
        The category started or stopped (for ``switched``: the new one).
    previous:
        For ``switched``: the category whose contribution ended.
    spoken, capped:
        The seconds added for the contribution that ended, and whether they
        were cut to the settings' ``max_minutes``.
    """

    session: LiveSpeakerSession
    action: str
    category: str = ""
    previous: str = ""
    spoken: float = 0.0
    capped: bool = False


class _Unchanged(CirkelError):
    """Raised inside a tap's transaction to roll it back when the tap changes nothing."""

    def __init__(self, outcome_args: dict[str, Any]):
        super().__init__()
        self.outcome_args = outcome_args


def _tally_json(tally: Tally) -> str:
    return json.dumps(tally.to_json(), ensure_ascii=False, sort_keys=True)


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


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
            return self._read(conn, self._check_id(session_id))

    def open_for(self, circle_id: str) -> LiveSpeakerSession | None:
        """The circle's open session, if one is open."""
        with self.engine.connect() as conn:
            found = conn.execute(select(SESSIONS.c.session_id).where(SESSIONS.c.open_circle == circle_id)).scalar()
            return None if found is None else self._read(conn, found)

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
            self._check_category(settings, category)
            if tally.running == category and seen_version is not None and seen_version != version:
                raise _Unchanged({"action": "nothing", "category": category})
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
                self._check_category(settings, category)
            running = tally.running
            if not running or (category is not None and running != category):
                raise _Unchanged({"action": "nothing", "category": category or ""})
            spoken, capped = tally.stop(now, settings.max_minutes * 60.0)
            return {"action": "stopped", "category": running, "spoken": spoken, "capped": capped}

        return self._tap(session_id, apply)

    def undo(self, session_id: int) -> TapOutcome:
        """Take back the last tap, if it was at most ``undo_seconds`` ago (one step only)."""
        now = self.clock()
        session_id = self._check_id(session_id)
        with self.engine.begin() as conn:
            row = self._lock(conn, session_id)
            if row.undo_json is None or row.undo_until is None or now > row.undo_until:
                raise LiveSpeakerError(t("livespeaker.undo_too_late", seconds=int(self.undo_seconds)))
            settings = parse_settings(json.loads(row.settings_json), row.settings_source)
            before = Tally.from_json(json.loads(row.undo_json), settings)
            self._write(conn, session_id, before, undo_json=None, undo_until=None)
            session = self._read(conn, session_id)
        return TapOutcome(session, "undone")

    def end(self, session_id: int) -> LiveSpeakerSession:
        """End the session: a running contribution is stopped and counted; the numbers stay for export.

        Ending a session that has already ended changes nothing (a second
        keeper device may press it too).
        """
        now = self.clock()
        session_id = self._check_id(session_id)
        with self.engine.begin() as conn:
            try:
                row = self._lock(conn, session_id)
            except LiveSpeakerError:
                ended = conn.execute(select(SESSIONS.c.ended_at).where(SESSIONS.c.session_id == session_id)).first()
                if ended is not None and ended[0] is not None:
                    return self._read(conn, session_id)
                raise
            settings = parse_settings(json.loads(row.settings_json), row.settings_source)
            tally = self._tally(conn, row, settings)
            tally.stop(now, settings.max_minutes * 60.0)
            self._write(conn, session_id, tally, undo_json=None, undo_until=None)
            conn.execute(
                update(SESSIONS).where(SESSIONS.c.session_id == session_id).values(ended_at=now, open_circle=None)
            )
            return self._read(conn, session_id)

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
    @staticmethod
    def _check_id(session_id: Any) -> int:
        try:
            return int(session_id)
        except (TypeError, ValueError):
            raise LiveSpeakerError(t("livespeaker.unknown_session", id=session_id)) from None

    @staticmethod
    def _check_category(settings: SpeakerSettings, category: str) -> None:
        if category not in settings.ids:
            raise LiveSpeakerError(t("speaker_stats.unknown_category", category=category))

    def _lock(self, conn: Connection, session_id: int) -> Any:
        """Bump the open session's version first (the write lock), then read its row."""
        session_id = self._check_id(session_id)
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

    def _tap(
        self, session_id: int, apply: Callable[[Tally, SpeakerSettings, int, float], dict[str, Any]]
    ) -> TapOutcome:
        now = self.clock()
        session_id = self._check_id(session_id)
        try:
            with self.engine.begin() as conn:
                row = self._lock(conn, session_id)
                settings = parse_settings(json.loads(row.settings_json), row.settings_source)
                tally = self._tally(conn, row, settings)
                before = _tally_json(tally)
                result = apply(tally, settings, int(row.version) - 1, now)
                self._write(conn, row.session_id, tally, undo_json=before, undo_until=now + self.undo_seconds)
                session = self._read(conn, row.session_id)
        except _Unchanged as unchanged:  # the transaction rolled back: the version did not move
            return TapOutcome(self.session(session_id), **unchanged.outcome_args)
        return TapOutcome(session, **result)

    @staticmethod
    def _tally(conn: Connection, row: Any, settings: SpeakerSettings) -> Tally:
        rows = conn.execute(
            select(TALLIES.c.category, TALLIES.c.contributions, TALLIES.c.seconds).where(
                TALLIES.c.session_id == row.session_id
            )
        ).all()
        running = None
        if row.running_category and _finite(row.running_started) is not None:
            running = {"category": row.running_category, "started": float(row.running_started)}
        return Tally.from_json(
            {"counts": {r[0]: r[1] for r in rows}, "seconds": {r[0]: r[2] for r in rows}, "running": running}, settings
        )

    @staticmethod
    def _write(
        conn: Connection, session_id: int, tally: Tally, *, undo_json: str | None, undo_until: float | None
    ) -> None:
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

    def _read(self, conn: Connection, session_id: int) -> LiveSpeakerSession:
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
            ended_at=_finite(row.ended_at),
            version=int(row.version),
            tally=self._tally(conn, row, settings),
            undo_until=_finite(row.undo_until),
        )


def find_run_settings(run_dir: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """The talarstatistik content of the run's course: ``(path relative to the run, content)``.

    The first module (in teaching order) with a ``SpeakerStats`` exercise
    gives it, from ``<run>/source/<module>/<content>.yml``. A run without one,
    or with a file that does not validate, gets a ``LiveSpeakerError`` naming
    what is wrong.
    """
    root = Path(run_dir)
    modules: list[str] = []
    info_file = root / "cirkel-run.yml"
    try:
        info = yaml_data(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
        if isinstance(info, dict) and isinstance(info.get("modules"), list):
            modules = [str(m) for m in info["modules"]]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        modules = []
    source = root / "source"
    if not modules and source.is_dir():
        modules = sorted(p.name for p in source.iterdir() if (p / "module.yml").is_file())
    for module in modules:
        module_file = source / module / "module.yml"
        try:
            data = yaml_data(module_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        exercises = data.get("exercises") if isinstance(data, dict) else None
        for exercise in exercises if isinstance(exercises, list) else []:
            if isinstance(exercise, dict) and exercise.get("widget") == _WIDGET and exercise.get("content"):
                path = source / module / str(exercise["content"])
                relative = path.relative_to(root).as_posix()
                try:
                    raw = yaml_data(path.read_text(encoding="utf-8"))
                    parse_settings(raw, relative)
                except ContentError as exc:
                    raise LiveSpeakerError(t("livespeaker.bad_settings", reason=str(exc))) from None
                except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
                    raise LiveSpeakerError(t("livespeaker.bad_settings", reason=f"{relative}: {exc}")) from None
                return relative, raw
    raise LiveSpeakerError(t("livespeaker.no_settings"))
