"""What the person-data functions hand back, and how they say no."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from grading.course_runs.run import RunError

MANIFEST = "manifest.json"


class PersonDataError(RunError):
    """A request about one person that cannot be done; the message is plain Swedish."""


@dataclass
class Erasure:
    """What :func:`erase_person` did: the places it erased, and the marker left in the access log."""

    student_id: str
    marker: str
    removed: list[str] = field(default_factory=list)
    already_erased: bool = False
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PruneCandidate:
    """A learner past the retention period: who, and their last activity (``None``: never active)."""

    student_id: str
    last_activity: _dt.datetime | None


def iso_time(value: _dt.datetime | None) -> str | None:
    """A time as the export writes it: ISO 8601 to the second, UTC when it carries no zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    return value.isoformat(timespec="seconds")
