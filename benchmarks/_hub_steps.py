"""What one simulated learner of ``hub_load.py`` does, and how a step's failure and time are kept."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["MODULE", "QUIZ", "STEPS", "LearnerRun", "StepFailed", "left"]

#: the module every learner opens: it has the quiz and the submit panel
MODULE = "05-moten"
#: the quiz's exercise id, which names its answer file ``svar/<QUIZ>.json``
QUIZ = "motesroller"
STEPS = ("login+spawn", "landing page", "open module", "answer", "submit")


@dataclass
class LearnerRun:
    """One simulated learner: the seconds each step took, and why it failed if it did."""

    name: str
    times: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.times.values())


class StepFailed(Exception):
    """A step did not do what a learner would see it do; the message says what."""


def left(deadline: float) -> float:
    """Seconds to the deadline; past it, the step has failed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise StepFailed("timed out")
    return remaining
