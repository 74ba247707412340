"""Live talarstatistik as shared state: one session per circle, counted in the course run's live store.

A study circle keeps talarstatistik on one device (the keeper's phone or
laptop) while the big screen shows the chart; a second keeper device may join.
Each device has its own kernel, so the session lives in the run's live database
(``widgets.storage.live_db``): a session row per circle and meeting, and per category
the number of contributions and the seconds spoken. Only aggregates are kept,
as DESIGN.md asks: never a name, never a log of who spoke when. Gender is
counted only after the circle has agreed (``widgets.storage.speaker_consent``): until
then a session counts every contribution under one anonymous category. The running
contribution's category and start time are kept too, so a reloaded keeper page
or a newly opened screen continues it.

Every tap is one transaction that first bumps the session's change counter
(``version``): that takes the write lock before anything is read (SQLite) or
locks the session row (PostgreSQL), so two keepers tapping at once are applied
one after the other and nothing is lost. Pure Python, no ipywidgets.

One job per module: ``tables``, ``records`` (what is handed out), ``rows`` (a session's rows
inside a transaction), ``store`` (:class:`LiveSpeakerStore`) and ``settings`` (the run's
talarstatistik content).
"""

from __future__ import annotations

from widgets.storage.live_speaker.records import LiveSpeakerError, LiveSpeakerSession, TapOutcome
from widgets.storage.live_speaker.settings import find_run_settings
from widgets.storage.live_speaker.store import UNDO_SECONDS, LiveSpeakerStore
from widgets.storage.live_speaker.tables import SESSIONS, TALLIES

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
