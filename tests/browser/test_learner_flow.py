"""A learner works through a module in the browser; the course leader sees it in the report.

Anna answers the quiz with the mouse and (one question) with the keyboard alone,
reloads and finds everything still there, writes her reflection, reloads again,
submits with "Lämna in"; the course leader collects and autogrades with the
pipeline and reads the report app.
"""

from __future__ import annotations

import json

import pytest

from grading.autograde.pipeline import autograde, collect
from grading.reports.completion import completion_table
from widgets.core.i18n import t, yaml_data

from browser_harness import normalise, open_app, reload_app, string_pattern, tab_to_option, tab_until, wait_until

pytestmark = pytest.mark.browser

STUDENT = "anna"
MODULE = "05-moten"
QUIZ = "motesroller"
READY = ".cirkel-submit-button"


def _bank(course_run) -> dict:
    """The keyed bank, from the run's source: the learner's own copy has no answers in it."""
    folder = course_run.source_dir / MODULE
    return yaml_data((folder / f"{QUIZ}.yml").read_text(encoding="utf-8"))


def _right_index(question: dict) -> int:
    return next(i for i, option in enumerate(question["options"]) if option.get("correct"))


def _saved(course_run, exercise_id: str) -> dict | None:
    path = course_run.notebook_path(STUDENT, MODULE).parent / "svar" / f"{exercise_id}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["data"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return None


def _question_saved(course_run, question_id: str) -> bool:
    data = _saved(course_run, QUIZ) or {}
    return bool((data.get("questions") or {}).get(question_id, {}).get("tries"))


def _expect_right_with_explanation(box, question: dict) -> None:
    feedback = box.locator(".cirkel-quiz-right")
    feedback.wait_for(state="visible")
    assert normalise(feedback.inner_text()) == t("quiz.right", lang="sv")
    explanation = normalise(box.locator(".cirkel-quiz-explanation").inner_text())
    assert explanation == normalise(t("quiz.explanation", lang="sv", text=question["explanation"]))


def test_learner_answers_reloads_submits_and_leader_sees_it(page, module_url, report_url, course_run):
    bank = _bank(course_run)
    singles = [q for q in bank["questions"] if q.get("type", "single") == "single"]
    by_mouse, by_keyboard = singles[0], singles[1]
    url = module_url(STUDENT, MODULE)
    open_app(page, url, READY)
    questions = page.locator(".cirkel-quiz-question")
    position = {q["id"]: i for i, q in enumerate(bank["questions"])}

    # -- one question with the mouse ----------------------------------------------------
    box = questions.nth(position[by_mouse["id"]])
    box.locator("input[type=radio]").nth(_right_index(by_mouse)).click()
    box.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
    _expect_right_with_explanation(box, by_mouse)

    # -- one question with the keyboard alone: Tab into the options, arrows, Space, Tab, Enter --------
    box = questions.nth(position[by_keyboard["id"]])
    option = box.locator("input[type=radio]").nth(_right_index(by_keyboard))
    tab_to_option(page, option)
    page.keyboard.press("Space")
    assert option.is_checked()
    answer = box.get_by_role("button", name=t("quiz.answer", lang="sv"))
    tab_until(page, answer, limit=5)
    page.keyboard.press("Enter")
    _expect_right_with_explanation(box, by_keyboard)

    wait_until(lambda: _question_saved(course_run, by_keyboard["id"]), "the quiz answers in svar/")

    # -- reload: a new kernel restores both answers and their feedback ----------------------
    reload_app(page, READY)
    for question in (by_mouse, by_keyboard):
        box = questions.nth(position[question["id"]])
        assert box.locator("input[type=radio]").nth(_right_index(question)).is_checked()
        _expect_right_with_explanation(box, question)

    # -- the reflection, typed --------------------------------------------------------------
    reflection_text = "Jag ska fråga dem som inte har sagt något vad de tycker, innan vi beslutar."
    textarea = page.get_by_role("textbox", name=t("reflection.label", lang="sv"))
    textarea.click()
    page.keyboard.type(reflection_text)
    wait_until(
        lambda: (_saved(course_run, "reflektion") or {}).get("text") == reflection_text,
        "the reflection in svar/reflektion.json",
    )
    reload_app(page, READY)
    assert page.get_by_role("textbox", name=t("reflection.label", lang="sv")).input_value() == reflection_text

    # -- submit ---------------------------------------------------------------------------
    page.get_by_role("button", name=t("submit.button", lang="sv")).click()
    done = page.locator(".cirkel-submit-ok")
    done.wait_for(state="visible")
    assert string_pattern("submit.done").match(normalise(done.inner_text())), done.inner_text()

    # -- the course leader collects and reads the report -------------------------------------
    collect(course_run, [MODULE])
    open_app(page, report_url, "table.cirkel-report-table")
    cell = page.locator(f'tr[data-student="{STUDENT}"] td[data-module="{MODULE}"]')
    assert normalise(cell.locator(".cirkel-state").inner_text()) == t("completion.state.inlamnad", lang="sv")
    other = page.locator(f'tr[data-student="cecilia"] td[data-module="{MODULE}"] .cirkel-state')
    assert normalise(other.inner_text()) != t("completion.state.inlamnad", lang="sv")

    autograde(course_run, [MODULE])
    page.get_by_role("button", name=t("app.report.refresh", lang="sv")).click()
    graded = t("completion.state.rattad", lang="sv")
    page.locator(f'tr[data-student="{STUDENT}"] td[data-module="{MODULE}"] .cirkel-state', has_text=graded).wait_for(
        state="visible"
    )
    table = completion_table(course_run)
    row = table[(table.student_id == STUDENT) & (table.module == MODULE)].iloc[0]
    assert row.points > 0  # two questions right on the first try
    shown = string_pattern("app.report.points").match(normalise(cell.locator(".cirkel-points").inner_text()))
    assert shown, cell.inner_text()
    assert float(shown.group(1).replace(",", ".")) == pytest.approx(row.points, abs=0.05)
    assert float(shown.group(2).replace(",", ".")) == pytest.approx(row.max_points)
