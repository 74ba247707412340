"""A clock a test moves by hand, for the widgets and stores that take ``clock=`` (talarstatistik's timers)."""

from __future__ import annotations

__all__ = ["START", "FakeClock"]

#: 2023-11-14: a fixed moment to start from
START = 1_700_000_000.0


class FakeClock:
    """Called like ``time.time``; ``advance`` moves it (every device of a run reads the same one)."""

    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
