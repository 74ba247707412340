"""The cirkelledarhandledning of a course, as one HTML document.

How to run the course as a study circle (the study associations' rules, the
meetings, paper and screens, the group apps), an overview of the meetings,
then per module the meeting plan from its ``cirkelledare.md`` with the timing
table, the samtalsfrågor, and for each exercise how to run it with and without
screens, the group app that fits it and the answer key to go through together.
"""

from __future__ import annotations

import datetime as _dt

from grading.course.loading import MINUTE_PARTS, Course, Module
from grading.reports.printing.document import module_anchor, module_heading, module_meta, shared_text, whole_document
from grading.reports.printing.html import data_table, esc, inline, markdown, tag
from grading.reports.printing.kinds import PRINT_KINDS, content_title
from grading.reports.printing.rules import rule_values
from widgets.core.i18n import t

__all__ = ["guide_html", "GUIDE_TEXT", "GUIDE_FILE"]

#: The guide's pages on leading the course (``courses/tryck/``).
GUIDE_TEXT = "handledning.md"
#: Each module's circle guide, beside its ``module.yml``.
GUIDE_FILE = "cirkelledare.md"


def guide_html(course: Course, year: int | None = None) -> str:
    """The whole cirkelledarhandledning of ``course`` as HTML; ``year`` dates worked examples."""
    year = year or _dt.date.today().year
    return whole_document(
        course,
        kind=t("print.guide.kind"),
        lead=t("print.guide.lead"),
        opening=("leda-kursen", t("print.guide.lead_heading"), shared_text(GUIDE_TEXT, **rule_values())),
        front=[("traffarna", t("print.guide.overview"), _overview(course))],
        module_html=lambda module, number: _module(course, module, number, year),
    )


def _overview(course: Course) -> str:
    """Every meeting with its study hours and minutes per part, and whether the course counts."""
    from grading.circles import study_rules as rules

    rows = []
    for number, module in enumerate(course.modules, start=1):
        names = [content_title(ex.widget, module.path / ex.content if ex.content else None) for ex in module.exercises]
        rows.append(
            [
                str(number),
                module.title,
                str(module.study_hours),
                *(str(module.minutes[part]) for part in MINUTE_PARTS),
                ", ".join(names),
            ]
        )
    headers = [
        t("print.guide.col_number"),
        t("print.guide.col_module"),
        t("print.guide.col_hours"),
        *(t(f"print.part.{part}") for part in MINUTE_PARTS),
        t("print.exercises"),
    ]
    meetings, hours = len(course.modules), sum(m.study_hours for m in course.modules)
    counts = meetings >= rules.MIN_MEETINGS and hours >= rules.MIN_HOURS
    verdict = t(
        "print.guide.counts_ok" if counts else "print.guide.counts_short",
        meetings=t("print.guide.meetings", count=meetings),
        hours=t("print.guide.hours", count=hours),
        min_meetings=rules.MIN_MEETINGS,
        min_hours=rules.MIN_HOURS,
    )
    return tag(
        "section",
        tag("h1", esc(t("print.guide.overview")), id="traffarna")
        + tag("p", esc(verdict))
        + data_table(headers, rows, caption=t("print.guide.overview_caption")),
        class_="overview",
    )


def _leader_guide(module: Module) -> str:
    """The module's ``cirkelledare.md`` without its own first heading (the module heading stands)."""
    path = module.path / GUIDE_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    lines = text.lstrip().split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return tag("div", markdown("\n".join(lines)), class_="text")


def _module(course: Course, module: Module, number: int, year: int) -> str:
    parts = [
        tag("h1", esc(module_heading(number, module)), id=module_anchor(module)),
        module_meta(module, course),
        tag("h2", esc(t("build.goals"))),
        tag("ul", "".join(tag("li", inline(goal)) for goal in module.goals), class_="goals"),
        _leader_guide(module),
        tag("h2", esc(t("build.samtal"))),
        tag("ol", "".join(tag("li", inline(q)) for q in module.samtalsfragor), class_="samtal"),
        tag("h2", esc(t("print.guide.exercises"))),
    ]
    for ex in module.exercises:
        path = module.path / ex.content if ex.content else None
        kind = PRINT_KINDS[ex.widget]
        how = [
            tag("p", tag("strong", esc(t("print.guide.paper"))) + " " + esc(t(f"print.run.{ex.widget}.paper"))),
            tag("p", tag("strong", esc(t("print.guide.screen"))) + " " + esc(t(f"print.run.{ex.widget}.screen"))),
        ]
        if kind.group_app:
            how.append(
                tag("p", tag("strong", esc(t("print.guide.group_app"))) + " " + esc(t(f"print.app.{kind.group_app}")))
            )
        if ex.is_reflection:
            how.insert(0, tag("p", inline(ex.prompt or ""), class_="task"))
        key = kind.key(path, year) if path is not None else ""
        if key:
            how.append(tag("h4", esc(t("print.guide.key"))) + tag("div", key, class_="key"))
        parts.append(tag("section", tag("h3", esc(content_title(ex.widget, path))) + "".join(how), class_="exercise"))
    return tag("section", "".join(parts), class_="module")
