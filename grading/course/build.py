"""Turn a module written as text into an nbgrader source notebook.

The notebook's layout is the contract in ``docs/course-format.md``: locked
cells for the module's description, text and samtalsfrågor; per exercise a
locked cell that shows the widget, an autograder tests cell that calls the
exercise's check, or, for a reflection, a manually graded Markdown answer cell
that ``grading.autograde.preprocessors.FillReflections`` fills at autograde; then the
submit panel. The notebook has no outputs and no widget state.

A module with other versions of its text (lättläst, other languages:
``grading.course.variants``) also gets, first, a locked cell with the learner's choice of
version (``widgets.TextVersions``), its standard text cells tagged
:data:`STANDARD_TEXT_TAG`, and ``textversioner.json`` beside the notebook with
every version's description, text and samtalsfrågor as HTML. The grading cells
are the same with or without versions.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import mistune
import nbformat
from nbformat.notebooknode import NotebookNode

from grading.course.loading import MINUTE_PARTS, Course, ExerciseSpec, Module
from grading.course.teaching import strip_markers
from grading.course.variants import ModuleVariant
from widgets.core.i18n import t
from widgets.models.kinds import KINDS
from widgets.models.text_versions import STANDARD, VERSIONS_FILE, TextVersion, dump_versions

__all__ = [
    "GRADING_TAG",
    "STANDARD_TEXT_TAG",
    "build_notebook",
    "write_module",
    "reflection_cells",
    "text_versions",
]

#: Cells with this tag run (and are graded) but are never shown in the Voilà app.
GRADING_TAG = "cirkel-grading"
#: The cells of the module's standard text: hidden in the Voilà app while the learner reads another version.
STANDARD_TEXT_TAG = "cirkel-standardtext"
NBGRADER_SCHEMA = 3


def build_notebook(module: Module, commitments: dict[str, dict[str, Any]] | None = None) -> NotebookNode:
    """The nbgrader source notebook of ``module``."""
    commitments = commitments or {}
    cells = [
        _locked_markdown(f"{module.name}-intro", _intro(module, commitments)),
        _locked_markdown(f"{module.name}-text", strip_markers(module.text).strip()),
        _locked_markdown(f"{module.name}-samtal", _samtal(module)),
    ]
    if module.variants:
        for cell in cells:
            cell.metadata["tags"] = [STANDARD_TEXT_TAG]
        chooser = f"from widgets import TextVersions\nTextVersions.from_file({VERSIONS_FILE!r})"
        cells.insert(0, _locked_code(f"{module.name}-textversion", chooser))
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
    if module.variants:
        versions = text_versions(module, course.commitments, course.language)
        (target / VERSIONS_FILE).write_text(dump_versions(module.name, versions), encoding="utf-8")
    return notebook


def text_versions(
    module: Module, commitments: dict[str, dict[str, Any]] | None = None, language: str = "sv"
) -> list[TextVersion]:
    """Every version of ``module``'s text as the learner's page shows it, the standard one first.

    The standard version carries only its label and prompts (the notebook's own
    cells show its text); every other version its description, text and
    samtalsfrågor as HTML. ``language`` is the course's: quotations of the
    strategy document in a version in another language are marked as Swedish.
    """
    prompts = {ex.id: ex.prompt for ex in module.exercises if ex.prompt}
    versions = [TextVersion(STANDARD, t("textversion.standard"), language, "", prompts)]
    for variant in module.variants.values():
        body = _variant_html(module, variant, commitments or {}, language)
        versions.append(
            TextVersion(variant.id, variant.variant.label, variant.variant.language, body, dict(variant.prompts))
        )
    return versions


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


#: exercises that show the learner a score: the module passes them the gradebook's points, so
#: the learner reads the same numbers as the course leader (``widgets.kit.points``)
SHOWS_POINTS = frozenset(kind.widget for kind in KINDS.values() if kind.shows_points)


def _widget_code(ex: ExerciseSpec) -> str:
    if ex.content:
        scale = f", points={_number(ex.points)!r}" if ex.widget in SHOWS_POINTS and ex.check and ex.points else ""
        call = f"{ex.widget}.from_file({ex.content!r}, exercise_id={ex.id!r}{scale})"
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
        minutes: dict[str, Any] = {part: module.minutes[part] for part in MINUTE_PARTS}
        lines += [t("build.minutes", **minutes), ""]
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


def _samtal(module: Module, questions: list[str] | tuple[str, ...] | None = None, lang: str | None = None) -> str:
    lines = [f"## {t('build.samtal', lang=lang)}", ""]
    questions = module.samtalsfragor if questions is None else questions
    lines += [f"{i}. {q.strip()}" for i, q in enumerate(questions, start=1)]
    return "\n".join(lines)


# -- a text version as HTML ---------------------------------------------------------


class _VersionHtml(mistune.HTMLRenderer):
    """Mistune's HTML, raw HTML escaped; quotations marked with the document's language when it is another."""

    def __init__(self, quote_lang: str = ""):
        super().__init__(escape=True)
        self._quote_lang = quote_lang

    def block_quote(self, text: str) -> str:
        lang = f' lang="{html.escape(self._quote_lang, quote=True)}"' if self._quote_lang else ""
        return f"<blockquote{lang}>\n{text}</blockquote>\n"


def _markdown_html(source: str, quote_lang: str = "") -> str:
    render = mistune.create_markdown(renderer=_VersionHtml(quote_lang), plugins=["table", "strikethrough"])
    return str(render(source))


def _variant_html(module: Module, variant: ModuleVariant, commitments: dict[str, dict[str, Any]], language: str) -> str:
    """The version's description (as the notebook's first cell has it), text and samtalsfrågor, as HTML.

    The commitments are the document's words: in a version in another language they are
    marked as the course's language, as the quotations in its text are.
    """
    lang = variant.variant.language
    other = lang != language
    quote_lang = language if other else ""
    head = [f"# {variant.title}", "", t("build.study_hours", lang=lang, hours=module.study_hours), ""]
    if module.minutes:
        head += [t("build.minutes", lang=lang, **{part: module.minutes[part] for part in MINUTE_PARTS}), ""]
    head += [f"## {t('build.goals', lang=lang)}", "", *(f"- {goal}" for goal in variant.goals)]
    intro = _markdown_html("\n".join(head))
    if module.commitments:
        items = []
        for cid in module.commitments:
            text = html.escape(str((commitments.get(cid) or {}).get("text") or ""))
            if text and other:
                text = f'<span lang="{html.escape(language, quote=True)}">{text}</span>'
            items.append(f"<li>{text} ({html.escape(cid)})</li>" if text else f"<li>{html.escape(cid)}</li>")
        intro += (
            f"<h2>{html.escape(t('build.commitments', lang=lang))}</h2>\n"
            f"<p>{html.escape(t('build.commitments_intro', lang=lang))}</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n"
        )
    if module.sources:
        sources = [f"## {t('build.source', lang=lang)}", ""]
        sources += [
            "- " + t("build.source_item", lang=lang, part=src.get("part", ""), section=src.get("section", ""))
            for src in module.sources
        ]
        intro += _markdown_html("\n".join(sources))
    text = _markdown_html(strip_markers(variant.text).strip(), quote_lang)
    samtal = _markdown_html(_samtal(module, variant.samtalsfragor, lang))
    return "\n".join(
        f'<div class="cirkel-textversion-{part}">\n{body}</div>'
        for part, body in (("intro", intro), ("main", text), ("samtal", samtal))
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
