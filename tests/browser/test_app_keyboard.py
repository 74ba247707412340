"""The leader's and learner's other apps by keyboard: where focus goes after each action, errors read at once.

Attendance (närvaro), the overview (översikt) and "Mina moduler", each opened
once on the session's server. Every action is reached with Tab and pressed with
Enter or Space (a choice in a list with the arrow keys); typing a value is typing.
After each action the test reads ``document.activeElement``, by the accessible
name a screen reader says, and never accepts the page body. A refusal is read
from the alert region (``role="alert"``, drawn with the app before it says
anything), and a result from the polite one.
"""

from __future__ import annotations

import shutil
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from grading.circles.store import CircleStore
from grading.servers.serve import APPS_DIRNAME, REPO_ROOT, home_path
from widgets.core.i18n import t

from browser_harness import PAGE_TIMEOUT_MS, normalise, open_app, tab_until

pytestmark = pytest.mark.browser

CIRCLE = "tangentbordscirkeln"  # this file's own circle in the session's run
CIRCLE_NAME = "Tangentbordscirkeln"
HOME_LEARNER = "emil"  # only opens pages: no test answers as emil
#: the ipywidgets HTML widget a heading is drawn in (what the app moves the focus to)
WIDGET_HTML = "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' widget-html ')][1]"


def sv(key: str, **values: object) -> str:
    return t(key, lang="sv", **values)


def focused(page: Page) -> dict[str, str | bool]:
    """What has the keyboard focus: tag, role, its accessible name as far as the page says it, its text."""
    return page.evaluate(
        """() => {
          const a = document.activeElement;
          const label = a.labels && a.labels.length ? a.labels[0].innerText : "";
          return {tag: a.tagName.toLowerCase(), role: a.getAttribute("role") || "",
                  name: (a.getAttribute("aria-label") || label || "").trim(),
                  text: (a.innerText || a.value || "").replace(/\\s+/g, " ").trim(),
                  body: a === document.body || a === document.documentElement};
        }"""
    )


def wait_for_focus(page: Page, locator: Locator, what: str, timeout: float = 20.0) -> None:
    """Wait (the kernel answers first) until ``locator`` has the focus; fail saying where it is.

    The locator is resolved again each time: ipywidgets may draw an HTML widget's content anew.
    """
    deadline = time.monotonic() + timeout
    while not locator.evaluate("(el) => el === document.activeElement"):
        if time.monotonic() > deadline:
            raise AssertionError(f"focus did not go to {what}; it is on {focused(page)}")
        page.wait_for_timeout(100)
    assert not focused(page)["body"]


def choose_by_arrows(page: Page, select: Locator, label: str) -> None:
    """With the focus on ``select``, press ArrowDown until the option ``label`` is chosen."""
    for _ in range(select.locator("option").count() + 1):
        if normalise(select.evaluate("(el) => el.selectedIndex < 0 ? '' : el.options[el.selectedIndex].text")) == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"ArrowDown never chose {label!r} in {select}")


# -- attendance --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def attendance_url(course_run, server) -> str:
    """The attendance app, with this file's circle (no meetings yet) in the run."""
    app = REPO_ROOT / "voila_apps" / "narvaro.ipynb"
    target = course_run.root / APPS_DIRNAME / app.name
    if not target.exists():
        shutil.copyfile(app, target)
    CircleStore(course_run).create_circle(CIRCLE, CIRCLE_NAME, "bilal", ["cecilia", "dana"])
    return server.voila_url(target)


