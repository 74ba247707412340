"""Learners who wait for each other between steps, so each step's CPU can be divided among them.

Used by ``hub_load.py --steps-together``; its own small module so that the test
of it (``tests/unit/test_benchmark_costs.py``) need not import the whole load.
"""

from __future__ import annotations

import threading

__all__ = ["Pacer"]


class Pacer:
    """Where one learner waits for the others: at the start, and with ``together`` before every step.

    ``barriers[k]`` is passed before step ``k`` (the last one after the last step);
    its action notes the time and the CPU used so far, so a step's cost is the
    difference between two marks. A learner who failed still passes each barrier left,
    so the others never wait for them for ever.
    """

    def __init__(self, barriers: list[threading.Barrier]) -> None:
        self.barriers = barriers
        self.passed = 0

    def at(self, step: int) -> None:
        while self.passed <= step and self.passed < len(self.barriers):
            self.barriers[self.passed].wait()
            self.passed += 1

    def finish(self) -> None:
        self.at(len(self.barriers) - 1)
