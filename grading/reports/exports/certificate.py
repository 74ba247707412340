"""A learner's certificate (intyg): one page in Swedish listing the modules they have completed."""

from __future__ import annotations

import datetime as _dt
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from grading.reports.exports.common import ExportError, course_title, record_export, write_export
from widgets.core.i18n import t, yaml_data

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

#: a Unicode font for names outside the PDF core fonts' cp1252 (Debian's fonts-dejavu-core)
_UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


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
    from grading.reports.completion import completion_table, state_label

    _learner_name(run, student_id)
    frame = completion_table(run, students=[student_id], unreadable=False)
    done = {state_label("rattad")} | ({state_label("inlamnad")} if count_submitted else set())
    rows = frame[(frame["student_id"] == student_id) & frame["state"].isin(done)]
    return [m for m in run.modules if m in set(rows["module"])]


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
    course = course_title(run)
    titles = [_module_title(run, m) for m in modules]
    hours = _study_hours(run, modules)
    payload = certificate_bytes(name, course, titles, hours, day)
    target = write_export(path, payload)
    record_export(run, "exportera-intyg", student_id)
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


def certificate_bytes(name: str, course: str, titles: list[str], hours: float, day: _dt.date) -> bytes:
    from fpdf import FPDF

    from widgets.core.numbers import format_number

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
