"""The cirkelledare's attendance app in Chromium: add a meeting, tick who was there, save, reload.

The session's course run gets one study circle of this test's own (through
``CircleStore``, with learners the run has), with one meeting already held
that breaks the four-hour rule. The leader then adds a meeting, ticks one
person by mouse and one by keyboard, saves (two present: the meeting does not
count, and the app says why), reloads and finds it saved; the rules' reasons
are on the page, and axe-core finds nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grading.circles.store import CircleStore
from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, normalise, open_app, tab_until

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().parents[2] / "voila_apps" / "narvaro.ipynb"
CIRCLE = "narvaro-webbtest"
READY = ".cirkel-attendance-circle select"


def sv(key: str, **values) -> str:
    return t(key, lang="sv", **values)


@pytest.fixture(scope="module")
def attendance_url(course_run, server) -> str:
    """The app's address, with this test's circle in the run."""
    target = course_run.root / "appar" / APP.name
    if not target.exists():  # until grading.servers.serve.install_apps copies it
        shutil.copyfile(APP, target)
    store = CircleStore(course_run)
    store.create_circle(CIRCLE, "Webbcirkeln", "anna", ["bilal", "cecilia", "dana"])
    held = store.add_meeting(CIRCLE, "2026-11-24", "18:00", "23:00")  # 300 minutes: 6 study hours, 4 count
    store.set_attendance(held.meeting_id, {"anna", "bilal", "cecilia"})
    return server.voila_url(target)


def _choose_circle(page) -> None:
    page.get_by_label(sv("circles.app.circle"), exact=True).select_option(
        label=sv("circles.app.circle_option", name="Webbcirkeln", id=CIRCLE)
    )
    page.locator(".cirkel-attendance-meetings caption").wait_for()
    page.get_by_role("checkbox", name="Dana", exact=True).wait_for()


def test_leader_adds_a_meeting_ticks_attendance_and_finds_it_after_reload(page, attendance_url, course_run):
    open_app(page, attendance_url, READY)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("heading", level=1, name=sv("circles.app.title")).is_visible()
    _choose_circle(page)

    meetings = page.get_by_role("table", name=sv("circles.app.meetings_caption"))
    assert sv("circles.rule.over_four", hours=6, max=4) in normalise(meetings.inner_text())

    # a meeting that ends before it starts is refused, with a message beside the button
    page.get_by_label(sv("circles.app.date"), exact=True).fill("2026-12-01")
    page.get_by_label(sv("circles.app.start"), exact=True).fill("20:30")
    page.get_by_label(sv("circles.app.end"), exact=True).fill("18:00")
    add = page.get_by_role("button", name=sv("circles.app.add_meeting"))
    add.click()
    # said at once, in the alert region drawn with the app (a meeting added is said politely, beside it)
    alert = page.locator(
        ".cirkel-attendance-add-message-alert[role=alert][aria-live=assertive] .cirkel-attendance-error"
    )
    alert.wait_for()
    assert sv("circles.end_before_start", start="20:30", end="18:00") == normalise(alert.inner_text())
    assert len(CircleStore(course_run).meetings(CIRCLE)) == 1

    page.get_by_label(sv("circles.app.start"), exact=True).fill("18:00")
    page.get_by_label(sv("circles.app.end"), exact=True).fill("20:30")
    minutes = page.get_by_label(sv("circles.app.break"), exact=True)
    minutes.fill("15")
    minutes.press("Tab")
    add.click()
    added = sv("circles.meeting_added", number=2, label="2026-12-01 18:00–20:30", hours=3)
    page.locator(".cirkel-attendance-add-message[role=status][aria-live=polite]", has_text=added).wait_for()
    assert meetings.locator("tbody tr").count() == 2
    chosen = page.get_by_label(sv("circles.app.meeting"), exact=True)
    assert normalise(chosen.evaluate("(el) => el.selectedIndex < 0 ? '' : el.options[el.selectedIndex].text")) == sv(
        "circles.app.meeting_option", number=2, label="2026-12-01 18:00–20:30"
    )

    # one tick by mouse, one by keyboard
    leader = page.get_by_role("checkbox", name=sv("circles.app.leader_name", name="Anna"))
    bilal = page.get_by_role("checkbox", name="Bilal", exact=True)
    assert not leader.is_checked() and not bilal.is_checked()
    leader.click()
    tab_until(page, bilal, limit=10)
    page.keyboard.press("Space")
    assert bilal.is_checked()
    save = page.get_by_role("button", name=sv("circles.app.save"))
    tab_until(page, save, limit=10)
    page.keyboard.press("Enter")
    saved = sv("circles.cli.attendance_saved", label="2026-12-01 18:00–20:30", count=2)
    said = page.locator(".cirkel-attendance-save-message[role=status][aria-live=polite]", has_text=saved)
    said.wait_for()
    # two present: the meeting does not count, and the person who saved is told why, beside the button
    too_few = sv("circles.rule.too_few_present", min=3, count=2)
    assert too_few in normalise(said.inner_text())
    assert too_few in normalise(meetings.inner_text())
    second = CircleStore(course_run).meetings(CIRCLE)[1]
    assert CircleStore(course_run).attendance(CIRCLE)[second.meeting_id] == {"anna", "bilal"}

    # the circle's status: why it does not count yet, and who counts
    status = normalise(page.locator(".cirkel-attendance-people").locator("xpath=..").inner_text())
    assert sv("circles.rule.few_meetings", count=1, min=3) in status
    assert sv("circles.rule.person_attended", count=1, min=3) in status
    assert (
        page.get_by_role("link", name=sv("circles.app.download")).get_attribute("download") == f"narvaro-{CIRCLE}.csv"
    )

    violations = axe_violations(page)
    assert not violations, f"axe-core on the attendance app:\n{describe_violations(violations)}"

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("body.cirkel-ready", state="attached")
    page.wait_for_selector(READY, state="visible")
    _choose_circle(page)
    assert page.get_by_role("checkbox", name=sv("circles.app.leader_name", name="Anna")).is_checked()
    assert page.get_by_role("checkbox", name="Bilal", exact=True).is_checked()
    assert not page.get_by_role("checkbox", name="Cecilia", exact=True).is_checked()
    assert not page.get_by_role("checkbox", name="Dana", exact=True).is_checked()
