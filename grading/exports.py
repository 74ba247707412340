"""Exports for a course leader: completion as CSV/XLSX, a learner's certificate, a circle's plans.

Each export is written to a temporary file beside the target and renamed over
it, so a reader never sees half a file, and each one records in the run's
access log who exported whose data (:mod:`grading.access_log`).

- :func:`completion_csv` / :func:`completion_xlsx`: the completion table
  (:func:`grading.completion.completion_table`, the one computation the report
  and the dashboard use too) with Swedish headings, states as
  labels and points as numbers. The CSV is UTF-8 with a BOM, ``;`` between
  fields and decimal commas, which is what Swedish Excel opens correctly. Both
  are written by :mod:`widgets.spreadsheet`, so no name can be a formula.
- :func:`certificate_pdf`: a one-page certificate (intyg) in Swedish listing the
  modules a learner has completed.
- :func:`circle_plans_docx`: the strategic plans of a study circle's members in
  one Word document, each made by the plan widget's own DOCX export.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from widgets.i18n import t, yaml_data
from widgets.spreadsheet import frame_csv, xlsx_bytes

from .atomic_write import write_atomically
from .run import RunError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import CourseRun

__all__ = [
    "ExportError",
    "PlanSource",
    "completion_frame",
    "completion_csv",
    "completion_xlsx",
    "completed_modules",
    "certificate_pdf",
    "plan_source",
    "circle_plans_docx",
]

#: the completion table's columns in export order, each with its heading's string key
EXPORT_COLUMNS = (
    "student_id",
    "namn",
    "module",
    "state",
    "points",
    "max_points",
    "needs_manual_grade",
    "submitted_at",
    "group_work",
)
PLAN_WIDGET = "StrategicPlanBuilder"
#: a Unicode font for names outside the PDF core fonts' cp1252 (Debian's fonts-dejavu-core)
_UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


class ExportError(RunError):
    """An export that cannot be made; the message is plain Swedish."""


# -- writing files ---------------------------------------------------------------------
def _write_atomically(path: str | os.PathLike[str], content: bytes) -> Path:
    """``content`` to ``path`` whole or not at all; an ``ExportError`` a person can read otherwise."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(t("export.target_is_folder", path=str(target)))
    if not target.parent.is_dir():
        raise ExportError(t("export.no_folder", path=str(target.parent)))
    return write_atomically(
        target, content, lambda where, reason: ExportError(t("export.write_failed", path=str(where), reason=reason))
    )


def _record(run: CourseRun, action: str, subject: str) -> None:
    from .access_log import record

    record(run, action, subject)


# -- completion ----------------------------------------------------------------------------
def completion_frame(run: CourseRun) -> pd.DataFrame:
    """The completion table as a person reads it: Swedish headings, yes/no, local times."""
    from .completion import completion_table
    from .table_text import datetime_texts

    frame = completion_table(run, unreadable=False)  # not exported: no answer file need be opened
    out = frame[list(EXPORT_COLUMNS)].copy()
    yes, no = t("export.yes"), t("export.no")
    out["needs_manual_grade"] = [yes if v else no for v in out["needs_manual_grade"]]
    out["submitted_at"] = datetime_texts(out["submitted_at"])
    out = out.rename(columns={c: t(f"export.col.{c}") for c in EXPORT_COLUMNS})
    return out


def completion_csv(run: CourseRun, path: str | os.PathLike[str]) -> Path:
    """The completion table as CSV for Swedish Excel: UTF-8 with BOM, ``;``, decimal comma."""
    text = frame_csv(completion_frame(run))
    target = _write_atomically(path, text.encode("utf-8-sig"))
    _record(run, "exportera", "alla")
    return target


def completion_xlsx(run: CourseRun, path: str | os.PathLike[str]) -> Path:
    """The completion table as an Excel workbook: bold headings, points as number cells."""
    payload = xlsx_bytes(
        completion_frame(run),
        title=t("export.sheet_title"),
        number_columns=(t("export.col.points"), t("export.col.max_points")),
    )
    target = _write_atomically(path, payload)
    _record(run, "exportera", "alla")
    return target


# -- certificate -------------------------------------------------------------------------------
def _learner_name(run: CourseRun, student_id: str) -> str:
    """The learner's display name from the gradebook; ``ExportError`` for an unknown id."""
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        try:
            student = gb.find_student(student_id)
        except MissingEntry:
            raise ExportError(t("export.unknown_learner", id=student_id)) from None
        return student.first_name or student.id


