"""What a course run's folders say about completion, each folder listed once.

The gradebook knows what was autograded; the folders know the rest: an
autograded notebook (``autograded/<id>/<module>/<module>.ipynb``), a collected
submission (``submitted/<id>/<module>/timestamp.txt``), one waiting in the
exchange's inbound (``<id>+<module>+<time>``), a module begun (an answer file
in the learner's ``svar/``), answer files that cannot be read. For a run of
thousands of learners each folder is listed once with ``os.scandir``, and a
file is read only where the table needs it.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, overload

from widgets.storage.answers import SETTING_IDS, unreadable_files

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = [
    "scandir",
    "autograded_pairs",
    "autograded_of",
    "collected_dirs",
    "submission_times",
    "Workspaces",
    "parse_time",
    "utc",
]


def scandir(path: Path | str) -> list[os.DirEntry[str]]:
    """The folder's entries, or none when it is missing or cannot be read."""
    try:
        with os.scandir(path) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def listdir(path: str) -> list[str]:
    """The folder's names, or none when it is missing or cannot be read."""
    try:
        return os.listdir(path)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []


def _learner_dirs(folder: Path, learners: Collection[str] | None) -> list[tuple[str, str]]:
    """(id, path) of each learner's folder in ``folder``: all of them, or only ``learners``'."""
    if learners is not None:
        # an id that could leave the folder names no learner's folder
        return [(sid, os.path.join(folder, sid)) for sid in learners if sid.strip(".") and os.sep not in sid]
    return [(e.name, e.path) for e in scandir(folder) if e.is_dir()]


def autograded_pairs(
    run: CourseRun, modules: set[str], learners: Collection[str] | None = None
) -> set[tuple[str, str]]:
    """(student, module) whose ``autograded/<id>/<module>/<module>.ipynb`` exists (of ``learners`` if given)."""
    found = set()
    for name, path in _learner_dirs(run.root / "autograded", learners):
        for module in scandir(path):
            if module.name in modules and os.path.isfile(os.path.join(module.path, f"{module.name}.ipynb")):
                found.add((name, module.name))
    return found


def autograded_of(run: CourseRun, pairs: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of ``pairs`` (each one the gradebook has a submission of) whose autograded notebook exists.

    One ``stat`` per submission: cheaper than listing every learner's folder in
    ``autograded/`` when the gradebook already says which ones can be there.
    """
    root = os.fspath(run.root / "autograded")
    isfile = os.path.isfile
    return {
        (sid, m) for sid, m in pairs if sid.strip(".") and os.sep not in sid and isfile(f"{root}/{sid}/{m}/{m}.ipynb")
    }


def collected_dirs(
    run: CourseRun, modules: set[str], learners: Collection[str] | None = None
) -> dict[tuple[str, str], str]:
    """(student, module) -> the collected submission's folder ``submitted/<id>/<module>`` (of ``learners``)."""
    found = {}
    for name, path in _learner_dirs(run.root / "submitted", learners):
        for module in scandir(path):
            if module.name in modules and module.is_dir():
                found[(name, module.name)] = module.path
    return found


def submission_times(
    run: CourseRun, collected: dict[tuple[str, str], str], wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], _dt.datetime]:
    """The latest submission time (UTC) of each wanted pair: its collected stamp and inbound names."""
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pair in wanted & collected.keys():
        try:
            with open(f"{collected[pair]}/timestamp.txt", encoding="utf-8") as handle:  # no Path: thousands
                texts[pair].append(handle.read())
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
    for entry in scandir(run.exchange_root / run.course_id / "inbound"):
        parts = entry.name.split("+")
        if len(parts) >= 3 and (parts[0], parts[1]) in wanted:
            texts[(parts[0], parts[1])].append(parts[2])
    found = {}
    for pair, stamps in texts.items():
        times = [stamp for stamp in map(parse_time, stamps) if stamp is not None]
        if times:
            found[pair] = max(times)
    return found


class Workspaces:
    """The learners' own ``svar/`` folders, each learner's course folder listed once."""

    def __init__(self, run: CourseRun) -> None:
        self.run = run
        self._svar: dict[str, dict[str, list[str]]] = {}

    def answers(self, student_id: str, module: str) -> list[str]:
        """File names in the learner's ``<course>/<module>/svar/`` (none without the folder)."""
        if student_id not in self._svar:
            self._svar[student_id] = self._read(student_id)
        return self._svar[student_id].get(module, [])

    def _read(self, student_id: str) -> dict[str, list[str]]:
        from grading.course_runs.run import RunError

        try:
            course_dir = self.run.workspace(student_id) / self.run.course_id
        except (ValueError, RunError):  # an id that cannot be a folder has no workspace
            return {}
        modules = set(self.run.modules)
        found = {}
        for module in scandir(course_dir):
            if module.name in modules:
                names = listdir(os.path.join(module.path, "svar"))
                if names:
                    found[module.name] = names
        return found

    def started(self, student_id: str, module: str) -> bool:
        """The learner saved an answer in the module (a setting such as the text version does not count)."""
        return any(name.endswith(".json") and name[:-5] not in SETTING_IDS for name in self.answers(student_id, module))

    def svar_dir(self, student_id: str, module: str) -> Path:
        return self.run.workspace(student_id) / self.run.course_id / module / "svar"


def unreadable_in(
    folder: Path | str, names: list[str] | None = None, readable: Callable[[str, str], bool | None] | None = None
) -> list[str]:
    """Answer files in ``folder`` that cannot be read (:func:`widgets.storage.answers.unreadable_files`)."""
    return unreadable_files(folder, names, readable)


def parse_time(text: str) -> _dt.datetime | None:
    """A time as nbgrader writes it (``timestamp.txt``, an inbound name), in UTC; ``None`` if not one.

    nbgrader's own form (``2026-11-20 10:00:00.123456 UTC``) is read directly,
    any other through dateutil, which takes a hundred times longer.
    """
    text = text.strip()
    if text.endswith(" UTC"):
        try:
            value = _dt.datetime.fromisoformat(text[:-4])
        except ValueError:
            value = None
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=_dt.UTC)
    from dateutil.parser import parse

    try:
        return utc(parse(text))
    except (ValueError, OverflowError):
        return None


@overload
def utc(value: _dt.datetime) -> _dt.datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: _dt.datetime | None) -> _dt.datetime | None:
    """``value`` in UTC; a naive time is taken as UTC (nbgrader stores UTC without a zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.UTC)
    return value.astimezone(_dt.UTC)
