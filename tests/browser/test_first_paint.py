"""A module page shows her saved answers before its kernel is ready, and keeps what she does meanwhile.

The mini course's module (one quiz question and a reflection), served as ``cirkel serve`` serves
it, each page a cold start. Anna first writes a reflection in the live page; it is saved. Then the
page is opened on a slow phone: Voilà's front end (``voila.js``) is held back in the network, so the
page stays the server's drawing of her saved page (``grading.servers.page_snapshot``) for as long
as the test needs. She reads her saved reflection there, chooses an answer to the question and
types more. When the front end comes, the live widgets take the drawing's place with what she
did, the focus still in her text; the kernel saves it, and a reload shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from grading.servers.serve import Learner, Server, build_demo_run, running_server

from browser_harness import axe_violations, describe_violations, open_app, reload_app, wait_until
from mini_module import write_mini_course

pytestmark = pytest.mark.browser

MODULE = "01-prov"
REFLECTION = ".cirkel-reflection textarea"
QUIZ = ".cirkel-quiz-question input[type=radio]"
SAVED = 'Fler ska komma till tals. <img src=x onerror="window.cirkelPwned=1"><script>window.cirkelPwned=2</script>'
MORE = " Och ordföranden ska fördela ordet."
FRONT_END = "**/voila.js*"


@pytest.fixture(scope="module")
def course_run(tmp_path_factory: pytest.TempPathFactory):
    root = write_mini_course(tmp_path_factory.mktemp("first-paint") / "minikurs")
    return build_demo_run(root.parent / "run", root, learners=[Learner("anna", "Anna")])


@pytest.fixture(scope="module")
def server(course_run, artifacts_dir: Path) -> Iterator[Server]:
    with running_server(course_run.root, log_path=artifacts_dir / "first-paint-server.log") as running:
        yield running


def _saved_text(folder: Path) -> str:
    """Everything in her answer store, as the kernel wrote it."""
    return "".join(
        json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        for path in sorted((folder / "svar").glob("*.json"))
    )


def test_her_saved_page_comes_first_and_what_she_does_meanwhile_is_kept(page: Page, server, course_run):
    notebook = course_run.notebook_path("anna", MODULE)
    url = server.voila_url(notebook)
    page.set_viewport_size({"width": 320, "height": 640})

    open_app(page, url, REFLECTION)
    page.locator(REFLECTION).fill(SAVED)
    page.locator(REFLECTION).blur()
    wait_until(lambda: "Fler ska komma till tals." in _saved_text(notebook.parent), "the reflection saved")

    held: list[Route] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def hold(route: Route) -> None:
        held.append(route)

    page.route(FRONT_END, hold)  # a slow phone: the page's HTML is here, its front end is not
    page.goto(url, wait_until="commit")  # the front end blocks the end of the document: no DOMContentLoaded
    drawn = page.locator(".cirkel-snapshot textarea")
    expect(drawn).to_have_value(SAVED)  # her saved text, as text
    expect(page.locator(".cirkel-snapshot input[type=radio]")).to_have_count(2)
    group = page.locator(".cirkel-snapshot fieldset").first.get_attribute("aria-label")
    assert group and group.endswith("?"), f"the drawn choices are not named by their question: {group!r}"
    assert page.locator(".cirkel-snapshot img, .cirkel-snapshot script").count() == 0
    assert page.evaluate("window.cirkelPwned") is None
    assert page.locator(".cirkel-quiz-question").count() == 0, "the live widgets have not come yet"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the drawing is wider than the phone"
    assert page.get_by_role("status").first.is_visible(), "the page says it is still loading"
    violations = axe_violations(page)  # the page she reads while it loads meets the same rules
    assert not violations, describe_violations(violations)

    page.locator(".cirkel-snapshot input[type=radio]").nth(1).check()
    drawn.click()
    drawn.press("Control+End")
    drawn.press_sequentially(MORE)

    wait_until(lambda: bool(held), "the page to ask for its front end")
    for route in held:
        route.continue_()
    page.unroute(FRONT_END, hold)

    live = page.locator(REFLECTION)
    expect(live).to_have_value(SAVED + MORE)
    expect(live).to_be_focused()
    expect(page.locator(QUIZ).nth(1)).to_be_checked()
    expect(page.locator(".cirkel-snapshot")).to_have_count(0)
    assert not errors, f"the page's scripts failed: {errors}"
    wait_until(lambda: "fördela ordet" in _saved_text(notebook.parent), "what she typed meanwhile saved by the kernel")

    reload_app(page, REFLECTION)
    expect(page.locator(REFLECTION)).to_have_value(SAVED + MORE)
    assert page.evaluate("window.cirkelPwned") is None