def test_attendance_by_keyboard_focus_follows_each_action_and_a_refusal_interrupts(page, attendance_url, course_run):
    open_app(page, attendance_url, ".cirkel-attendance-circle select")
    circle = page.get_by_role("combobox", name=sv("circles.app.circle"), exact=True)
    tab_until(page, circle, limit=20)
    choose_by_arrows(page, circle, sv("circles.app.circle_option", name=CIRCLE_NAME, id=CIRCLE))
    page.get_by_text(sv("circles.app.no_meetings")).wait_for()
    assert focused(page)["name"] == sv("circles.app.circle"), "choosing a circle keeps the focus on the list"

    # the alert region is in the page before anything is wrong, empty
    alert = page.locator(".cirkel-attendance-add-message-alert[role=alert][aria-live=assertive]")
    assert alert.count() == 1 and normalise(alert.inner_text()) == ""

    # "Lägg till träff" with nothing filled in: said at once, and the keyboard goes to the empty date
    add = page.get_by_role("button", name=sv("circles.app.add_meeting"))
    tab_until(page, add, limit=20)
    page.keyboard.press("Enter")
    missing = ", ".join(sv(key) for key in ("circles.app.date", "circles.app.start", "circles.app.end"))
    expect(alert).to_have_text(sv("circles.app.missing", fields=missing), timeout=PAGE_TIMEOUT_MS)
    date = page.get_by_label(sv("circles.app.date"), exact=True)
    wait_for_focus(page, date, "the date field, the first one missing")
    polite = page.locator(".cirkel-attendance-add-message[role=status][aria-live=polite]")
    assert normalise(polite.inner_text()) == "", "an error is not said politely too"

    # a meeting typed in, then added: the keyboard goes to the result, which is read whole
    date.fill("2026-12-08")
    page.get_by_label(sv("circles.app.start"), exact=True).fill("18:00")
    page.get_by_label(sv("circles.app.end"), exact=True).fill("20:15")
    tab_until(page, add, limit=20)
    page.keyboard.press("Enter")
    added = sv("circles.meeting_added", number=1, label="2026-12-08 18:00–20:15", hours=3)
    wait_for_focus(page, polite, "the result of adding the meeting")
    assert focused(page)["text"] == added and normalise(alert.inner_text()) == ""

    # tick Cecilia with Space, save with Enter: the boxes are drawn anew, the keyboard goes to the result
    cecilia = page.get_by_role("checkbox", name="Cecilia", exact=True)
    tab_until(page, cecilia, limit=10)
    page.keyboard.press("Space")
    assert cecilia.is_checked()
    save = page.get_by_role("button", name=sv("circles.app.save"))
    tab_until(page, save, limit=10)
    page.keyboard.press("Enter")
    saved_region = page.locator(".cirkel-attendance-save-message[role=status][aria-live=polite]")
    wait_for_focus(page, saved_region, "the result of saving the attendance")
    saved = sv("circles.cli.attendance_saved", label="2026-12-08 18:00–20:15", count=1)
    # one present: the result says why the meeting does not count
    assert focused(page)["text"] == f"{saved} {sv('circles.rule.too_few_present', min=3, count=1)}"
    meeting = CircleStore(course_run).meetings(CIRCLE)[0]
    assert CircleStore(course_run).attendance(CIRCLE)[meeting.meeting_id] == {"cecilia"}

    # the export: a link; Enter downloads the list and the keyboard stays on it
    link = page.get_by_role("link", name=sv("circles.app.download"))
    tab_until(page, link, limit=30)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"narvaro-{CIRCLE}.csv"
    assert focused(page)["text"] == sv("circles.app.download")


# -- the overview ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def overview_url(course_run, server) -> str:
    app = REPO_ROOT / "voila_apps" / "oversikt.ipynb"
    target = course_run.root / APPS_DIRNAME / app.name
    if not target.exists():
        shutil.copyfile(app, target)
    return server.voila_url(target)


