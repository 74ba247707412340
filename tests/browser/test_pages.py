"""What a learner and a course leader see when a page opens: Swedish, tidy, accessible, no code."""

from __future__ import annotations

import re

import nbformat
import pytest

from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, normalise, open_app, script_errors

pytestmark = pytest.mark.browser

QUIZ_MODULE = "05-moten"  # the partiföreningsskola's module on meetings: a quiz among its exercises
READY = ".cirkel-submit-button"  # the last widget on a module page


def test_module_page_is_a_swedish_page_without_code(page, module_url, course_run):
    errors = script_errors(page)
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    open_app(page, module_url("cecilia", QUIZ_MODULE), READY)

    assert page.locator("html").get_attribute("lang") == "sv"
    main = page.get_by_role("main")
    assert main.count() == 1
    # The page heading and the tab's title are the module's title.
    notebook = nbformat.read(course_run.notebook_path("cecilia", QUIZ_MODULE), as_version=4)
    (intro,) = [c for c in notebook.cells if c.get("id") == f"{QUIZ_MODULE}-intro"]
    title = intro.source.splitlines()[0].removeprefix("# ").strip()
    assert normalise(main.locator("h1").first.inner_text()) == title
    assert page.title() == title
    # A keyboard user can skip straight to the content.
    skip = page.get_by_role("link", name=t("app.skip_to_content", lang="sv"))
    assert skip.get_attribute("href") == "#rendered_cells"
    # The Swedish words of the widgets.
    assert page.get_by_role("button", name=t("quiz.answer", lang="sv")).first.is_visible()
    assert page.get_by_role("button", name=t("submit.button", lang="sv")).is_visible()

    text = main.inner_text()
    # No code: no input areas, no source of any code cell, no prompts.
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .jp-InputPrompt").count() == 0
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for token in ("import", "MeetingRoleQuiz", "SubmitPanel", "score_quiz", "exercise_id"):
        assert token in code  # the notebook has this code ...
        assert token not in text, f"code is shown: {token!r}"  # ... and the page does not show it
    assert "In [" not in text and "Traceback" not in text
    # Grading cells run but are never shown: not their code, not the answer cell's stub.
    grading = [c for c in notebook.cells if "cirkel-grading" in c.metadata.get("tags", [])]
    assert grading, "the module has grading cells to hide"
    for cell in grading:
        assert normalise(cell.source) not in normalise(text)
    shown_cells = page.locator("#rendered_cells [cell-index]")
    assert shown_cells.count() == len(notebook.cells) - len(grading)
    # Nothing is fetched from outside the server.
    assert page.locator("link[href*='cdn.'], script[src*='cdn.']").count() == 0
    # The loading message is gone once the page is shown, and no script failed on the way (nor a
    # front-end plugin: Voilà's MathJax 2 plugin did on every page, given no MathJax URL).
    assert page.locator("#loading").count() == 0
    assert errors == []
    # No MathJax: its plugin got the template's stand-in (the courses have no mathematics), not
    # Voilà's bundled MathJax 3 (880 KB on every page), nor a CDN's.
    assert [url for url in scripts if "cirkel-no-math.js" in url], "the page's MathJax plugin did not get the stand-in"
    assert page.evaluate("Object.keys(window.MathJax)") == ["Hub"]


# axe-core on every module of every course: tests/browser/test_reflow.py, in the same page load as the
# reflow checks at four widths.


def test_report_page_is_swedish_and_has_no_axe_violations(page, report_url, course_run):
    open_app(page, report_url, "table.cirkel-report-table")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1, name=t("app.report.title", lang="sv")).is_visible()
    table = page.get_by_role("table", name=t("app.report.caption", lang="sv"))
    header = [normalise(c) for c in table.locator("thead th").all_inner_texts()]
    assert header == [t("app.report.learner", lang="sv"), *course_run.modules]
    assert table.locator("thead th[scope=col]").count() == len(header)
    with course_run.gradebook() as gb:
        learners = len(gb.students)
    assert table.locator("tbody th[scope=row]").count() == learners
    assert page.get_by_role("button", name=t("app.report.refresh", lang="sv")).is_visible()
    violations = axe_violations(page)
    assert not violations, f"axe-core on the report:\n{describe_violations(violations)}"


def test_missing_page_is_a_plain_swedish_error(page, server):
    response = page.goto(server.voila_url("deltagare/finns-inte/modul.ipynb"))
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "sv"
    heading = page.get_by_role("heading", level=1)
    assert heading.is_visible() and "Sidan" in heading.inner_text()
    text = page.get_by_role("main").inner_text()
    assert "Traceback" not in text and "Not Found" not in text and "finns-inte" not in text
    violations = axe_violations(page)
    assert not violations, f"axe-core on the error page:\n{describe_violations(violations)}"


def test_page_as_sent_loads_in_swedish_and_links_nothing_outside(page, module_url, course_run):
    """The HTML as the server sends it, before any script runs: what a slow connection shows."""
    response = page.request.get(module_url("cecilia", course_run.modules[-1]))
    assert response.ok
    sent = response.text()
    assert f'<p id="loading_text" class="cirkel-loading-text">{t("app.loading", lang="sv")}</p>' in sent
    assert re.search(r'<link[^>]+href="(https?:)?//', sent) is None
    assert re.search(r'<script[^>]+src="(https?:)?//', sent) is None
    assert "Running " not in sent and "Executing " not in sent  # Voilà's English loading text
    # The loading sign turns, unless the reader asks for less motion: then it stands still.
    page.route("**/*", lambda route: route.abort())  # the page as sent, nothing more
    page.set_content(sent)
    spinner = page.locator("#loading .spinner")
    for motion, animation in (("no-preference", "rotation"), ("reduce", "none")):
        page.emulate_media(reduced_motion=motion)
        assert spinner.evaluate("(el) => getComputedStyle(el).animationName") == animation, motion
