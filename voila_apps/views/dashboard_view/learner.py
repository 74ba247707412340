"""One learner's page as HTML: circles, each module's state and points, reflections and comments.

A reflection is shown as sanitised markdown (``widgets.core.safe_text``); every other text escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voila_apps.views.dashboard_view.formatting import CSS, date_text, learner_label, note, points_text, report_table
from widgets.core.i18n import t
from widgets.core.safe_text import markdown_html
from widgets.core.safe_text import text_html as _e

if TYPE_CHECKING:  # pragma: no cover
    from grading.reports.dashboard import LearnerPage


def learner_name_html(page: LearnerPage) -> str:
    """The learner's name as the heading of their page."""
    return f'<h3 class="{CSS}-learner-name">{_e(learner_label(page.student_id, page.name))}</h3>'


def learner_html(page: LearnerPage, *, heading: bool = True) -> str:
    """One learner: circles, each module's state and points, reflections and comments.

    ``heading=False`` leaves the name out, for the app, which draws it apart to move the focus to it.
    """
    parts = [learner_name_html(page)] if heading else []
    circles = ", ".join(page.circles) if page.circles else t("dashboard.learner.no_circle")
    parts.append(f"<p>{_e(t('dashboard.learner.circles', circles=circles))}</p>")
    rows = []
    for m in page.modules:
        feedback = t("dashboard.yes") if m.feedback_html else t("dashboard.no")
        manual = t("dashboard.table.manual") if m.needs_manual_grade else ""
        rows.append(
            f'<tr data-module="{_e(m.module)}"><th scope="row">{_e(m.module)}</th><td>{_e(m.state)}</td>'
            f"<td>{_e(points_text(m.points, m.max_points))} {_e(manual)}</td><td>{_e(date_text(m.submitted_at))}</td>"
            f"<td>{_e(date_text(m.behind_since))}</td><td>{_e(feedback)}</td></tr>"
        )
    head = [
        t("dashboard.col.module"),
        t("dashboard.col.state"),
        t("dashboard.col.points"),
        t("dashboard.col.submitted"),
        t("dashboard.col.behind_since"),
        t("dashboard.col.feedback_made"),
    ]
    parts.append(report_table(t("dashboard.learner.modules_caption", name=page.name), head, rows, "learner-modules"))
    for m in page.modules:
        if getattr(m, "group_work", ""):
            parts.append(
                f'<p class="{CSS}-group-work" data-module="{_e(m.module)}">'
                f"{_e(t('dashboard.learner.group_work', module=m.module, work=m.group_work))}</p>"
            )
        if m.unreadable:
            parts.append(
                f'<p class="{CSS}-unreadable" data-module="{_e(m.module)}">'
                f"{_e(t('dashboard.learner.unreadable', module=m.module, files=m.unreadable))}</p>"
            )
    parts.append(f"<h4>{_e(t('dashboard.learner.reflections'))}</h4>")
    if page.reflections:
        for r in page.reflections:
            where = t(f"dashboard.learner.source.{r.source}")
            parts.append(
                f'<div class="{CSS}-reflection" data-module="{_e(r.module)}">'
                f"<p><strong>{_e(r.module)}</strong>: {_e(r.prompt)} <em>({_e(where)})</em></p>"
                f"<blockquote>{markdown_html(r.text)}</blockquote></div>"
            )
    else:
        parts.append(note(t("dashboard.learner.no_reflections")))
    parts.append(f"<h4>{_e(t('dashboard.learner.comments'))}</h4>")
    if page.feedback:
        items = "".join(
            f'<li data-module="{_e(c.module)}"><strong>{_e(c.module)}</strong>: {_e(c.comment)}</li>'
            for c in page.feedback
        )
        parts.append(f'<ul class="{CSS}-comments">{items}</ul>')
    else:
        parts.append(note(t("dashboard.learner.no_comments")))
    return "".join(parts)
