"""Turn a module written as text into an nbgrader source notebook.

The notebook's layout is the contract in ``docs/course-format.md``: locked
cells for the module's description, text and samtalsfrågor; per exercise a
locked cell that shows the widget, an autograder tests cell that calls the
exercise's check, or, for a reflection, a manually graded Markdown answer cell
that ``grading.preprocessors.FillReflections`` fills at autograde; then the
submit panel. The notebook has no outputs and no widget state.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode

from widgets.i18n import t

from .course import MINUTE_PARTS, Course, ExerciseSpec, Module
from .teaching import strip_markers

__all__ = ["GRADING_TAG", "build_notebook", "write_module", "reflection_cells"]

#: Cells with this tag run (and are graded) but are never shown in the Voilà app.
GRADING_TAG = "cirkel-grading"
NBGRADER_SCHEMA = 3


def build_notebook(module: Module, commitments: dict[str, dict[str, Any]] | None = None) -> NotebookNode:
    """The nbgrader source notebook of ``module``."""
    commitments = commitments or {}
    cells = [
        _locked_markdown(f"{module.name}-intro", _intro(module, commitments)),
        _locked_markdown(f"{module.name}-text", strip_markers(module.text).strip()),
        _locked_markdown(f"{module.name}-samtal", _samtal(module)),
    ]
    if module.exercises:
        # the exercises' own headings sit under this one, not under the samtalsfrågor
        cells.append(_locked_markdown(f"{module.name}-ovningar", f"## {t('build.exercises')}"))
    for ex in module.exercises:
        cells.append(_locked_code(f"{ex.id}-widget", _widget_code(ex)))
        if ex.check:
            cells.append(_test_cell(ex))
        if ex.is_reflection:
            cells.append(_reflection_cell(ex))
    cells.append(_locked_code(f"{module.name}-submit", "from widgets import SubmitPanel\nSubmitPanel()"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["cirkel"] = {"module": module.name, "title": module.title}
    nbformat.validate(nb)
    return nb


def write_module(course: Course, module: Module, source_dir: str | Path) -> Path:
    """Write ``<source_dir>/<module>/<module>.ipynb`` with ``module.yml`` and content files beside it."""
    target = Path(source_dir) / module.name
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(module.path / "module.yml", target / "module.yml")
    for path in module.content_files:
        shutil.copy2(path, target / path.name)
    notebook = target / f"{module.name}.ipynb"
    nbformat.write(build_notebook(module, course.commitments), notebook)
    return notebook


def reflection_cells(nb: NotebookNode) -> dict[str, NotebookNode]:
    """The reflection answer cells of a notebook, by exercise id."""
    out = {}
    for cell in nb.cells:
        exercise_id = cell.get("metadata", {}).get("cirkel", {}).get("reflection")
        if exercise_id:
            out[exercise_id] = cell
    return out


# -- cells ------------------------------------------------------------------
def _nbgrader(
    grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: float | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = _number(points)
    return meta


def _locked_markdown(grade_id: str, source: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source, id=grade_id)
    cell.metadata.update(deletable=False, editable=False, nbgrader=_nbgrader(grade_id, locked=True))
    return cell


def _locked_code(grade_id: str, source: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=grade_id)
    cell.metadata.update(deletable=False, editable=False, nbgrader=_nbgrader(grade_id, locked=True))
    return cell


def _test_cell(ex: ExerciseSpec) -> NotebookNode:
    grade_id = f"{ex.id}-check"
    args = [repr(ex.id), f"points={_number(ex.points)!r}"]
    if ex.content:
        args.append(f"content={ex.content!r}")
    source = f"from grading.checks import {ex.check}\n{ex.check}({', '.join(args)})"
    cell = nbformat.v4.new_code_cell(source, id=grade_id)
    cell.metadata.update(
        deletable=False,
        editable=False,
        tags=[GRADING_TAG],
        nbgrader=_nbgrader(grade_id, grade=True, locked=True, points=ex.points),
    )
    return cell


def _reflection_cell(ex: ExerciseSpec) -> NotebookNode:
    grade_id = f"{ex.id}-svar"
    cell = nbformat.v4.new_markdown_cell(t("build.reflection_source"), id=grade_id)
    cell.metadata.update(
        tags=[GRADING_TAG],
        cirkel={"reflection": ex.id, "prompt": ex.prompt or ""},
        nbgrader=_nbgrader(grade_id, grade=True, solution=True, points=ex.points),
    )
    return cell


def _widget_code(ex: ExerciseSpec) -> str:
    if ex.content:
        call = f"{ex.widget}.from_file({ex.content!r}, exercise_id={ex.id!r})"
    else:
        args = [f"exercise_id={ex.id!r}"]
        if ex.prompt:
            args.append(f"prompt={ex.prompt!r}")
        call = f"{ex.widget}({', '.join(args)})"
    return f"from widgets import {ex.widget}\n{call}"


# -- text ---------------------------------------------------------------------
def _intro(module: Module, commitments: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"# {module.title}",
        "",
        t("build.study_hours", hours=module.study_hours),
        "",
    ]
    if module.minutes:
        lines += [t("build.minutes", **{part: module.minutes[part] for part in MINUTE_PARTS}), ""]
    lines += [
        f"## {t('build.goals')}",
        "",
    ]
    lines += [f"- {goal.strip()}" for goal in module.goals]
    if module.commitments:
        lines += ["", f"## {t('build.commitments')}", "", t("build.commitments_intro"), ""]
        for cid in module.commitments:
            known = commitments.get(cid)
            lines.append(f"- {known['text']} ({cid})" if known and known.get("text") else f"- {cid}")
    if module.sources:
        lines += ["", f"## {t('build.source')}", ""]
        for src in module.sources:
            lines.append(f"- {t('build.source_item', part=src.get('part', ''), section=src.get('section', ''))}")
    return "\n".join(lines)


def _samtal(module: Module) -> str:
    lines = [f"## {t('build.samtal')}", ""]
    lines += [f"{i}. {q.strip()}" for i, q in enumerate(module.samtalsfragor, start=1)]
    return "\n".join(lines)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
