"""Shared fixtures: the repository's places, a small course to break, the `cirkel` command,
and a learner who answers a module by driving the real widgets.

The browser tests keep their own fixtures in ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from widgets.core.i18n import yaml_data

from pg_cluster import module_backend, pg_server, pg_url, store_backend  # noqa: F401  (the stores on SQLite and PostgreSQL)

REPO = Path(__file__).resolve().parents[1]
COURSES = REPO / "courses"
COURSE = COURSES / "partiforeningsskola"
VENV_BIN = Path(sys.executable).parent
CIRKEL = VENV_BIN / "cirkel"


#: the lanes of the suite (markers in pyproject.toml); every test is in at least one
LANES = ("unit", "notebook", "nbgrader", "browser", "hub", "pg")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test in no lane (``pytest -m unit`` and the other lanes must not miss it) or astray from its family.

    Then order the work longest first (``LONGEST_FIRST``, then the other hub files, the browser
    files, the rest), so that the workers share the end of the run and none waits for a long
    unit started last. Within a file the order stays as written.
    """
    outside = [item.nodeid for item in items if not any(item.get_closest_marker(lane) for lane in LANES)]
    if outside:
        raise pytest.UsageError(
            "tests in no lane (mark them with one of " + ", ".join(LANES) + "):\n  " + "\n  ".join(outside)
        )
    # a test on the live hub outside its family would start a second hub on another worker
    astray = [
        item.nodeid
        for item in items
        if "live" in getattr(item, "fixturenames", ()) and work_unit(item.nodeid) != "live-hub"
    ]
    if astray:
        raise pytest.UsageError("add these files to SHARED_FIXTURE_FILES['live-hub']:\n  " + "\n  ".join(astray))
    items.sort(key=lambda item: _longest_first(item.nodeid))


#: the work units that take longest (``--durations``), started first in this order
LONGEST_FIRST = (
    "live-hub",
    "tests/hub/test_make_run.py",
    "tests/browser/test_reflow.py",
    "tests/hub/test_hub_browser.py",
    "tests/hub/test_erase_on_hub.py",
    "widget-gallery",
    "tests/hub/test_answer_keys_hub.py",
    "tests/nbgrader/test_parallel_autograde.py",
    "boundary-hub",
    "tests/hub/test_lab_collaboration.py",
    "tests/hub/test_login_guessing.py",
)


def _longest_first(nodeid: str) -> int:
    """Where a test's work unit goes in the run: the long ones first (``sort`` keeps the rest in order)."""
    unit = work_unit(nodeid)
    if unit in LONGEST_FIRST:
        return LONGEST_FIRST.index(unit)
    if nodeid.startswith("tests/hub/"):
        return len(LONGEST_FIRST)
    if nodeid.startswith("tests/browser/"):
        return len(LONGEST_FIRST) + 1
    return len(LONGEST_FIRST) + 2


#: test files whose tests share one expensive session fixture, and so one xdist worker
SHARED_FIXTURE_FILES = {
    # (the browser tests' course run, server and Chromium are made once per worker that runs any of
    # them: tests/browser/conftest.py. Their files spread over the workers like any other file.)
    # the widget gallery's server, page and one reload (tests/browser/gallery_fixtures.py): its three files
    # run in the order of their names, the reload's last
    "widget-gallery": ("tests/browser/test_widget_gallery",),
    # the boundary tests' hub (tests/hub/boundary_hub.py)
    "boundary-hub": ("tests/hub/test_hub.py", "tests/hub/test_hub_kernels.py"),
    # one hub with two study circles (tests/hub/conftest.py, ``live``)
    "live-hub": (
        # (kim, the run's leader, may have 15 pages open on the live service: grading.servers.kernel_cap)
        "tests/hub/test_a_live_speaker_browser.py",
        "tests/hub/test_csp_hub.py",
        "tests/hub/test_group_quiz_browser.py",
        "tests/hub/test_hub_pages.py",
        "tests/hub/test_live_layout.py",
        "tests/hub/test_live_service.py",
        "tests/hub/test_points_on_submit_hub.py",
        "tests/hub/test_shared_plan_browser.py",
    ),
}


def work_unit(nodeid: str) -> str:
    """The xdist work unit of a test: its family in ``SHARED_FIXTURE_FILES``, else its file."""
    path = nodeid.split("::", 1)[0]
    for family, prefixes in SHARED_FIXTURE_FILES.items():
        if path.startswith(prefixes):
            return family
    return path


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``make test`` runs on every core (pytest-xdist): one work unit at a time per worker.

    A session fixture is made once per worker that needs it, and a module fixture
    once per module, so a file, or a family of files sharing a fixture, is never split.
    """
    from xdist.scheduler import LoadScopeScheduling

    # keep the order of ``pytest_collection_modifyitems`` (longest first), not xdist's (most tests first)
    config.option.loadscopereorder = False

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnitScheduling(config, log)


@pytest.fixture(autouse=True, scope="session")
def _interruptible() -> None:
    """Servers, hubs and kernels started by the tests get SIGINT as from a person's terminal.

    A pytest-xdist worker ignores SIGINT, and every process it starts would inherit
    that (a server stopped with SIGINT would wait out its timeouts, a kernel could
    not be interrupted).
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _own_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that does not drive Chromium runs with no event loop marked running in its thread.

    Playwright's sync API marks its loop as running in the main thread after every
    call (``playwright/_impl/_sync_base.py``); on a worker that has run a browser test,
    jupyter_core's ``run_sync`` (nbclient's and nbgrader's blocking calls) would then
    send every coroutine to one shared background loop, and one coroutine stuck there
    holds every later one; ``asyncio.run`` would refuse to start. A test is to behave the same
    whichever tests ran before it, without a thread of its own for each coroutine.
    """
    borrowed = asyncio._get_running_loop()
    if borrowed is None or "playwright" in request.fixturenames:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(borrowed)


@pytest.fixture(autouse=True, scope="session")
def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` and the kernelspec runs ``python``: both from this venv."""
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[0] != str(VENV_BIN):
        os.environ["PATH"] = os.pathsep.join([str(VENV_BIN), *parts])


