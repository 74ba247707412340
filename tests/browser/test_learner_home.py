"""The learner's home, "Mina moduler", in Chromium: it lists the modules, is accessible, and opens them."""

from __future__ import annotations

import pytest

from grading.servers.serve import home_path
from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, normalise, open_app

pytestmark = pytest.mark.browser

LEARNER = "emil"  # only opens pages: no other test answers as emil


def test_home_lists_the_modules_and_opens_one(page, server, course_run):
    home = home_path(course_run, LEARNER)
    assert home.is_file(), "the server puts the home into each learner's workspace"
    open_app(page, server.voila_url(home), "table.cirkel-home-table")

    main = page.get_by_role("main")
    assert normalise(main.get_by_role("heading", level=1).inner_text()) == t("home.title", lang="sv")
    table = page.get_by_role("table", name=t("home.caption", lang="sv"))
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert [rows.nth(i).get_attribute("data-module") for i in range(rows.count())] == sorted(course_run.modules)
    assert all(rows.nth(i).get_attribute("data-state") == "ej_paborjad" for i in range(rows.count()))
    for key in ("home.col.module", "home.col.state", "home.col.feedback"):
        assert table.get_by_role("columnheader", name=t(key, lang="sv")).is_visible()
    assert normalise(rows.first.locator("td").first.inner_text()) == t("completion.state.ej_paborjad", lang="sv")
    assert "Traceback" not in main.inner_text()

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    module = course_run.modules[0]
    link = table.locator(f'tr[data-module="{module}"] a.cirkel-home-open')
    title = normalise(link.inner_text())
    link.click()
    page.wait_for_url(f"**/voila/render/**/{module}/{module}.ipynb*")
    page.wait_for_selector("body.cirkel-ready", state="attached")
    page.wait_for_selector(".cirkel-submit-button", state="visible")
    assert page.get_by_role("button", name=t("submit.button", lang="sv")).is_visible()
    assert normalise(page.get_by_role("main").locator("h1").first.inner_text()) == title