def _module_title(run: CourseRun, module: str) -> str:
    path = run.source_dir / module / "module.yml"
    try:
        data = yaml_data(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return module
    return str(data.get("title") or module)


def completed_modules(run: CourseRun, student_id: str, count_submitted: bool = False) -> list[str]:
    """The modules the learner has completed, in teaching order.

    A module counts when it is graded (``rättad``), or also when submitted
    (``inlämnad``) if the course leader chooses ``count_submitted``.
    """
    from .completion import completion_table, state_label

    _learner_name(run, student_id)
    frame = completion_table(run, students=[student_id], unreadable=False)
    done = {state_label("rattad")} | ({state_label("inlamnad")} if count_submitted else set())
    rows = frame[(frame["student_id"] == student_id) & frame["state"].isin(done)]
    return [m for m in run.modules if m in set(rows["module"])]


def _course_title(run: CourseRun) -> str:
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


def _swedish_date(day: _dt.date) -> str:
    months = t("export.months").split(",")
    return f"{day.day} {months[day.month - 1].strip()} {day.year}"


def certificate_pdf(
    run: CourseRun,
    student_id: str,
    path: str | os.PathLike[str],
    *,
    count_submitted: bool = False,
    today: _dt.date | None = None,
) -> Path:
    """A one-page certificate (intyg) for one learner, in Swedish.

    Parameters
    ----------
    count_submitted : count submitted modules as completed, not only graded ones.
    today : the date on the certificate (today by default).
    """
    name = _learner_name(run, student_id)
    modules = completed_modules(run, student_id, count_submitted)
    if not modules:
        raise ExportError(t("export.nothing_completed", name=name, id=student_id))
    day = today or _dt.date.today()
    course = _course_title(run)
    titles = [_module_title(run, m) for m in modules]
    hours = _study_hours(run, modules)
    payload = _certificate_bytes(name, course, titles, hours, day)
    target = _write_atomically(path, payload)
    _record(run, "exportera-intyg", student_id)
    return target


def _study_hours(run: CourseRun, modules: list[str]) -> float:
    total = 0.0
    for module in modules:
        try:
            data = yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8")) or {}
            total += float(data.get("study_hours") or 0)
        except (OSError, yaml.YAMLError, TypeError, ValueError):
            continue
    return total


def _certificate_bytes(name: str, course: str, titles: list[str], hours: float, day: _dt.date) -> bytes:
    from fpdf import FPDF

    from widgets._numbers import format_number

    texts = [name, course, *titles]
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(t("export.certificate.title"))
    pdf.set_lang("sv")
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    family = _font(pdf, texts)

    def line(text: str, size: float, style: str = "", gap: float = 4, align: str = "L") -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, _printable(text, family), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.ln(10)
    line(t("export.certificate.title"), 28, "B", 10, "C")
    line(name, 20, "B", 6, "C")
    line(t("export.certificate.has_completed", course=course), 13, "", 8, "C")
    # the module list shrinks to stay on one page however long the course is
    size = 12 if len(titles) <= 12 else max(8, 12 - (len(titles) - 12) * 0.4)
    for number, title in enumerate(titles, start=1):
        line(f"{number}. {title}", size, "", 1.5)
    pdf.ln(6)
    if hours:
        line(t("export.certificate.hours", hours=format_number(hours, 1)), 12, "", 4)
    line(t("export.certificate.date", date=_swedish_date(day)), 12, "", 16)
    pdf.set_draw_color(0)
    y = pdf.get_y()
    pdf.line(25, y, 105, y)
    pdf.ln(2)
    line(t("export.certificate.signature"), 10, "", 0)
    return bytes(pdf.output())


def _font(pdf, texts: list[str]) -> str:
    """Helvetica when every text fits cp1252 (å, ä, ö do); else DejaVu Sans if the system has it."""
    try:
        for text in texts:
            text.encode("cp1252")
        return "Helvetica"
    except UnicodeEncodeError:
        regular, bold = _UNICODE_FONTS
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
        return "Helvetica"


def _printable(text: str, family: str) -> str:
    """Text the chosen font can draw: without a Unicode font, letters lose their accents rather than fail."""
    if family != "Helvetica":
        return text
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252")
            out.append(plain or "?")
    return "".join(out)


# -- a circle's strategic plans ------------------------------------------------------------------
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
    from widgets._plan_model import Plan
    from widgets.store import AnswerStore, UnreadableAnswer

    folder = run.workspace(student_id) / run.course_id / source.module / "svar"
    try:
        saved = AnswerStore(folder).load(source.exercise_id, keep_aside=False)
    except UnreadableAnswer:
        return None
    return None if saved is None else Plan.from_json(saved.data)


def circle_plans_docx(run: CourseRun, circle_id: str, path: str | os.PathLike[str], module: str | None = None) -> Path:
    """The strategic plans of a circle's members in one DOCX, a heading (display name) per member.

    Each plan is made by the plan widget's own DOCX export
    (:func:`widgets._docx.plan_docx_bytes`) and put under its member's heading,
    its own headings one level down and its numbered goals starting at 1.
    """
    import docx

    from widgets._docx import plan_docx_bytes
    from widgets._plan_model import load_prompts

    from .circles import CircleStore

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
    document.add_paragraph(t("export.plans.intro", course=_course_title(run), count=len(circle.members)))
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
    target = _write_atomically(path, buffer.getvalue())
    for student_id in circle.members:
        _record(run, "exportera-plan", student_id)
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
