"""Cirkel's parallel autograde gives exactly stock nbgrader's points, on real submissions.

One course run of the real module ``05-moten`` (a quiz, a voting exercise, a
meeting plan and a reflection), released, and six learners' submissions made
by driving the real widgets: anna answers everything, bo about half, cilla
hands in the release untouched, dan answers everything but added a cell of his
own that leaves the folder and raises (so every check after it finds no
answers), eva answers about half and her voting answers are damaged on disk,
and fel's notebook is not a notebook at all. The run is copied; stock
``nbgrader autograde 05-moten`` (its command line) grades the copy, ``cirkel
autograde --workers 2`` the original. Every grade row must be equal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading.autograde.pipeline import release
from grading.course_runs.run import CourseRun
from widgets.core.i18n import yaml_data

from course_paths import COMMITMENTS
from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

MODULE = "05-moten"
LEARNERS = ("anna", "bo", "cilla", "dan", "eva", "fel")
LEARNER_CELL = "import os\nos.chdir(os.path.expanduser('~'))\nraise RuntimeError('min egen cell')"


def _submit(run: CourseRun, student: str) -> Path:
    target = run.root / "submitted" / student / MODULE
    shutil.copytree(run.root / "release" / MODULE, target)
    (target / "timestamp.txt").write_text("2026-11-20 18:00:00.000000 UTC", encoding="utf-8")
    return target


def _copy_run(run: CourseRun, target: Path) -> Path:
    """The run in another folder, its nbgrader configuration pointing there."""
    shutil.copytree(run.root, target)
    config = target / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(run.root), str(target)), encoding="utf-8")
    return target


def _grade_rows(run_root: Path, course_id: str) -> dict[tuple, tuple]:
    """Every grade in the gradebook: (learner, notebook, cell) -> (auto_score, needs_manual_grade)."""
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(f"sqlite:///{run_root / 'gradebook.db'}", course_id) as gb:
        for submission in gb.assignment_submissions(MODULE):
            rows[(submission.student.id, "(submission)", "")] = (submission.score, submission.needs_manual_grade)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows[(submission.student.id, notebook.name, grade.name)] = (
                        grade.auto_score,
                        grade.needs_manual_grade,
                    )
    return rows


@pytest.fixture(scope="module")
def graded(courses_dir, tmp_path_factory, answer, cirkel):
    base = tmp_path_factory.mktemp("parallell")
    course = base / "parallell"
    course.mkdir()
    shutil.copytree(courses_dir / "partiforeningsskola" / MODULE, course / MODULE)
    (course / "course.yml").write_text(
        f"id: parallell\ntitle: Parallell\ndescription: En riktig modul.\nlanguage: sv\nmodules:\n  - {MODULE}\n",
        encoding="utf-8",
    )
    shutil.copy(COMMITMENTS, course / "commitments.yml")
    run = create_run(course, base / "omg")
    release(run)

    answer(_submit(run, "anna"), "full", reflection="Jag ska låta alla tala först.")
    answer(_submit(run, "bo"), "partial")
    _submit(run, "cilla")
    dan = _submit(run, "dan")
    answer(dan, "full")
    nb = nbformat.read(dan / f"{MODULE}.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(LEARNER_CELL))
    nbformat.write(nb, dan / f"{MODULE}.ipynb")
    eva = _submit(run, "eva")
    answer(eva, "partial")
    (eva / "svar" / "voteringsordning.json").write_text("{ inte json", encoding="utf-8")
    (_submit(run, "fel") / f"{MODULE}.ipynb").write_text("det här är ingen anteckningsbok", encoding="utf-8")

    stock_root = _copy_run(run, base / "stock")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    stock = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "autograde", MODULE],
        cwd=stock_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    ours = cirkel("autograde", run.root, "--workers", "2")
    return {"run": run, "stock_root": stock_root, "stock": stock, "ours": ours}


def test_every_grade_equals_stock_nbgrader(graded):
    run = graded["run"]
    ours = _grade_rows(run.root, run.course_id)
    stock = _grade_rows(graded["stock_root"], run.course_id)
    assert ours == stock
    learners = {learner for learner, _nb, _cell in ours}
    assert learners >= set(LEARNERS) - {"fel"}


def test_the_submissions_cover_full_partial_blank_and_errors(graded):
    run = graded["run"]
    spec = yaml_data((run.source_dir / MODULE / "module.yml").read_text(encoding="utf-8"))
    automatic = sum(float(ex["points"]) for ex in spec["exercises"] if ex.get("check"))
    rows = _grade_rows(run.root, run.course_id)
    score = {
        learner: rows[(learner, "(submission)", "")][0] for learner in LEARNERS if (learner, "(submission)", "") in rows
    }
    assert score["anna"] == automatic
    assert 0 < score["bo"] < automatic
    assert score["cilla"] == 0
    assert 0 <= score["dan"] < automatic  # his own cell left the folder: later checks find no answers
    assert 0 < score["eva"] < automatic
    assert rows[("eva", MODULE, "voteringsordning-check")][0] == 0
    dan = nbformat.read(run.root / "autograded" / "dan" / MODULE / f"{MODULE}.ipynb", as_version=4)
    errors = [o for c in dan.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert any("min egen cell" in o.evalue for o in errors)


def test_a_broken_submission_is_named_and_does_not_stop_the_others(graded):
    run, ours = graded["run"], graded["ours"]
    assert ours.returncode == 1
    assert f"{MODULE} / fel" in ours.stderr
    assert "Kunde inte rätta fel / 05-moten" in ours.stdout
    assert "Traceback" not in ours.stderr
    for learner in set(LEARNERS) - {"fel"}:
        assert (run.root / "autograded" / learner / MODULE / f"{MODULE}.ipynb").is_file(), learner
    assert not (run.root / "autograded" / "fel" / MODULE / f"{MODULE}.ipynb").exists()
    assert not (graded["stock_root"] / "autograded" / "fel" / MODULE / f"{MODULE}.ipynb").exists()


def test_progress_names_each_submission_once_as_it_finishes(graded):
    lines = [line for line in graded["ours"].stdout.splitlines() if line.startswith("Rättar ")]
    assert sorted(int(line.split()[1].split("/")[0]) for line in lines) == list(range(1, len(LEARNERS) + 1))
    assert all(f"/{len(LEARNERS)}:" in line for line in lines)
    assert sorted(line.split(": ", 1)[1] for line in lines) == sorted(f"{s} / {MODULE}" for s in LEARNERS)


@pytest.mark.parametrize(
    "preload", [None, ["import ipywidgets", "from widgets import MeetingRoleQuiz"]], ids=["started", "forked"]
)
def test_pooled_kernel_runs_the_first_cell_as_a_stock_kernel_would(tmp_path, monkeypatch, preload):
    """Same folder, same environment, same (empty) namespace, execution count 1, as nbgrader's ``Execute``.

    Both ways the pool gets its kernels: started as new processes, and forked
    from a zygote that has imported the module's imports.
    """
    from nbgrader.preprocessors import Execute

    from grading.autograde import parallel as pa

    folder = tmp_path / "inlamning"
    folder.mkdir()
    source = (
        "import os, sys\nprint(os.getcwd(), os.environ.get('NBGRADER_EXECUTION'), '' in sys.path)\n"
        "print(sorted(k for k in dir() if not k.startswith('_')))"
    )
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # nbgrader sets it around execution

    def run(preprocessor):
        nb = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
        )
        nb.cells = [nbformat.v4.new_code_cell(source)]
        out, _ = preprocessor.preprocess(nb, {"metadata": {"path": str(folder)}})
        cell = out.cells[0]
        return cell.execution_count, "".join(o.get("text", "") for o in cell.outputs)

    stock = run(Execute(timeout=120))
    pool = pa.KernelPool("python3", 1, dict(os.environ), [], preload=preload)
    assert (pool.zygote is not None) == (preload is not None)
    monkeypatch.setattr(pa, "_POOL", pool)
    try:
        pooled = run(pa.PooledExecute(timeout=120))
        assert len(pool._ready) == 1  # the next kernel was started while this one ran
    finally:
        pool.close()
    assert pooled == stock
    assert stock[0] == 1
    assert stock[1].split()[:3] == [str(folder), "autograde", "True"]


def test_the_module_imports_are_forked_ahead_for_cirkel_autograde(graded):
    """The grade rows above came from forked kernels: the module's imports load in a zygote without a thread."""
    from grading.autograde.kernel_zygote import Zygote
    from grading.autograde.parallel import ParallelAutograde

    run = graded["run"]
    preload = ParallelAutograde(run, config=run.config())._preload({MODULE})
    assert "from widgets import MeetingRoleQuiz" in preload
    assert "from grading.checks import score_quiz" in preload
    zygote = Zygote(preload, env=dict(os.environ))
    try:
        assert zygote.ready and zygote.failed == []
    finally:
        zygote.close()
