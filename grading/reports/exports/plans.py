"""A circle's strategic plans in one Word document, each made by the plan widget's own export."""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from grading.reports.exports.common import ExportError, course_title, record_export, write_export
from widgets.core.i18n import t, yaml_data

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

PLAN_WIDGET = "StrategicPlanBuilder"


@dataclass(frozen=True)
class PlanSource:
    """Where a run's plan builder is: its module, exercise id and prompts file."""

    module: str
    exercise_id: str
    prompts_path: Path


def plan_source(run: CourseRun, module: str | None = None) -> PlanSource:
    """The run's plan builder (``02-strategiska-planer`` of ledarskap, or whichever module has one)."""
    modules = [run.check_module(module)] if module else list(run.modules)
    for name in modules:
        try:
            spec = yaml_data((run.source_dir / name / "module.yml").read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for exercise in spec.get("exercises") or []:
            if isinstance(exercise, dict) and exercise.get("widget") == PLAN_WIDGET and exercise.get("content"):
                return PlanSource(name, str(exercise["id"]), run.source_dir / name / str(exercise["content"]))
    raise ExportError(t("export.no_plan_module"))


def _saved_plan(run: CourseRun, student_id: str, source: PlanSource):
    """The learner's saved plan, or ``None`` if they have not started one."""
    from widgets.models.plan import Plan
    from widgets.storage.answers import AnswerStore, UnreadableAnswer

    folder = run.workspace(student_id) / run.course_id / source.module / "svar"
    try:
        saved = AnswerStore(folder).load(source.exercise_id, keep_aside=False)
    except UnreadableAnswer:
        return None
    return None if saved is None else Plan.from_json(saved.data)


def circle_plans_docx(run: CourseRun, circle_id: str, path: str | os.PathLike[str], module: str | None = None) -> Path:
    """The strategic plans of a circle's members in one DOCX, a heading (display name) per member.

    Each plan is made by the plan widget's own DOCX export
    (:func:`widgets.kit.plan_docx.plan_docx_bytes`) and put under its member's heading,
    its own headings one level down and its numbered goals starting at 1.
    """
    import docx

    from grading.circles.store import CircleStore
    from widgets.kit.plan_docx import plan_docx_bytes
    from widgets.models.plan import load_prompts

    store = CircleStore(run)
    circle = store.circle(circle_id)
    source = plan_source(run, module)
    prompts = load_prompts(source.prompts_path)
    names = store.display_names(circle.members)

    document = docx.Document()
    title = t("export.plans.title", circle=circle.name)
    document.core_properties.title = title
    document.core_properties.language = "sv-SE"
    document.add_heading(title, level=0)
    document.add_paragraph(t("export.plans.intro", course=course_title(run), count=len(circle.members)))
    for number, student_id in enumerate(circle.members):
        heading = document.add_heading(names.get(student_id, student_id), level=1)
        if number:
            heading.paragraph_format.page_break_before = True
        plan = _saved_plan(run, student_id, source)
        if plan is None:
            document.add_paragraph(t("export.plans.no_plan"))
            continue
        _append_document(document, docx.Document(io.BytesIO(plan_docx_bytes(plan, prompts))))

    buffer = io.BytesIO()
    document.save(buffer)
    target = write_export(path, buffer.getvalue())
    for student_id in circle.members:
        record_export(run, "exportera-plan", student_id)
    return target


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _append_document(target, part) -> None:
    """Append ``part``'s body to ``target``: its title dropped, headings one level down, lists restarted.

    Both documents come from python-docx's default template, so their styles
    and numbering definitions are the same.
    """
    from docx.oxml.ns import qn

    numbering = target.part.numbering_part.element
    restarted: dict[str, str] = {}

    def fresh_num(style_id: str) -> str | None:
        """A new list instance (starting at 1) of the list a numbered style uses."""
        if style_id in restarted:
            return restarted[style_id]
        style = target.styles.element.get_by_id(style_id)
        num_ids = style.xpath("./w:pPr/w:numPr/w:numId/@w:val") if style is not None else []
        if not num_ids:
            return None
        abstract = numbering.xpath(f'./w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val')
        if not abstract:
            return None
        num = numbering.add_num(int(abstract[0]))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        restarted[style_id] = str(num.numId)
        return restarted[style_id]

    anchor = target.element.body.sectPr
    for element in part.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            continue
        element = copy.deepcopy(element)
        style = element.find(f"./{_W}pPr/{_W}pStyle")
        if style is not None:
            value = style.get(qn("w:val"))
            if value == "Title":
                continue
            if value.startswith("Heading") and value[7:].isdigit():
                style.set(qn("w:val"), f"Heading{min(int(value[7:]) + 1, 9)}")
            elif value.startswith("ListNumber"):
                num_id = fresh_num(value)
                if num_id is not None:
                    ppr = element.find(f"./{_W}pPr")
                    numpr = ppr.get_or_add_numPr()
                    numpr.get_or_add_ilvl().val = 0
                    numpr.get_or_add_numId().val = int(num_id)
        if anchor is not None:
            anchor.addprevious(element)
        else:
            target.element.body.append(element)
