"""Every exercise's content file read by its widget's own loader, before a run is made or released.

A broken question bank used to be found only when a learner opened the module
(the widget reads its file then). :func:`check_content` runs the loader the
widget's ``from_file`` uses (``widgets.EXERCISE_CONTENT_LOADERS``) on each
exercise's content file, so ``cirkel run create`` (through
``grading.course.loading.load_module``) and ``cirkel release`` (``grading.autograde.pipeline.check_released_module``)
stop with the file, the line and the place before anything is written.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from widgets import EXERCISE_CONTENT_LOADERS
from widgets.core.i18n import t
from widgets.models.check import line_at
from widgets.models.content import ContentError

__all__ = ["check_content", "line_of"]


class _Exercise(Protocol):
    """What the check reads of an exercise (``grading.course.loading.ExerciseSpec`` has it; not imported, as course uses this module)."""

    @property
    def widget(self) -> str: ...
    @property
    def content(self) -> str | None: ...


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _loader(widget: str) -> Callable[[Path], Any] | None:
    target = EXERCISE_CONTENT_LOADERS.get(widget)
    if target is None:
        return None
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def check_content(module_dir: str | Path, exercises: Iterable[_Exercise]) -> None:
    """Read every exercise's content file in ``module_dir`` with its widget's loader.

    Raises the loader's ``ContentError``, with the file's full path and, for a YAML file,
    the line and the field it names.
    """
    folder = Path(module_dir)
    for exercise in exercises:
        load = _loader(exercise.widget)
        if load is None or not exercise.content:
            continue
        path = folder / exercise.content
        try:
            load(path)
        except ContentError as problem:
            raise _placed(problem, folder) from None


def _placed(problem: ContentError, folder: Path) -> ContentError:
    """The same problem, named by the file's full path and (when it can be found) its line and field."""
    path = problem.path if problem.path.parent != Path() else folder / problem.path
    if problem.line is not None or path.suffix not in (".yml", ".yaml"):
        return ContentError(path, problem.where, problem.problem, line=problem.line, field=problem.field)
    line = line_of(path, problem.where)
    if line is not None and not problem.where:
        return ContentError(path, t("content.line_only", line=line), problem.problem, line=line)
    return ContentError(path, problem.where, problem.problem, line=line, field=line is not None)


def line_of(path: str | Path, where: str) -> int | None:
    """The line (from 1) of a place such as ``questions[3].options`` in a YAML file.

    The deepest part of the place that exists is used (a missing key: the line of the
    mapping that lacks it). ``None`` when the file cannot be parsed.
    """
    loc = tuple(int(index) - 1 if index else key.strip() for key, index in _STEP.findall(where or ""))
    return line_at(path, loc)
