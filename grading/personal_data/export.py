"""Everything held about one person, as a folder with ``manifest.json`` (or that folder zipped)."""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grading.course_runs import access_log
from grading.personal_data.places import (
    check_id,
    circle_data,
    collaboration_files,
    gradebook_student,
    hub_record,
    inbound_entries,
    live_rows,
    released_feedback,
    roster_files,
    roster_rows,
    run_folders,
    traces,
    workspace_of,
    workspace_parts,
)
from grading.personal_data.records import MANIFEST, PersonDataError, iso_time
from widgets.core import learner_json
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


def gradebook_record(run: CourseRun, student_id: str) -> list[dict[str, Any]]:
    """Every submission in the gradebook with its grades and comments."""
    from nbgrader.api import MissingEntry

    out = []
    with run.gradebook() as gb:
        try:
            student = gb.find_student(student_id)
        except MissingEntry:
            return []
        for submission in sorted(student.submissions, key=lambda s: s.assignment.name):
            notebooks = []
            for nb in submission.notebooks:
                notebooks.append(
                    {
                        "notebook": nb.name,
                        "grades": [
                            {
                                "name": g.name,
                                "score": g.score,
                                "max_score": g.max_score,
                                "auto_score": g.auto_score,
                                "manual_score": g.manual_score,
                                "needs_manual_grade": bool(g.needs_manual_grade),
                            }
                            for g in nb.grades
                        ],
                        "comments": [
                            {"name": c.name, "auto_comment": c.auto_comment, "manual_comment": c.manual_comment}
                            for c in nb.comments
                        ],
                    }
                )
            out.append(
                {
                    "module": submission.assignment.name,
                    "timestamp": iso_time(submission.timestamp),
                    "score": submission.score,
                    "max_score": submission.max_score,
                    "needs_manual_grade": bool(submission.needs_manual_grade),
                    "notebooks": notebooks,
                }
            )
    return out


def _answers(run: CourseRun, student_id: str) -> dict[str, dict[str, Any]]:
    """The learner's answer files by module and exercise, as saved."""
    out: dict[str, dict[str, Any]] = {}
    base = workspace_of(run, student_id) / run.course_id
    for module in run.modules:
        folder = base / module / "svar"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                out.setdefault(module, {})[path.stem] = learner_json.loads(path.read_bytes())
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                out.setdefault(module, {})[path.stem] = {"olasbar_fil": path.name}
    return out


def _copy(src: Path, dest: Path) -> list[str]:
    """Copy a file or folder; the copied files' paths relative to ``dest``'s export root come back."""
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
        return [str(p) for p in sorted(dest.rglob("*")) if p.is_file()]
    if src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
        return [str(dest)]
    return []


def export_person(
    run_or_runs: CourseRun | Iterable[CourseRun],
    student_id: str,
    out_dir: str | os.PathLike[str],
    *,
    as_zip: bool = False,
    hub_folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Everything held about one person, as a folder with ``manifest.json`` (or that folder zipped).

    Parameters
    ----------
    run_or_runs : one course run or several (a person may have taken several courses).
    out_dir : a new (or empty) folder to write into.
    as_zip : also pack the folder as ``<out_dir>.zip`` and return that file (the folder is removed).
    hub_folder : the hub's data folder (default: the ``hub_dir`` setting or the repository's).
    """
    check_id(student_id)
    from grading.course_runs.run import CourseRun

    runs = [run_or_runs] if isinstance(run_or_runs, CourseRun) else list(run_or_runs)
    known = [run for run in runs if traces(run, student_id, hub_folder)]
    if not known:
        raise PersonDataError(t("person.unknown", id=student_id, runs=", ".join(r.course_id for r in runs)))
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PersonDataError(t("person.out_not_empty", path=str(out)))
    out.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _export_into(known, student_id, out, hub_folder)
        (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    for run in known:
        access_log.record(run, "exportera-person", student_id)
    if as_zip:
        archive = Path(shutil.make_archive(str(out), "zip", root_dir=out))
        shutil.rmtree(out)
        return archive
    return out


def _export_into(
    runs: list[CourseRun], student_id: str, out: Path, hub_folder: str | os.PathLike[str] | None
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "student_id": student_id,
        "skapad": iso_time(_dt.datetime.now(_dt.UTC)),
        "forklaring": t("person.manifest_note"),
        "kursomgangar": [],
        "hubbkonto": hub_record(student_id, hub_folder),
    }
    for run in runs:
        base = out / run.course_id
        files: list[str] = []
        for name, folder in run_folders(run, student_id).items():
            files += _copy(folder, base / name)
        for entry in inbound_entries(run, student_id):
            files += _copy(entry, base / "exchange-inbound" / entry.name)
        for path in released_feedback(run, student_id):
            files += _copy(path, base / "exchange-feedback" / path.name)
        workspace = workspace_of(run, student_id)
        for part in workspace_parts(run, student_id):
            files += _copy(part, base / "arbetsmapp" / part.relative_to(workspace))
        their_rows = []
        for path in roster_files(run):
            their_rows += [{"fil": path.name, "rad": row} for row in roster_rows(path, student_id)[2]]
        manifest["kursomgangar"].append(
            {
                "kurs_id": run.course_id,
                "titel": run.title,
                "mapp": str(run.root),
                "deltagare": gradebook_student(run, student_id),
                "inlamningar": gradebook_record(run, student_id),
                "svar": _answers(run, student_id),
                "studiecirklar": circle_data(run, student_id),
                "samverkan": live_rows(run, student_id),
                "samarbete_i_jupyterlab": [path for _id, path in collaboration_files(run, student_id)],
                "deltagarlistor": their_rows,
                "atkomstlogg": access_log.mentions(run, student_id),
                "filer": [str(Path(f).relative_to(out)) for f in files],
            }
        )
    return manifest
