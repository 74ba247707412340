"""Group work credited through attendance, in nbgrader's real gradebook, through the ``cirkel`` command.

A circle of three (anna leads, bo and cecilia) meets on 2026-12-01; anna and
bo are there, cecilia is not. At the meeting the circle keeps talarstatistik
together on anna's screen (ten contributions: full points); bo answered
nothing himself, cecilia kept three contributions alone at home. The group's
answer is recorded for the meeting from anna's module, then the run is
collected and autograded as usual.
"""

from __future__ import annotations

import csv
import shutil
import textwrap
from pathlib import Path

import pytest

from grading.circles.group_work import credit_group_work, credited, group_answers, record_group_answer
from grading.circles.store import CircleStore
from grading.course_runs.run import CourseRun
from grading.reports.completion import completion_table
from grading.reports.dashboard import dashboard_table, learner_page
from grading.reports.exports import completion_csv
from voila_apps.views.dashboard_view import learner_html, table_html
from widgets.exercises.speaker_stats import SpeakerStats
from widgets.models.speaker_stats import ANONYMOUS_ID
from widgets.pages.submit import submit_module
from widgets.storage.answers import AnswerStore

from course_paths import COMMITMENTS

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

MODULE = "01-samtal"
CELL = "talarstatistik-check"
MODULE_YML = textwrap.dedent("""\
    title: Samtal i cirkeln
    source:
      - part: Del 2
        section: Internfeminism för framtiden
    study_hours: 2
    minutes: {reading: 30, discussion: 20, exercise: 35, reflection: 5}
    goals:
      - Du kan föra talarstatistik.
    commitments: [internfeminism-3]
    samtalsfragor:
      - text: Vem talar mest?
        commitments: [internfeminism-3]
      - Vad visar siffrorna?
      - Vad kan vi ändra?
    exercises:
      - id: talarstatistik
        widget: SpeakerStats
        content: talarstatistik.yml
        check: score_speaker_stats
        points: 2
        grupp: true
      - id: reflektion
        widget: Reflection
        prompt: Vad tar du med dig?
        points: 1
    """)


def _keep(module_dir: Path, contributions: int) -> None:
    """Keep talarstatistik in the learner's module as a person taps it: start and stop each contribution.

    The circle has not agreed to counting gender, so every turn is counted as "Inlägg".
    """
    now = [1_000.0]
    stats = SpeakerStats.from_file(
        module_dir / "talarstatistik.yml",
        "talarstatistik",
        store=AnswerStore(module_dir / "svar"),
        clock=lambda: now[0],
    )
    for _ in range(contributions):
        stats.tap(ANONYMOUS_ID)
        now[0] += 60
        stats.tap(ANONYMOUS_ID)
    stats.close()


@pytest.fixture(scope="module")
def group(courses_dir, tmp_path_factory, cirkel, module_backend):
    """The whole flow once on the run's SQLite files, once with circles and live state on PostgreSQL."""
    base = tmp_path_factory.mktemp("grupp")
    course = base / "gruppkurs"
    (course / MODULE).mkdir(parents=True)
    (course / "course.yml").write_text(
        f"id: gruppkurs\ntitle: Gruppkurs\ndescription: En träff.\nlanguage: sv\nmodules:\n  - {MODULE}\n",
        encoding="utf-8",
    )
    shutil.copy(COMMITMENTS, course / "commitments.yml")
    (course / MODULE / "module.yml").write_text(MODULE_YML, encoding="utf-8")
    (course / MODULE / "text.md").write_text("# Samtal\n\nVi räknar vem som talar.\n", encoding="utf-8")
    shutil.copy(
        courses_dir / "partiforeningsskola" / "08-internfeminism" / "talarstatistik.yml",
        course / MODULE / "talarstatistik.yml",
    )
    run_dir = base / "omg"
    cirkel("run", "create", course, "--dir", run_dir, check=True)
    roster = base / "deltagare.csv"
    roster.write_text("id;namn\nanna;Anna\nbo;Bo\ncecilia;Cecilia\n", encoding="utf-8")
    cirkel("learners", "import", run_dir, roster, check=True)
    cirkel(
        "circle", "create", run_dir, "norr", "--name", "Norr", "--leader", "anna", "--members", "bo,cecilia", check=True
    )
    cirkel(
        "circle", "meeting", run_dir, "norr", "--date", "2026-12-01", "--start", "18:00", "--end", "20:30", check=True
    )
    cirkel("circle", "attendance", run_dir, "1", "--present", "anna,bo", check=True)
    cirkel("release", run_dir, check=True)
    run = CourseRun(run_dir)
    for learner in ("anna", "bo", "cecilia"):
        cirkel("fetch", run_dir, "--learner", learner, check=True)
    _keep(run.notebook_path("anna", MODULE).parent, 10)  # the circle's own, on anna's screen at the meeting
    _keep(run.notebook_path("cecilia", MODULE).parent, 3)  # alone, at home
    for learner in ("anna", "bo", "cecilia"):
        submit_module(run.notebook_path(learner, MODULE).parent)
    out = {
        "refused_absent": cirkel(
            "circle", "group", run_dir, "1", "--module", MODULE, "--exercise", "talarstatistik", "--from", "cecilia"
        ),
        "refused_not_group": cirkel(
            "circle", "group", run_dir, "1", "--module", MODULE, "--exercise", "reflektion", "--from", "anna"
        ),
        "group": cirkel(
            "circle",
            "group",
            run_dir,
            "1",
            "--module",
            MODULE,
            "--exercise",
            "talarstatistik",
            "--from",
            "anna",
            check=True,
        ),
    }
    out["collect"] = cirkel("collect", run_dir, check=True)
    out["autograde"] = cirkel("autograde", run_dir, check=True)
    out["report"] = cirkel("report", run_dir, "--csv", base / "rapport.csv", check=True)
    return {"run": run, "out": out, "base": base}


