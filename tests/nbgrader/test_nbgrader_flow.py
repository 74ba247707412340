"""End to end through the `cirkel` command, on real modules and the real nbgrader.

The course run is made from two real modules picked explicitly, so the flow
does not depend on how many modules the courses list: ``05-moten`` of the
partiföreningsskola (a quiz, a voting exercise, a meeting plan and a
reflection) and ``02-strategiska-planer`` of the leadership training (a
plan and a reflection). Three learners: anna answers everything, bo part of
the first module (and starts the second without submitting), cecilia nothing
(she submits the first module blank). Answers are given by driving the real
widgets in each learner's workspace, submitted with ``submit_module``, then
collected, autograded and reported.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat
import pytest

from grading.course.build import reflection_cells
from grading.course_runs.run import CourseRun
from grading.reports.completion import completion_table
from widgets.core.i18n import yaml_data
from widgets.pages.submit import SubmitError, SubmitPanel, submit_module

from course_paths import COMMITMENTS

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ANNA_REFLECTION = "Jag ska fråga de nya först.\n\nEfter mötet frågar vi hur det kändes. <inget html>"
COURSE_ID = "flodeskurs"
FIRST = "05-moten"  # from partiforeningsskola
SECOND = "02-strategiska-planer"  # from ledarskap


def _points(run, module: str) -> tuple[float, float, float]:
    """(automatic points, reflection points, quiz points) of a module, from the run's module.yml."""
    spec = yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8"))
    auto = sum(float(ex["points"]) for ex in spec["exercises"] if ex.get("check"))
    manual = sum(float(ex["points"]) for ex in spec["exercises"] if ex["widget"] == "Reflection")
    quiz = sum(float(ex["points"]) for ex in spec["exercises"] if ex["widget"] == "MeetingRoleQuiz")
    return auto, manual, quiz


def _shown(x: float) -> str:
    """Points as the gradebook has them, the Swedish way: at most two decimals."""
    return f"{round(x, 2):g}".replace(".", ",")


@pytest.fixture(scope="module")
def flow_course(courses_dir, tmp_path_factory) -> Path:
    """A course of the two real modules, in ``<tmp>/flodeskurs``."""
    course = tmp_path_factory.mktemp("kurs") / COURSE_ID
    course.mkdir()
    shutil.copytree(courses_dir / "partiforeningsskola" / FIRST, course / FIRST)
    shutil.copytree(courses_dir / "ledarskap" / SECOND, course / SECOND)
    (course / "course.yml").write_text(
        f"id: {COURSE_ID}\ntitle: Flödeskurs\ndescription: Två riktiga moduler.\nlanguage: sv\n"
        f"modules:\n  - {FIRST}\n  - {SECOND}\n",
        encoding="utf-8",
    )
    shutil.copy(COMMITMENTS, course / "commitments.yml")
    return course


