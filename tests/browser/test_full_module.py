"""One whole module worked through in the browser, every exercise, to submission and grade.

Dana opens "Vänsterpartiets roll" as a Voilà app, answers every quiz question
right by clicking (single and multiple choice), writes her reflection, reloads
to find it all still there, and hands the module in. The course leader collects
and autogrades with nbgrader: the quiz gets full points and the reflection
waits in formgrader for a person to grade it.
"""

from __future__ import annotations

import pytest

from grading.autograde.pipeline import autograde, collect
from grading.reports.completion import completion_table
from widgets.core.formats import format_number
from widgets.core.i18n import t, yaml_data

from browser_harness import normalise, open_app, reload_app, string_pattern, wait_until

pytestmark = pytest.mark.browser

STUDENT = "dana"
MODULE = "01-vansterpartiets-roll"
READY = ".cirkel-submit-button"


def _module_spec(course_run) -> dict:
    folder = course_run.notebook_path(STUDENT, MODULE).parent
    return yaml_data((folder / "module.yml").read_text(encoding="utf-8"))


def _quiz(course_run) -> tuple[str, dict, float]:
    spec = _module_spec(course_run)
    quiz = next(ex for ex in spec["exercises"] if ex["widget"] == "MeetingRoleQuiz")
    folder = course_run.source_dir / MODULE  # the keyed bank: the learner's own copy has no answers in it
    bank = yaml_data((folder / quiz["content"]).read_text(encoding="utf-8"))
    return quiz["id"], bank, float(quiz["points"])


def _answer_right(box, question: dict) -> None:
    kind = "radio" if question.get("type", "single") == "single" else "checkbox"
    for index, option in enumerate(question["options"]):
        if option.get("correct"):
            # as a person does: click the option's text (the label of its input)
            box.get_by_text(option["text"], exact=True).click()
            assert box.locator(f"input[type={kind}]").nth(index).is_checked()
    box.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
    box.locator(".cirkel-quiz-right").wait_for(state="visible")


def test_a_whole_module_worked_through_to_submission_and_grade(page, module_url, course_run):
    quiz_id, bank, quiz_points = _quiz(course_run)
    url = module_url(STUDENT, MODULE)
    open_app(page, url, READY)

    questions = page.locator(".cirkel-quiz-question")
    assert questions.count() == len(bank["questions"])
    for number, question in enumerate(bank["questions"]):
        _answer_right(questions.nth(number), question)
    # the gradebook's scale: the learner reads the points the course leader will see (module.yml)
    total = format_number(quiz_points, lang="sv")
    score = page.locator(".cirkel-quiz-score")
    assert normalise(score.inner_text()).startswith(t("quiz.score", lang="sv", score=total, max=total))

    reflection = "Jag vill prova ett samtal med en granne som inte vet vad hen tycker om vinster i välfärden."
    page.get_by_role("textbox", name=t("reflection.label", lang="sv")).fill(reflection)

    folder = course_run.notebook_path(STUDENT, MODULE).parent
    wait_until(
        lambda: (
            (folder / "svar" / "reflektion.json").exists()
            and reflection in (folder / "svar" / "reflektion.json").read_text(encoding="utf-8")
        ),
        "the reflection in svar/reflektion.json",
    )

    # Everything is back after a reload: the score, every right answer, the reflection.
    reload_app(page, READY)
    assert normalise(page.locator(".cirkel-quiz-score").inner_text()).startswith(
        t("quiz.score", lang="sv", score=total, max=total)
    )
    assert page.locator(".cirkel-quiz-right").count() == len(bank["questions"])
    assert page.get_by_role("textbox", name=t("reflection.label", lang="sv")).input_value() == reflection

    page.get_by_role("button", name=t("submit.button", lang="sv")).click()
    done = page.locator(".cirkel-submit-ok")
    done.wait_for(state="visible")
    assert string_pattern("submit.done").match(normalise(done.inner_text())), done.inner_text()

    collect(course_run, [MODULE])
    autograde(course_run, [MODULE])
    table = completion_table(course_run)
    row = table[(table.student_id == STUDENT) & (table.module == MODULE)].iloc[0]
    assert row.state == t("completion.state.rattad", lang="sv")
    assert row.points == pytest.approx(quiz_points)  # the reflection waits for the course leader
    assert bool(row.needs_manual_grade)
    autograded = course_run.root / "autograded" / STUDENT / MODULE / f"{MODULE}.ipynb"
    assert reflection in autograded.read_text(encoding="utf-8")
