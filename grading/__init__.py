"""Cirkel's course leader's side: course runs on nbgrader, grading checks, completion.

An nbgrader "autograder tests" cell reads ``from grading import score_quiz``.
Names are imported lazily, so importing the package pulls in neither pandas,
nbgrader nor ipywidgets: a grading cell stays fast and works with no display.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Every grading check, as an nbgrader autograder cell names it.
CHECKS = (
    "score_quiz",
    "score_plan",
    "score_meeting_plan",
    "score_role_expectations",
    "score_handover_plan",
    "score_speaker_stats",
    "score_readability",
    "score_goal_calculator",
    "score_suppression",
    "score_voting",
    "score_role_finder",
)

__all__ = list(CHECKS)

_LAZY = {name: "grading.checks" for name in CHECKS}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grading' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