@pytest.fixture(scope="module")
def flow(flow_course, tmp_path_factory, cirkel, answer):
    base = tmp_path_factory.mktemp("flow")
    run_dir = base / "hosten"
    cirkel("run", "create", flow_course, "--dir", run_dir, check=True)
    roster = base / "deltagare.csv"
    roster.write_text("id;namn\nanna;Anna Andersson\nbo;Bo Berg\ncecilia;Cecilia Cederlund\n", encoding="utf-8")
    out = {"import": cirkel("learners", "import", run_dir, roster, check=True)}
    out["release"] = cirkel("release", run_dir, check=True)
    for learner in ("anna", "bo", "cecilia"):
        out[f"fetch-{learner}"] = cirkel("fetch", run_dir, "--learner", learner, check=True)
    run = CourseRun(run_dir)
    shown = {}
    for module in run.modules:
        shown[("anna", module)] = answer(run.notebook_path("anna", module).parent, "full", reflection=ANNA_REFLECTION)
    shown[("bo", FIRST)] = answer(run.notebook_path("bo", FIRST).parent, "partial")
    assert run.modules == [FIRST, SECOND]
    answer(run.notebook_path("bo", SECOND).parent, "partial")
    submitted = [submit_module(run.notebook_path("anna", m).parent) for m in run.modules]
    submitted.append(submit_module(run.notebook_path("bo", FIRST).parent))
    # cecilia presses the panel's "Lämna in" in her module (the panel finds it from the working directory)
    here = os.getcwd()
    os.chdir(run.notebook_path("cecilia", FIRST).parent)
    try:
        panel = SubmitPanel()
        submitted.append(panel.submit())
    finally:
        os.chdir(here)
    before_collect = completion_table(run)
    out["collect"] = cirkel("collect", run_dir, check=True)
    out["autograde"] = cirkel("autograde", run_dir, check=True)
    out["report"] = cirkel("report", run_dir, "--csv", base / "rapport.csv", check=True)
    with open(base / "rapport.csv", encoding="utf-8", newline="") as fh:
        report_rows = {(r["student_id"], r["module"]): r for r in csv.DictReader(fh)}
    return {
        "run": run,
        "out": out,
        "shown": shown,
        "submitted": submitted,
        "panel": panel,
        "before_collect": before_collect,
        "csv": report_rows,
    }


def test_learners_fetch_into_their_own_workspace(flow):
    run = flow["run"]
    assert "3 nya" in flow["out"]["import"].stdout
    for learner in ("anna", "bo", "cecilia"):
        workspace = run.workspace(learner)
        record = json.loads((workspace / ".cirkel-deltagare.json").read_text(encoding="utf-8"))
        assert record == {
            "student_id": learner,
            "course_id": COURSE_ID,
            "course_title": "Flödeskurs",
            "exchange_root": str(run.exchange_root),
        }
        for module in run.modules:
            nb = nbformat.read(run.notebook_path(learner, module), as_version=4)
            # the released copy has the stub, not the solution text
            cell = next(iter(reflection_cells(nb).values()))
            assert "Skriv ditt svar i rutan ovanför" in cell.source


def test_submissions_show_as_submitted_before_collect(flow):
    table = flow["before_collect"]
    rows = {(r.student_id, r.module): r for r in table.itertuples()}
    for result in flow["submitted"]:
        row = rows[(result.student_id, result.module)]
        assert row.state == "inlämnad"
        assert row.submitted_at == result.submitted_at
    assert rows[("bo", SECOND)].state == "påbörjad"
    assert rows[("cecilia", SECOND)].state == "ej påbörjad"


def test_autograde_reports_progress_per_submission(flow):
    lines = [line for line in flow["out"]["autograde"].stdout.splitlines() if line.startswith("Rättar")]
    n = len(flow["submitted"])
    assert len(lines) == n
    # in the order they finish (graded in parallel): each submission once, counted 1..n
    assert [line.split(":")[0] for line in lines] == [f"Rättar {i}/{n}" for i in range(1, n + 1)]
    assert sum(line.endswith(f": anna / {FIRST}") for line in lines) == 1
    assert "Reflektionerna bedömer du i formgrader" in flow["out"]["autograde"].stdout


def test_report_points_and_states(flow):
    rows = flow["csv"]
    auto, manual, quiz = _points(flow["run"], FIRST)
    assert quiz > 0 and manual > 0
    anna_first = rows[("anna", FIRST)]
    # every automatic part is fully right; the reflection waits for the course leader
    assert anna_first["state"] == "rättad"
    assert float(anna_first["max_points"]) == auto + manual
    assert float(anna_first["points"]) == auto
    assert anna_first["needs_manual_grade"] == "True"
    anna_second = rows[("anna", SECOND)]
    assert anna_second["state"] == "rättad"
    assert float(anna_second["points"]) == float(anna_second["max_points"]) - _points(flow["run"], SECOND)[1]
    bo_first = rows[("bo", FIRST)]
    # bo answered half the quiz right and nothing else
    expected = round(flow["shown"][("bo", FIRST)]["motesroller"] * quiz, 2)
    assert 0 < expected < quiz
    assert float(bo_first["points"]) == pytest.approx(expected, abs=0.01)
    assert bo_first["needs_manual_grade"] == "False"
    assert rows[("bo", SECOND)]["state"] == "påbörjad"
    cecilia_first = rows[("cecilia", FIRST)]
    assert cecilia_first["state"] == "rättad"
    assert float(cecilia_first["points"]) == 0
    assert cecilia_first["needs_manual_grade"] == "False"
    assert rows[("cecilia", SECOND)]["state"] == "ej påbörjad"
    assert rows[("cecilia", SECOND)]["points"] == ""


