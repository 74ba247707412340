"""A course run (kursomgång): one nbgrader course directory made from a course.

``create_run`` writes the run: ``nbgrader_config.py``, ``cirkel-run.yml``, the
source notebooks built from the course text, the exchange folder and the
gradebook with one assignment per module. ``CourseRun`` opens an existing run
and answers the questions every other part asks: where is the exchange, where
does a learner work, which modules are there, and how nbgrader is configured.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from grading.course.loading import load_course, validate_module_name
from widgets.core.errors import CirkelError
from widgets.core.i18n import t, yaml_data
from widgets.models.content import ContentError

if TYPE_CHECKING:  # pragma: no cover
    from traitlets.config import Config

__all__ = [
    "RUN_FILE",
    "DEFAULT_RETENTION_DAYS",
    "RunError",
    "CourseRun",
    "home_course",
    "own_workspace",
    "create_run",
    "open_run",
    "ensure_tools_on_path",
]

RUN_FILE = "cirkel-run.yml"
LEARNER_FILE = ".cirkel-deltagare.json"
DEFAULT_RETENTION_DAYS = 730
DEFAULT_WORKSPACE = "deltagare/{student_id}"


class RunError(CirkelError):
    """An expected problem with a course run; the message is plain Swedish."""


def ensure_tools_on_path() -> None:
    """Put this Python's ``bin/`` first on ``PATH``.

    nbgrader creates a gradebook by running ``alembic``, and the kernelspec
    starts ``python``: both must be the ones of this environment.
    """
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if not parts or parts[0] != bindir:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p != bindir]])


def home_course(folder: str | os.PathLike[str]) -> str | None:
    """The course id the learner file in ``folder`` names; ``None`` if it has none (or one unreadable)."""
    from widgets.core import learner_json

    try:
        return str(learner_json.loads((Path(folder) / LEARNER_FILE).read_bytes())["course_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def own_workspace(folder: Path, course_id: str) -> Path:
    """The workspace of run ``course_id`` in ``folder``, which several runs may share (her home on the hub).

    "Lämna in" takes a module folder's run from the nearest learner file above it
    (``widgets.storage.submission.find_learner``), and a fetch writes the run's learner file into
    its workspace: two runs with one workspace left the second run's file over the first's, and
    the first run's modules could no longer be handed in. So ``folder`` is the workspace of the run
    its learner file names (or of any run while it has none), and every other run's is
    ``<folder>/<course_id>``, as on Kubernetes (``grading.hub.k8s_learner.workspaces``).
    """
    named = home_course(folder)
    return folder if named in (None, course_id) else folder / course_id


class CourseRun:
    """An existing course run, opened from its folder.

    Parameters
    ----------
    run_dir
        The run's folder, holding ``cirkel-run.yml`` and ``nbgrader_config.py``.
    """

    def __init__(self, run_dir: str | os.PathLike[str]):
        self.root = Path(run_dir).resolve()
        info_path = self.root / RUN_FILE
        if not self.root.is_dir():
            raise RunError(t("run.missing_dir", path=str(run_dir)))
        if not info_path.is_file() or not (self.root / "nbgrader_config.py").is_file():
            raise RunError(t("run.not_a_run", path=str(run_dir)))
        try:
            info = yaml_data(info_path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise RunError(t("run.bad_run_file", path=str(info_path), detail=str(exc))) from None
        if not isinstance(info, dict) or not info.get("course_id") or not isinstance(info.get("modules"), list):
            raise RunError(t("run.bad_run_file", path=str(info_path), detail="course_id / modules"))
        self.info: dict[str, Any] = info
        self.course_id: str = str(info["course_id"])
        self.modules: list[str] = [str(m) for m in info["modules"]]
        self.title: str = str(info.get("title") or self.course_id)
        self.retention_days: int = int(info.get("retention_days") or DEFAULT_RETENTION_DAYS)
        self._workspace_pattern = str(info.get("workspaces") or DEFAULT_WORKSPACE)

    def __repr__(self) -> str:
        return f"CourseRun({str(self.root)!r})"

    # -- places ---------------------------------------------------------------
    @property
    def exchange_root(self) -> Path:
        """nbgrader's exchange: ``exchange`` of ``cirkel-run.yml`` (a cluster's shared one), else ``<run>/exchange``."""
        return Path(self.info["exchange"]) if self.info.get("exchange") else self.root / "exchange"

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def db_url(self) -> str:
        """nbgrader's gradebook: ``gradebook_db`` of ``cirkel-run.yml`` (a PostgreSQL URL), else ``gradebook.db``."""
        return str(self.info.get("gradebook_db") or f"sqlite:///{self.root / 'gradebook.db'}")

    def workspace(self, student_id: str) -> Path:
        """The learner's own folder for this run (on one machine: ``<run>/deltagare/<id>``; see :func:`own_workspace`)."""
        from grading.course_runs.student_ids import validate_student_id

        validate_student_id(student_id)
        pattern = Path(self._workspace_pattern.format(student_id=student_id))
        return own_workspace(pattern if pattern.is_absolute() else self.root / pattern, self.course_id)

    def notebook_path(self, student_id: str, module: str) -> Path:
        """Where the learner's fetched copy of ``module`` lives."""
        module = self.check_module(module)
        return self.workspace(student_id) / self.course_id / module / f"{module}.ipynb"

    def check_module(self, module: str) -> str:
        """``module`` if the run has it, else a ``RunError`` naming the known ones."""
        try:
            validate_module_name(module, self.root / RUN_FILE)
        except ContentError:
            raise RunError(t("run.bad_module_name", module=module)) from None
        if module not in self.modules:
            raise RunError(t("run.unknown_module", module=module, known=", ".join(self.modules)))
        return module

    def select_modules(self, modules: list[str] | None) -> list[str]:
        """The named modules (checked), or all of them in teaching order."""
        return [self.check_module(m) for m in modules] if modules else list(self.modules)

    def module_points(self, module: str) -> float:
        """The module's maximum points, from the copied ``module.yml``."""
        data = yaml_data((self.source_dir / module / "module.yml").read_text(encoding="utf-8")) or {}
        return float(sum(float(ex.get("points") or 0) for ex in data.get("exercises") or []))

    # -- nbgrader ---------------------------------------------------------------
    def config(self) -> Config:
        """nbgrader's configuration for this run, read from its ``nbgrader_config.py``.

        Every use of nbgrader in this process reads it first, so the kernels nbgrader starts from
        here on (the autograde's) listen below the ephemeral range (``grading.system.kernel_ports``).
        """
        from traitlets.config.loader import PyFileConfigLoader

        from grading.system.kernel_ports import use_ports_below_the_ephemeral_range

        ensure_tools_on_path()
        use_ports_below_the_ephemeral_range()
        cfg = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        return cfg

    def api(self, **coursedir_values: Any):
        """An ``nbgrader.apps.api.NbGraderAPI`` for this run (quiet logging)."""
        import logging

        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        cfg = self.config()
        coursedir_values.setdefault("root", str(self.root))
        coursedir = CourseDirectory(config=cfg, **coursedir_values)
        api = NbGraderAPI(coursedir=coursedir, config=cfg)
        api.log_level = logging.WARNING
        return api

    def gradebook(self):
        """nbgrader's ``Gradebook`` of this run; use it as a context manager."""
        from nbgrader.api import Gradebook

        ensure_tools_on_path()
        return Gradebook(self.db_url, self.course_id)


