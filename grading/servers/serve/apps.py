"""The apps a course run serves: where they ship, and where in the run they are copied.

The report, the dashboard, the gallery and the attendance app go to ``<run>/appar``, the study
circles' live apps to ``<run>/samverkan``, and "Mina moduler" into each learner's workspace;
Voilà serves only below the run's root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from widgets.core.resources import checkout, package_folder

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = [
    "REPO_ROOT",
    "APPS",
    "TEMPLATE_NAME",
    "TEMPLATE_ROOT",
    "REPORT_NOTEBOOK",
    "GALLERY_NOTEBOOK",
    "ATTENDANCE_NOTEBOOK",
    "DASHBOARD_NOTEBOOK",
    "HOME_NOTEBOOK",
    "APPS_DIRNAME",
    "LIVE_APPS",
    "LIVE_DIRNAME",
    "install_apps",
    "home_path",
    "report_path",
    "gallery_path",
]

#: The repository when Cirkel runs from a checkout (the tests read its apps), else ``None``.
REPO_ROOT = checkout()
#: The apps' package folder: its notebooks and template are package data, in a checkout and an install alike.
APPS = package_folder("voila_apps")
#: The Voilà template every Cirkel app is rendered with.
TEMPLATE_NAME = "cirkel"
#: A Jupyter data directory holding ``voila/templates/cirkel``; put on ``JUPYTER_PATH``.
TEMPLATE_ROOT = APPS / "share"
#: The course leader's report app, copied into the run so Voilà may serve it.
REPORT_NOTEBOOK = APPS / "rapport.ipynb"
#: The course authors' widget gallery (gallery files and answers: see ``widgets.pages.gallery``).
GALLERY_NOTEBOOK = APPS / "galleri.ipynb"
#: The cirkelledare's attendance app (study circles, meetings, the study association's rules).
ATTENDANCE_NOTEBOOK = APPS / "narvaro.ipynb"
#: The course leader's completion dashboard (circles, who is behind, plots, a learner's page).
DASHBOARD_NOTEBOOK = APPS / "oversikt.ipynb"
#: The learner's home, "Mina moduler", copied into each learner's workspace (see ``widgets.pages.home``).
HOME_NOTEBOOK = APPS / "mina-moduler.ipynb"
#: Where in a course run the apps are copied (Voilà serves only below its root).
APPS_DIRNAME = "appar"
#: The study circles' live apps (group quiz, talarstatistik, shared plan): a service of their own.
LIVE_APPS = APPS / "samverkan"
#: Where in a course run the live apps go: the root of the run's live service (``grading.hub.runs``).
LIVE_DIRNAME = "samverkan"


def install_apps(run_root: str | os.PathLike[str]) -> Path:
    """Copy the apps into the run (fresh each start) and return ``<run>/appar``.

    The report, the dashboard, the gallery and the attendance app go to ``<run>/appar``,
    the live apps of the study circles to ``<run>/samverkan``;
    "Mina moduler" goes into
    each learner workspace that has a ``.cirkel-deltagare.json`` (the kernel
    runs in the notebook's folder and finds the learner there).
    """
    root = Path(run_root)
    target = root / APPS_DIRNAME
    target.mkdir(parents=True, exist_ok=True)
    for notebook in (REPORT_NOTEBOOK, GALLERY_NOTEBOOK, ATTENDANCE_NOTEBOOK, DASHBOARD_NOTEBOOK):
        shutil.copyfile(notebook, target / notebook.name)
    # the live apps (group quiz, talarstatistik, shared plan): the root of the run's live service
    live = root / LIVE_DIRNAME
    live.mkdir(exist_ok=True)
    for notebook in sorted(LIVE_APPS.glob("*.ipynb")):
        shutil.copyfile(notebook, live / notebook.name)
    for workspace in _learner_workspaces(root):
        shutil.copyfile(HOME_NOTEBOOK, workspace / HOME_NOTEBOOK.name)
    return target


def _learner_workspaces(root: Path) -> list[Path]:
    """The run's learner workspaces: folders holding the learner file the fetch wrote."""
    from grading.course_runs.run import LEARNER_FILE, CourseRun, RunError

    try:
        course_run = CourseRun(root)
        with course_run.gradebook() as gb:
            ids = [s.id for s in gb.students]
        folders = [course_run.workspace(student_id) for student_id in ids]
    except (RunError, ValueError, OSError):
        return []
    except Exception:  # e.g. no gradebook yet: no learners to give a home
        return []
    return [folder for folder in folders if (folder / LEARNER_FILE).is_file()]


def home_path(course_run: CourseRun, student_id: str) -> Path:
    """The learner's "Mina moduler" notebook (in their workspace)."""
    return course_run.workspace(student_id) / HOME_NOTEBOOK.name


def report_path() -> str:
    """The report app's notebook path relative to the run root."""
    return f"{APPS_DIRNAME}/{REPORT_NOTEBOOK.name}"


def gallery_path() -> str:
    """The widget gallery's notebook path relative to the run root."""
    return f"{APPS_DIRNAME}/{GALLERY_NOTEBOOK.name}"
