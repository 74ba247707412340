"""A module page by keyboard in Chromium: where focus goes, how it shows, grouped choices, live regions.

One page load of the module on meetings (quiz, voting order, meeting planner,
reflection, "Lämna in") serves the file, as one learner of its own (frida) who
answers nothing elsewhere. Every action is pressed as a keyboard user presses it
(Tab to the control, Enter or Space); then the test reads ``document.activeElement``
and what a screen reader would be told.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from widgets.core.i18n import t

from browser_harness import open_app

pytestmark = pytest.mark.browser

STUDENT = "frida"  # only this file answers as frida
MODULE = "05-moten"
READY = ".cirkel-submit-button"


def sv(key: str, **values: object) -> str:
    return t(key, lang="sv", **values)


@pytest.fixture(scope="module")
def moten(browser, module_url, artifacts_dir: Path) -> Iterator[Page]:
    """The module page, opened once for the file."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_app(tab, module_url(STUDENT, MODULE), READY)
    except Exception:
        tab.screenshot(path=str(artifacts_dir / "keyboard-focus-page.png"), full_page=True)
        print(f"screenshot: {artifacts_dir / 'keyboard-focus-page.png'}")
        raise
    # the page's script has named every radio group drawn (it runs once per frame that changed);
    # without it (an older page) each test says what is missing, so the wait is short and not a test
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function(
            "() => document.querySelectorAll('.widget-radio-box').length > 0"
            " && document.querySelectorAll('.widget-radio-box:not([role=radiogroup])').length === 0",
            timeout=15_000,
        )
    tab.set_default_timeout(30_000)  # the page is drawn: a control that is not there fails soon
    yield tab
    assert errors == [], f"script errors on the page: {errors}"
    tab.close()


# -- reading the page as assistive technology does ----------------------------------------------------


def active(page: Page) -> dict[str, Any]:
    """What has the keyboard focus: tag, type, accessible-ish text, role."""
    return page.evaluate(
        """() => {
          const a = document.activeElement;
          return {tag: a.tagName.toLowerCase(), type: a.type || "", role: a.getAttribute("role") || "",
                  text: (a.innerText || a.value || "").trim().slice(0, 120), body: a === document.body};
        }"""
    )


def has_focus(locator: Locator) -> bool:
    return locator.evaluate("(el) => el === document.activeElement || el.contains(document.activeElement)")


def wait_for_focus(page: Page, locator: Locator, what: str) -> None:
    """Wait (the kernel answers first) until ``locator`` holds the focus; fail saying where it is."""
    handle = locator.element_handle()
    try:
        page.wait_for_function(
            "(el) => el.isConnected && (el === document.activeElement || el.contains(document.activeElement))",
            arg=handle,
            timeout=20_000,
        )
    except Exception:
        raise AssertionError(f"focus did not go to {what}; it is on {active(page)}") from None


def tab_to(page: Page, target: Locator) -> None:
    """Arrive at ``target`` by Tab: from the control before it (Shift+Tab away, then Tab back)."""
    target.scroll_into_view_if_needed()
    target.focus()
    page.keyboard.press("Shift+Tab")
    assert not has_focus(target), f"Shift+Tab did not leave {target}"
    page.keyboard.press("Tab")
    if target.get_attribute("type") == "radio":  # a group is one tab stop: Chromium picks which option
        target = target.locator("xpath=ancestor::*[@role='radiogroup'][1]")
    assert has_focus(target), f"Tab did not reach {target}; focus is on {active(page)}"


def focused_index(radios: Locator) -> int:
    """Which of ``radios`` has the focus (-1: none)."""
    return radios.first.evaluate(
        "(el) => Array.from(el.closest('[role=radiogroup]').querySelectorAll('input[type=radio]'))"
        ".indexOf(document.activeElement)"
    )


def arrow_to(page: Page, radios: Locator, index: int) -> None:
    """With the focus in the group, press ArrowDown until option ``index`` is chosen."""
    for _ in range((index - focused_index(radios)) % radios.count()):
        page.keyboard.press("ArrowDown")


