"""Cirkel's course leader's side: course runs on nbgrader, grading checks, completion.

Sub-packages by responsibility, in layers (docs/architecture.md): ``cli`` over ``personal_data``,
``hub``, ``servers`` and ``reports``, ``autograde``, ``circles``, ``course_runs``, and at the bottom
``course``, ``checks`` and ``system``.

An nbgrader "autograder tests" cell reads ``from grading import score_quiz``.
Names are imported lazily, so importing the package pulls in neither pandas,
nbgrader nor ipywidgets: a grading cell stays fast and works with no display.
"""

from __future__ import annotations

import importlib
from typing import Any

from widgets.models.kinds import CHECK_MODULES

#: Every grading check, as an nbgrader autograder cell names it (one per kind in ``widgets.models.kinds``).
CHECKS = tuple(CHECK_MODULES)

__all__ = list(CHECKS)

_LAZY = {name: "grading.checks" for name in CHECKS}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grading' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
