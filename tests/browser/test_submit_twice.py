""" "Lämna in" in Chromium: a double click hands the module in once, and the button shows where it stands."""

from __future__ import annotations

import json
import re

import pytest

from grading.autograde.pipeline import fetch
from grading.course_runs.roster import import_roster
from widgets.core.i18n import t

from browser_harness import normalise, open_app, reload_app, wait_until

pytestmark = pytest.mark.browser

STUDENT = "hanna"  # only this test submits as hanna
MODULE = "05-moten"
READY = ".cirkel-submit-button"
HANDED_IN = re.compile(r"^Inlämnad \d\d:\d\d$")


@pytest.fixture(scope="module")
def hanna(course_run, tmp_path_factory):
    roster = tmp_path_factory.mktemp("lamna-in") / "deltagare.csv"
    roster.write_text(f"id;namn\n{STUDENT};Hanna\n", encoding="utf-8")
    import_roster(course_run, roster)
    fetch(course_run, STUDENT, [MODULE])
    return course_run.notebook_path(STUDENT, MODULE)


def _copies(course_run) -> int:
    """Submissions in the exchange's inbound folder: what the course leader will collect."""
    inbound = course_run.exchange_root / course_run.course_id / "inbound"
    return len(list(inbound.glob(f"{STUDENT}+{MODULE}+*")))


def _reflection_saved(notebook, text: str) -> bool:
    try:
        saved = json.loads((notebook.parent / "svar" / "reflektion.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    return saved["data"].get("text") == text


def test_a_double_click_hands_in_once_and_a_reload_shows_it(page, server, course_run, hanna):
    url = server.voila_url(hanna)
    open_app(page, url, READY)
    button = page.locator(READY)
    assert normalise(button.inner_text()) == t("submit.button", lang="sv")
    button.dblclick()
    page.locator(".cirkel-submit-ok").wait_for(state="visible")

    # typing is handled by the kernel after the second click: once it is saved, that click was too
    text = "Ny."
    box = page.get_by_role("textbox", name=t("reflection.label", lang="sv"))
    box.click()
    page.keyboard.type(text)
    wait_until(lambda: _reflection_saved(hanna, text), "the reflection in svar/reflektion.json")
    assert _copies(course_run) == 1

    # the button said when it was handed in; after the change it offers to hand in again, after a reload too
    again = page.get_by_role("button", name=t("submit.button_again", lang="sv"))
    again.wait_for(state="visible")
    reload_app(page, READY)
    assert normalise(button.inner_text()) == t("submit.button_again", lang="sv")
    assert button.is_enabled()
    button.click()
    wait_until(lambda: HANDED_IN.match(normalise(button.inner_text())), "handed in again")
    assert _copies(course_run) == 2

    reload_app(page, READY)
    assert HANDED_IN.match(normalise(button.inner_text()))
    assert button.is_disabled()
    assert normalise(page.locator(".cirkel-submit-ok").inner_text()).startswith("Modulen är inlämnad ")
