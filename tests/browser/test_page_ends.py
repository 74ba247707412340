"""A page whose kernel dies before its first cell tells the learner so, instead of loading for ever.

Voilà's own handler kept such a page open, sending heartbeats, with the spinner
turning (``grading.servers.page_render``). Here a page's kernel dies at its start
for certain: its folder holds an ``ipykernel_launcher.py`` that ends the process,
and ``python -m ipykernel_launcher`` runs in that folder, which Python searches first.
Chromium opens the page once, as a learner would, and the tests read it as she would:
with a screen reader (the page's own heading and sentence, in the live region of the
main landmark), on a phone of 320 CSS px (clear of the screen's edges, nothing cut off,
axe-core), and by keyboard (the skip link leads to the sentence, and both show the focus).
A kernel that dies after the page's first cells leaves a page that is drawn up to there, with
the sentence for one failed part (``app.cell_error``) where the rest would have been.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import Page, expect
from test_reflow import assert_reflows

from widgets.core.i18n import t

from browser_harness import open_app
from page_layout import layout_problems

pytestmark = pytest.mark.browser
#: the tests read the one page the module loads: one tab for all (conftest's ``page``)
ONE_TAB = True
#: the smallest phone's width, CSS px, and the least room a person sees between text and the screen's edge
PHONE, EDGE_PX = 320, 12


def write_page(folder: Path, *cells: Any) -> Path:
    """A notebook of ``cells`` in ``folder`` (made here), for the Python kernel."""
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "sida.ipynb")
    return folder / "sida.ipynb"


@pytest.fixture(scope="module")
def dying_page(server, course_run):
    path = write_page(course_run.root / "trasig-karna", nbformat.v4.new_code_cell("print('hej')"))
    (path.parent / "ipykernel_launcher.py").write_text("import os\nos._exit(3)\n", encoding="utf-8")
    yield server.voila_url(path)
    shutil.rmtree(path.parent)


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
        - contentinfo:
          - link "{t("statement.link", lang="sv")}"
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


def test_a_kernel_that_dies_midway_leaves_the_page_drawn_to_there_and_says_the_rest_failed(browser, server, course_run):
    path = write_page(
        course_run.root / "dor-pa-vagen",
        nbformat.v4.new_markdown_cell("# Sidan som dog på vägen\n\nFöre felet."),
        nbformat.v4.new_code_cell("import os\nos._exit(3)"),
        nbformat.v4.new_markdown_cell("Efter felet."),
    )
    tab = browser.new_page()  # its own: the module's tab keeps the page that could not start
    try:
        open_app(tab, server.voila_url(path), "h1")  # shown: the page was drawn up to the failed cell
        main = tab.get_by_role("main")
        expect(main.get_by_role("heading", level=1, name="Sidan som dog på vägen")).to_be_visible()
        expect(main.get_by_text("Före felet.")).to_be_visible()
        expect(main.get_by_role("alert")).to_have_text(t("app.cell_error", lang="sv"))
        expect(main.get_by_text("Efter felet.")).to_have_count(0)  # the page ends where the kernel died
    finally:
        tab.close()
        shutil.rmtree(path.parent)
