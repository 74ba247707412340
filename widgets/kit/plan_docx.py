"""Word (DOCX) export of a strategic plan, for the board meeting.

Kept apart from the widget so that python-docx is imported only when someone
asks for a Word file.
"""

from __future__ import annotations

import io
from pathlib import Path

from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.models.plan import Plan, PlanPrompts, activity_line, realism_warnings

__all__ = ["plan_docx_bytes", "write_plan_docx"]


def plan_docx_bytes(plan: Plan, prompts: PlanPrompts) -> bytes:
    """The plan as a DOCX document: the same parts, in the same order, as the Markdown export."""
    import docx  # python-docx; imported here so the widgets load without it

    document = docx.Document()
    document.core_properties.title = prompts.title
    document.core_properties.language = "sv-SE" if t("number.decimal_mark") == "," else "en"
    document.add_heading(prompts.title, level=0)
    if prompts.source:
        document.add_paragraph(t("plan.export.source", source=prompts.source_text)).runs[0].italic = True
    steps = prompts.steps
    empty = t("plan.export.empty")

    def text_section(title: str, text: str) -> None:
        document.add_heading(title, level=1)
        paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
        for paragraph in paragraphs or [empty]:
            document.add_paragraph(" ".join(paragraph.split()))

    text_section(steps["perception"].title, plan.perception)

    document.add_heading(steps["goals"].title, level=1)
    goals = plan.named_goals()
    if not goals:
        document.add_paragraph(empty)
    for goal in goals:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(" ".join(goal.text.split())).bold = True
        paragraph.add_run(f" ({t('plan.export.years', years=goal.years)})")
        activities = plan.activities_for(goal.id)
        for activity in activities:
            document.add_paragraph(activity_line(activity), style="List Bullet 2")
        if not activities:
            document.add_paragraph(t("plan.export.no_activities"), style="List Bullet 2")

    document.add_heading(steps["resources"].title, level=1)
    r = plan.resources
    rows = [
        (t("plan.members"), str(r.members)),
        (t("plan.hours"), format_number(r.hours, 1)),
        (t("plan.money"), format_number(r.money, 0)),
        (t("plan.export.planned_label"), format_number(plan.planned_hours(), 1)),
        (t("plan.export.cost_label"), format_number(plan.planned_cost(), 0)),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value

    document.add_heading(steps["activities"].title, level=1)
    tied = [a for a in plan.activities if a.text.strip() and a.goal]
    document.add_paragraph(t("plan.export.activities_count", count=len(tied)))
    loose = [a for a in plan.activities if a.text.strip() and not a.goal]
    if loose:
        document.add_paragraph(t("plan.export.loose_activities"))
        for activity in loose:
            document.add_paragraph(activity_line(activity), style="List Bullet")

    document.add_heading(steps["anchoring"].title, level=1)
    discussions = [d for d in plan.anchoring if d.what.strip() or d.when.strip()]
    for d in discussions:
        what, when = " ".join(d.what.split()), " ".join(d.when.split()) or "–"
        document.add_paragraph(t("plan.export.discussion", what=what, when=when), style="List Bullet")
    if not discussions:
        document.add_paragraph(empty)

    text_section(steps["revisit"].title, plan.revisit)

    document.add_heading(t("plan.check_title"), level=1)
    warnings = realism_warnings(plan, prompts)
    for warning in warnings:
        document.add_paragraph(warning.message, style="List Bullet")
    if not warnings:
        document.add_paragraph(t("plan.check_ok"))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_plan_docx(plan: Plan, prompts: PlanPrompts, path: str | Path) -> Path:
    """Write the DOCX export to ``path`` (atomically enough for a download: write then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(plan_docx_bytes(plan, prompts))
    tmp.replace(path)
    return path
