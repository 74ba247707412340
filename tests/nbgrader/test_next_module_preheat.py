"""Her next module, preheated from "Mina moduler": opened, its page comes from a kernel that has run it.

A learner's own server on the hub preheats her landing page, "Mina moduler"; once that page is
handed over, it preheats the module she will most likely open next (the first she has begun, else
the first not begun: ``widgets.storage.module_states.next_module``), a couple of seconds later.
Here a small run of two modules is served as a learner's server is configured
(``grading.servers.voila_settings.preheat``: one kernel, no refill), for one learner's home.
Pages are asked for over HTTP; Voilà's log says which came from a preheated kernel.

- Opened after its kernel has run the module, her next module comes from that kernel, with the
  answer she gave meanwhile (the handover reads her store again).
- Another module opened instead lets the guess go: its kernel is shut, nothing waits for a page she
  did not open.
- Her next module opened before its kernel has begun to start is started cold at once (not held
  back by the delay), and no kernel for it starts afterwards.
- On a busy machine (a circle logging in at once) no module is guessed.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from grading.servers.serve import Learner, Server, build_demo_run, home_path, running_server
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.storage.answers import AnswerStore

from mini_module import write_mini_course

pytestmark = pytest.mark.nbgrader

MODULES = ("01-prov", "02-prov")
QUIZ = "fragor"
LEARNERS = (Learner("anna", "Anna"), Learner("bilal", "Bilal"), Learner("cecilia", "Cecilia"))


@pytest.fixture(scope="module")
def course_run(tmp_path_factory: pytest.TempPathFactory):
    """The small course with a second module, the same as the first, run for three learners."""
    root = write_mini_course(tmp_path_factory.mktemp("nasta-modul") / "minikurs")
    shutil.copytree(root / MODULES[0], root / MODULES[1])
    course = root / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("  - 01-prov\n", "  - 01-prov\n  - 02-prov\n"))
    return build_demo_run(root.parent / "run", root, learners=list(LEARNERS))


def _relative(server_root: Path, path: Path) -> str:
    return path.resolve().relative_to(server_root.resolve()).as_posix()


@contextmanager
def _learner_server(course_run, student_id: str, log: Path, delay: float, max_load: float = 1000) -> Iterator[Server]:
    """The run's server preheating one learner's home as her own server does, and then her next module.

    ``max_load``: the load per core from which no module is guessed (by default none here: the suite
    itself keeps the machine's cores busy).
    """
    home = _relative(Path(course_run.root), home_path(course_run, student_id))
    with running_server(
        course_run.root,
        log_path=log,
        preheat=[home],
        max_kernels=1,
        extra_args=[
            "--PreheatKernelManager.refill=False",
            f"--PreheatKernelManager.next_module_after={home}",
            f"--PreheatKernelManager.next_module_delay={delay}",
            f"--PreheatKernelManager.next_module_max_load={max_load}",
        ],
    ) as server:
        yield server


def _log(server: Server) -> str:
    assert server.log_path is not None
    return server.log_path.read_text(encoding="utf-8", errors="replace")


def _has_run(server: Server, notebook: Path) -> bool:
    name = re.escape(_relative(server.root, notebook))
    return re.search(rf"Cirkel: preheated kernel \S+ has run {name}\b", _log(server)) is not None


def _served_preheated(server: Server, notebook: Path) -> bool:
    name = re.escape(_relative(server.root, notebook))
    return re.search(rf"Using pre-heated kernel: \S+ for {name}\b", _log(server)) is not None


def _wait(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout  # a readiness wait, not a timing
    while not condition():
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(0.2)


def _open(server: Server, notebook: Path) -> str:
    page = requests.get(server.voila_url(notebook), timeout=180)
    assert page.status_code == 200, page.text[:500]
    return page.text


def _kernels(server: Server) -> int:
    return len(server.kernels(timeout=60))


def _answer(course_run, student_id: str, module: str, option: int) -> None:
    """She answers the quiz elsewhere (another tab): the real widget, headless."""
    folder = course_run.notebook_path(student_id, module).parent
    quiz = MeetingRoleQuiz.from_file(folder / f"{QUIZ}.yml", exercise_id=QUIZ, store=AnswerStore(folder / "svar"))
    question = quiz.bank.questions[0]
    quiz.choose(question.id, [option])
    quiz.submit_answer(question.id)


def _checked_in_drawing(page: str) -> list[int]:
    """The options checked in the drawing of her saved page that the server sent."""
    drawings = "".join(re.findall(r'<div class="cirkel-snapshot".*?<!--/cirkel-snapshot:\d+-->', page, re.DOTALL))
    radios = re.findall(
        r'<input type="radio" data-cirkel-field="radio" name="[^"]+" value="(\d+)"( checked)?', drawings
    )
    assert radios, "the quiz is not in the drawing of her page"
    return [int(value) for value, checked in radios if checked]


def test_her_next_module_comes_from_a_kernel_that_has_run_it(course_run, tmp_path: Path) -> None:
    home, first = home_path(course_run, "anna"), course_run.notebook_path("anna", MODULES[0])
    with _learner_server(course_run, "anna", tmp_path / "server.log", delay=0) as server:
        _wait(lambda: _has_run(server, home), "her landing page preheated")
        _open(server, home)
        _wait(lambda: _has_run(server, first), "her first module preheated after the landing page")
        _answer(course_run, "anna", MODULES[0], option=1)  # while that kernel waits
        page = _open(server, first)
        assert _served_preheated(server, first)
        assert _checked_in_drawing(page) == [1], "her page was drawn with the answers of the preheated kernel"
        assert _kernels(server) == 2  # her landing page's and this page's: nothing waits


def test_another_module_opened_lets_the_guess_and_its_kernel_go(course_run, tmp_path: Path) -> None:
    home = home_path(course_run, "bilal")
    first, second = (course_run.notebook_path("bilal", module) for module in MODULES)
    with _learner_server(course_run, "bilal", tmp_path / "server.log", delay=0) as server:
        _wait(lambda: _has_run(server, home), "his landing page preheated")
        _open(server, home)
        _wait(lambda: _has_run(server, first), "his first module preheated")
        _open(server, second)
        assert not _served_preheated(server, second)
        assert f"{_relative(server.root, first)} was not the next module opened" in _log(server)
        _wait(
            lambda: _kernels(server) == 2, "the guessed module's kernel shut (his landing page's and the page's left)"
        )


def test_her_next_module_opened_at_once_starts_cold_and_nothing_after(course_run, tmp_path: Path) -> None:
    home, first = home_path(course_run, "cecilia"), course_run.notebook_path("cecilia", MODULES[0])
    with _learner_server(course_run, "cecilia", tmp_path / "server.log", delay=3) as server:
        _wait(lambda: _has_run(server, home), "her landing page preheated")
        _open(server, home)
        _open(server, first)  # within the delay: her module is not held back by it
        assert not _served_preheated(server, first)
        time.sleep(4)  # past the delay: a kernel started for the guess would be there by now
        assert _kernels(server) == 2
        assert not _has_run(server, first)


def test_no_module_is_guessed_on_a_busy_machine(course_run, tmp_path: Path) -> None:
    home = home_path(course_run, "anna")
    # a load of 0 per core is already too much: the machine counts as busy whatever it does
    with _learner_server(course_run, "anna", tmp_path / "server.log", delay=0, max_load=0) as server:
        _wait(lambda: _has_run(server, home), "her landing page preheated")
        _open(server, home)
        time.sleep(2)  # a guess would have started its kernel by now
        assert "most likely open next" not in _log(server)
        assert _kernels(server) == 1
