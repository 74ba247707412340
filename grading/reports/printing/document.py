"""The parts both PDFs share: the HTML document, its title page, contents, glossary and texts.

The shared texts for print are course content, not code: ``courses/tryck/``
holds the booklet's page on how a study circle works, the guide's pages on
leading the course, and the glossary (``ordlista.yml``), all in plain Swedish.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grading.course.loading import MINUTE_PARTS, Course, Module
from grading.course.teaching import strip_markers
from grading.reports.printing.html import anchor, esc, inline, markdown, tag
from widgets.core.i18n import t
from widgets.core.resources import courses_folder
from widgets.models.content import ContentError, load_yaml, optional, place, read_text, reject_unknown, require

__all__ = [
    "PRINT_DIR",
    "CSS",
    "Word",
    "load_glossary",
    "glossary_for",
    "document",
    "title_page",
    "contents",
    "glossary_section",
    "module_meta",
    "module_text",
    "shared_text",
    "adopted",
    "whole_document",
]

#: The shared texts for print, beside the courses.
PRINT_DIR = courses_folder() / "tryck"
CSS = Path(__file__).with_name("print.css")


@dataclass(frozen=True)
class Word:
    """A glossary entry: the word, a short plain definition, and the forms to look for in a course."""

    word: str
    definition: str
    forms: tuple[str, ...]


def load_glossary(path: Path | None = None) -> list[Word]:
    """The glossary (``courses/tryck/ordlista.yml``: a list of ``word``, ``definition``, ``forms``), A to Ö."""
    path = path or PRINT_DIR / "ordlista.yml"
    data = load_yaml(path)
    if not isinstance(data, list) or not data:
        raise ContentError(path, "", t("content.kind.list"))
    words = []
    for index, item in enumerate(data):
        reject_unknown(item if isinstance(item, dict) else {}, ("word", "definition", "forms"), path, index)
        word = require(item, "word", str, path, index).strip()
        definition = require(item, "definition", str, path, index).strip()
        forms = optional(item, "forms", list, [word], path, index)
        for number, form in enumerate(forms):
            if not isinstance(form, str) or not form.strip():
                raise ContentError(path, place(index, "forms", number), t("course.empty_text"))
        words.append(Word(word, definition, tuple(f.strip().lower() for f in forms)))
    return sorted(words, key=lambda w: _sort_key(w.word))


def _sort_key(word: str) -> str:
    # Swedish order: å, ä, ö after z
    return word.lower().translate(str.maketrans("åäö", "{|}"))


def course_words(course: Course) -> str:
    """Everything a course's participants read, in lower case: where glossary words are looked for."""
    parts = [course.title, course.description]
    for module in course.modules:
        parts += [module.title, module.text, *module.goals, *module.samtalsfragor]
        parts += [path.read_text(encoding="utf-8") for path in module.content_files if path.suffix in (".yml", ".yaml")]
        parts += [ex.prompt or "" for ex in module.exercises]
    return "\n".join(parts).lower()


def glossary_for(course: Course, words: list[Word], always: str = "") -> list[Word]:
    """The glossary words ``course`` (or ``always``, the print's own texts) uses."""
    haystack = course_words(course) + "\n" + always.lower()
    return [w for w in words if any(re.search(rf"(?<!\w){re.escape(form)}", haystack) for form in w.forms)]


def shared_text(name: str, **values: object) -> str:
    """A shared Markdown text of ``courses/tryck/``, with ``{placeholders}`` filled in."""
    path = PRINT_DIR / name
    text = read_text(path)
    try:
        return text.format_map(values) if values else text
    except (KeyError, ValueError, IndexError) as exc:
        raise ContentError(path, "", t("print.bad_placeholder", detail=str(exc))) from None


def document(title: str, lang: str, kind: str, body: str, description: str = "") -> str:
    """The whole HTML document: language, title and metadata for the tagged PDF, and the stylesheet."""
    css = CSS.read_text(encoding="utf-8")
    meta = tag("title", esc(f"{title}: {kind}")) + f'<meta name="description" content="{esc(description)}">'
    meta += '<meta name="generator" content="Cirkel">' + f"<style>{css}</style>"
    return (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">{meta}</head><body>{body}</body></html>'
    )