# -- WCAG contrast -----------------------------------------------------------------------------------


def _rgb(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) < 3:
        raise AssertionError(f"not a colour: {css!r}")
    return numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0


def luminance(css: str) -> float:
    """WCAG 2 relative luminance of a CSS ``rgb()``/``rgba()`` colour."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _alpha = _rgb(css)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_function_follows_wcag():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)
    assert contrast("rgb(100, 181, 246)", "rgb(255, 255, 255)") == pytest.approx(2.2, abs=0.05)  # the old ring


_LOOKS = """(el) => {
  const style = getComputedStyle(el);
  let node = el.parentElement, background = "rgb(255, 255, 255)";
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== "transparent" && !colour.startsWith("rgba(0, 0, 0, 0)")) { background = colour; break; }
    node = node.parentElement;
  }
  return {outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, borderColor: style.borderTopColor,
          borderWidth: parseFloat(style.borderTopWidth), background: background};
}"""


# -- 2. focus: visible on every control, field borders, and where it goes after each action -----------

CONTROLS = {
    "button": ".cirkel-quiz .jupyter-button:not([disabled])",
    "radio": ".cirkel-quiz .widget-radio-box input[type=radio]",
    "checkbox": ".cirkel-quiz-options input[type=checkbox]",
    "text field": ".cirkel-meeting-planner input[type=text]",
    "number field": ".cirkel-meeting-planner input[type=number]",
    "text area": ".cirkel-reflection textarea",
}


def test_every_control_shows_a_focus_indicator_of_2px_at_3_to_1(moten):
    found = []
    for kind, selector in CONTROLS.items():
        control = moten.locator(selector).first
        tab_to(moten, control)
        looks = control.evaluate(_LOOKS)
        ratio = contrast(looks["outlineColor"], looks["background"])
        found.append((kind, looks["outlineStyle"], looks["outlineWidth"], round(ratio, 2)))
    weak = [f for f in found if f[1] in ("none", "hidden") or f[2] < 2 or f[3] < 3]
    assert not weak, f"focus indicators under 2 px or 3:1 (kind, style, px, ratio): {weak}"


def test_field_borders_have_3_to_1_against_the_page(moten):
    weak = []
    for selector in ("input[type=text]", "input[type=number]", "textarea", "input[type=date]"):
        fields = moten.locator(f"#rendered_cells {selector}")
        assert fields.count() > 0, selector
        looks = fields.first.evaluate(_LOOKS)
        ratio = contrast(looks["borderColor"], looks["background"])
        if looks["borderWidth"] < 1 or ratio < 3:
            weak.append((selector, looks["borderColor"], looks["background"], round(ratio, 2)))
    assert not weak, f"field borders under 3:1: {weak}"


# -- 3. choices are groups ------------------------------------------------------------------------


def test_each_question_is_a_named_radio_group_with_one_tab_stop_and_arrow_keys(moten):
    question = moten.locator(".cirkel-quiz-question").nth(0)
    text = question.locator(".cirkel-quiz-text").inner_text().strip()
    group = moten.get_by_role("radiogroup", name=text)
    expect(group).to_have_count(1)
    radios = group.get_by_role("radio")
    assert radios.count() == 3
    names = {radios.nth(i).evaluate("(el) => el.name") for i in range(3)}
    assert len(names) == 1 and names != {""}, f"the radios share no name: {names}"
    # every single-answer question of the quiz is such a group
    singles = moten.locator(".cirkel-quiz .widget-radio")
    assert moten.locator(".cirkel-quiz [role=radiogroup][aria-labelledby]").count() == singles.count() > 0

    tab_to(moten, radios.nth(0))  # Tab enters the group on one option ...
    moten.keyboard.press("Tab")  # ... and the next Tab leaves it, for "Svara"
    assert has_focus(question.get_by_role("button", name=sv("quiz.answer"))), active(moten)
    moten.keyboard.press("Shift+Tab")
    start = focused_index(radios)
    assert start >= 0, f"Shift+Tab did not go back into the group: {active(moten)}"
    moten.keyboard.press("ArrowDown")  # the arrow moves the focus and the choice
    after = (start + 1) % 3
    assert radios.nth(after).is_checked() and has_focus(radios.nth(after))
    assert [radios.nth(i).is_checked() for i in range(3)].count(True) == 1


def test_a_multiple_answer_question_is_a_named_group_of_checkboxes(moten):
    question = moten.locator(".cirkel-quiz-question").filter(has=moten.locator("input[type=checkbox]")).first
    text = question.locator(".cirkel-quiz-text").inner_text().strip()
    group = moten.get_by_role("group", name=text)
    expect(group).to_have_count(1)
    assert group.get_by_role("checkbox").count() >= 2


# -- 2 and 4: after each action, and the result said in a live region ----------------------------------


def live_region(locator: Locator) -> Any:
    """The element handle of a live region, checked to be one now (before the action)."""
    assert locator.get_attribute("aria-live") == "polite" and locator.get_attribute("role") == "status"
    return locator.element_handle()


def test_answer_and_retry_move_focus_to_the_result_and_back_to_the_choices(moten):
    question = moten.locator(".cirkel-quiz-question").nth(0)
    radios = question.get_by_role("radio")
    feedback = question.locator(".cirkel-live")
    region = live_region(feedback)  # there, empty, before the first answer
    assert feedback.inner_text().strip() == ""
    tab_to(moten, radios.nth(0))
    arrow_to(moten, radios, 1)  # a wrong answer (the first option is right)
    expect(radios.nth(1)).to_be_checked()

    answer = question.get_by_role("button", name=sv("quiz.answer"))
    tab_to(moten, answer)
    moten.keyboard.press("Enter")
    retry = question.get_by_role("button", name=sv("quiz.retry"))
    wait_for_focus(moten, retry, '"Försök igen" after a wrong answer')
    # the same live region, still one, now holds the result
    assert region.evaluate("(el) => el.isConnected && el.getAttribute('aria-live')") == "polite"
    assert "Inte rätt" in region.inner_text()

    moten.keyboard.press("Enter")  # "Försök igen"
    wait_for_focus(moten, question.get_by_role("radiogroup"), "the question's options after 'Försök igen'")
    if focused_index(radios) == 0:
        moten.keyboard.press("Space")
    else:
        arrow_to(moten, radios, 0)
    expect(radios.nth(0)).to_be_checked()
    tab_to(moten, answer)
    moten.keyboard.press("Enter")
    wait_for_focus(moten, feedback, "the result after 'Svara'")
    assert region.evaluate("(el) => el === document.activeElement")
    assert sv("quiz.right_on_retry", try_number=2, points="0,5").split(" ")[0] in region.inner_text()


def test_moving_a_voting_step_keeps_focus_on_it_and_checking_the_order_reads_the_result(moten):
    scenario = moten.locator(".cirkel-voting-scenario").nth(0)
    first = scenario.locator(".cirkel-voting-step").nth(0)
    moved = first.locator(".cirkel-voting-step-text").inner_text()
    moved = re.sub(r"^[^:]*:\s*", "", moved.strip())  # without its position ("Steg 1:")
    tab_to(moten, first.locator(".cirkel-voting-down"))
    moten.keyboard.press("Enter")
    second = scenario.locator(".cirkel-voting-step").nth(1)
    expect(second.locator(".cirkel-voting-step-text")).to_contain_text(moved)
    wait_for_focus(moten, second, "the step that moved")
    assert active(moten)["tag"] == "button"

    feedback = scenario.locator(".cirkel-voting-order-feedback")
    region = live_region(feedback)
    tab_to(moten, scenario.locator("button.cirkel-voting-check-order"))
    moten.keyboard.press("Enter")
    wait_for_focus(moten, feedback, "the order's result after 'Kontrollera ordningen'")
    assert region.evaluate("(el) => el.isConnected && el.innerText.trim().length > 0")


def test_meeting_planner_focus_follows_moved_added_and_removed_items(moten):
    planner = moten.locator(".cirkel-meeting-planner")
    items = planner.locator(".cirkel-meeting-planner-item")

    add = planner.get_by_role("button", name=sv("meetingplan.add_item"))
    before = items.count()
    for count, title in enumerate(("Först", "Fika", "Sist"), start=before + 1):
        tab_to(moten, add)
        moten.keyboard.press("Enter")
        expect(items).to_have_count(count)
        wait_for_focus(moten, items.last.locator("input[type=text]"), "the new item's title")
        moten.keyboard.type(title, delay=30)  # a fast typist: each key reaches the kernel
        expect(items.last.locator("input[type=text]")).to_have_value(title)
    expect(items.first.locator("input[type=text]")).to_have_value("Först")

    down = items.first.get_by_role("button", name=sv("builders.move_down"))
    tab_to(moten, down)
    moten.keyboard.press("Enter")
    expect(items.nth(1).locator("input[type=text]")).to_have_value("Först")
    wait_for_focus(moten, items.nth(1).get_by_role("button", name=sv("builders.move_down")), "the moved item")

    remove = items.nth(1).get_by_role("button", name=sv("meetingplan.remove_item"))
    tab_to(moten, remove)
    moten.keyboard.press("Enter")
    expect(items).to_have_count(before + 2)
    expect(items.nth(1).locator("input[type=text]")).to_have_value("Sist")
    wait_for_focus(moten, items.nth(1).locator("input[type=text]"), "the item that took the removed one's place")


def test_submit_moves_focus_to_its_outcome_in_a_live_region(moten):
    panel = moten.locator(".cirkel-submit")
    outcome = panel.locator(".cirkel-submit-outcome.cirkel-live")  # (the points below have a region of their own)
    region = live_region(outcome)
    tab_to(moten, panel.get_by_role("button", name=sv("submit.button")))
    moten.keyboard.press("Enter")
    wait_for_focus(moten, outcome, "the outcome of 'Lämna in'")
    expect(outcome).to_contain_text(sv("submit.done", time="").split("{")[0].split(" ")[0])
    assert region.evaluate("(el) => el === document.activeElement")


def test_a_removed_row_hands_focus_to_the_row_that_took_its_place(browser, module_url):
    """No request from the kernel here: the page's script keeps the place ("Ta bort uppgift")."""
    page = browser.new_page()
    try:
        open_app(page, module_url(STUDENT, "07-hallbart-engagemang"), ".cirkel-role-expectations")
        builder = page.locator(".cirkel-role-expectations")
        tasks = builder.locator(".cirkel-role-expectations-task")
        add = builder.get_by_role("button", name=sv("roleexp.add_task"))
        before = tasks.count()
        for count, text in enumerate(("Kallelser", "Protokoll", "Fika"), start=before + 1):
            tab_to(page, add)
            page.keyboard.press("Enter")
            expect(tasks).to_have_count(count)
            wait_for_focus(page, tasks.last.locator("input[type=text]"), "the new task's text")
            page.keyboard.type(text, delay=30)
            expect(tasks.last.locator("input[type=text]")).to_have_value(text)
        second = tasks.nth(before + 1)
        expect(second.locator("input[type=text]")).to_have_value("Protokoll")
        tab_to(page, second.get_by_role("button", name=sv("roleexp.remove_task")))
        page.keyboard.press("Enter")
        expect(tasks).to_have_count(before + 2)
        took_place = tasks.nth(before + 1)
        expect(took_place.locator("input[type=text]")).to_have_value("Fika")
        wait_for_focus(page, took_place, "the task that took the removed one's place")
        assert active(page)["tag"] == "button"  # its own "Ta bort uppgift": the same place in the list
    finally:
        page.close()
