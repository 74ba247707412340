"""The course leader's overview ("Översikt") in Chromium, on the session's course run and server.

A learner of its own, frida, joins the session's run, answers the first
module with a reflection, submits; the course leader collects and autogrades
her alone (nbgrader's own collect and autograde), so the other tests' learners
are untouched. The overview must show the same states as the dashboard's
table, filter by module from the keyboard, show frida's page with her
reflection (and log the visit), and pass axe-core.
"""

from __future__ import annotations

import shutil

import pytest

from grading.course_runs import access_log
from grading.reports.dashboard import dashboard_table
from grading.servers.serve import APPS_DIRNAME, REPO_ROOT
from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, normalise, open_app, tab_until

pytestmark = pytest.mark.browser

STUDENT = "frida"
REFLECTION = "Jag vill att fler ska våga ta ordet på mötena."
APP = REPO_ROOT / "voila_apps" / "oversikt.ipynb"
READY = "table.cirkel-dashboard-table"


def _sv(key: str, **values) -> str:
    return t(key, lang="sv", **values)


@pytest.fixture(scope="module")
def seeded(course_run, graded_learner):
    """frida's first module submitted, collected and autograded; the app copied into the run."""
    module = graded_learner(STUDENT, "Frida", REFLECTION)
    # `install_apps` copies the overview once the lead adds it; until then the test does
    shutil.copyfile(APP, course_run.root / APPS_DIRNAME / APP.name)
    return module


def test_overview_shows_the_run_filters_by_keyboard_and_opens_a_learner(page, server, course_run, seeded):
    module = seeded
    expected = dashboard_table(course_run)
    open_app(page, server.voila_url(f"{APPS_DIRNAME}/{APP.name}"), READY)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1, name=_sv("dashboard.title")).is_visible()

    # -- the table: every learner, each cell's state in words, frida graded with points ----------
    table = page.get_by_role("table", name=_sv("dashboard.table.caption"))
    header = [normalise(c) for c in table.locator("thead th").all_inner_texts()]
    assert header == [_sv("dashboard.col.learner"), *course_run.modules]
    assert table.locator("thead th[scope=col]").count() == len(header)
    assert table.locator("tbody th[scope=row]").count() == expected["student_id"].nunique()
    for row in expected.itertuples():
        cell = table.locator(f'tr[data-student="{row.student_id}"] td[data-module="{row.module}"] .cirkel-state')
        assert normalise(cell.inner_text()) == row.state, (row.student_id, row.module)
    frida = expected[(expected.student_id == STUDENT) & (expected.module == module)].iloc[0]
    assert frida.state == _sv("completion.state.rattad") and frida.points > 0
    points = table.locator(f'tr[data-student="{STUDENT}"] td[data-module="{module}"] .cirkel-points').first
    assert normalise(points.inner_text()).startswith(f"{frida.points:g}".replace(".", ","))

    # -- the module filter, reached and changed from the keyboard ------------------------------------
    module_filter = page.get_by_role("combobox", name=_sv("dashboard.filter.module"))
    tab_until(page, module_filter)
    page.keyboard.press("ArrowDown")  # from "Alla moduler" to the first module
    first_only = [_sv("dashboard.col.learner"), course_run.modules[0]]
    page.wait_for_function(
        """(want) => {
            const cells = [...document.querySelectorAll('table.cirkel-dashboard-table thead th')];
            return JSON.stringify(cells.map(c => c.innerText.trim())) === JSON.stringify(want);
        }""",
        arg=first_only,
    )
    assert module_filter.input_value() == course_run.modules[0]

    # -- frida's page: her module and her reflection; the visit is in the access log ----------------
    before = len(access_log.entries(course_run))
    page.get_by_role("combobox", name=_sv("dashboard.learner.label")).select_option(label=f"Frida ({STUDENT})")
    page.get_by_role("button", name=_sv("dashboard.learner.show")).click()
    quote = page.locator(f'.cirkel-dashboard-reflection[data-module="{module}"] blockquote')
    quote.wait_for(state="visible")
    assert normalise(quote.inner_text()) == REFLECTION
    modules = page.get_by_role("table", name=_sv("dashboard.learner.modules_caption", name="Frida"))
    assert normalise(modules.locator(f'tr[data-module="{module}"] td').first.inner_text()) == frida.state
    logged = [(e["action"], e["subject"]) for e in access_log.entries(course_run)[before:]]
    assert logged == [("visa", STUDENT)]

    violations = axe_violations(page)
    assert not violations, f"axe-core on the overview:\n{describe_violations(violations)}"
