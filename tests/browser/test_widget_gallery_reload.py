"""The widget gallery in Chromium after one reload for all twelve widgets, and what follows it.

Collected after ``test_widget_gallery.py`` and ``test_widget_gallery_circle_tools.py`` (one work unit,
in the order of the names): a new kernel restores every widget from the answer store and each widget
shows the same text and control values as before. Then a password refused and a paste cut.
"""

from __future__ import annotations

import re

import pytest

from browser_harness import normalise, wait_until
from gallery_harness import section, snapshot
from gallery_steps import RELOADED, AfterReload, commit, expect_unchanged, sv

pytestmark = pytest.mark.browser


# -- after every widget's steps: one reload --------------------------------------------------------


@pytest.mark.parametrize("steps", RELOADED)
def test_survives_one_reload(reloaded: AfterReload, gallery, steps: str, request: pytest.FixtureRequest):
    """After the one reload (a new kernel restoring every widget), the widget that ``test_<steps>`` operated
    shows the same text and control values as before it, and what that test expects of it."""
    if not any(item.name == f"test_{steps}" for item in request.session.items):
        pytest.skip(f"test_{steps} is not in this run (its file or -k left it out): no steps of it to find again")
    assert steps in reloaded.expected, f"test_{steps} did not finish its steps before the reload"
    exercise_id, ignore, check = reloaded.expected[steps]
    if ignore is not None:
        expect_unchanged(reloaded.before[steps], snapshot(gallery, exercise_id, ignore), exercise_id)
    if check is not None:
        check(gallery)


def test_handover_plan_never_saves_a_password(gallery, gallery_files, headless):
    """A password is refused where it was typed, and nothing of it reaches the file."""
    plan = headless("overlamning")
    second_row = list(plan.item_rows.values())[1]
    box = section(gallery, "overlamning")
    note = box.get_by_role("textbox", name=second_row.note.description, exact=True)
    note.fill("Lösenordet är Sommar24")
    commit(gallery)
    item = box.locator(".cirkel-handover-plan-item").nth(1)
    item.locator(".cirkel-handover-plan-refusal").filter(has_text=re.compile(r"\S")).wait_for(state="visible")
    wait_until(lambda: note.input_value() == "", "the refused text taken back out of the field")
    assert "Sommar24" not in (gallery_files.folder / "svar" / "overlamning.json").read_text(encoding="utf-8")


# -- a text too long for its field -----------------------------------------------------------------


def test_a_paste_too_long_for_a_field_is_cut_in_the_browser_refused_and_said_in_swedish(gallery, gallery_files):
    from widgets.core.numbers import format_number
    from widgets.kit.controls import MAX_TEXTAREA_LENGTH

    box = section(gallery, "reflektion")
    box.scroll_into_view_if_needed()
    textarea = box.get_by_role("textbox", name=sv("reflection.label"))
    # the browser's field knows the limit: a paste is cut one character past it
    assert textarea.get_attribute("maxlength") == str(MAX_TEXTAREA_LENGTH + 1)
    textarea.click()
    gallery.keyboard.press("Control+End")
    gallery.keyboard.type(" Och vi bjuder på fika.")
    wait_until(
        lambda: (gallery_files.saved("reflektion") or {}).get("text", "").endswith("Och vi bjuder på fika."),
        "the reflection in svar/reflektion.json",
    )
    kept = gallery_files.saved("reflektion")["text"]

    gallery.keyboard.insert_text("å" * (2 * MAX_TEXTAREA_LENGTH))  # a paste of 40 000 characters

    message = sv("store.text_too_long", max=format_number(MAX_TEXTAREA_LENGTH, 0))
    # said at once: in the exercise's alert region, drawn with it before anything went wrong
    status = box.locator(".cirkel-status-alert[role=alert][aria-live=assertive] .cirkel-status-text")
    wait_until(lambda: status.count() == 1 and normalise(status.inner_text()) == normalise(message), "the message")
    wait_until(lambda: textarea.input_value() == kept, "the field showing the kept text again")
    assert gallery_files.saved("reflektion")["text"] == kept  # nothing of the paste was saved
