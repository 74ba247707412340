"""Every exercise's content file read by its widget's own loader, before a run is made or released.

A broken question bank used to be found only when a learner opened the module
(the widget reads its file then). :func:`check_content` runs the loader the
widget's ``from_file`` uses (``widgets.EXERCISE_CONTENT_LOADERS``) on each
exercise's content file, so ``cirkel run create`` (through
``grading.course.load_module``) and ``cirkel release`` (``grading.pipeline.check_released_module``)
stop with the file, the line and the place before anything is written.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import yaml

from widgets import EXERCISE_CONTENT_LOADERS
from widgets.content import ContentError
from widgets.i18n import SAFE_LOADER, t

__all__ = ["check_content", "line_of"]


class _Exercise(Protocol):
    """What the check reads of an exercise (``grading.course.ExerciseSpec`` has it; not imported, as course uses this module)."""

    widget: str
    content: str | None


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
    the line of the place it names.
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
    """The same problem, named by the file's full path and (when it can be found) its line."""
    path = problem.path if problem.path.parent != Path() else folder / problem.path
    line = problem.line
    where = problem.where
    if line is None and path.suffix in (".yml", ".yaml"):
        line = line_of(path, where)
        if line is not None:
            where = t("content.line_and_place", line=line, where=where) if where else t("content.line_only", line=line)
    return ContentError(path, where, problem.problem, line=line)


def line_of(path: str | Path, where: str) -> int | None:
    """The line (from 1) of a place such as ``questions[3].options`` in a YAML file.

    The deepest part of the place that exists is used (a missing key: the line of the
    mapping that lacks it). ``None`` when the file cannot be parsed.
    """
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key, index in _STEP.findall(where or ""):
        child = None
        if index and isinstance(node, yaml.SequenceNode):
            number = int(index) - 1
            child = node.value[number] if 0 <= number < len(node.value) else None
            mark = child.start_mark if child is not None else None
        elif key and isinstance(node, yaml.MappingNode):
            pair = next(((name, value) for name, value in node.value if name.value == key.strip()), None)
            child, mark = (pair[1], pair[0].start_mark) if pair else (None, None)  # the key's line
        if child is None:
            break
        node, line = child, mark.line + 1
    return line
