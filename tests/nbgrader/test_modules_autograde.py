"""Every module of every real course: runs on a fresh kernel, and nbgrader grades it right.

The solution answers (``grading.course.solutions``: every exercise of every widget
kind answered as a learner would, and a reflection) get full marks on the
automatic parts with the reflection waiting for the course leader; a blank
release gets zero. One course run per course, autograded by nbgrader itself.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import threading
import traceback

import nbformat
import pytest
from nbclient import NotebookClient

from grading.autograde.pipeline import autograde, release
from grading.course.curriculum import discover_courses
from widgets.core.i18n import yaml_data

from course_paths import COURSES
from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

COURSE_DIRS = discover_courses(COURSES)
MODULES = [
    (course, name)
    for course in COURSE_DIRS
    for name in yaml_data((course / "course.yml").read_text(encoding="utf-8"))["modules"]
]
IDS = [f"{course.name}/{name}" for course, name in MODULES]


def _execute(client: NotebookClient, deadline: float = 300.0) -> None:
    """Run the notebook on an event loop and a thread of its own; fail with that thread's stack if it hangs.

    CI, 2026-12-04: six of these tests ran out at 600 s each, one after the other, their
    stacks ending in jupyter_core's shared runner loop (``tests/conftest.py``,
    ``_own_event_loop``, keeps tests off it now). What hung was not found; a next hang
    fails here in ``deadline`` seconds, says where it waits, and holds no later test.
    """
    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(client.async_execute())
        except BaseException as exc:  # handed to the test below
            failed.append(exc)

    thread = threading.Thread(target=run, name="notebook-run", daemon=True)
    thread.start()
    thread.join(deadline)
    if thread.is_alive():
        frame = sys._current_frames().get(thread.ident or 0)
        where = "".join(traceback.format_stack(frame)[-15:]) if frame else "(no stack)"
        pytest.fail(f"the notebook did not finish in {deadline:.0f} s; where it waits:\n{where}")
    if failed:
        raise failed[0]


@pytest.mark.parametrize(("course_dir", "module"), MODULES, ids=IDS)
def test_source_notebook_runs_on_a_fresh_kernel(course_dir, module, tmp_path):
    from grading.course.build import write_module
    from grading.course.loading import load_course

    course = load_course(course_dir)
    path = write_module(course, course.module(module), tmp_path)
    nb = nbformat.read(path, as_version=4)
    _execute(NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}))
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            # nbgrader scores a test cell 0 if it writes to stderr
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source
    shown = [c for c in nb.cells if c.cell_type == "code" and "widget" in c.metadata.nbgrader["grade_id"]]
    for cell in shown:
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)


@pytest.fixture(scope="module")
def graded_runs(tmp_path_factory, answer):
    """``graded(course_dir)``: the course's run, every module submitted solved and blank, autograded (once)."""
    runs = {}

    def graded(course_dir):
        if course_dir not in runs:
            run = create_run(course_dir, tmp_path_factory.mktemp(course_dir.name) / "omg")
            release(run)
            for module in run.modules:
                released = run.root / "release" / module
                for student, how in (("losning", "full"), ("tom", None)):
                    target = run.root / "submitted" / student / module
                    shutil.copytree(released, target)
                    (target / "timestamp.txt").write_text("2025-03-01 10:00:00.000000 UTC", encoding="utf-8")
                    if how:
                        answer(target, how)
            autograde(run)
            runs[course_dir] = run
        return runs[course_dir]

    return graded


@pytest.mark.parametrize(("course_dir", "module"), MODULES, ids=IDS)
def test_solution_answers_get_full_marks(course_dir, module, graded_runs):
    graded = graded_runs(course_dir)
    spec = yaml_data((graded.source_dir / module / "module.yml").read_text(encoding="utf-8"))
    with graded.gradebook() as gb:
        for ex in spec["exercises"]:
            if ex.get("check"):
                grade = gb.find_grade(f"{ex['id']}-check", module, module, "losning")
                assert grade.auto_score == ex["points"], ex["id"]
                assert grade.needs_manual_grade is False
            if ex["widget"] == "Reflection":
                grade = gb.find_grade(f"{ex['id']}-svar", module, module, "losning")
                assert grade.needs_manual_grade is True, ex["id"]
        submission = gb.find_submission(module, "losning")
        automatic = sum(float(ex["points"]) for ex in spec["exercises"] if ex.get("check"))
        assert submission.score == automatic
        assert submission.needs_manual_grade is True


@pytest.mark.parametrize(("course_dir", "module"), MODULES, ids=IDS)
def test_blank_release_gets_zero(course_dir, module, graded_runs):
    with graded_runs(course_dir).gradebook() as gb:
        submission = gb.find_submission(module, "tom")
        assert submission.score == 0
        assert submission.max_score > 0
        assert submission.needs_manual_grade is False