def open_run(run_dir: str | os.PathLike[str]) -> CourseRun:
    """Open an existing course run (``RunError`` if it is not one)."""
    return CourseRun(run_dir)


def create_run(
    course_dir: str | os.PathLike[str],
    run_dir: str | os.PathLike[str],
    course_id: str | None = None,
    workspaces: str | None = None,
    ends: _dt.date | None = None,
    gradebook_db: str | None = None,
    exchange: str | os.PathLike[str] | None = None,
) -> CourseRun:
    """Create a course run from the course in ``course_dir``.

    The course is validated completely before anything is written, and a
    run folder that exists and is not empty is refused, so a run is never
    half made over another.

    Parameters
    ----------
    workspaces : where each learner's workspace is, a template with ``{student_id}``
        (e.g. the hub homes ``<hub>/hem/{student_id}``); ``deltagare/{student_id}``
        inside the run when not given.
    ends : the last day of the course run; ``cirkel prune`` erases personal data only after it
        (and after ``retention_days`` more). May be set later in ``cirkel-run.yml``.
    gradebook_db : nbgrader's gradebook in a database server (``postgresql+psycopg://...``, an empty
        database) instead of ``<run>/gradebook.db``; written to ``cirkel-run.yml`` and nbgrader's config.
    exchange : nbgrader's exchange shared by several runs (on Kubernetes the volume every pod mounts at
        ``/srv/nbgrader/exchange``, each run below its course id) instead of ``<run>/exchange``; written,
        absolute, to ``cirkel-run.yml`` (what :attr:`CourseRun.exchange_root` reads) and nbgrader's config.
    """
    course = load_course(course_dir)
    course_id = course_id or course.id
    try:
        validate_module_name(course_id, Path(course_dir) / "course.yml", "id")
    except ContentError:
        raise RunError(t("run.bad_course_id", id=course_id)) from None
    root = Path(run_dir)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RunError(t("run.not_empty", path=str(run_dir)))
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    try:
        _write_run(course, course_id, root, workspaces or DEFAULT_WORKSPACE, ends, gradebook_db, exchange)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return CourseRun(root)