def test_terminal_report_shows_each_learner(flow):
    text = flow["out"]["report"].stdout
    lines = {line.split(" (")[0]: line for line in text.splitlines() if "(" in line}
    auto, manual, _quiz = _points(flow["run"], FIRST)
    total = _shown(auto + manual)
    assert f"rättad {_shown(auto)}/{total} *" in lines["Anna Andersson"]
    bo_points = float(flow["csv"][("bo", FIRST)]["points"])
    assert f"rättad {_shown(bo_points)}/{total}" in lines["Bo Berg"]
    assert "påbörjad" in lines["Bo Berg"]
    assert f"rättad 0/{total}" in lines["Cecilia Cederlund"]
    assert "ej påbörjad" in lines["Cecilia Cederlund"]
    assert "väntar på kursledarens bedömning" in text


def test_reflection_appears_in_the_autograded_notebook(flow):
    run = flow["run"]
    path = run.root / "autograded" / "anna" / FIRST / f"{FIRST}.ipynb"
    cell = reflection_cells(nbformat.read(path, as_version=4))["reflektion"]
    shown = html.unescape(re.sub(r"<[^>]*>", "", cell.source))  # what formgrader's reader sees
    assert "Jag ska fråga de nya först." in shown and "Efter mötet frågar vi hur det kändes." in shown
    assert "<inget html>" in shown and "<inget html>" not in cell.source  # text, never a tag
    blank = run.root / "autograded" / "cecilia" / FIRST / f"{FIRST}.ipynb"
    cell = reflection_cells(nbformat.read(blank, as_version=4))["reflektion"]
    assert "Skriv ditt svar i rutan ovanför" in cell.source


def test_gradebook_flags_the_reflection_for_manual_grading(flow):
    run = flow["run"]
    with run.gradebook() as gb:
        anna = gb.find_grade("reflektion-svar", FIRST, FIRST, "anna")
        assert anna.needs_manual_grade is True
        assert anna.auto_score is None
        cecilia = gb.find_grade("reflektion-svar", FIRST, FIRST, "cecilia")
        assert cecilia.needs_manual_grade is False
        assert cecilia.score == 0
        quiz = gb.find_grade("motesroller-check", FIRST, FIRST, "anna")
        assert quiz.auto_score == _points(flow["run"], FIRST)[2]


def test_submit_outside_a_workspace_says_so(tmp_path):
    with pytest.raises(SubmitError, match="det framgår inte vem du är"):
        submit_module(tmp_path)


def test_submit_panel_confirms_with_the_time(flow):
    panel, result = flow["panel"], flow["submitted"][-1]
    assert result is not None and result.student_id == "cecilia"
    assert panel.message.startswith("Modulen är inlämnad ")
    local = result.submitted_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert local.strftime("%H:%M") in panel.message
    # handed in: the button says when, and waits for a change before it hands in again
    assert panel.button.disabled
    assert panel.button.description == f"Inlämnad {local:%H:%M}"


def test_submit_panel_outside_a_workspace_shows_a_plain_message(tmp_path):
    panel = SubmitPanel(tmp_path)
    assert panel.submit() is None
    assert "Be kursledaren om hjälp" in panel.message
    assert "Traceback" not in panel._out.value
    assert 'role="alert"' in panel._out.value
