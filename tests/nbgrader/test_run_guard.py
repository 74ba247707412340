"""A busy gradebook or a full disk: a plain Swedish message, no traceback, and the run as it was.

The gradebook is held by a real second SQLite connection (``BEGIN EXCLUSIVE``, as a
database browser with an open transaction holds it). The full disk is the system's own
limit on a file's size (``RLIMIT_FSIZE``) in the ``cirkel`` process: a write past it fails
with ``EFBIG`` as a write to a full disk fails with ``ENOSPC``, part way through a step.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from grading.course_runs import guard as run_guard
from grading.course_runs.run import CourseRun
from widgets.pages.submit import submit_module

from mini_module import QUIZ_YML, module_yml
from run_cache import create_run

pytestmark = pytest.mark.nbgrader

BIG = "02-stor"
#: the installed command, beside the Python that runs the tests
CIRKEL = Path(sys.executable).parent / "cirkel"
#: bytes any file may have in the limited ``cirkel``: above the gradebook, below the big module's bank
LIMIT = 600_000


def _tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _gradebook(run: CourseRun) -> list[str]:
    connection = sqlite3.connect(run.root / "gradebook.db")
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _state(run: CourseRun) -> dict[str, object]:
    """What a step may change: every file of the run (the gradebook by its content) and its hidden folders."""
    files = {k: v for k, v in _tree(run.root).items() if not k.startswith("gradebook.db")}
    return {"files": files, "gradebook": _gradebook(run)}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """Two modules: a small one, and one whose question bank is larger than ``LIMIT``."""
    root = tmp_path_factory.mktemp("vaktkurs") / "vaktkurs"
    for name in ("01-prov", BIG):
        module = root / name
        module.mkdir(parents=True)
        (module / "module.yml").write_text(module_yml(), encoding="utf-8")
        (module / "text.md").write_text("Ett möte ska ha ett syfte.\n", encoding="utf-8")
        (module / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    long_explanation = "Ett möte ska ha ett syfte. " * (LIMIT // 20)
    (root / BIG / "fragor.yml").write_text(
        QUIZ_YML.replace("explanation: Ett möte ska ha ett syfte.", f"explanation: {long_explanation}"),
        encoding="utf-8",
    )
    (root / "course.yml").write_text(
        textwrap.dedent(f"""\
            id: vaktkurs
            title: Vaktkurs
            description: Två moduler.
            language: sv
            modules:
              - 01-prov
              - {BIG}
            """),
        encoding="utf-8",
    )
    (root / "commitments.yml").write_text(
        '- id: moten-1\n  part: Del 2\n  section: Möten\n  text: "göra varje möte till ett genomtänkt möte"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def run(course, tmp_path, cirkel, answer) -> CourseRun:
    """Released, fetched by anna, her first module answered, submitted and collected; nothing graded yet."""
    run = create_run(course, tmp_path / "omg")
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\nbo,Bo\n", encoding="utf-8")
    cirkel("learners", "import", run.root, roster, check=True)
    cirkel("release", run.root, check=True)
    cirkel("fetch", run.root, "--learner", "anna", check=True)
    folder = run.notebook_path("anna", "01-prov").parent
    answer(folder, "full")
    submit_module(folder)
    cirkel("collect", run.root, check=True)
    return run


@contextlib.contextmanager
def held(run: CourseRun) -> Iterator[None]:
    """The gradebook held by another program: a second connection in an exclusive transaction."""
    other = sqlite3.connect(run.root / "gradebook.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize(
    "command",
    [("learners", "import", "{run}", "{roster}"), ("release", "{run}"), ("collect", "{run}"), ("autograde", "{run}")],
    ids=["learners-import", "release", "collect", "autograde"],
)
def test_a_held_gradebook_stops_each_step_in_swedish_with_nothing_changed(run, cirkel, tmp_path, monkeypatch, command):
    monkeypatch.setattr(run_guard, "GRADEBOOK_WAIT_SECONDS", 1.0)
    roster = tmp_path / "nya.csv"
    roster.write_text("id,namn\ncilla,Cilla\n", encoding="utf-8")
    args = [part.format(run=run.root, roster=roster) for part in command]
    before = _state(run)

    with held(run):
        proc = cirkel(*args)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "OperationalError" not in proc.stderr
    assert f"Rättningsboken {run.root / 'gradebook.db'} används av ett annat program just nu" in proc.stderr
    assert "Inget har ändrats." in proc.stderr
    assert "nbgrader db upgrade" not in proc.stderr + proc.stdout  # nbgrader's own (wrong) advice is not passed on
    assert _state(run) == before


def _limited_cirkel(*args: str | Path) -> subprocess.CompletedProcess:
    """The installed ``cirkel`` in a process that may write no file larger than ``LIMIT`` bytes."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    env = dict(os.environ, CIRKEL_LANG="sv", PYTHONWARNINGS="ignore", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [str(CIRKEL), *map(str, args)], capture_output=True, text=True, env=env, preexec_fn=limit, timeout=600
    )


def test_a_full_disk_part_way_through_a_release_puts_the_run_back_as_it_was(run):
    assert (run.root / "gradebook.db").stat().st_size < LIMIT < (run.source_dir / BIG / "fragor.yml").stat().st_size
    before = _state(run)

    proc = _limited_cirkel("release", run.root)

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Delar ut 1/2: 01-prov" in proc.stdout and "Delar ut 2/2: 02-stor" in proc.stdout  # the first went through
    assert "Traceback" not in proc.stderr
    assert f"Utdelningen avbröts vid modulen {BIG}" in proc.stderr
    assert "en fil blev större än systemet tillåter" in proc.stderr
    assert "Inget har ändrats: kursomgången är som före utdelningen." in proc.stderr
    assert _state(run) == before  # the first module's new copy is gone, the old ones are back
    assert not (run.root / run_guard.UNDO_DIRNAME).exists()


def test_a_full_disk_part_way_through_collecting_puts_submitted_back(run, cirkel, answer):
    for learner in ("anna", "bo"):
        cirkel("fetch", run.root, "--learner", learner, check=True)
    answer(run.notebook_path("bo", "01-prov").parent, "full")
    submit_module(run.notebook_path("bo", "01-prov").parent)
    big = run.notebook_path("anna", BIG).parent
    (big / "anteckningar.txt").write_text("x" * (LIMIT + 1000), encoding="utf-8")  # too large to copy here
    submit_module(big)
    before = _state(run)

    proc = _limited_cirkel("collect", run.root)

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"Insamlingen avbröts vid modulen {BIG}" in proc.stderr
    assert "Inget har ändrats: submitted/ är som före insamlingen." in proc.stderr
    assert _state(run) == before  # bo's collected 01-prov is not left behind either
    assert not (run.root / "submitted" / "bo").exists()
