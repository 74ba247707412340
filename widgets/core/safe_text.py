"""Learner text shown safely: escaped as text, or as markdown a kept sanitiser has cleaned.

Everything a learner (or a guest at a join code) typed or chose is hostile
until it passes through here: reflections, plan texts, names, circle names.
Three forms, for three kinds of place:

- :func:`text_html`: the text itself, escaped for HTML text and attribute
  values (what every page uses for names and short answers);
- :func:`markdown_html`: the text read as CommonMark by markdown-it-py with raw
  HTML off, then cleaned by nh3 (ammonia): links only ``http``, ``https`` and
  ``mailto`` with ``rel="noopener noreferrer nofollow"``, no images, no raw
  tags, no attributes but ``href`` and ``title`` on links;
- :func:`widget_html`: an ``HTML`` widget's value (an exercise's own markup, learner text in it
  already escaped) cleaned again by nh3 for a place where the page's own parser reads it (the
  drawing of a saved page, ``grading.servers.page_snapshot``): no script, style, handler, SVG or
  form, the classes, names, roles and ``data-`` attributes the page's semantics and style need kept;
- :func:`markdown_literal`: text for a Markdown file (an export) that no
  Markdown reader takes for a link, a tag or an entity;
- :func:`markdown_cell`: the same HTML made safe to read *again* as markdown
  (a notebook's markdown cell, which nbconvert's mistune in formgrader and
  JupyterLab's marked render once more): one line, wrapped in a block-level
  ``div`` (so CommonMark takes it as one raw HTML block), with every ASCII
  punctuation character of its text and attribute values written as a numeric
  character reference, which CommonMark never reads as markdown syntax.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "LINK_SCHEMES",
    "LINK_REL",
    "MARKDOWN_TAGS",
    "text_html",
    "markdown_html",
    "markdown_cell",
    "markdown_literal",
    "widget_html",
]

#: the only link targets learner text may carry
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: put on every link from learner text: no window.opener, no Referer, no ranking
LINK_REL = "noopener noreferrer nofollow"
#: the tags learner markdown may produce; anything else is dropped with its attributes
MARKDOWN_TAGS = frozenset({"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"})
#: the only attributes kept (``rel`` is set by the sanitiser itself)
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
#: tags whose content goes with them (never produced by markdown-it with raw HTML off; kept as a guard)
_DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
#: ``scheme:`` at the start of a link, after the parser has decoded entities and removed controls
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: characters written as references by :func:`markdown_cell`: ASCII punctuation and line breaks
_MARKDOWN_SIGNIFICANT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n\r\t")
_VOID = frozenset({"br", "hr"})
#: what :func:`markdown_literal` escapes: what starts a link, an autolink, raw HTML or an entity
_MARKDOWN_ACTIVE = frozenset("\\[]<>&")


def text_html(value: object) -> str:
    """``value`` as HTML text (also safe inside a double- or single-quoted attribute value)."""
    return html.escape("" if value is None else str(value), quote=True)


def markdown_literal(value: object) -> str:
    """``value`` for a Markdown file, where it must stay text: no link, autolink, tag or entity.

    A backslash before ``[ ] < > &`` and ``\\`` (CommonMark lets any ASCII
    punctuation be escaped so), which is all a link, an autolink, raw HTML or an
    entity starts with; emphasis and the like are left to the writer.
    """
    text = "" if value is None else str(value)
    return "".join("\\" + c if c in _MARKDOWN_ACTIVE else c for c in text)


def _link_allowed(url: str) -> bool:
    """markdown-it's link check, narrowed: an absolute ``http``, ``https`` or ``mailto`` URL only."""
    found = _SCHEME.match(url.strip())
    return found is not None and found.group(1).lower() in LINK_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> Any:
    """markdown-it-py in CommonMark mode: raw HTML off, headings kept as text, images as their alt text."""
    from markdown_it import MarkdownIt

    # a line break typed in the answer box stays a line break ("breaks"), as the learner saw it
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    # a learner's "# ..." must not become a heading of the leader's page
    md.disable(["heading", "lheading"])
    md.validateLink = _link_allowed  # type: ignore[method-assign]  # markdown-it's documented hook

    def image_as_text(self, tokens, idx, options, env):  # noqa: ANN001 - markdown-it's renderer signature
        return html.escape(self.renderInlineAsText(tokens[idx].children or [], options, env))

    md.add_render_rule("image", image_as_text)
    return md


@lru_cache(maxsize=1)
def _cleaner() -> Any:
    import nh3

    return nh3.Cleaner(
        tags=set(MARKDOWN_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _widget_cleaner() -> Any:
    import nh3

    return nh3.Cleaner(
        clean_content_tags=set(_DROP_WITH_CONTENT),
        # what the live page's semantics need (a table region named and focusable, a row's data)
        attributes={
            "*": {"class", "lang", "title", "role", "aria-label", "tabindex"},
            "a": {"href", "hreflang"},
            "img": {"alt", "width", "height", "src"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan", "scope"},
            "ol": {"start"},
        },
        generic_attribute_prefixes={"data-"},
        strip_comments=True,
    )


def widget_html(value: object) -> str:
    """An ``HTML`` widget's value as the kept sanitiser leaves it: no script, handler, style or form."""
    return str(_widget_cleaner().clean("" if value is None else str(value)))


def markdown_html(text: object) -> str:
    """Learner markdown as sanitised HTML: the kept parser renders, the kept sanitiser cleans."""
    source = "" if text is None else str(text)
    return _cleaner().clean(_parser().render(source)).strip()


class _Reference(HTMLParser):
    """Writes sanitised HTML again with markdown punctuation as character references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = "".join(f' {name}="{_references(value or "")}"' for name, value in attrs)
        self.out.append(f"<{tag}{values}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(_references(data))


def _references(text: str) -> str:
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SIGNIFICANT else c for c in text)


def markdown_cell(text: object, css_class: str = "cirkel-learner-text") -> str:
    """Learner markdown for a notebook's markdown cell: sanitised HTML no second renderer can reinterpret.

    The result is one line starting with ``<div``: CommonMark (mistune, marked)
    passes such a line through as a raw HTML block, and its text holds no
    markdown punctuation to act on even where a renderer looks inside.
    """
    writer = _Reference()
    writer.feed(markdown_html(text))
    writer.close()
    return f'<div class="{text_html(css_class)}">{"".join(writer.out)}</div>'