@pytest.fixture(scope="session")
def course_dir() -> Path:
    """The real course, ``courses/partiforeningsskola``."""
    assert (COURSE / "course.yml").is_file(), "the course content is missing"
    return COURSE


@pytest.fixture(scope="session")
def courses_dir() -> Path:
    """The real courses, ``courses/`` (every folder in it with a ``course.yml``)."""
    assert any(COURSES.glob("*/course.yml")), "the course content is missing"
    return COURSES


@pytest.fixture
def mini_course(tmp_path: Path) -> Path:
    """A small valid course in ``tmp_path/minikurs`` that a test may break on purpose."""
    from mini_module import write_mini_course

    return write_mini_course(tmp_path / "minikurs")


def run_cirkel_command(*args: str | Path, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run the installed ``cirkel`` command in a process of its own, as a course leader would, in Swedish."""
    env = dict(os.environ, CIRKEL_LANG="sv", PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(CIRKEL), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    return _checked(args, proc, check)


def run_cirkel(*args: str | Path, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run ``cirkel`` in this process (``grading.cli.main``), in Swedish: what the command does, without
    the second or so a new Python spends importing. Its exit status, standard output and standard error
    come back as from a subprocess; an unexpected exception is a traceback on standard error and status 1,
    as the installed command shows it.
    """
    from grading.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_lang = os.environ.get("CIRKEL_LANG")
    os.environ["CIRKEL_LANG"] = "sv"
    try:
        with contextlib.chdir(cwd or os.getcwd()), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main([str(arg) for arg in args])
            except SystemExit as exit_:  # argparse: --help (0) and usage errors (2)
                status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            except Exception:  # what the installed command would show for a bug
                traceback.print_exc(file=err)
                status = 1
    finally:
        if saved_lang is None:
            os.environ.pop("CIRKEL_LANG", None)
        else:
            os.environ["CIRKEL_LANG"] = saved_lang
    proc = subprocess.CompletedProcess(["cirkel", *map(str, args)], status, out.getvalue(), err.getvalue())
    return _checked(args, proc, check)


def _checked(
    args: tuple[str | Path, ...], proc: subprocess.CompletedProcess, check: bool
) -> subprocess.CompletedProcess:
    if check and proc.returncode != 0:
        raise AssertionError(
            f"cirkel {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@pytest.fixture(scope="session")
def cirkel() -> Callable[..., subprocess.CompletedProcess]:
    """``cirkel(*args, cwd=None, check=False)``: the command, run in this process."""
    return run_cirkel


@pytest.fixture(scope="session")
def cirkel_command() -> Callable[..., subprocess.CompletedProcess]:
    """``cirkel_command(*args, cwd=None, check=False)``: the installed command in a subprocess."""
    return run_cirkel_command


def answer_module(module_dir: Path, how: str = "full", reflection: str | None = None) -> dict[str, float]:
    """Answer a fetched (or source) module by driving its real widgets, as a learner would.

    ``how`` is ``"full"`` (the solution answers of ``grading.course.solutions``: every
    exercise of every widget kind answered for full points, and a reflection)
    or ``"partial"`` (about half the quiz right on the first try and the rest
    wrong, a plan with only its first step, nothing else, no reflection).
    Returns the points the learner's own widgets show (quiz score of max).
    """
    from widgets.exercises.plan import StrategicPlanBuilder
    from widgets.exercises.quiz import MeetingRoleQuiz
    from widgets.storage.answers import AnswerStore

    if how == "full":
        from grading.course.solutions import solve_module

        solved = solve_module(module_dir, reflection=reflection)
        return {ex_id: w.score / w.max_score for ex_id, w in solved.items() if isinstance(w, MeetingRoleQuiz)}

    spec = yaml_data((module_dir / "module.yml").read_text(encoding="utf-8"))
    store = AnswerStore(module_dir / "svar")
    shown: dict[str, float] = {}
    for ex in spec["exercises"]:
        if ex["widget"] == "MeetingRoleQuiz":
            quiz = MeetingRoleQuiz.from_file(module_dir / ex["content"], exercise_id=ex["id"], store=store)
            for number, question in enumerate(quiz.bank.questions):
                right = sorted(question.correct)
                if number % 2 == 0:
                    quiz.choose(question.id, right)
                else:
                    wrong = [i for i in range(len(question.options)) if i not in right][:1]
                    quiz.choose(question.id, wrong)
                quiz.submit_answer(question.id)
            shown[ex["id"]] = quiz.score / quiz.max_score
        elif ex["widget"] == "StrategicPlanBuilder":
            plan = StrategicPlanBuilder.from_file(module_dir / ex["content"], exercise_id=ex["id"], store=store)
            plan.perception.value = "Vi vill vara partiet som finns på plats när grannarna organiserar sig."
    return shown


@pytest.fixture(scope="session")
def answer() -> Callable[..., dict[str, float]]:
    """``answer(module_dir, how="full"|"partial", reflection=None)``: drive the real widgets."""
    return answer_module


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole session: its sync API allows only one per thread,
    and both the browser tests and the hub's browser test drive Chromium through it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running