def _write_run(
    course,
    course_id: str,
    root: Path,
    workspaces: str,
    ends: _dt.date | None = None,
    gradebook_db: str | None = None,
    exchange: str | os.PathLike[str] | None = None,
) -> None:
    from grading.course.build import write_module

    shared = Path(exchange).absolute() if exchange else None
    exchange_root = shared or root / "exchange"
    if not exchange_root.is_dir():  # a shared exchange that exists keeps the mode its volume was given
        exchange_root.mkdir(parents=True)
        exchange_root.chmod(0o777)
    (root / "source").mkdir()
    (root / "nbgrader_config.py").write_text(
        _nbgrader_config(root, course_id, gradebook_db, exchange_root), encoding="utf-8"
    )
    info = {
        "course_id": course_id,
        "course": course.id,
        "title": course.title,
        "source": str(course.path),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "modules": [m.name for m in course.modules],
        "workspaces": workspaces,
        "ends": ends.isoformat() if ends else None,
        "retention_days": DEFAULT_RETENTION_DAYS,
    }
    if gradebook_db:
        info["gradebook_db"] = gradebook_db
    if shared:
        info["exchange"] = str(shared)
    header = "# " + t("run.file_header") + "\n"
    (root / RUN_FILE).write_text(header + yaml.safe_dump(info, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for module in course.modules:
        write_module(course, module, root / "source")
    run = CourseRun(root)
    with run.gradebook() as gb:
        for module in course.modules:
            gb.update_or_create_assignment(module.name)


def _nbgrader_config(root: Path, course_id: str, gradebook_db: str | None, exchange_root: Path) -> str:
    code_stub = {"python": t("run.code_stub")}
    return f"""# nbgrader configuration of this course run, written by `cirkel run create`.
c = get_config()  # noqa: F821

c.CourseDirectory.root = {str(root)!r}
c.CourseDirectory.course_id = {course_id!r}
{"" if not gradebook_db else f"c.CourseDirectory.db_url = {gradebook_db!r}{chr(10)}"}# The answer store's temporary files never travel with a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]

c.Exchange.root = {str(exchange_root)!r}
c.Exchange.path_includes_course = True

c.ClearSolutions.code_stub = {code_stub!r}
c.ClearSolutions.text_stub = {t("run.text_stub")!r}

# The learner's reflection (svar/<id>.json) is put into its answer cell so formgrader shows it.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "grading.autograde.preprocessors.FillReflections",
    "nbgrader.preprocessors.CheckCellMetadata",
]
"""
