"""Cirkel's exercise widgets and the answer store: the learner's side.

A course notebook reads ``from widgets import MeetingRoleQuiz``. The widget
classes are imported lazily, so ``widgets.i18n`` and ``widgets.store`` (used
by the ``cirkel`` command and the grading checks) never pull in ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AnswerStore",
    "MeetingRoleQuiz",
    "StrategicPlanBuilder",
    "Reflection",
    "SubmitPanel",
    "t",
]

_LAZY = {
    "AnswerStore": "widgets.store",
    "MeetingRoleQuiz": "widgets.quiz",
    "StrategicPlanBuilder": "widgets.plan",
    "Reflection": "widgets.reflection",
    "SubmitPanel": "widgets.submit",
    "t": "widgets.i18n",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
