"""A learner's hostile reflection in nbgrader's real formgrader, opened by the course leader in Chromium.

Ivar joins the session's course run with a name that is markup, writes a
reflection holding the whole payload corpus (``hostile_text.PAYLOADS``:
``javascript:`` and ``data:`` links in every spelling, raw tags with handlers,
SVG, images, autolinks, reference links, comments), submits; the course leader
collects and autogrades with nbgrader, then opens formgrader's page of the
autograded submission, as they would to grade it. Nothing on that page may have
a ``javascript:``/``data:`` link or an ``on*`` attribute, no dialog may open
(also after clicking the words of the payload links), and the words are still
there to be read. On today's main the first payload is a live link.
"""

from __future__ import annotations

import pytest

from browser_harness import normalise
from hostile_text import HOSTILE_NAME, REFLECTION

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:.*not in session")]

STUDENT = "ivar"
#: formgrader's rendered markdown cell that holds the reflection (its own template's classes)
CELL = "div.text_cell_render"
#: every dangerous URL on the page, and any handler or running element in its markdown cells (formgrader's own
#: script puts onclick handlers on its grading widgets outside them)
_FIND_DANGER = """(cellSelector) => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const value = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
            if (a.name.startsWith('on') && el.closest(cellSelector)) {
                bad.push(`${el.tagName} ${a.name}`);
            }
            if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(a.name)
                && /^(javascript|data|vbscript):/.test(value)) {
                bad.push(`${el.tagName} ${a.name}=${a.value}`);
            }
        }
    }
    const inCells = `:is(${cellSelector}) :is(script, img, svg, iframe, object, embed, style)`;
    for (const el of document.querySelectorAll(inCells)) {
        bad.push(el.outerHTML.slice(0, 200));
    }
    return bad;
}"""


@pytest.fixture(scope="module")
def graded(course_run, graded_learner):
    """Ivar's first module: his reflection the corpus, submitted, collected and autograded."""
    module = graded_learner(STUDENT, HOSTILE_NAME, REFLECTION)
    notebook = course_run.notebook_path(STUDENT, module).stem
    with course_run.gradebook() as gb:
        return gb.find_submission_notebook(notebook, module, STUDENT).id


def test_formgrader_shows_the_hostile_reflection_as_inert_text(page, server, graded):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url(f"formgrader/submissions/{graded}/"), wait_until="load")
    reflection = page.locator(CELL, has_text="klicka här")
    reflection.wait_for(state="visible")
    page.wait_for_timeout(1000)  # formgrader's own scripts run after load

    danger = page.evaluate(_FIND_DANGER, CELL)
    assert danger == [], danger
    # the leader reads what was written: the link's words and the tags as text
    seen = normalise(reflection.inner_text())
    for words in ("[klicka här](javascript:alert(document.domain))", "<img src=x onerror=alert(1)>", "<svg"):
        assert words in seen, words
    # the one honest link stays a link, and it cannot tell the next site where it came from
    links = reflection.locator("a")
    assert links.count() == 1, [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert links.first.get_attribute("href") == "https://www.vansterpartiet.se/"
    assert set(links.first.get_attribute("rel").split()) >= {"noopener", "noreferrer"}

    # clicking the words of the payload "links" runs nothing
    reflection.get_by_text("klicka här", exact=False).first.click()
    page.wait_for_timeout(500)
    assert dialogs == []


def test_formgraders_lists_show_the_hostile_name_as_text(page, server, graded):
    """The name is markup (``<img src=x onerror=...>``): formgrader's student lists must show it as text."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("formgrader/manage_students", f"formgrader/manage_students/{STUDENT}"):
        page.goto(server.url(path), wait_until="load")
        page.get_by_text(STUDENT).first.wait_for(state="visible")
        page.wait_for_timeout(1000)  # the lists are drawn by formgrader's scripts from its API
        injected = page.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror]').length")
        assert injected == 0 and dialogs == [], path
