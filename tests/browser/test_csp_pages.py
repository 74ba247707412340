"""Cirkel's Content-Security-Policy on the pages ``cirkel serve`` sends, and a module page working under it.

The header is read from the real server's answers (a module app, the report
app, formgrader, JupyterLab), and a learner's module page is used in Chromium
with every ``securitypolicyviolation`` event and every console message about
the policy recorded from before the page's first script: a quiz answer is
clicked and its feedback shown, and nothing was blocked. (The hub's own pages
and its services are checked in ``tests/hub/test_csp_hub.py``.)
"""

from __future__ import annotations

import pytest

from grading.autograde.pipeline import fetch
from grading.course_runs.roster import import_roster
from grading.servers import csp
from grading.servers.serve import report_path
from widgets.core.i18n import t

from browser_harness import open_app

pytestmark = pytest.mark.browser

STUDENT = "greta"  # only this test answers as greta
MODULE = "05-moten"
READY = ".cirkel-quiz-question"
#: recorded before any of the page's own scripts run
_RECORD = """
window.__cirkelCsp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cirkelCsp.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.fixture(scope="module")
def greta(course_run, tmp_path_factory):
    roster = tmp_path_factory.mktemp("csp") / "deltagare.csv"
    roster.write_text(f"id;namn\n{STUDENT};Greta\n", encoding="utf-8")
    import_roster(course_run, roster)
    fetch(course_run, STUDENT, [MODULE])
    return course_run.notebook_path(STUDENT, MODULE)


def test_every_page_of_the_server_sends_the_policy(page, server, greta):
    pages = {
        "module": server.voila_url(greta),
        "report": server.voila_url(report_path()),
        "formgrader": server.url("formgrader"),
        "lab": server.url("lab"),
    }
    for name, url in pages.items():
        response = page.request.get(url)
        assert response.ok, (name, response.status)
        header = response.headers.get("content-security-policy", "")
        assert header.startswith(csp.policy(allow_eval=True)), (name, header)
        directives = _directives(header)
        assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'self'"] and directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"] and directives["connect-src"] == ["'self'"]
        assert directives["img-src"] == ["'self'", "data:"]
        # nothing from another host, in any directive
        assert not [
            s for sources in directives.values() for s in sources if "://" in s or s in ("*", "http:", "https:")
        ]


def test_a_module_page_works_under_the_policy(page, server, greta):
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(_RECORD)
    open_app(page, server.voila_url(greta), READY)
    question = page.locator(".cirkel-quiz-question").first
    question.locator("input[type=radio]").first.click()
    question.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
    question.locator(".cirkel-quiz-right, .cirkel-quiz-wrong").first.wait_for(state="visible")
    assert question.locator(".cirkel-quiz-explanation, .cirkel-quiz-wrong").count() >= 1
    page.wait_for_timeout(1000)  # a late script (MathJax, a widget's view) would report by now
    assert page.evaluate("window.__cirkelCsp") == [] and console == []
