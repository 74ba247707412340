"""JupyterHub's pages as people meet them: Swedish, accessible, from this server only (issue 18: 5, 6, 9).

On the shared live hub, in Chromium: each hub page (login, the accessibility
statement, a learner's home, the token page refused to a learner, a page that does
not exist, the new-password page, the leader's start page, a server not running,
logging out) is ``lang="sv"`` with a Swedish title, has none of JupyterHub's English
words, passes axe-core's WCAG 2.1 A/AA rules, links the statement from its footer,
reflows at 320, 390, 768 and 1280 px (tests/page_layout.py) and asks nothing of another host. The leader lands on their
start page and each of its links opens its place; a learner's apps and the
leader's JupyterLab and formgrader load nothing from another host either.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from grading.hub.runs import live_service_name
from widgets.core.i18n import t

from live_hub import LEADER, LiveHub, close_with_goodbye

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_harness import CONTEXT_OPTIONS, PAGE_TIMEOUT_MS, describe_violations, normalise  # noqa: E402
from page_checks import axe_aa, english_words, foreign, page_facts, record_requests  # noqa: E402
from page_layout import describe_problems, problems_at_widths  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.pg]  # the live hub's run is on PostgreSQL

LEARNER = "anna"
#: (who, path, HTTP status, the title's page name key, a text the page shows)
HUB_PAGES = (
    (None, "/hub/login", 200, "hub.page.sign_in", "hub.page.help"),
    (None, "/hub/tillganglighet", 200, "statement.title", "statement.contact_default"),
    (LEARNER, "/hub/home", 200, "hub.page.home_heading", "hub.page.home_modules"),
    (LEARNER, "/hub/token", 403, "hub.page.refused_heading", "hub.page.token_refused"),
    (LEARNER, "/hub/finns-inte", 404, "hub.page.not_found_heading", "hub.page.not_found_text"),
    (LEARNER, "/hub/nytt-losenord", 200, "hub.page.new_password_heading", "hub.page.change_password_intro"),
    (LEADER, "/hub/home", 200, "hub.page.runs_heading", "hub.page.runs_intro"),
    # the leader's own server is never started by these tests: JupyterHub's "not running" page
    (LEADER, f"/hub/spawn-pending/{LEADER}", 200, "hub.page.not_running_heading", "hub.page.not_running_text"),
)


def _sv(key: str) -> str:
    return t(key, lang="sv")


def _context(live: LiveHub, browser, who: str | None):
    if who is None:
        context = browser.new_context(**CONTEXT_OPTIONS, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        return context
    return live.context(browser, who)


def _page_problems(page, live: LiveHub, requests_made: list[str], title: str, text: str) -> list[str]:
    """Everything wrong with the hub page now open in ``page``, as short lines."""
    problems = []
    facts = page_facts(page)
    body = normalise(page.locator("body").inner_text())
    if facts["lang"] != "sv":
        problems.append(f"lang={facts['lang']!r}")
    if facts["title"] != f"Cirkel – {title}":
        problems.append(f"title {facts['title']!r}")
    if text not in body:
        problems.append(f"no {text!r}")
    # the statement names JupyterHub, the software, in telling what of it is still English
    english = [word for word in english_words(body) if not (word == "JupyterHub" and title == _sv("statement.title"))]
    if english:
        problems.append(f"English words {english}")
    if facts["statement"] != f"{live.url}/hub/tillganglighet" or facts["statement_text"] != _sv("statement.link"):
        problems.append(f"statement link {facts['statement']!r}")
    violations = axe_aa(page)
    if violations:
        problems.append(describe_violations(violations))
    # reflow at 320, 390, 768 and 1280 px: nothing cut off or overlapping, no sideways scroll, 44 px targets
    layout = describe_problems(problems_at_widths(page))
    if layout:
        problems.append(layout)
    if foreign(requests_made, live.url):
        problems.append(f"requests elsewhere {foreign(requests_made, live.url)}")
    return problems


def test_every_hub_page_is_swedish_accessible_and_from_this_server(live: LiveHub, live_browser) -> None:
    contexts: dict[str | None, object] = {}
    problems: dict[str, list[str]] = {}
    try:
        for who, path, status, title, text in HUB_PAGES:
            if who not in contexts:
                contexts[who] = _context(live, live_browser, who)
            page = contexts[who].new_page()
            requests_made = record_requests(page)
            response = page.goto(live.url + path, wait_until="load")
            assert response.status == status, (who, path, response.status)
            found = _page_problems(page, live, requests_made, _sv(title), _sv(text))
            if found:
                problems[f"{who} {path}"] = found
            page.close()
        assert not problems, "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())
    finally:
        for context in contexts.values():
            close_with_goodbye(context)


def test_a_learner_sees_no_leader_text_and_no_token_page(live: LiveHub) -> None:
    anna = live._sessions[LEARNER]
    home = normalise(anna.get(f"{live.url}/hub/home").content.decode("utf-8"))
    assert _sv("hub.page.runs_heading") not in home and _sv("hub.page.run_formgrader") not in home
    assert "/services/" not in home  # no run's service, not even the live apps' as a "run"
    token = anna.get(f"{live.url}/hub/token")
    assert token.status_code == 403 and _sv("hub.page.token_refused") in token.content.decode("utf-8")
    # the leader keeps the token page (an API token for the `cirkel` command on the hub)
    assert live._sessions[LEADER].get(f"{live.url}/hub/token").status_code == 200


def test_logging_out_in_swedish_lands_on_the_swedish_login(live: LiveHub, live_browser) -> None:
    context = _context(live, live_browser, None)
    try:
        page = context.new_page()
        page.goto(f"{live.url}/hub/login", wait_until="load")
        page.get_by_label(_sv("hub.page.username")).fill("pia")
        page.get_by_label(_sv("hub.page.password")).fill(live.hub.passwords["pia"])
        page.get_by_role("button", name=_sv("hub.page.submit")).click()
        page.wait_for_url("**/user/pia/**")
        page.goto(f"{live.url}/hub/home", wait_until="load")
        page.get_by_role("link", name=_sv("hub.page.logout")).click()
        page.wait_for_url("**/hub/login*")
        assert page.get_by_role("heading", level=1).inner_text().strip() == _sv("hub.page.sign_in")
        assert page_facts(page)["lang"] == "sv"
    finally:
        close_with_goodbye(context)


def test_the_leader_lands_on_a_start_page_whose_links_open_each_place(live: LiveHub, live_browser) -> None:
    kim = live._sessions[LEADER]
    assert urlsplit(kim.get(f"{live.url}/hub/").url).path == "/hub/home"
    service = f"/services/{live.course_id}/"
    live_apps = f"/services/{live_service_name(live.course_id)}/voila/render/"
    expected = {
        "hub.page.run_formgrader": service + "formgrader",
        "hub.page.run_dashboard": service + "voila/render/appar/oversikt.ipynb",
        "hub.page.run_attendance": service + "voila/render/appar/narvaro.ipynb",
        "hub.page.run_grade": service + "formgrader",
        "hub.page.run_report": service + "voila/render/appar/rapport.ipynb",
        "hub.page.run_live_quiz": live_apps + "gruppquiz.ipynb",
        "hub.page.run_live_speakers": live_apps + "talarstatistik.ipynb",
        "hub.page.run_live_plan": live_apps + "plan.ipynb",
        "hub.page.run_lab": service + "lab",
    }
    context = live.context(live_browser, LEADER)
    try:
        page = context.new_page()
        page.goto(f"{live.url}/hub/", wait_until="load")
        assert urlsplit(page.url).path == "/hub/home"
        run = page.locator(f'section.cirkel-run[data-run="{live.course_id}"]')
        assert run.get_by_role("heading", level=2).inner_text().strip() == live.course_run.title
        # what to do next, in order: release, follow, attendance, the meeting, grade, report
        steps = [normalise(step) for step in run.locator("ol.cirkel-steps > li > p").all_inner_texts()]
        keys = ("step_release", "step_follow", "step_attendance", "step_live", "step_grade", "step_report")
        assert steps == [_sv(f"hub.page.{key}") for key in keys]
        hrefs = {key: run.get_by_role("link", name=_sv(key), exact=True).get_attribute("href") for key in expected}
    finally:
        close_with_goodbye(context)
    assert hrefs == expected
    # each link opens its place for the leader (the head of the page is enough)
    for key, href in hrefs.items():
        with kim.get(live.url + href, stream=True, timeout=300) as opened:
            assert opened.status_code == 200 and urlsplit(opened.url).path.startswith(href), (key, opened.url)


def _settle(page, ms: int = 2000) -> None:
    """Late requests (MathJax, a feed, a font) are made by now."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(ms)


