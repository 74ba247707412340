"""What every export shares: its error, a file written whole or not at all, the access log, the course's title."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from grading.course_runs.run import RunError
from grading.system.atomic_write import write_atomically
from widgets.core.i18n import t, yaml_data

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


class ExportError(RunError):
    """An export that cannot be made; the message is plain Swedish."""


def write_export(path: str | os.PathLike[str], content: bytes) -> Path:
    """``content`` to ``path`` whole or not at all; an ``ExportError`` a person can read otherwise."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(t("export.target_is_folder", path=str(target)))
    if not target.parent.is_dir():
        raise ExportError(t("export.no_folder", path=str(target.parent)))
    return write_atomically(
        target, content, lambda where, reason: ExportError(t("export.write_failed", path=str(where), reason=reason))
    )


def record_export(run: CourseRun, action: str, subject: str) -> None:
    """Write who exported whose data to the run's access log."""
    from grading.course_runs.access_log import record

    record(run, action, subject)


def course_title(run: CourseRun) -> str:
    """The course's title: from the course's own ``course.yml`` when it is still there, else the run's."""
    source = run.info.get("source")
    if source:
        try:
            data = yaml_data((Path(source) / "course.yml").read_text(encoding="utf-8")) or {}
            if data.get("title"):
                return str(data["title"])
        except (OSError, yaml.YAMLError):
            pass
    return run.title
