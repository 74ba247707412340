"""The widget gallery in Chromium: every widget shown, accessible, operated, and still there after a reload.

One server and one page serve the module. Each widget's test operates it as a
person would (seven of them by keyboard alone: Tab, Space, Enter, arrow keys,
Ctrl+A and typing; the others with clicks, ticks, choices and typing), waits
until the kernel has saved the answers and the page shows what the same widget
shows in Python after the same steps. Then the page is reloaded once for all
twelve (a new kernel restores every widget from the answer store; a reload of
this page is its kernel building twelve widgets and Chromium drawing them, so one
reload instead of one per widget), and ``test_survives_one_reload[...]`` finds
each widget's same text and control values. Labels are read from the widget
built in Python, so content edits do not break the tests.

Here the page as a whole and the three widgets of the foundation; the nine study
circle tools: ``test_widget_gallery_circle_tools.py``; the reload and what follows it:
``test_widget_gallery_reload.py``. The server, the page and the reload are
``gallery_fixtures.py``'s, shared by the three files (one work unit).
"""

from __future__ import annotations

import pytest

from widgets.models.content import ContentError
from widgets.pages.gallery import DEFAULT_SOURCE, discover, load_entry

from browser_harness import (
    axe_violations,
    describe_violations,
    normalise,
    string_pattern,
    tab_to_option,
    tab_until,
    wait_until,
)
from gallery_harness import section
from gallery_steps import entry_title, go_to_section, quiz_bank, sv

pytestmark = pytest.mark.browser


# -- the page as a whole ---------------------------------------------------------------------


def test_gallery_shows_every_widget(gallery):
    entries, broken = [], []
    for path in discover(DEFAULT_SOURCE):
        try:
            entries.append(load_entry(path))
        except ContentError as problem:
            broken.append(str(problem))
    assert broken == [], "gallery files that cannot be used"
    main = gallery.get_by_role("main")
    assert gallery.locator("html").get_attribute("lang") == "sv"
    assert normalise(main.locator("h1").inner_text()) == sv("gallery.title")
    assert gallery.title() == sv("gallery.title")
    # Every gallery file is a link in the table of contents and a section with its widget.
    nav = gallery.get_by_role("navigation", name=sv("gallery.toc"))
    links = nav.get_by_role("link")
    assert [normalise(text) for text in links.all_inner_texts()] == [entry.title for entry in entries]
    for entry in entries:
        box = section(gallery, entry.exercise_id)
        heading = box.get_by_role("heading", level=2, name=entry.title)
        assert heading.get_attribute("id") == entry.anchor
        assert nav.get_by_role("link", name=entry.title, exact=True).get_attribute("href") == f"#{entry.anchor}"
        assert normalise(box.locator(".cirkel-gallery-entry-intro").inner_text()) == normalise(entry.intro)
        assert normalise(box.locator(".cirkel-gallery-usage").inner_text()) == sv("gallery.usage", widget=entry.widget)
        assert box.locator(".cirkel-exercise").count() == 1, f"{entry.path.name}: no widget"
    problems = [normalise(p) for p in gallery.locator(".cirkel-gallery-problem").all_inner_texts()]
    assert problems == []
    assert "Traceback" not in main.inner_text()
    assert gallery.script_errors == []


def test_gallery_has_no_axe_violations(gallery):
    violations = axe_violations(gallery)
    assert not violations, f"axe-core on the gallery:\n{describe_violations(violations)}"


# -- the three widgets of the foundation, by keyboard alone -------------------------------------


def test_reflection_by_keyboard(gallery, gallery_files, after_reload):
    box = go_to_section(gallery, "reflektion", entry_title("reflektion"))
    textarea = box.get_by_role("textbox", name=sv("reflection.label"))
    tab_until(gallery, textarea, limit=10)
    words = "Jag ska fråga dem som inte har sagt något vad de tycker innan vi beslutar"
    gallery.keyboard.type(words)
    count = box.locator(".cirkel-reflection-count")
    expect_count = sv("reflection.words", count=len(words.split()))
    wait_until(lambda: normalise(count.inner_text()).startswith(expect_count), "the word count")
    wait_until(lambda: (gallery_files.saved("reflektion") or {}).get("text") == words, "svar/reflektion.json")

    def after(page) -> None:
        box = section(page, "reflektion")
        assert box.get_by_role("textbox", name=sv("reflection.label")).input_value() == words
        assert normalise(box.locator(".cirkel-reflection-count").inner_text()).startswith(expect_count)

    after_reload.expect("reflection_by_keyboard", "reflektion", after, ignore=None)