def test_overview_by_keyboard_filter_learner_page_and_back_to_the_table(page, overview_url, course_run):
    open_app(page, overview_url, "table.cirkel-dashboard-table")

    # a filter redraws the table below it; the keyboard stays on the filter to choose again
    module_filter = page.get_by_role("combobox", name=sv("dashboard.filter.module"), exact=True)
    tab_until(page, module_filter, limit=20)
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "(want) => document.querySelectorAll('table.cirkel-dashboard-table thead th').length === want", arg=2
    )
    assert focused(page)["name"] == sv("dashboard.filter.module")

    # a CSV of the table as filtered: the keyboard goes to the link that downloads it
    make = page.get_by_role("button", name=sv("dashboard.csv.make"))
    tab_until(page, make, limit=20)
    page.keyboard.press("Enter")
    link = page.locator(".cirkel-dashboard-csv-link a")
    link.wait_for()
    wait_for_focus(page, link, "the CSV file's link")
    assert focused(page)["text"] == normalise(link.inner_text())

    # "Visa deltagarens sida" with nobody chosen: said at once, the keyboard goes back to the list
    show = page.get_by_role("button", name=sv("dashboard.learner.show"))
    picker = page.get_by_role("combobox", name=sv("dashboard.learner.label"), exact=True)
    alert = page.locator(".cirkel-dashboard-learner-message-alert[role=alert][aria-live=assertive]")
    assert alert.count() == 1 and normalise(alert.inner_text()) == ""
    tab_until(page, show, limit=60)
    page.keyboard.press("Enter")
    wait_for_focus(page, picker, "the list of learners")
    assert normalise(alert.inner_text()) == sv("dashboard.learner.pick_first")

    # a learner chosen with the arrow keys and shown: the keyboard goes to the page's heading, the name
    page.keyboard.press("ArrowDown")
    chosen = normalise(picker.evaluate("(el) => el.options[el.selectedIndex].text"))
    assert chosen != sv("dashboard.learner.pick")
    tab_until(page, show, limit=5)
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=3, name=chosen)
    heading.wait_for()
    wait_for_focus(page, heading.locator(WIDGET_HTML), "the learner's name")
    assert focused(page)["text"] == chosen
    assert normalise(alert.inner_text()) == ""

    # back to the table: the keyboard goes to the table's own region, named by its caption
    back = page.get_by_role("button", name=sv("dashboard.learner.back"))
    tab_until(page, back, limit=60)
    page.keyboard.press("Enter")
    region = page.get_by_role("region", name=sv("dashboard.table.caption"), exact=True)
    wait_for_focus(page, region, "the table")
    assert focused(page)["name"] == sv("dashboard.table.caption")


# -- Mina moduler ------------------------------------------------------------------------------------


def test_home_by_keyboard_refresh_keeps_the_focus_on_the_button(page, server, course_run):
    open_app(page, server.voila_url(home_path(course_run, HOME_LEARNER)), "table.cirkel-home-table")
    refresh = page.get_by_role("button", name=sv("home.refresh"))
    updated = page.locator(".cirkel-home-updated[role=status]")
    before = normalise(updated.inner_text())
    tab_until(page, refresh, limit=40)
    page.wait_for_timeout(1_100)  # the time said is to the second: let it change
    page.keyboard.press("Enter")
    expect(updated).not_to_have_text(before, timeout=PAGE_TIMEOUT_MS)
    wait_for_focus(page, refresh, "the refresh button (the list above it is drawn anew)")
    assert focused(page)["text"] == sv("home.refresh")


# -- talarstatistik in a module: the circle's consent, refused by keyboard ----------------------------


def test_talarstatistik_a_consent_date_that_cannot_be_read_is_an_alert_and_the_date_gets_the_focus(page, module_url):
    open_app(page, module_url("frida", "08-internfeminism"), ".cirkel-speaker-stats-consent-give")
    date = page.get_by_label(sv("livespeaker.consent.date_label"), exact=True)
    alert = page.locator(".cirkel-speaker-stats-consent-message-alert[role=alert][aria-live=assertive]")
    assert alert.count() == 1 and normalise(alert.inner_text()) == ""
    tab_until(page, date, limit=200)
    page.keyboard.press("Control+A")
    page.keyboard.type("i tisdags")
    give = page.get_by_role("button", name=sv("livespeaker.consent.give"))
    tab_until(page, give, limit=5)
    page.keyboard.press("Enter")
    refused = sv("livespeaker.consent.bad_date", value="i tisdags")
    expect(alert).to_have_text(refused, timeout=PAGE_TIMEOUT_MS)
    wait_for_focus(page, date, "the date, to write it again")
    polite = page.locator(".cirkel-speaker-stats-consent-message[role=status]")
    assert normalise(polite.inner_text()) == "", "a refusal is not said politely too"
