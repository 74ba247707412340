"""Helpers for the browser tests: Debian's Chromium, Voilà pages, axe-core.

Playwright drives Debian's ``/usr/bin/chromium-headless-shell`` (its own browser
download cannot work here) with a fresh profile. Pages are waited for by what a person would wait
for: the page is shown (``body.cirkel-ready``) and the widget one wants to use
is drawn; never a fixed sleep.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Locator, Page, Playwright

from widgets.core.i18n import t

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "CONTEXT_OPTIONS",
    "PAGE_TIMEOUT_MS",
    "launch_chromium",
    "open_app",
    "script_errors",
    "reload_app",
    "axe_violations",
    "describe_violations",
    "normalise",
    "wait_until",
    "tab_until",
    "tab_to_option",
    "string_pattern",
]

#: Debian's headless build of Chromium (package chromium-headless-shell, from the same source as
#: ``chromium``): the same Blink and V8 without the desktop browser around them. On the browser
#: lane's pages it used 19 % less CPU than ``/usr/bin/chromium --headless`` (test_reflow.py: Chromium
#: 58 to 47 CPU s; test_keyboard_focus.py: 11 to 9).
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
#: every other browser context of the tests (the hub lane's people) asks for less motion too
CONTEXT_OPTIONS = {"locale": "sv-SE", "reduced_motion": "reduce"}
#: Voilà starts a kernel and runs the whole notebook before it shows the page;
#: on a busy two-core machine that can take a while.
PAGE_TIMEOUT_MS = 180_000


def launch_chromium(playwright: Playwright, profile_dir: Path, *, reduced_motion: bool = True) -> BrowserContext:
    """Debian's Chromium, headless, with a fresh profile in ``profile_dir``.

    ``reduced_motion``: the pages are told the reader prefers less motion (as ``CONTEXT_OPTIONS``
    tells the hub lane's contexts; ``tests/browser/test_pages.py`` sees the sign turn), so the loading sign
    stands still while a kernel runs the notebook (a turning one costs Chromium about 0.05 CPU
    seconds a second, and a busy 2-core machine waits many seconds for each page).
    """
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        locale="sv-SE",
        viewport={"width": 1100, "height": 900},
        reduced_motion="reduce" if reduced_motion else "no-preference",
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context


def open_app(page: Page, url: str, ready: str) -> None:
    """Open a Voilà app and wait until it is shown and ``ready`` (a selector) is drawn."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("body.cirkel-ready", state="attached")
    page.wait_for_selector(ready, state="visible")


def script_errors(page: Page) -> list[str]:
    """A list that fills with every error the page's scripts throw or log to the console, from now on.

    What a person would see in the browser's developer tools as red lines: an uncaught exception, or
    a front-end plugin that failed and said so with ``console.error``.
    """
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} ({message.location.get('url', '')})") if message.type == "error" else None
        ),
    )
    return errors


def reload_app(page: Page, ready: str) -> None:
    """Reload the app as a person presses F5 (one new kernel) and wait as ``open_app`` does.

    Never ``page.reload()`` followed by ``open_app``: that loads the page twice, each load a
    kernel running the whole notebook and Chromium drawing it.
    """
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("body.cirkel-ready", state="attached")
    page.wait_for_selector(ready, state="visible")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    return list(Axe().run(page).response["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation: id, impact and the elements it was found on."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", []))
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help', '')} -> {targets}")
    return "\n".join(lines)


def normalise(text: str) -> str:
    """Whitespace folded to single spaces, as a reader sees running text."""
    return re.sub(r"\s+", " ", text).strip()


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll ``condition`` until it returns something true; fail naming ``what``.

    For things outside the browser (a file the kernel writes), where Playwright
    cannot wait for us. The timeout only bounds a hang; nothing is timed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(0.2)


def tab_until(page: Page, target: Locator, limit: int = 200) -> int:
    """Press Tab until ``target`` has the keyboard focus; returns the number of presses."""
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return presses
    raise AssertionError(f"Tab never reached {target} in {limit} presses")


def tab_to_option(page: Page, option: Locator, limit: int = 200) -> int:
    """Tab into ``option``'s radio group (one tab stop), then ArrowDown until ``option`` has the focus.

    As the ARIA Authoring Practices' radio group works: the arrow keys also choose the option.
    Returns the number of Tab presses.
    """
    handle = option.element_handle()
    in_group = "(el) => document.activeElement.type === 'radio' && document.activeElement.name === el.name"
    presses = 0
    while not page.evaluate(in_group, handle):
        if presses == limit:
            raise AssertionError(f"Tab never reached the group of {option} in {limit} presses")
        page.keyboard.press("Tab")
        presses += 1
    for _ in range(option.evaluate("(el) => document.getElementsByName(el.name).length")):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return presses
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {option}")


def string_pattern(key: str, lang: str = "sv") -> re.Pattern[str]:
    """A regular expression matching the string table's text for ``key`` with any values filled in."""
    parts = re.split(r"\{[a-z_]+\}", t(key, lang=lang))
    return re.compile("^" + "(.+?)".join(re.escape(normalise(p)) if p.strip() else re.escape(p) for p in parts) + "$")
