"""What a person does on the widget gallery's page, and what the one reload after every widget's steps must keep.

Shared by the gallery's browser tests (``test_widget_gallery*.py``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from widgets.core.i18n import t, yaml_data
from widgets.pages.gallery import DEFAULT_SOURCE, load_entry

from browser_harness import tab_until, wait_until
from gallery_harness import python_text, section, squeeze


def sv(key: str, **values: object) -> str:
    return t(key, lang="sv", **values)


# -- moving around as a keyboard user ------------------------------------------------------


#: The keyboard's way starts at the table of contents, as on a page just loaded: the tests share one page,
#: so the focus would otherwise start in the widget the last test left it in. Moving to a fragment moves
#: Chromium's starting point of Tab there (as following a link to it does); the hash is cleared first so
#: that the move happens even when the page is already there.
_FROM_THE_TOP = """(nav) => {
  document.activeElement && document.activeElement.blur();
  history.replaceState(null, "", location.pathname + location.search);
  location.hash = nav.getAttribute("aria-labelledby");
}"""


def go_to_section(page, exercise_id: str, title: str):
    """With the keyboard: Tab to the table of contents' link, Enter; the section's heading gets the focus."""
    nav = page.get_by_role("navigation", name=sv("gallery.toc"))
    link = nav.get_by_role("link", name=title, exact=True)
    for attempt in range(3):
        nav.evaluate(_FROM_THE_TOP)
        try:
            tab_until(page, link, limit=40)
            break
        except AssertionError:
            # a previous step's widget may take the focus when its kernel's answer arrives late (a
            # loaded machine): start again from the contents, as a person would after such a jump
            if attempt == 2:
                raise
    page.keyboard.press("Enter")
    heading = section(page, exercise_id).get_by_role("heading", level=2, name=title)
    wait_until(
        lambda: page.evaluate("(el) => document.activeElement === el", heading.element_handle()),
        f"the focus on the heading {title!r}",
    )
    return section(page, exercise_id)


def entry_title(exercise_id: str) -> str:
    return load_entry(DEFAULT_SOURCE / f"{exercise_id}.yml").title


# -- one reload for all twelve widgets -----------------------------------------------------------

#: The widgets' tests whose steps one reload proves kept, in the file's order.
RELOADED = (
    "reflection_by_keyboard",
    "quiz_by_keyboard",
    "plan_by_keyboard",
    "meeting_planner",
    "role_expectations_by_keyboard",
    "handover_plan",
    "speaker_stats_by_mouse",
    "readability_by_keyboard",
    "goal_calculator_by_mouse",
    "suppression_by_keyboard",
    "voting_by_keyboard",
    "role_finder_by_mouse",
)


class AfterReload:
    """What each widget's test expects after the reload: registered when its steps are done."""

    def __init__(self) -> None:
        self.expected: dict[str, tuple[str, tuple[str, ...] | None, Callable[[Any], None] | None]] = {}
        self.before: dict[str, dict] = {}

    def expect(
        self,
        steps: str,
        exercise_id: str,
        check: Callable[[Any], None] | None = None,
        ignore: tuple[str, ...] | None = (),
    ) -> None:
        """After the reload: the widget shows the same text and values (``ignore`` as for ``snapshot``;
        ``None``: only ``check``), then ``check(page)`` passes."""
        assert steps in RELOADED, f"{steps} is not in RELOADED"
        self.expected[steps] = (exercise_id, ignore, check)


def quiz_bank() -> dict:
    entry = load_entry(DEFAULT_SOURCE / "motesroller.yml")
    assert entry.content_file is not None
    return yaml_data(entry.content_file.read_text(encoding="utf-8"))


def expect_unchanged(before: dict, after: dict, exercise_id: str) -> None:
    """The widget shows exactly the same text and control values after the reload as before."""
    if after != before:
        text = "\n".join(
            difflib.unified_diff(_lines(before), _lines(after), "before reload", "after reload", lineterm="")
        )
        raise AssertionError(f"{exercise_id} changed on reload:\n{text}")


def _lines(state: dict) -> list[str]:
    return [*re.split(r"(?<=[.:!?])\s+", state["text"]), *(repr(control) for control in state["controls"])]


def expect_as_in_python(box, widget, css_class: str) -> None:
    """Wait until the page's ``css_class`` says what the same widget says in Python after the same steps.

    The kernel answers each step in order, so once the last step's result is
    shown, every earlier change has reached the page too.
    """
    want = python_text(widget, css_class)
    shown = box.locator(f".{css_class}").first
    wait_until(lambda: squeeze(shown.inner_text()) == want, f"{css_class} showing {want!r}")


def commit(page) -> None:
    """Leave a field with Tab, as a person does (fields that save on leaving save now)."""
    page.keyboard.press("Tab")
