"""Make a course's printed material: the participant booklet and the cirkelledarhandledning.

``cirkel courses print`` calls :func:`print_course` for a folder of one's
choosing and :func:`print_run` for a course run, where the files land in
``<run>/material/`` so the run's JupyterLab serves them and the leader's start
page links them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from grading.course.loading import Course, load_course
from grading.reports.printing.render import PrintError, render_pdf
from widgets.core.i18n import t

__all__ = [
    "BOOKLET",
    "GUIDE",
    "RUN_FOLDER",
    "PrintedFile",
    "Material",
    "print_course",
    "print_run",
    "run_material",
]

#: The two files' names; in a folder of one's own they carry the course id first.
BOOKLET = "deltagarhafte.pdf"
GUIDE = "cirkelledarhandledning.pdf"
#: Where a course run keeps its printed material.
RUN_FOLDER = "material"


@dataclass(frozen=True)
class PrintedFile:
    """One PDF made: where, how many pages, in how many seconds."""

    path: Path
    pages: int
    seconds: float


@dataclass(frozen=True)
class Material:
    """A course's two PDFs."""

    course_id: str
    title: str
    booklet: PrintedFile
    guide: PrintedFile


def _timed(html_of, target: Path) -> PrintedFile:
    started = time.perf_counter()
    rendered = render_pdf(html_of(), target)
    return PrintedFile(rendered.path, rendered.pages, time.perf_counter() - started)


def print_course(
    course: Course | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    prefix: bool = True,
    year: int | None = None,
) -> Material:
    """Write the booklet and the guide of ``course`` into ``out_dir``.

    Parameters
    ----------
    course : a loaded course or its folder (loaded and checked here).
    prefix : name the files ``<course id>-deltagarhafte.pdf`` ... (else ``deltagarhafte.pdf`` ...).
    year : the year the guide's worked examples count from (this year by default).
    """
    from grading.reports.printing.booklet import booklet_html
    from grading.reports.printing.guide import guide_html
    from grading.reports.printing.render import weasyprint_module

    weasyprint_module()  # no Pango: say so before any work
    if not isinstance(course, Course):
        course = load_course(course)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise PrintError(t("print.not_a_folder", path=str(out)))
    start = f"{course.id}-" if prefix else ""
    booklet = _timed(lambda: booklet_html(course), out / f"{start}{BOOKLET}")
    guide = _timed(lambda: guide_html(course, year), out / f"{start}{GUIDE}")
    return Material(course.id, course.title, booklet, guide)


def print_run(run, course_dir: str | os.PathLike[str] | None = None) -> Material:
    """Write the material of a course run into ``<run>/material/``, from the course it was made from.

    ``course_dir`` is the course's folder when it has moved since the run was made.
    """
    source = course_dir or run.info.get("source")
    if not source or not Path(source, "course.yml").is_file():
        raise PrintError(t("print.run_course_gone", path=str(source or ""), run=str(run.root)))
    course = load_course(source)
    made_from = str(run.info.get("course") or course.id)
    if course.id != made_from:
        raise PrintError(t("print.run_other_course", course=course.id, run_course=made_from))
    return _made_or_kept(course, run.root / RUN_FOLDER)


def _made_or_kept(course: Course, out: Path) -> Material:
    """The course's two files in ``out``: copied when this version was made before (``cache``), else made."""
    from grading.reports.printing import cache
    from grading.reports.printing.render import weasyprint_module

    weasyprint_module()  # no Pango: say so, cached files or not
    key = cache.material_key(course.path)
    names = {"booklet": BOOKLET, "guide": GUIDE}
    started = time.perf_counter()
    record = cache.copy_cached(key, names, out)
    if record is not None:
        seconds = time.perf_counter() - started
        pages = record.get("pages", {})
        return Material(
            course.id,
            course.title,
            *(PrintedFile(out / names[kind], int(pages.get(kind, 0)), seconds) for kind in ("booklet", "guide")),
        )
    made = print_course(course, out, prefix=False)
    cache.keep(
        key,
        {"booklet": made.booklet.path, "guide": made.guide.path},
        {"course": course.id, "pages": {"booklet": made.booklet.pages, "guide": made.guide.pages}},
    )
    return made


def run_material(run_root: str | os.PathLike[str]) -> dict[str, Path]:
    """The run's printed files that exist, by kind (``booklet``, ``guide``)."""
    folder = Path(run_root) / RUN_FOLDER
    found = {"booklet": folder / BOOKLET, "guide": folder / GUIDE}
    return {kind: path for kind, path in found.items() if path.is_file()}
