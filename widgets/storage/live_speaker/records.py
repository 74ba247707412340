"""What live talarstatistik hands out: a session, a tap's outcome, and the one error."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from widgets.core.errors import CirkelError
from widgets.models.speaker_stats import SpeakerSettings, Tally
from widgets.storage.speaker_consent import is_anonymous


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


class Unchanged(CirkelError):
    """Raised inside a tap's transaction to roll it back when the tap changes nothing."""

    def __init__(self, outcome_args: dict[str, Any]):
        super().__init__()
        self.outcome_args = outcome_args


def tally_json(tally: Tally) -> str:
    """The aggregates as the undo step keeps them."""
    return json.dumps(tally.to_json(), ensure_ascii=False, sort_keys=True)


def finite(value: Any) -> float | None:
    """A stored time as a number, or ``None`` when it is none."""
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None