def test_quiz_by_keyboard(gallery, gallery_files, after_reload):
    bank = quiz_bank()
    first, second = bank["questions"][0], bank["questions"][1]
    right = next(i for i, option in enumerate(first["options"]) if option.get("correct"))
    wrong = next(i for i, option in enumerate(second["options"]) if not option.get("correct"))
    box = go_to_section(gallery, "motesroller", entry_title("motesroller"))
    questions = box.locator(".cirkel-quiz-question")

    # The first question right: Tab into the options (one tab stop), arrows to the option, Space, Tab to "Svara", Enter.
    q1 = questions.nth(0)
    option = q1.locator("input[type=radio]").nth(right)
    tab_to_option(gallery, option, limit=20)
    gallery.keyboard.press("Space")
    assert option.is_checked()
    tab_until(gallery, q1.get_by_role("button", name=sv("quiz.answer")), limit=10)
    gallery.keyboard.press("Enter")
    q1.locator(".cirkel-quiz-right").wait_for(state="visible")
    assert normalise(q1.locator(".cirkel-quiz-right").inner_text()) == sv("quiz.right")

    # The second question wrong, the same way: the quiz offers another try.
    q2 = questions.nth(1)
    option = q2.locator("input[type=radio]").nth(wrong)
    tab_to_option(gallery, option, limit=20)
    gallery.keyboard.press("Space")
    tab_until(gallery, q2.get_by_role("button", name=sv("quiz.answer")), limit=10)
    gallery.keyboard.press("Enter")
    q2.get_by_role("button", name=sv("quiz.retry")).wait_for(state="visible")
    assert string_pattern("quiz.wrong_try_again").match(normalise(q2.locator(".cirkel-quiz-wrong").inner_text()))

    def both_saved() -> bool:
        saved = (gallery_files.saved("motesroller") or {}).get("questions") or {}
        return all((saved.get(q["id"]) or {}).get("tries") for q in (first, second))

    wait_until(both_saved, "svar/motesroller.json with both answers")

    def after(page) -> None:
        q1 = section(page, "motesroller").locator(".cirkel-quiz-question").nth(0)
        q2 = section(page, "motesroller").locator(".cirkel-quiz-question").nth(1)
        q1.locator(".cirkel-quiz-right").wait_for(state="visible")
        assert q1.locator("input[type=radio]").nth(right).is_checked()
        assert q1.locator("input[type=radio]").nth(right).is_disabled()
        assert q2.get_by_role("button", name=sv("quiz.retry")).is_visible()
        assert string_pattern("quiz.wrong_try_again").match(normalise(q2.locator(".cirkel-quiz-wrong").inner_text()))
        assert string_pattern("quiz.score").match(
            normalise(section(page, "motesroller").locator(".cirkel-quiz-points").inner_text())
        )

    after_reload.expect("quiz_by_keyboard", "motesroller", after, ignore=None)


def test_plan_by_keyboard(gallery, gallery_files, after_reload):
    box = go_to_section(gallery, "strategisk-plan", entry_title("strategisk-plan"))
    perception = box.get_by_role("textbox", name=sv("plan.perception_label"))
    tab_until(gallery, perception, limit=20)
    seen_as = "En förening där alla kommer till tals"
    gallery.keyboard.type(seen_as)

    # "Lägg till mål" with Enter: the new goal's text box gets the focus.
    tab_until(gallery, box.get_by_role("button", name=sv("plan.add_goal")), limit=20)
    gallery.keyboard.press("Enter")
    goal = box.get_by_role("textbox", name=sv("plan.goal_label", number=1))
    goal.wait_for(state="visible")
    wait_until(
        lambda: gallery.evaluate("(el) => document.activeElement === el", goal.element_handle()),
        "the focus on the new goal",
    )
    goal_text = "Fler medlemmar tar ordet på våra möten"
    gallery.keyboard.type(goal_text)

    members = box.get_by_role("spinbutton", name=sv("plan.members"))
    tab_until(gallery, members, limit=20)
    gallery.keyboard.press("Control+A")
    gallery.keyboard.type("25")
    gallery.keyboard.press("Enter")

    def saved() -> bool:
        plan = gallery_files.saved("strategisk-plan") or {}
        goals = plan.get("goals") or []
        return (
            plan.get("perception") == seen_as
            and len(goals) == 1
            and goals[0].get("text") == goal_text
            and (plan.get("resources") or {}).get("members") == 25
        )

    wait_until(saved, "svar/strategisk-plan.json with the perception, one goal and 25 members")

    def after(page) -> None:
        box = section(page, "strategisk-plan")
        assert box.get_by_role("textbox", name=sv("plan.perception_label")).input_value() == seen_as
        assert box.get_by_role("textbox", name=sv("plan.goal_label", number=1)).input_value() == goal_text
        assert box.get_by_role("textbox", name=sv("plan.goal_label", number=2)).count() == 0
        assert box.get_by_role("spinbutton", name=sv("plan.members")).input_value() == "25"

    after_reload.expect("plan_by_keyboard", "strategisk-plan", after, ignore=None)
