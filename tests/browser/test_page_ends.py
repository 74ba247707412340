"""A page whose kernel dies before its first cell tells the learner so, instead of loading for ever.

Voilà's own handler kept such a page open, sending heartbeats, with the spinner
turning (``grading.servers.page_render``). Here a page's kernel dies at its start
for certain: its folder holds an ``ipykernel_launcher.py`` that ends the process,
and ``python -m ipykernel_launcher`` runs in that folder, which Python searches first.
Chromium opens the page once, as a learner would, and the tests read it as she would:
with a screen reader (the page's own heading and sentence, in the live region of the
main landmark), on a phone of 320 CSS px (clear of the screen's edges, nothing cut off,
axe-core), and by keyboard (the skip link leads to the sentence, and both show the focus).
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from playwright.sync_api import Page, expect
from test_reflow import assert_reflows

from widgets.core.i18n import t

from page_layout import layout_problems

pytestmark = pytest.mark.browser
#: the tests read the one page the module loads: one tab for all (conftest's ``page``)
ONE_TAB = True
#: the smallest phone's width, CSS px, and the least room a person sees between text and the screen's edge
PHONE, EDGE_PX = 320, 12


@pytest.fixture(scope="module")
def dying_page(server, course_run):
    folder = course_run.root / "trasig-karna"
    folder.mkdir()
    (folder / "ipykernel_launcher.py").write_text("import os\nos._exit(3)\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hej')")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "sida.ipynb"
    nbformat.write(notebook, path)
    yield server.voila_url(path)
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def ended(module_tab, dying_page) -> Page:
    """The dying page, loaded once; the whole document came (``domcontentloaded``): the page has ended."""
    module_tab.goto(dying_page, wait_until="domcontentloaded")
    module_tab.wait_for_selector("body.cirkel-failed", state="attached", timeout=90_000)
    return module_tab


def focus_ring(page: Page) -> str:
    """The focused element's outline as drawn (``"solid 3px"``), or ``"none"``."""
    return str(
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2 ? 'none'"
            " : `${s.outlineStyle} ${s.outlineWidth}`; }"
        )
    )


def test_a_page_whose_kernel_dies_says_so_and_ends(page, ended):
    # what a screen reader reads: the skip link, and in the main landmark's live region a heading
    # and the sentence for a page that could not start (not the one for a single failed part)
    sentence = t("app.page.start_failed", lang="sv")
    assert sentence != t("app.cell_error", lang="sv") and "Ladda om sidan" in sentence
    expect(page.locator("body")).to_match_aria_snapshot(
        f"""
        - /children: equal
        - link "{t("app.skip_to_content", lang="sv")}"
        - main:
          - status:
            - heading "{t("app.page.error_heading", lang="sv")}" [level=1]
            - paragraph: {sentence}
        """
    )
    expect(page.locator("#loading .spinner-container")).to_have_count(0)  # nothing turns any more
    assert page.evaluate("document.readyState") in ("interactive", "complete")


def test_the_sentence_reads_on_a_small_phone_clear_of_the_edges(page, ended):
    page.set_viewport_size({"width": PHONE, "height": 800})
    lines = page.evaluate(
        """() => [...document.querySelectorAll('#loading h1, #loading_text')].flatMap((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return [...range.getClientRects()].map((r) => ({left: r.left, right: r.right, bottom: r.bottom}));
        })"""
    )
    assert len(lines) >= 3, lines  # the heading and the sentence, wrapped
    assert min(line["left"] for line in lines) >= EDGE_PX, lines
    assert max(line["right"] for line in lines) <= PHONE - EDGE_PX, lines
    assert max(line["bottom"] for line in lines) <= 800, "all of it on the first screen, without scrolling"
    # nothing cut off or printed over at 320, 390, 768 and 1280 px; axe-core as on every app
    assert_reflows(page, "the page that could not start")


def test_the_skip_link_leads_the_keyboard_to_the_sentence(page, ended):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t("app.skip_to_content", lang="sv"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)
    assert focus_ring(page) != "none"
    assert layout_problems(page) == []  # shown, the link covers none of the message
    page.keyboard.press("Enter")
    sentence = page.get_by_text(t("app.page.start_failed", lang="sv"))
    expect(sentence).to_be_focused()
    expect(sentence).to_be_in_viewport(ratio=1)
    assert focus_ring(page) != "none"
