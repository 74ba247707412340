"""The demo course run of ``cirkel serve --demo``: made once, with three pseudonymous learners.

Every module of ``courses/partiforeningsskola`` is released and fetched by each learner,
through Cirkel's own API, as a course leader's ``cirkel`` commands would.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from widgets.core.i18n import t
from widgets.core.resources import courses_folder, data_folder

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = ["DEMO_COURSE", "DEMO_DIR", "Learner", "DEMO_LEARNERS", "build_demo_run", "ensure_demo_run"]

#: The demo run's course (shipped as package data: ``widgets.core.resources``).
DEMO_COURSE = courses_folder() / "partiforeningsskola"
#: The demo run: ``.cirkel/demo`` in a checkout, ``~/.local/share/cirkel/demo`` when installed.
DEMO_DIR = data_folder() / "demo"
_DEMO_DONE = ".cirkel-demo-klar"


@dataclass(frozen=True)
class Learner:
    """A pseudonymous learner: a short id and the name shown to the course leader."""

    student_id: str
    name: str


DEMO_LEARNERS: tuple[Learner, ...] = (
    Learner("anna", "Anna"),
    Learner("bilal", "Bilal"),
    Learner("cecilia", "Cecilia"),
)


def build_demo_run(
    run_dir: str | os.PathLike[str],
    course_dir: str | os.PathLike[str] = DEMO_COURSE,
    learners: Sequence[Learner] = DEMO_LEARNERS,
    workspaces: str | None = None,
) -> CourseRun:
    """Create a course run with ``learners``, every module released and fetched by each.

    Uses nbgrader through Cirkel's own API (create, roster import, release,
    fetch), as a course leader's ``cirkel`` commands would. ``workspaces`` is the
    run's workspace template (see :func:`grading.course_runs.run.create_run`).
    """
    from grading.autograde.pipeline import fetch, release
    from grading.course_runs.roster import import_roster
    from grading.course_runs.run import create_run, ensure_tools_on_path

    run_dir = Path(run_dir)
    ensure_tools_on_path()  # nbgrader runs alembic
    course_run = create_run(course_dir, run_dir, workspaces=workspaces)
    with tempfile.TemporaryDirectory(prefix="cirkel-roster-") as folder:
        roster = Path(folder) / "deltagare.csv"
        _write_roster(roster, learners)
        import_roster(course_run, roster)
    release(course_run)
    for learner in learners:
        fetch(course_run, learner.student_id)
    return course_run


def _write_roster(path: Path, learners: Sequence[Learner]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "namn"])
        for learner in learners:
            writer.writerow([learner.student_id, learner.name])


def ensure_demo_run(run_dir: str | os.PathLike[str] = DEMO_DIR) -> CourseRun:
    """The demo course run, created on first use; a half-made one is made again."""
    from grading.course_runs.run import CourseRun

    run_dir = Path(run_dir)
    if (run_dir / _DEMO_DONE).exists():
        print(t("serve.demo_ready", path=run_dir), flush=True)
        return CourseRun(run_dir)
    if run_dir.exists():
        print(t("serve.demo_broken", path=run_dir), flush=True)
        shutil.rmtree(run_dir)
    print(t("serve.demo_creating", path=run_dir), flush=True)
    course_run = build_demo_run(run_dir)
    (run_dir / _DEMO_DONE).write_text("ok\n", encoding="utf-8")
    return course_run
