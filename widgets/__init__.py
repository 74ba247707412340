"""Cirkel's learner's side, in layers: ``pages`` and ``exercises`` over the UI ``kit``, over
``storage`` (the answer store, live stores, hand-in), ``models`` (content, answers, the kinds
registry) and ``core`` (errors, strings, formats); docs/architecture.md draws it.

A course notebook reads ``from widgets import MeetingRoleQuiz``. The widget
classes are imported lazily, so ``widgets.core.i18n`` and ``widgets.storage.answers`` (used
by the ``cirkel`` command and the grading checks) never pull in ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

from widgets.models.kinds import KINDS

#: Exercise widgets a module may name in ``module.yml``, and the module of each (``widgets.models.kinds``).
EXERCISE_WIDGETS = {kind.widget: kind.module for kind in KINDS.values()}

#: The loader of each exercise widget's content file (``module:function``), the one its
#: ``from_file`` uses: it reads and checks the file and raises a ``ContentError`` naming the place.
#: None imports ipywidgets, so a course can be checked without drawing anything. A Reflection
#: has no content file.
EXERCISE_CONTENT_LOADERS = {kind.widget: kind.content_loader for kind in KINDS.values() if kind.content_loader}

_LAZY = {
    **EXERCISE_WIDGETS,
    "AnswerStore": "widgets.storage.answers",
    "SubmitPanel": "widgets.pages.submit",
    "TextVersions": "widgets.exercises.text_versions",
    "t": "widgets.core.i18n",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
