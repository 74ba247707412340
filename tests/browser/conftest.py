"""Fixtures of the browser tests: a real course run, the real server, Debian's Chromium.

One course run and one Jupyter server serve the whole session: the run is made
with Cirkel's own API on nbgrader (create, import three learners, release,
fetch), and the server is started by ``grading.servers.serve.start_server``, exactly as
``make run`` starts it. Each test uses its own learner so tests do not depend on
each other's answers. A failing test leaves a screenshot and the server log in
the session's temporary folder (the path is printed). The widget gallery's
own server and page are ``gallery_fixtures.py``'s.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grading.servers.serve import DEMO_COURSE, Learner, Server, build_demo_run, report_path, running_server

from browser_harness import CHROMIUM, launch_chromium
from gallery_fixtures import (  # noqa: F401  (the widget gallery's, for its three files)
    _gallery_screenshot_on_failure,
    after_reload,
    gallery,
    gallery_files,
    gallery_server,
    gallery_url,
    headless,
    reloaded,
)

LEARNERS = (
    Learner("anna", "Anna"),
    Learner("bilal", "Bilal"),
    Learner("cecilia", "Cecilia"),
    Learner("dana", "Dana"),
    Learner("emil", "Emil"),
    Learner("frida", "Frida"),
)  # dana: whole module; emil: home only; frida: the keyboard tests (test_keyboard_focus.py)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures know whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots of failures and the server log go."""
    return tmp_path_factory.mktemp("browser-artefakter")


@pytest.fixture(scope="session")
def course_run(tmp_path_factory: pytest.TempPathFactory):
    """A course run of the real course with three learners, every module released and fetched."""
    return build_demo_run(tmp_path_factory.mktemp("kursomgang") / "run", learners=LEARNERS)


@pytest.fixture(scope="session")
def server(course_run, artifacts_dir: Path) -> Iterator[Server]:
    """The one Jupyter server (JupyterLab, formgrader, Voilà) for the course run."""
    with running_server(course_run.root, log_path=artifacts_dir / "jupyter-server.log") as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright, artifacts_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """Debian's Chromium with a fresh profile, driven by the session's Playwright; the reader prefers less motion."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium-headless-shell package)")
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profil"), reduced_motion=True)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def module_tab(browser):
    """One tab for all the tests of a module that sets ``ONE_TAB`` (see ``page``)."""
    tab = browser.new_page()
    tab.first_viewport = tab.viewport_size  # type: ignore[attr-defined]
    yield tab
    tab.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, artifacts_dir: Path):
    """A new tab; on failure a full-page screenshot is saved in ``artifacts_dir``.

    A module whose tests each go to a page of their own and leave nothing on the tab (no
    listeners, no init scripts, no cookies of their own) sets ``ONE_TAB = True`` and its tests
    share one tab: Chromium keeps one renderer process for them instead of starting one per test.
    """
    shared = getattr(request.module, "ONE_TAB", False)
    tab = request.getfixturevalue("module_tab") if shared else browser.new_page()
    if shared:  # each test starts as on a new tab: at the context's window size
        tab.set_viewport_size(tab.first_viewport)
    yield tab
    failed = any(
        getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        shot = artifacts_dir / f"{request.node.name}.png"
        try:
            tab.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failure: {shot}\nserver log: {artifacts_dir / 'jupyter-server.log'}")
        except Exception as exc:  # a screenshot is a courtesy; never hide the real failure
            print(f"\nno screenshot ({exc})")
        _print_log_tail(artifacts_dir / "jupyter-server.log")
    if not shared:
        tab.close()


def _print_log_tail(log: Path, lines: int = 40) -> None:
    """The server log's last warnings and errors: CI keeps the test's output, not the artefacts."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    worth = [line for line in text if any(level in line for level in ("WARNING", "ERROR", "Traceback", "Error"))]
    print("the server log's last warnings and errors:\n  " + "\n  ".join(worth[-lines:]))


@pytest.fixture(scope="session")
def graded_learner(course_run, answer, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """``graded_learner(student_id, name, reflection)``: a learner of the test's own joins the session's run,
    answers its first module in full with ``reflection``, submits, and is collected and autograded alone
    (nbgrader's own collect and autograde), so the other tests' learners are untouched. Returns the module."""
    from grading.autograde.pipeline import fetch
    from grading.course_runs.roster import import_roster
    from widgets.pages.submit import submit_module

    def graded(student_id: str, name: str, reflection: str) -> str:
        module = course_run.modules[0]
        roster = tmp_path_factory.mktemp(f"deltagare-{student_id}") / "deltagare.csv"
        roster.write_text(f"id;namn\n{student_id};{name}\n", encoding="utf-8")
        import_roster(course_run, roster)
        fetch(course_run, student_id, [module])
        folder = course_run.notebook_path(student_id, module).parent
        answer(folder, "full", reflection=reflection)
        submit_module(folder)
        collected = course_run.api(student_id=student_id).collect(module)
        assert collected["success"], collected.get("error")
        autograded = course_run.api().autograde(module, student_id, create=True)
        assert autograded["success"], autograded.get("error")
        return module

    return graded


@pytest.fixture(scope="session")
def module_url(server: Server, course_run):
    """``module_url(student_id, module)``: the learner's module as a Voilà app."""

    def url(student_id: str, module: str) -> str:
        return server.voila_url(course_run.notebook_path(student_id, module))

    return url


@pytest.fixture(scope="session")
def report_url(server: Server) -> str:
    """The course leader's report app."""
    return server.voila_url(report_path())


@pytest.fixture(scope="session")
def course_module_url(
    course_run, server: Server, tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path
) -> Iterator[Callable[[str, str], str]]:
    """``course_module_url(course_id, module)``: a learner's (cecilia's) module page in any course.

    The session's own course (the partiföreningsskola) is served by ``server``;
    another course gets its own run and server the first time it is asked for,
    stopped at the end of the session.
    """
    sites: dict[str, tuple] = {DEMO_COURSE.name: (course_run, server)}
    with contextlib.ExitStack() as stack:

        def url(course_id: str, module: str) -> str:
            if course_id not in sites:
                run = build_demo_run(
                    tmp_path_factory.mktemp(f"kursomgang-{course_id}") / "run",
                    course_dir=DEMO_COURSE.parent / course_id,
                    learners=LEARNERS[2:],
                )
                running = stack.enter_context(
                    running_server(run.root, log_path=artifacts_dir / f"jupyter-server-{course_id}.log")
                )
                sites[course_id] = (run, running)
            run, running = sites[course_id]
            return running.voila_url(run.notebook_path("cecilia", module))

        yield url
