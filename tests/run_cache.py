"""Course runs made once per test process and copied for each test that needs one.

``grading.course_runs.run.create_run`` builds every module's source notebook and a new
nbgrader gradebook (through the ``alembic`` command): about three seconds for the
real course. Copying a run made earlier from the same course takes about a
hundredth of that. :func:`create_run` here has the signature of the real one;
the first call for a course (its files' content, the course id, the workspaces
and the end date) makes the run with the real ``create_run`` into a template
folder, and every call copies that template to the folder asked for and writes
the two files that name the run's own folder again. A test of ``create_run``
itself calls the real one.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import shutil
import tempfile
from pathlib import Path

import yaml

from grading.course_runs import run as runs
from widgets.core.i18n import yaml_data

__all__ = ["create_run"]

_templates: dict[tuple[str, ...], Path] = {}
_base: Path | None = None


def _course_key(course_dir: Path) -> str:
    """The course's content: a test may change a copy of a course, which is then another course."""
    digest = hashlib.sha256()
    for path in sorted(p for p in course_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(course_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _template_dir() -> Path:
    global _base
    if _base is None:
        _base = Path(tempfile.mkdtemp(prefix="cirkel-run-templates-"))
        atexit.register(shutil.rmtree, _base, True)
    return _base


def create_run(
    course_dir: str | Path,
    run_dir: str | Path,
    course_id: str | None = None,
    workspaces: str | None = None,
    ends: dt.date | None = None,
) -> runs.CourseRun:
    """``grading.course_runs.run.create_run``, by copying a run made once from the same course and options."""
    course_dir = Path(course_dir).resolve()
    key = (_course_key(course_dir), course_dir.name, str(course_id), str(workspaces), str(ends))
    template = _templates.get(key)
    if template is None:
        template = _template_dir() / f"{len(_templates)}" / "omg"
        template = runs.create_run(course_dir, template, course_id=course_id, workspaces=workspaces, ends=ends).root
        _templates[key] = template
    target = Path(run_dir)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise runs.RunError(runs.t("run.not_empty", path=str(run_dir)))
    if target.exists():
        target.rmdir()
    shutil.copytree(template, target, symlinks=True)
    root = target.resolve()
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(template), str(root)), encoding="utf-8")
    info_file = root / runs.RUN_FILE
    header, _, body = info_file.read_text(encoding="utf-8").partition("\n")
    info = yaml_data(body)
    info.update(source=str(course_dir), created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    info_file.write_text(f"{header}\n" + yaml.safe_dump(info, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return runs.CourseRun(root)
