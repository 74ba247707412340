"""A study circle and its meetings as records: what the circles store and the study rules share.

Kept apart from :mod:`grading.circles.store` (the store, which checks circles against the study
rules when it exports attendance) so that :mod:`grading.circles.study_rules` can read the records
without importing the store back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Circle", "Meeting"]


@dataclass(frozen=True)
class Circle:
    """A study circle; ``members`` include the leader (``leader_id`` is ``""`` once erased)."""

    circle_id: str
    name: str
    leader_id: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Meeting:
    """One meeting (träff) of a circle: a date, a start and an end, and the breaks in minutes."""

    meeting_id: int
    circle_id: str
    date: dt.date
    start: dt.time
    end: dt.time
    break_minutes: int

    @property
    def minutes(self) -> int:
        """Minutes from start to end, breaks included."""
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def label(self) -> str:
        """``2026-12-01 18:00–20:30``: how a person names the meeting."""
        return f"{self.date.isoformat()} {self.start:%H:%M}–{self.end:%H:%M}"
