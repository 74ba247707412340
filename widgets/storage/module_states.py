"""Each of the learner's fetched modules with its state, read from her own workspace.

The learner's side cannot read the gradebook, so a module's state comes from what her workspace
holds (``<workspace>/<course_id>/<module>/``), with the four states of the course leader's report
(``grading.reports.completion``): ``rattad`` (nbgrader's feedback fetched into ``<module>/feedback/``),
``inlamnad`` (nbgrader's submission record in the exchange cache), ``paborjad`` (answers saved in
``<module>/svar/``), ``ej_paborjad``. "Mina moduler" shows them (``widgets.pages.home``); a learner's
server preheats the module she will most likely open next (:func:`next_module`,
``grading.servers.preheat_manager``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from widgets.core.i18n import t
from widgets.storage.feedback_points import CACHE_DIRNAME
from widgets.storage.submission import Learner

__all__ = ["STATES", "ModuleStatus", "module_states", "next_module", "submission_times"]

#: States in order of progress, as in ``grading.reports.completion.STATES``.
STATES = ("ej_paborjad", "paborjad", "inlamnad", "rattad")


@dataclass(frozen=True)
class ModuleStatus:
    """One module of the learner's, as the home shows it.

    ``notebook`` and ``feedback`` are relative to the learner's workspace.
    """

    module: str
    title: str
    state: str
    notebook: str
    submitted_at: _dt.datetime | None = None
    feedback: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown state {self.state!r}")

    @property
    def label(self) -> str:
        """The state as a person reads it."""
        return t(f"completion.state.{self.state}")


def _module_title(notebook: Path, module: str) -> str:
    """The module's title: the first Markdown heading of the notebook, else its folder name."""
    import json

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return module
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip() or module
    return module


def submission_times(learner: Learner, module: str) -> list[_dt.datetime]:
    """Times of the learner's submissions of ``module`` from nbgrader's submission record."""
    from dateutil.parser import parse

    cache = learner.workspace / CACHE_DIRNAME / learner.course_id
    found = []
    for entry in cache.glob(f"{learner.student_id}+{module}+*") if cache.is_dir() else []:
        parts = entry.name.split("+")
        if len(parts) == 3 and parts[0] == learner.student_id and parts[1] == module:
            try:
                stamp = parse(parts[2])
            except (ValueError, OverflowError):
                continue
            found.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=_dt.UTC))
    return sorted(found)


def _feedback(module_dir: Path, workspace: Path) -> tuple[str, ...]:
    """The newest fetched feedback's HTML files, relative to the workspace."""
    folder = module_dir / "feedback"
    stamps = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for stamp in reversed(stamps):
        files = sorted(stamp.glob("*.html"))
        if files:
            return tuple(f.relative_to(workspace).as_posix() for f in files)
    return ()


def module_states(learner: Learner) -> list[ModuleStatus]:
    """The learner's fetched modules (``<workspace>/<course_id>/<module>/<module>.ipynb``), by name."""
    course = learner.workspace / learner.course_id
    statuses = []
    for module_dir in sorted(p for p in course.iterdir() if p.is_dir()) if course.is_dir() else []:
        module = module_dir.name
        notebook = module_dir / f"{module}.ipynb"
        if not notebook.is_file():
            continue
        feedback = _feedback(module_dir, learner.workspace)
        submitted = submission_times(learner, module)
        svar = module_dir / "svar"
        if feedback:
            state = "rattad"
        elif submitted:
            state = "inlamnad"
        elif svar.is_dir() and any(svar.glob("*.json")):
            state = "paborjad"
        else:
            state = "ej_paborjad"
        statuses.append(
            ModuleStatus(
                module,
                _module_title(notebook, module),
                state,
                notebook.relative_to(learner.workspace).as_posix(),
                submitted[-1] if submitted else None,
                feedback,
            )
        )
    return statuses


def next_module(statuses: list[ModuleStatus]) -> ModuleStatus | None:
    """The module she will most likely open next: the first she has begun, else the first not begun (none: all handed in)."""
    for state in ("paborjad", "ej_paborjad"):
        for status in statuses:
            if status.state == state:
                return status
    return None
