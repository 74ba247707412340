"""Every learner and leader page on a phone, a tablet and a laptop: nothing cut off, nothing printed over.

Each page is loaded once and checked at 320, 390, 768 and 1280 CSS px by resizing
the window once to each (``tests/page_layout.py``): no text cut off or on top of other text,
no sideways scrolling of the page, every control at least 44×44 px. axe-core runs
with every rule on the laptop view (1280 px) and with the WCAG 2.1 AA rules on the
phone view (320 px); this is the one page load per module of the browser lane.
A module page also keeps its exercises under a heading of their own, not under
the samtalsfrågor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from grading.circles.store import CircleStore
from grading.servers.serve import APPS_DIRNAME, home_path
from widgets.core.i18n import t, yaml_data

from browser_harness import axe_violations, describe_violations, open_app
from page_layout import WIDTHS, describe_problems, layout_problems

pytestmark = pytest.mark.browser
#: every test goes to a page of its own and adds nothing to the tab: one tab (one renderer) for all (conftest's ``page``)
ONE_TAB = True

COURSES = Path(__file__).resolve().parents[2] / "courses"
MODULES = [
    (spec.parent.name, name)
    for spec in sorted(COURSES.glob("*/course.yml"))
    for name in yaml_data(spec.read_text(encoding="utf-8"))["modules"]
]
READY = ".cirkel-submit-button"  # the last widget on a module page
LEARNER = "emil"  # only opens pages: no other test answers as emil
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CIRCLE = "reflow-cirkel"
CIRCLE_NAME = "Studiecirkeln på Möllevången"
#: the course leader's apps in <run>/appar and what shows each is drawn
LEADER_APPS = {
    "oversikt.ipynb": "table.cirkel-dashboard-table",
    "rapport.ipynb": "table.cirkel-report-table",
    "narvaro.ipynb": ".cirkel-attendance-meetings caption",
}


def wcag_violations(page) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.1 A and AA on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return list(Axe().run(page, options=options).response["violations"])


def assert_reflows(page, what: str) -> None:
    """No layout problem at any width; no WCAG 2.1 AA violation at 320 px, no axe-core finding at all at 1280 px.

    One walk up the widths: each resize lays the whole page out again, so axe-core runs at 320
    and 1280 px where the walk already is rather than resizing back to them.
    """
    found: dict[int, list[str]] = {}
    for width in sorted(WIDTHS):
        page.set_viewport_size({"width": width, "height": 800})
        found[width] = layout_problems(page)
        if width == 320:
            violations = wcag_violations(page)
        if width == 1280:
            every_rule = axe_violations(page)  # best practices too, on the laptop view
    assert not any(found.values()), f"{what}:\n{describe_problems(found)}"
    assert not every_rule, f"axe-core on {what} at 1280 px:\n{describe_violations(every_rule)}"
    assert not violations, f"axe-core on {what} at 320 px:\n{describe_violations(violations)}"


@pytest.mark.parametrize(("course", "module"), MODULES, ids=[f"{c}/{m}" for c, m in MODULES])
def test_module_page_reflows_from_a_small_phone_to_a_laptop(page, course_module_url, course, module):
    open_app(page, course_module_url(course, module), READY)
    assert_reflows(page, f"{course}/{module}")
    # Every exercise comes after the "Övningar" heading: none sits under the samtalsfrågor.
    headings = [h.strip() for h in page.locator("#rendered_cells h2").all_inner_texts()]
    samtal, exercises = t("build.samtal", lang="sv"), t("build.exercises", lang="sv")
    assert exercises in headings and headings.index(exercises) == headings.index(samtal) + 1, headings
    astray = page.evaluate(
        """(name) => {
            const heading = [...document.querySelectorAll('#rendered_cells h2')]
                .find((h) => h.textContent.replace(/\\u00b6/g, '').trim() === name);
            // the learner's choice of text version (widgets.TextVersions) belongs above the text
            // (with its own message regions, widgets.kit.messages, beside the choice)
            const chooser = (w) =>
                w.closest('.cirkel-textversion-choice, .cirkel-textversion-body')
                || w.querySelector('.cirkel-textversion-choice')
                || (w.classList.contains('cirkel-messages')
                    && w.parentElement.querySelector(':scope > .cirkel-textversion-choice'));
            return [...document.querySelectorAll('#rendered_cells .jupyter-widgets.widget-box')]
                .filter((w) => !chooser(w))
                .filter((w) => !(heading.compareDocumentPosition(w) & Node.DOCUMENT_POSITION_FOLLOWING)).length;
        }""",
        exercises,
    )
    assert astray == 0


def test_learner_home_reflows(page, server, course_run):
    open_app(page, server.voila_url(home_path(course_run, LEARNER)), "table.cirkel-home-table")
    assert_reflows(page, "Mina moduler")


@pytest.fixture(scope="module")
def leader_apps(course_run) -> Path:
    """The leader's apps in the run, and a circle with a meeting so the attendance app has a table."""
    store = CircleStore(course_run)
    store.create_circle(CIRCLE, CIRCLE_NAME, "anna", ["bilal", "cecilia"])
    held = store.add_meeting(CIRCLE, "2026-11-24", "18:00", "20:30", break_minutes=15)
    store.set_attendance(held.meeting_id, {"anna", "bilal"})
    return course_run.root / APPS_DIRNAME


@pytest.mark.parametrize("app", list(LEADER_APPS))
def test_leader_app_reflows(page, server, leader_apps, app):
    notebook = leader_apps / app
    assert notebook.is_file(), "the server copies the leader's apps into the run"
    ready = LEADER_APPS[app]
    if app == "narvaro.ipynb":
        open_app(page, server.voila_url(notebook), ".cirkel-attendance-circle select")
        page.get_by_label(t("circles.app.circle", lang="sv"), exact=True).select_option(
            label=t("circles.app.circle_option", lang="sv", name=CIRCLE_NAME, id=CIRCLE)
        )
    else:
        open_app(page, server.voila_url(notebook), ready)
    page.wait_for_selector(ready, state="visible")
    assert_reflows(page, app)
