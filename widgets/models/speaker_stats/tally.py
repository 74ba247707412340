"""A meeting's tally: contributions and seconds per category, and the running contribution."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from widgets.models.speaker_stats.settings import SpeakerSettings


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    return int(value)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0.0
    return float(value)


@dataclass
class Tally:
    """Counts and seconds per category, and the contribution running now (if any).

    All times are seconds from the widget's clock (``time.time`` by default).
    """

    counts: dict[str, int]
    seconds: dict[str, float]
    running: str = ""
    started: float = 0.0

    @classmethod
    def empty(cls, settings: SpeakerSettings) -> Tally:
        return cls(counts={c: 0 for c in settings.ids}, seconds={c: 0.0 for c in settings.ids})

    def to_json(self) -> dict[str, Any]:
        running = {"category": self.running, "started": self.started} if self.running else None
        return {"counts": dict(self.counts), "seconds": dict(self.seconds), "running": running}

    @classmethod
    def from_json(cls, data: Any, settings: SpeakerSettings) -> Tally:
        """A tally from saved data; unknown categories and damaged numbers are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}
        counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
        seconds = data.get("seconds") if isinstance(data.get("seconds"), dict) else {}
        tally = cls(
            counts={c: _count(counts.get(c)) for c in settings.ids},
            seconds={c: _seconds(seconds.get(c)) for c in settings.ids},
        )
        running = data.get("running")
        if isinstance(running, dict) and running.get("category") in settings.ids:
            started = running.get("started")
            if not isinstance(started, bool) and isinstance(started, (int, float)) and math.isfinite(started):
                tally.running, tally.started = running["category"], float(started)
        return tally

    @property
    def total_contributions(self) -> int:
        return sum(self.counts.values())

    def elapsed(self, now: float) -> float:
        """Seconds the running contribution has lasted (0 when none runs or the clock went back)."""
        return max(0.0, now - self.started) if self.running else 0.0

    def live_seconds(self, now: float) -> dict[str, float]:
        """Seconds per category with the running contribution's time so far included."""
        live = dict(self.seconds)
        if self.running:
            live[self.running] += self.elapsed(now)
        return live

    def start(self, category: str, now: float, max_seconds: float) -> tuple[float, bool]:
        """Stop any running contribution, then start one for ``category`` and count it.

        Returns what ``stop`` returned for the contribution that was running.
        """
        ended = self.stop(now, max_seconds)
        self.counts[category] += 1
        self.running, self.started = category, now
        return ended

    def stop(self, now: float, max_seconds: float) -> tuple[float, bool]:
        """End the running contribution and add its time, at most ``max_seconds``.

        Returns the seconds added and whether they were cut to ``max_seconds``
        (someone forgot to stop, or the page was left overnight).
        """
        if not self.running:
            return 0.0, False
        spoken = self.elapsed(now)
        capped = spoken > max_seconds
        spoken = min(spoken, max_seconds)
        self.seconds[self.running] += spoken
        self.running, self.started = "", 0.0
        return spoken, capped
