"""A course run whose nbgrader gradebook is on PostgreSQL, the whole way (issue 21; nbgrader #1661).

nbgrader's gradebook is SQLAlchemy, so ``CourseDirectory.db_url`` may name
PostgreSQL, but upstream barely tests it. Here a run is created with
``gradebook_db`` naming a database of the tests' own server (tests/pg_cluster.py)
and its circles on another, then taken through everything a course leader does:
import learners, release, fetch, answer, submit, collect, autograde (Cirkel's
parallel workers over nbgrader's own Autograde), report, export, a circle's
attendance, erase. No ``gradebook.db`` is ever made in the run folder.
"""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa

from grading.circles.store import CircleStore
from grading.course_runs.run import CourseRun, create_run
from grading.personal_data import erase_person
from grading.reports.exports import completion_csv
from widgets.pages.submit import submit_module

pytestmark = [pytest.mark.nbgrader, pytest.mark.pg, pytest.mark.filterwarnings("ignore:.*not in session")]


def _whole_way(course, folder, cirkel, answer, gradebook_db=None) -> tuple[CourseRun, dict[str, dict]]:
    """Create, import, release, fetch, answer, submit, collect, autograde, report, export; the report's rows."""
    run = create_run(course, folder / "omg", gradebook_db=gradebook_db)
    roster = folder / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna Andersson\nbo,Bo Berg\ncilla,Cilla Cederlund\n", encoding="utf-8")
    cirkel("learners", "import", run.root, roster, check=True)
    cirkel("release", run.root, check=True)
    module = run.modules[0]
    for learner in ("anna", "bo", "cilla"):
        cirkel("fetch", run.root, "--learner", learner, check=True)
    answer(run.notebook_path("anna", module).parent, "full", reflection="Jag tar med mig syftet.")
    answer(run.notebook_path("bo", module).parent, "partial")
    for learner in ("anna", "bo"):
        submit_module(run.notebook_path(learner, module).parent)
    cirkel("collect", run.root, check=True)
    cirkel("autograde", run.root, check=True)
    cirkel("report", run.root, "--csv", folder / "rapport.csv", check=True)
    with open(folder / "rapport.csv", encoding="utf-8", newline="") as fh:
        report = {row.pop("student_id"): row for row in csv.DictReader(fh) if row.pop("submitted_at") is not None}
    exported = completion_csv(run, folder / "export.csv").read_text(encoding="utf-8-sig")
    assert "anna" in exported and "cilla" in exported
    return run, report


def test_a_run_with_its_gradebook_on_postgresql_goes_the_whole_way(
    mini_course, tmp_path, pg_server, pg_url, cirkel, answer, monkeypatch
):
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path / "hub"))
    (tmp_path / "sqlite").mkdir()
    _, on_sqlite = _whole_way(mini_course, tmp_path / "sqlite", cirkel, answer)
    (tmp_path / "pg").mkdir()
    with pg_server.database() as circles_url:
        monkeypatch.setenv("CIRKEL_LIVE_DB", circles_url)
        run, report = _whole_way(mini_course, tmp_path / "pg", cirkel, answer, gradebook_db=pg_url)
        assert run.db_url == pg_url and CourseRun(run.root).db_url == pg_url
        assert repr(pg_url) in (run.root / "nbgrader_config.py").read_text(encoding="utf-8")
        # the same grades, states and flags as the same path on SQLite
        assert report == on_sqlite
        assert [(r["state"], r["points"], r["needs_manual_grade"]) for r in report.values()] == [
            ("rättad", "2.0", "True"),  # anna: full automatic points, her reflection waits for a person
            ("rättad", "2.0", "False"),
            ("ej påbörjad", "", "False"),
        ]

        circles = CircleStore(run)
        circles.create_circle("norr", "Norr", "anna", ["bo", "cilla"])
        meeting = circles.add_meeting("norr", "2026-12-01", "18:00", "20:15")
        circles.set_attendance(meeting.meeting_id, ["anna", "bo"])

        result = erase_person(run, "bo")
        assert "gradebook" in result.removed and "circles" in result.removed
        assert circles.circle("norr").members == ("anna", "cilla")
        assert not (run.root / "gradebook.db").exists()

    # what nbgrader wrote, read from PostgreSQL with a connection of our own
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as db:
            students = db.scalars(sa.text("SELECT id FROM student ORDER BY id")).all()
            submitted = db.scalars(sa.text("SELECT count(*) FROM submitted_assignment")).one()
    finally:
        engine.dispose()
    assert students == ["anna", "cilla"] and submitted == 1  # bo's submission went with him
