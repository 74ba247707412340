"""The learner chooses the version of a module's text on the real page, and the choice survives a reload.

Cecilia opens a partiföreningsskola module, chooses "Lättläst" in the labelled
drop-down, reads a sentence of the lättläst text while the standard text gives way,
reloads and still reads lättläst; then the same with "English", whose text is marked
as English for a screen reader. With the keyboard alone she can reach the choice and
change it. axe-core finds nothing on the page in either version. At the end she goes
back to "Standard", so the other tests of the session find the page as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grading.course.variants import LATTLAST
from widgets.core.i18n import t
from widgets.core.lix import strip_markdown
from widgets.models.text_versions import STANDARD, TEXT_VERSION_ID

from browser_harness import axe_violations, describe_violations, normalise, open_app, tab_until, wait_until

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "courses" / "partiforeningsskola"
STUDENT = "cecilia"
MODULE = "02b-den-unga-generationen"
READY = ".cirkel-submit-button"


def _first_sentence(variant: str) -> str:
    """The first sentence of the version's own prose (its first paragraph)."""
    source = (COURSE / MODULE / f"text.{variant}.md").read_text(encoding="utf-8")
    paragraph = strip_markdown(source, keep_quotes=False)[0]
    return normalise(re.split(r"(?<=[.!?])\s", paragraph)[0])


def _saved_version(course_run) -> str | None:
    path = course_run.notebook_path(STUDENT, MODULE).parent / "svar" / f"{TEXT_VERSION_ID}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["data"]["version"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


def _choose(page, course_run, version: str, label: str) -> None:
    page.get_by_label(t("textversion.label", lang="sv")).select_option(label=label)
    wait_until(lambda: _saved_version(course_run) == version, f"the choice {version!r} saved in svar/")


def _reads(page, label: str, sentence: str, lang: str) -> None:
    # the kernel saves the choice before the page has redrawn: wait for the text, as a reader does
    text = page.locator(".cirkel-textversion-text")
    expect(text).to_have_attribute("lang", lang)
    wait_until(lambda: sentence in normalise(text.inner_text()), f"the {label} text on the page")
    # the standard text has given way: its cells are not shown
    expect(page.locator(".cirkel-standardtext").first).to_be_hidden()
    expect(page.get_by_label(t("textversion.label", lang="sv"))).to_have_value(label)  # the option's value is its label


def _no_axe(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {MODULE} in {what}:\n{describe_violations(violations)}"


def test_choose_lattlast_and_english_reload_and_keep_the_choice(page, module_url, course_run):
    url = module_url(STUDENT, MODULE)
    open_app(page, url, READY)
    choice = page.get_by_label(t("textversion.label", lang="sv"))
    try:
        assert choice.input_value() == t("textversion.standard", lang="sv")
        assert page.locator(".cirkel-standardtext").first.is_visible()
        options = [normalise(o) for o in choice.locator("option").all_inner_texts()]
        assert options == [t("textversion.standard", lang="sv"), "Lättläst", "English"]

        # Lättläst: read it, reload, still lättläst
        _choose(page, course_run, LATTLAST, "Lättläst")
        sentence = _first_sentence(LATTLAST)
        _reads(page, "Lättläst", sentence, "sv")
        _no_axe(page, "lättläst")
        open_app(page, url, READY)
        _reads(page, "Lättläst", sentence, "sv")

        # English likewise; its text is marked as English
        _choose(page, course_run, "en", "English")
        sentence = _first_sentence("en")
        _reads(page, "English", sentence, "en")
        _no_axe(page, "English")
        open_app(page, url, READY)
        _reads(page, "English", sentence, "en")

        # the keyboard alone: Tab to the choice, arrow keys change it
        tab_until(page, choice)
        page.keyboard.press("ArrowUp")
        wait_until(lambda: _saved_version(course_run) == LATTLAST, "the choice made with the keyboard saved")
        _reads(page, "Lättläst", _first_sentence(LATTLAST), "sv")
    finally:
        # back to the standard text, for the rest of the session
        if _saved_version(course_run) not in (None, STANDARD):
            page.get_by_label(t("textversion.label", lang="sv")).select_option(
                label=t("textversion.standard", lang="sv")
            )
            wait_until(lambda: _saved_version(course_run) == STANDARD, "the standard choice saved")
    # the kernel saves the choice, then redraws the text: wait for what a reader sees
    expect(page.locator(".cirkel-standardtext").first).to_be_visible()
    expect(page.locator(".cirkel-textversion-text")).to_have_count(0)
