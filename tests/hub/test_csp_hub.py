"""Cirkel's Content-Security-Policy on the real hub: its own pages, a learner's server, the services.

Read from the hub's answers through its proxy, as a browser gets them: the
login page, a learner's module page in their own server, the run's live
service and the course leader's JupyterLab in the run's service. Only the
leader's JupyterLab may evaluate strings (it needs to, see ``grading.servers.csp``).
Then qasim opens a module in Chromium under the policy his server sends,
answers a quiz question and gets its feedback, and nothing is blocked.
"""

from __future__ import annotations

import pytest
import requests

from grading.hub.runs import live_service_name
from grading.servers import csp
from widgets.core.i18n import t

from live_hub import LiveHub, close_with_goodbye

pytestmark = [pytest.mark.hub, pytest.mark.pg]  # the live hub's run is on PostgreSQL

LEARNER = "qasim"  # no other test opens his 05-moten (test_points_on_submit_hub.py hands in his first module)
MODULE = "05-moten"
_RECORD = """
window.__cirkelCsp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cirkelCsp.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def _policy(response: requests.Response) -> str:
    assert response.status_code == 200, (response.url, response.status_code)
    return response.headers.get("Content-Security-Policy", "")


def _module_path(hub: LiveHub) -> str:
    home = hub.hub.folder / "hem" / LEARNER
    return hub.course_run.notebook_path(LEARNER, MODULE).relative_to(home).as_posix()


def test_the_hub_its_servers_and_services_send_the_policy(live: LiveHub) -> None:
    login = requests.get(f"{live.url}/hub/login")
    assert _policy(login) == csp.policy(report_uri="/hub/security/csp-report")

    qasim = live.hub.server(LEARNER)
    module = qasim.get(f"{live.url}/user/{LEARNER}/voila/render/{_module_path(live)}")
    assert _policy(module) == csp.policy()

    service = f"{live.url}/services/{live_service_name(live.course_id)}"
    qasim.get(f"{service}/", allow_redirects=True)  # the OAuth dance a first visit starts
    assert _policy(qasim.get(f"{service}/voila/render/gruppquiz.ipynb")) == csp.policy()

    kim = live._sessions["kim"]
    lab = live.hub.service(kim, live.course_id, "lab")
    assert _policy(lab) == csp.policy(allow_eval=True)
    for header in (_policy(login), _policy(lab)):
        assert "frame-ancestors 'self'" in header and "object-src 'none'" in header and "http" not in header


def test_a_learners_module_page_works_under_the_policy(live: LiveHub, live_browser) -> None:
    context = live.context(live_browser, LEARNER)
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        page.add_init_script(_RECORD)
        page.goto(f"{live.url}/user/{LEARNER}/voila/render/{_module_path(live)}", wait_until="domcontentloaded")
        page.wait_for_selector("body.cirkel-ready", state="attached")
        question = page.locator(".cirkel-quiz-question").first
        question.wait_for(state="visible")
        question.locator("input[type=radio]").first.click()
        question.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
        question.locator(".cirkel-quiz-right, .cirkel-quiz-wrong").first.wait_for(state="visible")
        page.wait_for_timeout(1000)  # a late script (MathJax, a widget's view) would report by now
        assert page.evaluate("window.__cirkelCsp") == [] and console == []
    finally:
        close_with_goodbye(context)
