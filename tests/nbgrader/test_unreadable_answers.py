"""An answer file that cannot be read scores 0: the course leader is told, never left to guess.

``cirkel autograde`` names it as it grades, and the report, the terminal table, the
dashboard and the learner's page in it show it for that learner and module. A file made
to break its reader (nested 100,000 levels deep) is one such file, and every other
learner's row is still there.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from grading.course_runs.run import CourseRun
from grading.personal_data.export import export_person
from grading.reports.completion import completion_table, terminal_table
from grading.reports.dashboard import dashboard_table, learner_page
from grading.reports.exports import completion_csv
from voila_apps.views.dashboard_view import learner_html, table_html
from widgets.core.i18n import t
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.pages.submit import submit_module
from widgets.storage.answers import AnswerStore

from course_paths import COMMITMENTS
from mini_module import QUIZ_YML, module_yml
from run_cache import create_run

pytestmark = pytest.mark.nbgrader

MODULE = "01-prov"
#: cilla's reflection: a record whose data is nested 100,000 levels deep (json.loads recurses per level)
ATTACK = (
    b'{"schema": 1, "exercise_id": "reflektion", "kind": "reflection", "saved_at": "x", "data": {"text": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}}"
)


@pytest.mark.unit
def test_the_store_lists_unreadable_files_and_damaged_copies_kept_aside(tmp_path):
    store = AnswerStore(tmp_path / "svar")
    store.save("fragor", "quiz", {"questions": {}})
    store.save("plan", "plan", {"goals": []})
    (tmp_path / "svar" / "plan.json").write_text("{inte json", encoding="utf-8")
    (tmp_path / "svar" / "reflektion.olasbar-20260101T100000000000Z.json.bak").write_text("{", encoding="utf-8")
    (tmp_path / "svar" / "fragor.olasbar-20250101T100000000000Z.json.bak").write_text("{", encoding="utf-8")
    assert store.unreadable() == ["plan.json", "reflektion.olasbar-20260101T100000000000Z.json.bak"]
    assert (tmp_path / "svar" / "plan.json").read_text(encoding="utf-8") == "{inte json"  # left as it was
    assert AnswerStore(tmp_path / "finns-inte").unreadable() == []


@pytest.fixture(scope="module")
def graded(mini_course_module, tmp_path_factory, cirkel, answer) -> dict:
    """anna answers and submits; bo answers, his quiz file is then damaged, and he submits; cilla submits the attack."""
    base = tmp_path_factory.mktemp("olasbar")
    run = create_run(mini_course_module, base / "omg")
    roster = base / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\nbo,Bo\ncilla,Cilla\n", encoding="utf-8")
    cirkel("learners", "import", run.root, roster, check=True)
    cirkel("release", run.root, check=True)
    for learner in ("anna", "bo", "cilla"):
        cirkel("fetch", run.root, "--learner", learner, check=True)
    for learner in ("anna", "bo"):
        answer(run.notebook_path(learner, MODULE).parent, "full")
    damaged = run.notebook_path("bo", MODULE).parent / "svar" / "fragor.json"
    damaged.write_bytes(damaged.read_bytes()[:40])  # cut short, as a full disk once left a file
    (run.notebook_path("cilla", MODULE).parent / "svar").mkdir()
    (run.notebook_path("cilla", MODULE).parent / "svar" / "reflektion.json").write_bytes(ATTACK)
    for learner in ("anna", "bo", "cilla"):
        submit_module(run.notebook_path(learner, MODULE).parent)
    cirkel("collect", run.root, check=True)
    autograde = cirkel("autograde", run.root, check=True)
    return {"run": CourseRun(run.root), "autograde": autograde}


@pytest.fixture(scope="module")
def mini_course_module(tmp_path_factory) -> Path:
    """The tests' small course (one quiz, one reflection), made once for this module."""
    root = tmp_path_factory.mktemp("kurs") / "minikurs"
    module = root / MODULE
    module.mkdir(parents=True)
    (root / "course.yml").write_text(
        "id: minikurs\ntitle: Minikurs\ndescription: Liten.\nlanguage: sv\nmodules:\n  - 01-prov\n", encoding="utf-8"
    )
    (module / "module.yml").write_text(module_yml(), encoding="utf-8")
    (module / "text.md").write_text("Ett möte ska ha ett syfte.\n", encoding="utf-8")
    (module / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    shutil.copy(COMMITMENTS, root / "commitments.yml")
    return root


def test_autograde_names_the_unreadable_file_as_it_grades(graded):
    out = graded["autograde"].stdout
    folder = graded["run"].root / "submitted" / "bo" / MODULE / "svar"
    assert t("autograde.unreadable_line", learner="bo", module=MODULE, files="fragor.json", folder=folder) in out
    assert "anna / 01-prov: svarsfilen" not in out
    folder = graded["run"].root / "submitted" / "cilla" / MODULE / "svar"
    assert t("autograde.unreadable_line", learner="cilla", module=MODULE, files="reflektion.json", folder=folder) in out
    assert "gick inte att läsa och gav 0 poäng" in out


def test_the_report_and_the_terminal_table_show_it_for_that_learner_and_module(graded, cirkel):
    run = graded["run"]
    table = completion_table(run).set_index(["student_id", "module"])
    assert table.loc[("bo", MODULE), "unreadable"] == "fragor.json"
    assert table.loc[("anna", MODULE), "unreadable"] == ""
    assert table.loc[("bo", MODULE), "points"] < table.loc[("anna", MODULE), "points"]

    text = terminal_table(completion_table(run))
    bo_row = next(line for line in text.splitlines() if line.startswith("Bo (bo)"))
    assert bo_row.rstrip().endswith("!")
    assert "gick inte att läsa" in text and "bo / 01-prov: fragor.json" in text

    report = cirkel("report", run.root, check=True)
    assert "bo / 01-prov: fragor.json" in report.stdout


def test_the_dashboard_and_the_learners_page_show_it(graded):
    run = graded["run"]
    frame = dashboard_table(run)
    row = frame[(frame["student_id"] == "bo") & (frame["module"] == MODULE)].iloc[0]
    assert row["unreadable"] == "fragor.json"
    assert t("dashboard.table.unreadable", files="fragor.json") in table_html(frame, run.modules).replace("&quot;", '"')
    page = learner_page(run, "bo", frame)
    assert "fragor.json" in learner_html(page) and "0 poäng" in learner_html(page)
    assert "gick inte att läsa" not in learner_html(learner_page(run, "anna", frame))


def test_a_damaged_file_the_learners_page_set_aside_is_shown_too(graded, tmp_path):
    run = graded["run"]
    svar = run.notebook_path("bo", MODULE).parent / "svar"
    quiz = MeetingRoleQuiz.from_file(svar.parent / "fragor.yml", exercise_id="fragor", store=AnswerStore(svar))
    assert "gick inte att läsa" in quiz.status  # bo is told on his page; the file is kept aside
    kept = [p.name for p in svar.glob("fragor.olasbar-*.json.bak")]
    assert len(kept) == 1 and not (svar / "fragor.json").exists()
    assert AnswerStore(svar).unreadable() == kept


def test_an_answer_file_nested_100000_levels_deep_is_named_and_every_other_learner_listed(graded, cirkel, tmp_path):
    run = graded["run"]
    report = cirkel("report", run.root, "--csv", tmp_path / "rapport.csv", check=True)
    rows = [line for line in report.stdout.splitlines() if line.startswith(("Anna (anna)", "Bo (bo)", "Cilla (cilla)"))]
    assert len(rows) == 3 and rows[2].rstrip().endswith("!")
    assert t("completion.unreadable_line", learner="cilla", module=MODULE, files="reflektion.json") in report.stdout
    assert "bo / 01-prov: fragor.json" in report.stdout
    with open(tmp_path / "rapport.csv", encoding="utf-8") as fh:
        unreadable = {row["student_id"]: row["unreadable"] for row in csv.DictReader(fh)}
    assert unreadable == {"anna": "", "bo": "fragor.json", "cilla": "reflektion.json"}

    exported = completion_csv(run, tmp_path / "export.csv").read_text(encoding="utf-8-sig")
    assert [line.split(";")[0] for line in exported.splitlines()[1:]] == ["anna", "bo", "cilla"]

    frame = dashboard_table(run)
    assert frame.set_index("student_id").loc["cilla", "unreadable"] == "reflektion.json"
    page = learner_html(learner_page(run, "cilla", frame))
    assert "reflektion.json" in page and "0 poäng" in page

    manifest = export_person(run, "cilla", tmp_path / "utdrag") / "manifest.json"
    assert '"olasbar_fil": "reflektion.json"' in manifest.read_text(encoding="utf-8")
