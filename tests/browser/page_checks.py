"""What every Cirkel page must pass, as a person's browser sees it (issue 18, points 5, 6, 9).

- :func:`record_requests`: every request the page makes, recorded from the moment it opens;
  :func:`foreign` keeps those that leave the server (another host or port).
- :func:`axe_aa`: axe-core with the WCAG 2.0/2.1 A and AA rule tags only.
- :func:`english_words`: words of JupyterHub's English pages found in a page's text.
- :func:`page_facts`: the page's language, title, width at the current viewport and the
  statement link in its footer.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

__all__ = ["AA_TAGS", "ENGLISH", "record_requests", "foreign", "axe_aa", "english_words", "page_facts"]

AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: words of JupyterHub's own pages a Swedish reader must never meet there
ENGLISH = (
    "JupyterHub",
    "Logout",
    "Login",
    "Sign in",
    "Token",
    "Home",
    "Services",
    "Your server",
    "My Server",
    "Server not running",
    "Launch",
    "Spawn",
    "Not Found",
    "Forbidden",
    "Error",
    "moons",
    "Toggle",
    "Close",
    "Event log",
    "Complete",
    "requires JavaScript",
)
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def record_requests(page: Page) -> list[str]:
    """A list that fills with the URL of every request ``page`` makes from now on."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def foreign(urls: list[str], origin: str) -> list[str]:
    """The URLs that go anywhere but ``origin`` (``http://127.0.0.1:8000``); ``data:`` and ``blob:`` stay home."""
    own = urlsplit(origin)
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob", "about")
        and (urlsplit(url).hostname, urlsplit(url).port) != (own.hostname, own.port)
    ]


def axe_aa(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.1 A and AA rules on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": AA_TAGS}, "resultTypes": ["violations"]}
    return list(Axe().run(page, options=options).response["violations"])


def english_words(text: str) -> list[str]:
    """Words of :data:`ENGLISH` in ``text`` (whole words, as written)."""
    return sorted(set(_ENGLISH.findall(text)))


def page_facts(page: Page) -> dict[str, Any]:
    """``lang``, ``title``, ``scroll_width`` and the footer's statement link (``statement``: its href)."""
    return page.evaluate(
        """() => {
        const link = document.querySelector('footer a.cirkel-statement-link');
        return {
            lang: document.documentElement.lang,
            title: document.title,
            scroll_width: document.documentElement.scrollWidth,
            statement: link ? link.href : null,
            statement_text: link ? link.textContent.trim() : null,
        };
    }"""
    )