def _scores(run: CourseRun) -> dict[str, float]:
    with run.gradebook() as gb:
        return {sid: gb.find_grade(CELL, MODULE, MODULE, sid).score for sid in ("anna", "bo", "cecilia")}


def test_members_present_get_the_groups_points_and_the_absent_one_her_own(group):
    assert "2/2 poäng" in group["out"]["group"].stdout
    assert _scores(group["run"]) == {"anna": 2.0, "bo": 2.0, "cecilia": pytest.approx(0.6)}
    rows = {(r.student_id, r.module): r for r in completion_table(group["run"]).itertuples()}
    assert rows[("bo", MODULE)].points == 2.0  # bo wrote nothing himself, yet the module shows the group's points
    assert rows[("cecilia", MODULE)].points == pytest.approx(0.6)


def test_the_group_answer_is_graded_once(group):
    answers = group_answers(group["run"])
    assert [(a.exercise_id, a.meeting_date.isoformat(), a.points) for a in answers] == [
        ("talarstatistik", "2026-12-01", 2.0)
    ]
    assert sorted(c.student_id for c in credited(group["run"])) == ["anna", "bo"]
    # what a person's data export says about it (GDPR): bo wrote nothing, and was given the group's 2 points
    assert CircleStore(group["run"]).person_data("bo")["group_work"] == [
        {"module": MODULE, "exercise_id": "talarstatistik", "meeting_id": 1, "own_points": 0.0, "credited_points": 2.0}
    ]


