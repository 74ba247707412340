"""A circle's study plan as a printable PDF: tagged (PDF/UA-1), Swedish, like the booklet.

One page (or more for a long plan) for the cirkelledare to bring and to give
the study association: the circle, its course and leader, a table of the
planned meetings (date, each module with its planned minutes, the meeting's
time and study hours, the note) with a caption and header cells, the totals,
and anything the rules flag. The note and the circle's name are leader text:
escaped, never markup.
"""

from __future__ import annotations

import os

from grading.circles.study_plan import StudyPlan, study_plan
from grading.reports.printing.document import document
from grading.reports.printing.html import esc, tag
from grading.reports.printing.render import Rendered, render_pdf
from widgets.core.i18n import t

__all__ = ["study_plan_html", "print_study_plan"]


def study_plan_html(plan: StudyPlan) -> str:
    """The plan as one HTML document for WeasyPrint (language ``sv``)."""
    title = t("circles.plan.pdf_title", circle=plan.circle_name)
    head = "".join(
        tag("th", esc(t(f"circles.plan.col.{key}")), scope="col")
        for key in ("number", "date", "modules", "minutes", "hours", "note")
    )
    rows = []
    for meeting in plan.meetings:
        modules = tag(
            "ul",
            "".join(
                tag("li", esc(t("circles.plan.module_item", title=m.title, minutes=m.minutes))) for m in meeting.modules
            ),
        )
        remark = "".join(tag("p", esc(reason)) for reason in meeting.reasons)
        rows.append(
            tag(
                "tr",
                tag("th", esc(meeting.number), scope="row")
                + tag("td", esc(meeting.date.isoformat()))
                + tag("td", modules)
                + tag("td", esc(meeting.minutes))
                + tag("td", esc(meeting.hours))
                + tag("td", esc(meeting.note) + remark),
            )
        )
    if rows:
        table = tag(
            "table",
            tag("caption", esc(t("circles.plan.caption")))
            + tag("thead", tag("tr", head))
            + tag("tbody", "".join(rows)),
        )
    else:
        table = tag("p", esc(t("circles.plan.empty")))
    body = [
        tag("h1", esc(title)),
        tag("p", esc(f"{t('circles.plan.course')}: {plan.course_title}")),
        tag("p", esc(f"{t('circles.plan.leader')}: {plan.leader_name or '–'}")),
        table,
        tag("p", esc(t("circles.plan.totals", meetings=len(plan.meetings), minutes=plan.minutes, hours=plan.hours))),
    ]
    if plan.reasons:
        body.append(tag("ul", "".join(tag("li", esc(reason)) for reason in plan.reasons)))
    return document(plan.circle_name, "sv", t("circles.plan.title"), "".join(body), plan.course_title)


def print_study_plan(run, circle_id: str, path: str | os.PathLike[str]) -> Rendered:
    """Write the circle's plan as a tagged PDF to ``path``."""
    return render_pdf(study_plan_html(study_plan(run, circle_id)), path)
