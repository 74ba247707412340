"""``cirkel serve``'s pages ask nothing of another host, and each links the accessibility statement.

The pages a learner or course leader opens on the one-machine server (the
learner's home, two module apps, the report, JupyterLab; every app shares the
template and the server's settings, so two modules stand for all) are loaded in Chromium with every request recorded: all go to the server itself
(MathJax, fonts and scripts included; no CDN, no news feed). Each app's footer
links the statement, which opens without a token, in Swedish.
"""

from __future__ import annotations

import pytest
import requests

from grading.servers.serve import home_path
from widgets.core.i18n import t

from browser_harness import normalise
from page_checks import foreign, page_facts, record_requests

pytestmark = pytest.mark.browser

LEARNER = "emil"  # only opens pages: no other test answers as emil


def _settle(page, ms: int = 1500) -> None:
    """Late requests (MathJax, a widget's view, a font) are made by now."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(ms)


def test_every_app_and_jupyterlab_load_only_from_the_server(page, server, course_run) -> None:
    requests_made = record_requests(page)
    apps = [
        home_path(course_run, LEARNER),
        course_run.notebook_path(LEARNER, course_run.modules[0]),
        course_run.notebook_path(LEARNER, "05-moten"),  # the quiz module
        course_run.root / "appar" / "rapport.ipynb",
    ]
    origin = server.base_url.rstrip("/")
    statement = server.url("cirkel/tillganglighet", with_token=False)
    missing = []
    for app in apps:
        page.goto(server.voila_url(app), wait_until="domcontentloaded")
        page.wait_for_selector("body.cirkel-ready", state="attached")
        _settle(page)
        facts = page_facts(page)
        if facts["statement"] != statement or facts["statement_text"] != t("statement.link", lang="sv"):
            missing.append((app.name, facts["statement"]))
    assert not missing, missing
    page.goto(server.url("lab"), wait_until="domcontentloaded")
    page.locator("#jp-main-dock-panel").wait_for(state="visible")
    _settle(page, 4000)
    assert foreign(requests_made, origin) == []


def test_the_statement_opens_from_an_app_without_a_token(page, server) -> None:
    address = server.url("cirkel/tillganglighet", with_token=False)
    stranger = requests.get(address, allow_redirects=False, timeout=60)  # no token, no cookie
    assert stranger.status_code == 200 and '<html lang="sv">' in stranger.text
    response = page.goto(address, wait_until="load")
    assert response.status == 200
    facts = page_facts(page)
    assert facts["lang"] == "sv" and facts["title"] == f"Cirkel – {t('statement.title', lang='sv')}"
    heading = normalise(page.get_by_role("heading", level=1).inner_text())
    assert heading.startswith(t("statement.title", lang="sv"))
    assert t("statement.contact_default", lang="sv") in normalise(page.locator("main").inner_text())
    page.set_viewport_size({"width": 320, "height": 740})
    assert page_facts(page)["scroll_width"] <= 320
    # Voilà's own pages (here: an app that does not exist) link it too
    missing = page.goto(server.url("voila/render/finns-inte.ipynb"), wait_until="load")
    assert missing.status == 404 and page_facts(page)["statement"] == address
    # in the words of the string table, as the server's template variables give them (cirkel_t)
    assert page_facts(page)["statement_text"] == t("statement.link", lang="sv")
    assert t("app.page.not_found_text", lang="sv") in normalise(page.locator("main").inner_text())