def title_page(course: Course, kind: str, lead: str) -> str:
    """The first page: the course, what this document is, the course's own description."""
    return tag(
        "section",
        tag("p", esc(kind), class_="doc-kind")
        + tag("h1", esc(course.title), class_="doc-title")
        + tag("p", esc(course.description), class_="doc-description")
        + tag("p", esc(lead), class_="doc-lead")
        + tag("p", esc(t("print.source_document")), class_="doc-source"),
        class_="title-page",
    )


def contents(entries: list[tuple[str, str]]) -> str:
    """The table of contents: ``(anchor, text)`` pairs, each with its page number."""
    items = "".join(tag("li", tag("a", esc(text), href=f"#{target}")) for target, text in entries)
    return tag(
        "section",
        tag("h1", esc(t("print.contents")), id="innehall") + tag("ol", items, class_="toc"),
        class_="contents",
    )


def glossary_section(words: list[Word]) -> str:
    """The glossary: each word and its short definition."""
    items = "".join(tag("dt", esc(w.word)) + tag("dd", inline(w.definition)) for w in words)
    return tag(
        "section",
        tag("h1", esc(t("print.glossary")), id="ordlista")
        + tag("p", esc(t("print.glossary_intro")))
        + tag("dl", items, class_="glossary"),
        class_="glossary-section",
    )


def module_anchor(module: Module) -> str:
    return anchor("m", module.name)


def module_heading(number: int, module: Module) -> str:
    return t("print.module_heading", number=number, title=module.title)


def module_meta(module: Module, course: Course) -> str:
    """Study hours, minutes per part, the sources and the commitments the module takes up."""
    parts = [tag("p", inline(t("build.study_hours", hours=module.study_hours)))]
    minutes: dict[str, Any] = {part: module.minutes[part] for part in MINUTE_PARTS}
    parts.append(tag("p", inline(t("build.minutes", **minutes))))
    if module.sources:
        where = "; ".join(f"{s.get('part', '')}, {s.get('section', '')}" for s in module.sources)
        parts.append(tag("p", esc(t("print.sources", sources=where))))
    return tag("div", "".join(parts), class_="meta")


def module_commitments(module: Module, course: Course) -> str:
    """The commitments of the document the module takes up, as adopted."""
    if not module.commitments:
        return ""
    items = []
    for cid in module.commitments:
        known = course.commitments.get(cid)
        items.append(tag("li", esc(adopted(known["text"])) if known and known.get("text") else esc(cid)))
    return (
        tag("h2", esc(t("build.commitments"))) + tag("p", esc(t("build.commitments_intro"))) + tag("ul", "".join(items))
    )


def module_text(module: Module) -> str:
    """``text.md`` without its commitment markers, as HTML (its ``##`` headings stay h2)."""
    return tag("div", markdown(strip_markers(module.text)), class_="text")


_STRUCK = re.compile(r"~~.*?~~")
_MOTION = re.compile(r"\s*\((?:PS svar till )?E\d+(?::\d+)?\)")


def adopted(text: str) -> str:
    """A commitment as the congress adopted it: struck text out, motion numbers and bold marks gone."""
    text = _MOTION.sub("", _STRUCK.sub("", text)).replace("**", "")
    return " ".join(text.split())


def whole_document(
    course: Course,
    *,
    kind: str,
    lead: str,
    opening: tuple[str, str, str],
    module_html: Callable[[Module, int], str],
    front: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The skeleton the booklet and the guide share, as HTML for WeasyPrint.

    Title page, contents, the opening text from ``courses/tryck`` (``opening``: its anchor,
    heading and markdown), any further ``front`` sections (anchor, heading, HTML), each module
    as ``module_html(module, number)`` makes it, and the glossary of the words the course uses.
    """
    anchor_id, heading, text = opening
    words = glossary_for(course, load_glossary(), always=text)
    entries = [(anchor_id, heading), *((a, h) for a, h, _ in front)]
    entries += [(module_anchor(m), module_heading(n, m)) for n, m in enumerate(course.modules, start=1)]
    entries.append(("ordlista", t("print.glossary")))
    body = [
        title_page(course, kind, lead),
        contents(entries),
        tag("section", tag("h1", esc(heading), id=anchor_id) + markdown(text, shift=1), class_="circle"),
        *(html for _, _, html in front),
    ]
    body += [module_html(module, number) for number, module in enumerate(course.modules, start=1)]
    body.append(glossary_section(words))
    return document(course.title, course.language, kind, "".join(body), course.description)