def test_apps_and_jupyterlab_on_the_hub_ask_no_other_host(live: LiveHub, live_browser) -> None:
    live.hub.server(LEARNER)  # her server runs, as after her login
    learner = live.context(live_browser, LEARNER)
    try:
        page = learner.new_page()
        requests_made = record_requests(page)
        module = live.course_run.notebook_path(LEARNER, live.course_run.modules[0])
        home = live.hub.folder / "hem" / LEARNER
        for path in ("mina-moduler.ipynb", module.relative_to(home).as_posix()):
            page.goto(f"{live.url}/user/{LEARNER}/voila/render/{path}", wait_until="domcontentloaded")
            page.wait_for_selector("body.cirkel-ready", state="attached")
            _settle(page)
            facts = page_facts(page)
            assert facts["statement"] == f"{live.url}/user/{LEARNER}/cirkel/tillganglighet", (path, facts)
        # the footer's statement opens from the app, in Swedish
        page.get_by_role("link", name=_sv("statement.link")).click()
        page.wait_for_url("**/cirkel/tillganglighet")
        assert page_facts(page)["lang"] == "sv" and page.get_by_role("heading", level=1).count() == 1
        assert foreign(requests_made, live.url) == []
    finally:
        close_with_goodbye(learner)
    leader = live.context(live_browser, LEADER)
    try:
        page = leader.new_page()
        requests_made = record_requests(page)
        page.goto(f"{live.url}/services/{live.course_id}/lab", wait_until="domcontentloaded")
        page.locator("#jp-main-dock-panel").wait_for(state="visible")
        _settle(page, 4000)
        page.goto(f"{live.url}/services/{live.course_id}/formgrader", wait_until="load")
        _settle(page)
        assert foreign(requests_made, live.url) == []
    finally:
        close_with_goodbye(leader)


def test_the_statement_opens_without_login(live: LiveHub) -> None:
    page = requests.get(f"{live.url}/hub/tillganglighet", allow_redirects=False)
    text = page.content.decode("utf-8")
    assert page.status_code == 200 and '<html lang="sv">' in text
    assert _sv("statement.contact_default") in text and _sv("statement.title") in text
