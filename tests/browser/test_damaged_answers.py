"""A damaged answer file: the learner is told plainly, the file is kept aside, the page still works."""

from __future__ import annotations

import pytest

from widgets.core.i18n import t

from browser_harness import normalise, open_app

pytestmark = pytest.mark.browser

STUDENT = "bilal"
MODULE = "05-moten"
QUIZ = "motesroller"
GARBAGE = b'{"schema": 1, "exercise_id": "motesroller", "data": {\x00\xff trasig'


def test_damaged_answer_file_is_kept_aside_and_explained(page, module_url, course_run):
    answers = course_run.notebook_path(STUDENT, MODULE).parent / "svar"
    answers.mkdir(exist_ok=True)
    (answers / f"{QUIZ}.json").write_bytes(GARBAGE)

    open_app(page, module_url(STUDENT, MODULE), ".cirkel-submit-button")

    kept = sorted(answers.glob(f"{QUIZ}.olasbar-*.json.bak"))
    assert len(kept) == 1, sorted(p.name for p in answers.iterdir())
    assert kept[0].read_bytes() == GARBAGE  # nothing is lost
    assert not (answers / f"{QUIZ}.json").exists() or (answers / f"{QUIZ}.json").read_bytes() != GARBAGE

    message = page.locator(".cirkel-quiz .cirkel-status-text")
    message.wait_for(state="visible")
    expected = t("store.unreadable", lang="sv", exercise_id=QUIZ, kept_as=kept[0].name)
    assert normalise(message.inner_text()) == normalise(expected)

    text = page.get_by_role("main").inner_text()
    for technical in ("Traceback", "JSONDecodeError", "UnicodeDecodeError", "Error", "\\x00"):
        assert technical not in text
    # The quiz can be used again from a clean start.
    assert page.locator(".cirkel-quiz input[type=radio]:checked").count() == 0
    assert page.get_by_role("button", name=t("quiz.answer", lang="sv")).first.is_enabled()
