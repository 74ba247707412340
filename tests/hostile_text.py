"""What an attacking learner types, and how a test tells that a page stayed inert.

``PAYLOADS`` is the corpus every renderer of learner text is tried with:
``javascript:`` and ``data:`` links (plain, mixed case, entity-encoded, with
controls), raw tags with event handlers, SVG, markdown images, autolinks,
reference-style links and HTML comments. :func:`problems` reads HTML as a
browser's parser would (Python's ``html.parser``) and names every element that
could run or load something: an ``on*`` attribute, a ``javascript:``/``data:``/
``vbscript:`` URL, a script, an image, a frame or an object.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["PAYLOADS", "HOSTILE_NAME", "FORMULA_NAME", "REFLECTION", "problems", "links", "url_is_unsafe"]

PAYLOADS = (
    "[klicka här](javascript:alert(document.domain))",
    "[blandat](JaVaScRiPt:alert(1))",
    "[kolon](javascript&colon;alert(1))",
    "[tecken](&#106;avascript:alert(1))",
    "[hex](&#x6A;avascript&#x3A;alert(1))",
    "[tab](java\tscript:alert(1))",
    "[mellanslag]( javascript:alert(1))",
    "[vinkel](<javascript:alert(1)>)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)"><circle r=1></circle></svg>',
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">rå länk</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))" onmouseover=alert(1)>hover</div>',
    "![bild](http://evil.example/x.png)",
    "![bild](javascript:alert(1))",
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    "[ref2][data]\n\n[data]: data:text/html,<script>alert(1)</script>",
    "<!-- <img src=x onerror=alert(1)> -->",
    "<details open ontoggle=alert(1)>",
    "`<img src=x onerror=alert(1)>`",
    "```\n<img src=x onerror=alert(1)>\n\n    [x](javascript:alert(1))\n```",
)
#: a name that is markup and a formula at once
HOSTILE_NAME = "<img src=x onerror=alert(1)>[x](javascript:alert(1))"
#: the spreadsheet attack of issue 17
FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'
#: one reflection holding every payload, a paragraph each, and an honest link that must stay a link
REFLECTION = "\n\n".join((*PAYLOADS, "En riktig länk: <https://www.vansterpartiet.se/>"))

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcset"}
_RUNNING_TAGS = {"script", "img", "iframe", "frame", "object", "embed", "image", "base", "meta", "link", "form"}
_CONTROLS = re.compile(r"[\x00-\x20]")


def url_is_unsafe(value: str) -> bool:
    """``javascript:``, ``vbscript:`` or ``data:``, as a browser reads it (entities, controls and case)."""
    plain = _CONTROLS.sub("", html.unescape(value)).lower()
    return plain.startswith(("javascript:", "vbscript:", "data:"))


class _Inspector(HTMLParser):
    def __init__(self, allowed_tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _RUNNING_TAGS and tag not in self.allowed_tags:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            elif name in _URL_ATTRIBUTES and value and url_is_unsafe(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name == "style" and value and "url(" in value.replace(" ", "").lower():
                self.found.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag


def problems(markup: str, allowed_tags: set[str] = frozenset()) -> list[str]:
    """Everything in ``markup`` that could run or load on its own; ``[]`` for inert HTML.

    ``allowed_tags`` names tags the page itself uses on purpose (e.g. ``form``).
    """
    inspector = _Inspector(set(allowed_tags))
    inspector.feed(markup)
    inspector.close()
    return inspector.found


def links(markup: str) -> list[str]:
    """Every link target in ``markup`` (``<a href>``), entities decoded, as the browser follows it."""
    found: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_starttag = lambda tag, attrs: found.extend(  # type: ignore[method-assign]
        v or "" for k, v in attrs if tag == "a" and k == "href"
    )
    parser.feed(markup)
    parser.close()
    return found