def test_report_dashboard_and_export_show_group_work(group):
    run, base = group["run"], group["base"]
    report = group["out"]["report"].stdout
    lines = {line.split(" (")[0]: line for line in report.splitlines() if line.startswith(("Anna", "Bo", "Cecilia"))}
    assert lines["Bo"].rstrip().endswith("G") and lines["Anna"].rstrip().endswith("G")
    assert not lines["Cecilia"].rstrip().endswith("G")
    assert "bo / 01-samtal: gruppuppgift talarstatistik (träff 2026-12-01)" in report
    assert "cecilia / 01-samtal: gruppuppgift" not in report
    assert (
        "01-samtal / talarstatistik, Norr, träff 2026-12-01: 2/2 poäng. Fick poängen: Anna (anna), Bo (bo). "
        "Inte med: Cecilia (cecilia)." in report
    )
    board = {(r.student_id, r.module): r for r in dashboard_table(run).itertuples()}
    assert board[("bo", MODULE)].group_work == "gruppuppgift talarstatistik (träff 2026-12-01)"
    assert board[("cecilia", MODULE)].group_work == ""
    # the dashboard app's table and learner page say it in words
    html = table_html(dashboard_table(run), [MODULE])
    bo_row = html.split('data-student="bo"')[1].split("</tr>")[0]
    assert "gruppuppgift talarstatistik (träff 2026-12-01)" in bo_row
    assert "gruppuppgift" not in html.split('data-student="cecilia"')[1].split("</tr>")[0]
    page = learner_html(learner_page(run, "bo"))
    assert "01-samtal: poängen räknar med gruppuppgift talarstatistik (träff 2026-12-01)" in page
    path = completion_csv(run, base / "export.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        exported = {(r["Id"], r["Modul"]): r for r in csv.DictReader(fh, delimiter=";")}
    assert exported[("anna", MODULE)]["Gruppuppgift"] == "gruppuppgift talarstatistik (träff 2026-12-01)"
    assert exported[("cecilia", MODULE)]["Gruppuppgift"] == ""


def test_refusals_are_plain_swedish(group):
    absent = group["out"]["refused_absent"]
    assert absent.returncode == 1 and "cecilia var inte med på träffen 2026-12-01" in absent.stderr
    assert "Traceback" not in absent.stderr
    not_group = group["out"]["refused_not_group"]
    assert not_group.returncode == 1 and "”reflektion” i 01-samtal är ingen gruppuppgift" in not_group.stderr


def test_better_of_own_and_group_attendance_decides_and_the_leaders_manual_score_wins(group):
    run = group["run"]
    # the group's answer replaced by a weaker one (4 of 10 contributions): graded once again, 0.8 points
    weaker = run.root / "weaker"
    shutil.copytree(run.notebook_path("bo", MODULE).parent, weaker)
    _keep(weaker, 4)
    text = (weaker / "svar" / "talarstatistik.json").read_text(encoding="utf-8")
    assert record_group_answer(run, 1, MODULE, "talarstatistik", text).points == pytest.approx(0.8)
    credit_group_work(run)
    # anna's own answer (10) is better than the group's: she keeps it; bo has only the group's
    assert _scores(run) == {"anna": 2.0, "bo": pytest.approx(0.8), "cecilia": pytest.approx(0.6)}
    credit_group_work(run)  # again: the same (each member's own score is remembered, not the credit)
    assert _scores(run)["bo"] == pytest.approx(0.8)
    circles = CircleStore(run)
    circles.set_attendance(1, ["anna"])  # the leader corrects the attendance: bo was not there after all
    credit_group_work(run)
    assert _scores(run)["bo"] == 0.0
    circles.set_attendance(1, ["anna", "bo"])
    credit_group_work(run)
    assert _scores(run)["bo"] == pytest.approx(0.8)
    with run.gradebook() as gb:  # the course leader regrades bo by hand in formgrader
        grade = gb.find_grade(CELL, MODULE, MODULE, "bo")
        grade.manual_score = 1.5
        gb.db.commit()
    credit_group_work(run)
    assert _scores(run)["bo"] == 1.5
    circles.erase_person("bo")  # erasing a person erases what they were credited with beside the circles
    assert [c.student_id for c in credited(run)] == ["anna"]


def test_the_group_answer_from_the_circles_live_talarstatistik(group, cirkel):
    """A second meeting today: the circle kept talarstatistik in the live app (without consent to gender)."""
    import datetime as dt

    from widgets.core.i18n import yaml_data
    from widgets.storage.live_speaker import LiveSpeakerStore

    run = group["run"]
    today = dt.date.today().isoformat()
    cirkel("circle", "meeting", run.root, "norr", "--date", today, "--start", "18:00", "--end", "20:30", check=True)
    cirkel("circle", "attendance", run.root, "2", "--present", "anna,cecilia", check=True)
    refused = cirkel("circle", "group", run.root, "2", "--module", MODULE, "--exercise", "talarstatistik", "--live")
    assert refused.returncode == 1 and f"ingen talarstatistik från {today}" in refused.stderr
    store = LiveSpeakerStore(run.root)
    raw = yaml_data((run.source_dir / MODULE / "talarstatistik.yml").read_text(encoding="utf-8"))
    session = store.open_session("norr", "anna", "talarstatistik.yml", raw)
    assert session.is_anonymous  # the circle has not agreed to counting gender
    for _ in range(10):
        store.start(session.session_id, "alla")
        store.stop(session.session_id)
    store.end(session.session_id)
    out = cirkel(
        "circle", "group", run.root, "2", "--module", MODULE, "--exercise", "talarstatistik", "--live", check=True
    )
    assert f"träffen {today}: 2/2 poäng" in out.stdout  # turns counted without gender count the same
    credit_group_work(run)
    with run.gradebook() as gb:
        assert gb.find_grade(CELL, MODULE, MODULE, "cecilia").score == 2.0  # present at the second meeting
