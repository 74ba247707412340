"""The participant booklet (deltagarhäfte) of a course, as one HTML document.

Title page, contents, how a study circle works, then per module (one circle
meeting): its title, time, sources, learning goals, the commitments it takes up,
the text, the samtalsfrågor, every exercise as a print form and the reflection
with room to write; last the glossary. No answer key is ever printed here: the
forms are made from the content files with nothing marked.
"""

from __future__ import annotations

from grading.course.loading import Course, Module
from grading.reports.printing.document import (
    module_anchor,
    module_commitments,
    module_heading,
    module_meta,
    module_text,
    shared_text,
    whole_document,
)
from grading.reports.printing.html import anchor, esc, inline, tag
from grading.reports.printing.kinds import PRINT_KINDS, content_title
from grading.reports.printing.rules import rule_values
from widgets.core.i18n import t

__all__ = ["booklet_html", "CIRCLE_TEXT"]

#: The booklet's page on how a study circle works (``courses/tryck/``).
CIRCLE_TEXT = "studiecirkeln.md"


def booklet_html(course: Course) -> str:
    """The whole booklet of ``course`` as HTML for WeasyPrint."""
    circle = shared_text(CIRCLE_TEXT, **rule_values())
    return whole_document(
        course,
        kind=t("print.booklet.kind"),
        lead=t("print.booklet.lead"),
        opening=("studiecirkeln", t("print.booklet.circle_heading"), circle),
        module_html=lambda module, number: _module(course, module, number),
    )


def _module(course: Course, module: Module, number: int) -> str:
    parts = [
        tag("h1", esc(module_heading(number, module)), id=module_anchor(module)),
        module_meta(module, course),
        tag("h2", esc(t("build.goals"))),
        tag("ul", "".join(tag("li", inline(goal)) for goal in module.goals), class_="goals"),
        module_commitments(module, course),
        module_text(module),
        tag("h2", esc(t("build.samtal"))),
        tag("ol", "".join(tag("li", inline(q)) for q in module.samtalsfragor), class_="samtal"),
    ]
    exercises = [ex for ex in module.exercises if not ex.is_reflection]
    if exercises:
        parts.append(tag("h2", esc(t("print.exercises"))))
    for ex in exercises:
        path = module.path / ex.content if ex.content else None
        form = PRINT_KINDS[ex.widget].form(path) if path is not None else ""
        parts.append(
            tag(
                "section",
                tag("h3", esc(content_title(ex.widget, path))) + form,
                class_="exercise",
                id=anchor("x", module.name, ex.id),
            )
        )
    for ex in module.exercises:
        if ex.is_reflection:
            from grading.reports.printing.practice import reflection_form

            parts.append(
                tag(
                    "section",
                    tag("h2", esc(t("print.reflection"))) + reflection_form(ex.prompt or ""),
                    class_="reflection",
                )
            )
    return tag("section", "".join(parts), class_="module")
