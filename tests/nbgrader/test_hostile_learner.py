"""A learner and a circle whose names and reflection are an attacker's, through the real flow.

Made with the ``cirkel`` command on nbgrader: a one-module run (the plan module
of the leadership training), a roster whose names are a spreadsheet formula
(``=HYPERLINK(...)``, issue 17) and markup, release, fetch; the learners answer
by driving the real widgets, one reflection holding the whole payload corpus;
submit, collect, autograde, feedback; a study circle named like a formula with
a meeting. Then every export and every place the course leader reads them:

- every CSV and XLSX export neutralises a cell that would be a formula, and
  points stay number cells (fails on today's main: the cell starts with ``=``,
  and openpyxl even stores it as a formula);
- the reflection in the autograded notebook renders inert in nbgrader's
  feedback HTML, which is formgrader's renderer (fails on today's main: a
  live ``javascript:`` link);
- the report app, the certificate (PDF) and the circle's plans (DOCX) show the
  names as text, with no link.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from grading.course_runs.run import CourseRun
from widgets.core.spreadsheet import FORMULA_STARTS

from hostile_text import FORMULA_NAME, HOSTILE_NAME, REFLECTION, links, problems, url_is_unsafe
from personal_data_support import MODULE, plan_course

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

FORMULA = ("del-f1", FORMULA_NAME)
MARKUP = ("del-m2", HOSTILE_NAME)
CIRCLE = ("c1", "@SUM(1+1)*cmd|' /C calc'!A0")


@pytest.fixture(scope="module")
def world(tmp_path_factory, courses_dir, cirkel, answer):
    from grading.circles.store import CircleStore
    from widgets.pages.submit import submit_module

    base = tmp_path_factory.mktemp("fientlig")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIRKEL_HUB_DIR", str(base / "hub"))
        mp.setenv("CIRKEL_VIEWER", "ledaren")
        course = plan_course(courses_dir, base / "kurs")
        run_dir = base / "omgang"
        cirkel("run", "create", course, "--dir", run_dir, check=True)
        roster = base / "deltagare.csv"
        with roster.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows([("id", "namn"), FORMULA, MARKUP])
        cirkel("learners", "import", run_dir, roster, check=True)
        cirkel("release", run_dir, check=True)
        run = CourseRun(run_dir)
        for (student_id, _name), how, reflection in ((FORMULA, "full", REFLECTION), (MARKUP, "partial", None)):
            cirkel("fetch", run_dir, "--learner", student_id, check=True)
            folder = run.notebook_path(student_id, MODULE).parent
            answer(folder, how, reflection=reflection)
            submit_module(folder)
        cirkel("collect", run_dir, check=True)
        cirkel("autograde", run_dir, check=True)
        assert run.api().generate_feedback(MODULE, FORMULA[0])["success"]
        store = CircleStore(run)
        store.create_circle(CIRCLE[0], CIRCLE[1], FORMULA[0], [MARKUP[0]])
        meeting = store.add_meeting(CIRCLE[0], dt.date(2025, 3, 4), "18:00", "20:15", 15)
        store.set_attendance(meeting.meeting_id, [FORMULA[0], MARKUP[0]])
        yield {"run": run, "store": store, "cirkel": cirkel}


def _csv_cells(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


def _assert_neutral(rows: list[list[str]], where: str) -> None:
    cells = [c for row in rows for c in row]
    starting = [c for c in cells if c.startswith(FORMULA_STARTS) and not re.fullmatch(r"-?\d+([.,]\d+)?", c)]
    assert starting == [], (where, starting)


def test_every_csv_export_neutralises_a_formula_name(world, tmp_path):
    from grading.reports.attendance_form import attendance_csv
    from grading.reports.dashboard import dashboard_table
    from grading.reports.exports import completion_csv
    from voila_apps.views.dashboard_view import table_csv

    run = world["run"]
    made = {
        "completion": completion_csv(run, tmp_path / "genomforande.csv").read_text(encoding="utf-8-sig"),
        "attendance": attendance_csv(world["store"], CIRCLE[0]),
        "dashboard": table_csv(dashboard_table(run)).decode("utf-8-sig"),
    }
    world["cirkel"]("report", run.root, "--csv", tmp_path / "rapport.csv", check=True)
    for name, text in made.items():
        rows = _csv_cells(text, ";")
        _assert_neutral(rows, name)
        assert "'" + FORMULA_NAME in [c for row in rows for c in row], name
    rows = _csv_cells((tmp_path / "rapport.csv").read_text(encoding="utf-8"), ",")
    _assert_neutral(rows, "cirkel report --csv")
    assert "'" + FORMULA_NAME in [c for row in rows for c in row]
    assert "'" + CIRCLE[1] in [c for row in _csv_cells(made["attendance"], ";") for c in row]
    # points stay numbers with a decimal comma
    completion = _csv_cells(made["completion"], ";")
    points = completion[0].index("Poäng")
    assert all(re.fullmatch(r"\d+(,\d+)?", r[points]) for r in completion[1:] if r[points])


def test_xlsx_has_the_name_as_neutral_text_and_points_as_numbers(world, tmp_path):
    from openpyxl import load_workbook

    from grading.reports.exports import completion_xlsx

    sheet = load_workbook(completion_xlsx(world["run"], tmp_path / "genomforande.xlsx")).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    names = [c for c in cells if isinstance(c.value, str) and FORMULA_NAME in c.value]
    assert names and all(c.value == "'" + FORMULA_NAME and c.data_type == "s" for c in names)
    heading = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        points = row[heading.index("Poäng")]
        if points.value is not None:
            assert isinstance(points.value, (int, float)) and points.data_type == "n"


def test_the_reflection_renders_inert_where_the_leader_and_learner_read_it(world):
    """nbgrader's feedback HTML: the autograded notebook through nbconvert's markdown renderer, as formgrader shows it."""
    run = world["run"]
    feedback = next((run.root / "feedback" / FORMULA[0] / MODULE).glob("*.html")).read_text(encoding="utf-8")
    assert [url for url in links(feedback) if url_is_unsafe(url)] == []
    name = run.notebook_path(FORMULA[0], MODULE).name
    autograded = json.loads((run.root / "autograded" / FORMULA[0] / MODULE / name).read_text(encoding="utf-8"))
    filled = [c for c in autograded["cells"] if (c["metadata"].get("cirkel") or {}).get("reflection")]
    assert filled and "".join(filled[0]["source"]).count("\n") <= 2  # heading, blank line, one HTML line
    start = feedback.index('<div class="cirkel-reflection-text">')
    section = feedback[start : feedback.index("</div>", start) + 6]
    assert problems(section) == [], section
    assert "klicka här" in section
    assert links(section) == ["https://www.vansterpartiet.se/"]


def test_report_certificate_and_plans_show_names_as_text(world, tmp_path):
    from docx import Document

    from grading.reports.exports import certificate_pdf, circle_plans_docx

    run = world["run"]
    report = json.loads((Path(__file__).parents[2] / "voila_apps" / "rapport.ipynb").read_text(encoding="utf-8"))
    scope: dict = {}
    exec(compile("".join(report["cells"][0]["source"]), "rapport.ipynb", "exec"), scope)  # the app's own code
    shown = scope["report_html"](str(run.root))
    assert problems(shown) == [] and HOSTILE_NAME in html.unescape(shown)

    pdf = certificate_pdf(run, MARKUP[0], tmp_path / "intyg.pdf", count_submitted=True).read_bytes()
    for action in (b"/URI", b"/JavaScript", b"/Launch", b"/JS"):
        assert action not in pdf

    path = circle_plans_docx(run, CIRCLE[0], tmp_path / "planer.docx")
    with zipfile.ZipFile(path) as packed:
        body = packed.read("word/document.xml").decode("utf-8")
        rels = packed.read("word/_rels/document.xml.rels").decode("utf-8")
    # no link element, no field (a HYPERLINK field would be one), no relationship to anywhere outside
    assert "<w:hyperlink" not in body and "<w:instrText" not in body and "<w:fldSimple" not in body
    assert "/hyperlink" not in rels and 'TargetMode="External"' not in rels
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert FORMULA_NAME in headings and HOSTILE_NAME in headings
