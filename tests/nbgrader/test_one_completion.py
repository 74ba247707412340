"""One completion computation: the report, the dashboard and the exports read one table, from SQL.

Small runs of the tests' mini course whose submissions and grades are written
through nbgrader's own ``Gradebook``, as autograde and formgrader write them;
the autograded notebook is put where autograde leaves it. The 10,000-learner
case is measured in ``benchmarks/report_export.py``, not here.
"""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest
import sqlalchemy as sa

from grading.autograde.pipeline import release
from grading.cli import main as cirkel
from grading.reports.completion import completion_table, format_points, state_label
from grading.reports.dashboard import dashboard_table
from grading.reports.exports import completion_frame
from widgets.core.i18n import t

from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

MODULE = "01-prov"


def _run(course, folder, learners: list[str]):
    """A released run (nbgrader's gradebook has the module's notebook and grade cells) with these learners."""
    run = create_run(course, folder)
    release(run)
    with run.gradebook() as gb:
        for student_id in learners:
            gb.update_or_create_student(student_id, first_name=student_id.capitalize())
    return run


def _graded(run, student_id: str, score: float) -> float:
    """A submission graded by nbgrader (every grade ``score``); nbgrader's own total for it."""
    with run.gradebook() as gb:
        submission = gb.add_submission(MODULE, student_id, timestamp="2026-11-20 10:00:00")
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = score, False
        gb.db.commit()
        total = float(gb.find_submission(MODULE, student_id).score)
    assert total > 0 or score == 0
    folder = run.root / "autograded" / student_id / MODULE
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    return total


def _report(run) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cirkel(["report", str(run.root)]) == 0
    return out.getvalue()


def _row(frame, student_id: str, id_column: str = "student_id"):
    return frame[frame[id_column] == student_id].iloc[0]


def test_a_module_nbgrader_recorded_under_another_course_id_is_graded_everywhere(mini_course, tmp_path):
    """The SQL path read only assignments recorded under the run's course id; the ORM path found them by name.

    nbgrader finds an assignment by its name alone (names are unique in a
    gradebook), and records one made without the run's configuration under
    its ``default_course``. The ORM path (the report, the exports) was right;
    the dashboard said "ej påbörjad" for a graded module.
    """
    run = _run(mini_course, tmp_path / "run", ["anna"])
    total = _graded(run, "anna", 1.0)
    from nbgrader.api import Gradebook

    with Gradebook(run.db_url, "default_course"):
        pass  # nbgrader makes its default course, as a tool run without the run's config does
    engine = sa.create_engine(run.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE assignment SET course_id = 'default_course' WHERE name = :m"), {"m": MODULE})
    engine.dispose()

    graded = state_label("rattad")
    assert _row(completion_table(run), "anna").state == graded
    board = _row(dashboard_table(run), "anna")
    assert (board.state, board.points) == (graded, total)
    export = _row(completion_frame(run), "anna", t("export.col.student_id"))
    assert (export[t("export.col.state")], export[t("export.col.points")]) == (graded, total)
    line = next(line for line in _report(run).splitlines() if "(anna)" in line)
    assert f"{graded} {format_points(total, board.max_points)}" in line


@contextlib.contextmanager
def _queries():
    """Count the SQL statements any SQLAlchemy engine (Cirkel's or nbgrader's) sends."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def test_report_dashboard_and_export_read_the_gradebook_in_as_many_queries_for_six_learners_as_for_two(
    mini_course, tmp_path
):
    """The ORM path sent queries per submission (its time grew with the square of the run); SQL sends four."""
    counts = {}
    for size in (2, 6):
        learners = [f"d{n}" for n in range(1, size + 1)]
        run = _run(mini_course, tmp_path / f"run{size}", learners)
        for learner in learners:
            _graded(run, learner, 0.5)
        counted = {}
        for name, make in (("report", completion_table), ("dashboard", dashboard_table), ("export", completion_frame)):
            with _queries() as sent:
                frame = make(run)
            assert len(frame) == size
            counted[name] = len(sent)
        counts[size] = counted
    assert counts[2] == counts[6]
    assert max(counts[6].values()) <= 6


def test_a_certificate_reads_one_learners_rows(mini_course, tmp_path):
    """The certificate asks the gradebook for its learner only, and agrees with the whole table."""
    run = _run(mini_course, tmp_path / "run", ["anna", "bo"])
    _graded(run, "anna", 1.0)
    one = completion_table(run, students=["anna"])
    assert list(one["student_id"]) == ["anna"]
    whole = completion_table(run)
    assert one.iloc[0].to_dict() == whole[whole.student_id == "anna"].iloc[0].to_dict()
    assert _row(whole, "bo").state == state_label("ej_paborjad")


def test_the_exports_read_no_answer_file_and_show_what_the_report_shows(mini_course, tmp_path, monkeypatch):
    """Naming unreadable answer files took most of an export's time at 10,000 learners; no export shows them.

    bo's collected answer file is damaged: the report's table names it, the
    table the exports and the certificate read has no such column, opens no
    answer file, and holds the same values in every other column.
    """
    run = _run(mini_course, tmp_path / "run", ["anna", "bo"])
    _graded(run, "anna", 1.0)
    svar = run.root / "submitted" / "bo" / MODULE / "svar"
    svar.mkdir(parents=True)
    (svar / "fragor.json").write_text('{"schema": 1, "exercise_id": "fr', encoding="utf-8")
    whole = completion_table(run)
    assert _row(whole, "bo").unreadable == "fragor.json"

    from grading.reports import completion_files

    def no_reading(*args, **kwargs):
        raise AssertionError("an answer file was read")

    monkeypatch.setattr(completion_files, "unreadable_in", no_reading)
    lean = completion_table(run, unreadable=False)
    assert "unreadable" not in lean.columns
    pd.testing.assert_frame_equal(lean, whole.drop(columns=["unreadable"]))
    export = completion_frame(run)
    assert list(export[t("export.col.student_id")]) == ["anna", "bo"]
    from grading.reports.exports import completed_modules

    assert completed_modules(run, "anna") == [MODULE] and completed_modules(run, "bo") == []
