"""A reload in the browser and hub tests is one page load, not two.

Each load of a Voilà app is a kernel running the whole notebook and Chromium drawing
it (about 3 CPU seconds for a module page on the 2-core machine), and the test phase
is bound by the CPU. ``page.reload()`` waits for the reloaded page, so an ``open_app``
(or ``goto``) right after it loads the same page a second time for nothing: reload
with ``browser_harness.reload_app``, or go to the page again, never both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parents[1]
#: a reload whose next statement loads the page again
_TWICE = re.compile(
    r"^[ \t]*\w+\.reload\([^\n]*\)[ \t]*\n(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:open_app\(|\w+\.goto\()", re.M
)


def reloads_loading_twice(source: str) -> list[int]:
    """The line numbers of the reloads in ``source`` that are followed by another load of the page."""
    return [source.count("\n", 0, found.start()) + 1 for found in _TWICE.finditer(source)]


def test_the_check_finds_a_reload_followed_by_a_load():
    twice = "def t(page):\n    page.reload()\n\n    open_app(page, url, READY)\n    tab.reload()\n    tab.goto(url)\n"
    assert reloads_loading_twice(twice) == [2, 5]
    once = "def t(page):\n    page.reload()\n    page.wait_for_selector(READY)\n    reload_app(page, READY)\n"
    assert reloads_loading_twice(once) == []


def test_no_reload_in_the_tests_loads_the_page_twice():
    found = {
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in reloads_loading_twice(path.read_text(encoding="utf-8"))
    }
    assert not found, f"a reload followed by another load of the same page (use reload_app): {sorted(found)}"
