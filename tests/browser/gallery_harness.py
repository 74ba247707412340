"""Helpers for the gallery's browser tests: its own server, its answers, its sections.

The gallery gets a server of its own (started by ``grading.servers.serve.start_server``
like every other, with ``cirkel serve``'s apps installed in a scratch root) so
that its answers go to a fresh ``$CIRKEL_GALLERY_DIR`` that the tests can read,
never to the tester's home folder.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from widgets.pages.gallery import DEFAULT_SOURCE, discover

from browser_harness import PAGE_TIMEOUT_MS, open_app, reload_app

__all__ = [
    "GALLERY_READY",
    "GalleryFiles",
    "open_gallery",
    "reload_gallery",
    "section",
    "snapshot",
    "TRANSIENT",
    "python_text",
    "squeeze",
]

#: Drawn last: the gallery's sections come after the table of contents.
GALLERY_READY = ".cirkel-gallery .cirkel-gallery-section"


class GalleryFiles:
    """The gallery's working folder as the kernel leaves it: content files and ``svar/``."""

    def __init__(self, folder: Path):
        self.folder = folder

    def saved(self, exercise_id: str) -> dict[str, Any] | None:
        """The saved ``data`` of one exercise, or ``None`` (not yet written, or mid-write)."""
        try:
            record = json.loads((self.folder / "svar" / f"{exercise_id}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        data = record.get("data")
        return data if isinstance(data, dict) else None


def open_gallery(page: Page, url: str) -> None:
    """Open the gallery and wait until every section's widget is drawn."""
    open_app(page, url, GALLERY_READY)
    _wait_for_sections(page)


def reload_gallery(page: Page) -> None:
    """Reload the page, as a person presses F5, and wait until every section's widget is drawn."""
    reload_app(page, GALLERY_READY)
    _wait_for_sections(page)


def _wait_for_sections(page: Page) -> None:
    expect(page.locator(".cirkel-gallery-section")).to_have_count(
        len(discover(DEFAULT_SOURCE)), timeout=PAGE_TIMEOUT_MS
    )
    sections = page.locator(".cirkel-gallery-section")
    for index in range(sections.count()):
        box = sections.nth(index)
        # A section shows its widget, or a plain message where the widget would be.
        box.locator(".cirkel-exercise, .cirkel-gallery-problem").first.wait_for(state="visible")


def section(page: Page, exercise_id: str) -> Locator:
    """The gallery section of one exercise (heading, intro and widget)."""
    return page.locator(f".cirkel-gallery-id-{exercise_id}")


#: Messages about the last action (e.g. "Uppgifterna ... är inlagda"), not state: a reload may clear them.
TRANSIENT = (".cirkel-status", ".cirkel-status-alert")

_SNAPSHOT = """(el, ignore) => {
  const skipped = ignore.flatMap((selector) => Array.from(el.querySelectorAll(selector)));
  let text = el.innerText;
  for (const part of skipped) {
    const said = part.innerText;
    if (said && said.trim()) {
      text = text.replace(said, " ");
    }
  }
  const controls = Array.from(el.querySelectorAll("input, textarea, select"))
    .filter((c) => !skipped.some((part) => part.contains(c)))
    .map((c) => [
      c.tagName.toLowerCase() + ":" + (c.type || ""),
      (c.type === "checkbox" || c.type === "radio") ? String(c.checked) : c.value,
      c.disabled,
    ]);
  return { text: text.replace(/\\s+/g, " ").trim(), controls: controls };
}"""


def snapshot(page: Page, exercise_id: str, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a person sees of one widget: its visible text and every control's value, tick and lock.

    ``ignore`` names parts that say what just happened rather than what is
    (besides ``TRANSIENT``), e.g. an announcement or a picker that is not an answer.
    """
    return section(page, exercise_id).locator(".cirkel-exercise").evaluate(_SNAPSHOT, [*TRANSIENT, *ignore])


def python_text(widget: Any, css_class: str) -> str:
    """The text of the ``ipw.HTML`` with ``css_class`` inside a widget built in Python (no kernel).

    Compared without whitespace to what the page shows: block elements become
    line breaks in the browser and nothing in the HTML source.
    """
    found = _find(widget, css_class)
    if found is None:
        raise AssertionError(f"no element with class {css_class} in {type(widget).__name__}")
    return squeeze(html.unescape(re.sub(r"<[^>]+>", "", found.value)))


def squeeze(text: str) -> str:
    """Text without any whitespace (NBSP included), for comparing the page with the Python widget."""
    return re.sub(r"\s+", "", text)


def _find(widget: Any, css_class: str) -> Any:
    if css_class in getattr(widget, "_dom_classes", ()) and hasattr(widget, "value"):
        return widget
    for child in getattr(widget, "children", ()):
        found = _find(child, css_class)
        if found is not None:
            return found
    return None
