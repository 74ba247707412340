"""Small HTML pieces the printed material is made of: escaped text, Markdown, boxes and lines.

Everything a course author wrote is escaped or goes through markdown-it with raw
HTML off, so a stray ``<`` in a question prints as itself and can never become
markup. The pieces are plain strings: the booklet and the guide join them into
one HTML document that WeasyPrint lays out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from html import escape

from widgets.core.i18n import t

__all__ = [
    "esc",
    "markdown",
    "inline",
    "tag",
    "box",
    "lines",
    "field",
    "blank_table",
    "data_table",
    "quote",
    "letter",
    "anchor",
]

#: The empty tick box in front of a printed option (U+2610 BALLOT BOX, in DejaVu Sans).
BOX = "\u2610"
#: Millimetres between two writing lines.
LINE_MM = 8


def esc(text: object) -> str:
    """``text`` as HTML text, quotes included."""
    return escape(str(text), quote=True)


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    # CommonMark with tables; raw HTML off, so an author's markup is printed, never obeyed
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown(text: str, *, shift: int = 0) -> str:
    """Markdown as HTML; ``shift`` moves every heading down that many levels (at most h6)."""
    parser = _parser()
    tokens = parser.parse(text)
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1]) + shift)
                token.tag = f"h{level}"
    return parser.renderer.render(tokens, parser.options, {})


def inline(text: str) -> str:
    """One line of Markdown (``**bold**``, ``*italics*``) as HTML, without a paragraph."""
    return _parser().renderInline(" ".join(str(text).split()))


def tag(name: str, content: str = "", **attrs: object) -> str:
    """``<name attrs>content</name>``; ``content`` is HTML already, attribute values are escaped.

    ``class_`` gives the ``class`` attribute; an attribute whose value is ``None`` is left out.
    """
    parts = [name]
    for key, value in attrs.items():
        if value is None:
            continue
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{esc(value)}"')
    return f"<{' '.join(parts)}>{content}</{name}>"


def box() -> str:
    """An empty tick box, hidden from nothing: a screen reader says "ballot box"."""
    return tag("span", BOX, class_="box")


def lines(count: int, label: str | None = None) -> str:
    """``count`` ruled lines to write on, after an optional label."""
    ruled = tag("div", "", class_="lines", style=f"height: {count * LINE_MM}mm")
    if label is None:
        return ruled
    return tag("div", tag("p", esc(label), class_="label") + ruled, class_="write")


def field(label: str, width: str = "wide") -> str:
    """A label followed by one line to write on (``width``: ``wide``, ``short`` or ``tiny``)."""
    return tag(
        "span", tag("span", esc(label), class_="label") + tag("span", "", class_=f"blank {width}"), class_="field"
    )


def blank_table(headers: Sequence[str], rows: int, *, first: Sequence[str] = (), caption: str = "") -> str:
    """A table to fill in: ``headers``, then ``rows`` empty rows (``first`` fills the first column)."""
    head = tag("thead", tag("tr", "".join(tag("th", esc(h), scope="col") for h in headers)))
    body_rows = []
    for index in range(max(rows, len(first))):
        cells = [tag("th", esc(first[index]), scope="row") if index < len(first) else tag("td", "")]
        cells += [tag("td", "") for _ in headers[1:]]
        body_rows.append(tag("tr", "".join(cells)))
    cap = tag("caption", esc(caption)) if caption else ""
    return tag("table", cap + head + tag("tbody", "".join(body_rows)), class_="form")


def data_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "", html: bool = False) -> str:
    """A table of text (escaped unless ``html``), the first column as row headers."""
    head = tag("thead", tag("tr", "".join(tag("th", esc(h), scope="col") for h in headers)))
    body = []
    for row in rows:
        cells = [cell if html else esc(cell) for cell in row]
        body.append(tag("tr", tag("th", cells[0], scope="row") + "".join(tag("td", c) for c in cells[1:])))
    cap = tag("caption", esc(caption)) if caption else ""
    return tag("table", cap + head + tag("tbody", "".join(body)), class_="data")


def quote(text: str, source: str = "") -> str:
    """A quotation from the strategy document, with where it comes from."""
    cite = tag("p", esc(t("print.quote_source", source=source)), class_="cite") if source else ""
    return tag("blockquote", tag("p", esc(text)) + cite)


def letter(index: int) -> str:
    """A, B, C ... for the options of a printed question."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)


_ANCHOR = re.compile(r"[^a-z0-9-]+")


def anchor(*parts: str) -> str:
    """An id for a link target: ``m-05-moten``."""
    return _ANCHOR.sub("-", "-".join(parts).lower()).strip("-")
