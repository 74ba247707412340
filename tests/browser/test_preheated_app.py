"""A preheated app shows the right learner's answers, as they are when the page is opened.

A small course run with two learners, served by ``grading.servers.serve.start_server``
with preheated kernels (as ``cirkel serve`` does): a pool for each learner's
"Mina moduler" and module app. Only after every pool is filled do the learners'
answers change in the store (Anna answers right, Bilal wrong), so each kernel
was preheated with no answers at all. Chromium opens each page; Voilà's log
says the page came from a preheated kernel, and each shows its own learner's
current answers, never the other's. Then Anna's answers are erased while her
refilled pool waits: her next page shows none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from grading.servers.serve import Learner, Server, build_demo_run, home_path, running_server
from widgets.pages.home import module_states
from widgets.pages.submit import find_learner

from browser_harness import open_app, script_errors, wait_until
from mini_module import write_mini_course

pytestmark = pytest.mark.browser

LEARNERS = (Learner("anna", "Anna"), Learner("bilal", "Bilal"))
MODULE = "01-prov"
QUIZ = "fragor"
RIGHT, WRONG = 0, 1  # "Ja" and "Nej" in the mini module's one question
POOLS = 4  # two homes and two module apps, one kernel each
QUIZ_READY = ".cirkel-quiz-question input[type=radio]"
HOME_READY = ".cirkel-home-table"


@pytest.fixture(scope="module")
def course_run(tmp_path_factory: pytest.TempPathFactory):
    """The small course (one quiz question and a reflection) run for Anna and Bilal."""
    root = write_mini_course(tmp_path_factory.mktemp("preheat") / "minikurs")
    return build_demo_run(root.parent / "run", root, learners=LEARNERS)


@pytest.fixture(scope="module")
def server(course_run, artifacts_dir: Path) -> Iterator[Server]:
    """The run's server with a pool for each learner's home and module app."""
    with running_server(
        course_run.root, log_path=artifacts_dir / "preheat-server.log", preheat=True, max_kernels=POOLS
    ) as running:
        yield running


def _log(server: Server) -> str:
    return server.log_path.read_text(encoding="utf-8", errors="replace")


def _pools_filled(server: Server) -> bool:
    """Every pool holds a kernel that has run its whole notebook (the manager logs each)."""
    log = _log(server)
    filled = re.findall(r"Cirkel: preheated kernel \S+ has run (\S+)", log)
    used = re.findall(r"Using pre-heated kernel: \S+ for (\S+)", log)
    return len(set(filled)) == POOLS and all(filled.count(name) > used.count(name) for name in set(filled))


def _answer_quiz(course_run, student_id: str, option: int) -> None:
    """The learner answers the quiz elsewhere (another tab, JupyterLab): the real widget, headless."""
    from widgets.exercises.quiz import MeetingRoleQuiz
    from widgets.storage.answers import AnswerStore

    folder = course_run.notebook_path(student_id, MODULE).parent
    quiz = MeetingRoleQuiz.from_file(folder / f"{QUIZ}.yml", exercise_id=QUIZ, store=AnswerStore(folder / "svar"))
    question = quiz.bank.questions[0]
    quiz.choose(question.id, [option])
    assert quiz.submit_answer(question.id) == (option == RIGHT)


def _served_preheated(server: Server, notebook: Path) -> bool:
    """Voilà's log names the preheated kernel it used for this notebook."""
    relative = notebook.resolve().relative_to(server.root).as_posix()
    return re.search(rf"Using pre-heated kernel: \S+ for {re.escape(relative)}\b", _log(server)) is not None


def _home_state(course_run, student_id: str) -> str:
    learner = find_learner(course_run.workspace(student_id))
    return next(s.state for s in module_states(learner) if s.module == MODULE)


def _open_and_read(page, url: str) -> str:
    """Open the app as ``open_app`` does, and return the page's HTML as the server sent it."""
    with page.expect_response(lambda response: response.url == url) as sent:
        open_app(page, url, QUIZ_READY)
    return sent.value.text()


def _drawn_choices(html: str) -> list[int]:
    """The options checked in the quiz's drawing in the sent page (``grading.servers.page_snapshot``)."""
    drawings = re.findall(r'<div class="cirkel-snapshot".*?<!--/cirkel-snapshot:\d+-->', html, re.DOTALL)
    assert drawings, "the page was sent without a drawing of her saved page"
    radios = re.findall(
        r'<input type="radio" data-cirkel-field="radio" name="[^"]+" value="(\d+)"( checked)?', "".join(drawings)
    )
    assert radios, "the quiz is not in the drawing"
    return [int(value) for value, checked in radios if checked]


def test_each_preheated_page_shows_its_own_learners_current_answers(page, server, course_run):
    wait_until(lambda: _pools_filled(server), "every pool filled with a preheated kernel", timeout=300)
    before = _home_state(course_run, "anna")
    _answer_quiz(course_run, "anna", RIGHT)
    _answer_quiz(course_run, "bilal", WRONG)
    after = _home_state(course_run, "anna")
    assert after != before, "answering should change the module's state on the home"
    errors = script_errors(page)

    for student_id, chosen, other, feedback in (
        ("anna", RIGHT, WRONG, ".cirkel-quiz-right"),
        ("bilal", WRONG, RIGHT, ".cirkel-quiz-wrong"),
    ):
        notebook = course_run.notebook_path(student_id, MODULE)
        sent = _open_and_read(page, server.voila_url(notebook))
        assert _served_preheated(server, notebook), f"{student_id}'s page did not come from a preheated kernel"
        # the drawing of her saved page, sent before the front end loads, shows her answer as it is now
        assert _drawn_choices(sent) == [chosen], f"{student_id}'s saved page was drawn with the pool's answers"
        options = page.locator(QUIZ_READY)
        assert options.nth(chosen).is_checked(), f"{student_id}'s own answer is not shown"
        assert not options.nth(other).is_checked(), f"{student_id}'s page shows another answer"
        page.locator(feedback).wait_for(state="visible")

    home = home_path(course_run, "anna")
    open_app(page, server.voila_url(home), HOME_READY)
    assert _served_preheated(server, home)
    row = page.locator(f'.cirkel-home-table tr[data-module="{MODULE}"]')
    assert row.get_attribute("data-state") == after
    assert errors == [], "a preheated page's scripts failed"


def test_answers_erased_while_a_kernel_waits_are_not_shown(page, server, course_run):
    wait_until(lambda: _pools_filled(server), "the pools refilled after use", timeout=300)
    notebook = course_run.notebook_path("anna", MODULE)
    saved = notebook.parent / "svar" / f"{QUIZ}.json"
    if not saved.exists():  # run alone: the refilled kernel must have something to forget
        _answer_quiz(course_run, "anna", RIGHT)
        open_app(page, server.voila_url(notebook), QUIZ_READY)
        wait_until(lambda: _pools_filled(server), "the pool refilled with Anna's answers in the store", timeout=300)
    used_before = _log(server).count("Using pre-heated kernel")
    saved.unlink()

    sent = _open_and_read(page, server.voila_url(notebook))
    assert _drawn_choices(sent) == [], "the page was sent with a drawing of erased answers"
    assert _log(server).count("Using pre-heated kernel") == used_before + 1, (
        "the page did not come from a preheated kernel"
    )
    options = page.locator(QUIZ_READY)
    assert options.count() == 2
    assert not options.nth(RIGHT).is_checked() and not options.nth(WRONG).is_checked()
    assert page.locator(".cirkel-quiz-right").count() == 0
