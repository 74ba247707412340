"""The plan as Markdown for the board meeting; everything a learner wrote is made literal."""

from __future__ import annotations

from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.core.safe_text import markdown_literal
from widgets.models.plan.check import realism_warnings
from widgets.models.plan.plan import Activity, Plan
from widgets.models.plan.prompts import PlanPrompts


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    return "\n\n".join(_one_line(p) for p in text.strip().split("\n\n") if p.strip())


def activity_line(activity: Activity) -> str:
    """``Dörrknackning: 4 timmar i månaden, 500 kr om året``."""
    line = t("plan.export.activity", text=_one_line(activity.text), count=round(activity.hours, 1))
    if activity.cost:
        line += t("plan.export.activity_cost", cost=format_number(activity.cost, 0))
    return line


def plan_markdown(plan: Plan, prompts: PlanPrompts) -> str:
    """The plan as Markdown for the board meeting; the members' words stay text (no link, no tag)."""
    steps = prompts.steps
    empty = f"*{t('plan.export.empty')}*"
    out: list[str] = [f"# {prompts.title}", ""]
    if prompts.source:
        out += [f"*{t('plan.export.source', source=prompts.source_text)}*", ""]

    out += [f"## {steps['perception'].title}", "", markdown_literal(_paragraphs(plan.perception)) or empty, ""]

    out += [f"## {steps['goals'].title}", ""]
    goals = plan.named_goals()
    if not goals:
        out += [empty, ""]
    for number, goal in enumerate(goals, start=1):
        out.append(
            f"{number}. **{markdown_literal(_one_line(goal.text))}** ({t('plan.export.years', years=goal.years)})"
        )
        activities = plan.activities_for(goal.id)
        for activity in activities:
            out.append(f"   - {markdown_literal(activity_line(activity))}")
        if not activities:
            out.append(f"   - *{t('plan.export.no_activities')}*")
    out.append("")

    out += [f"## {steps['resources'].title}", ""]
    r = plan.resources
    out += [
        f"- {t('plan.export.members', members=r.members)}",
        f"- {t('plan.export.hours', hours=format_number(r.hours, 1))}",
        f"- {t('plan.export.money', money=format_number(r.money, 0))}",
        f"- {t('plan.export.planned', planned=format_number(plan.planned_hours(), 1), count=round(r.hours, 1))}",
        "",
    ]

    out += [f"## {steps['activities'].title}", ""]
    loose = [a for a in plan.activities if a.text.strip() and not a.goal]
    tied = [a for a in plan.activities if a.text.strip() and a.goal]
    out.append(t("plan.export.activities_count", count=len(tied)))
    if loose:
        out += ["", t("plan.export.loose_activities")]
        out += [f"- {markdown_literal(activity_line(a))}" for a in loose]
    out.append("")

    out += [f"## {steps['anchoring'].title}", ""]
    discussions = [d for d in plan.anchoring if d.what.strip() or d.when.strip()]
    out += [
        f"- {t('plan.export.discussion', what=markdown_literal(_one_line(d.what)), when=markdown_literal(_one_line(d.when)) or '–')}"
        for d in discussions
    ]
    out += [empty] if not discussions else []
    out.append("")

    out += [f"## {steps['revisit'].title}", "", markdown_literal(_paragraphs(plan.revisit)) or empty, ""]

    out += [f"## {t('plan.check_title')}", ""]
    warnings = realism_warnings(plan, prompts)
    out += [f"- {markdown_literal(w.message)}" for w in warnings] or [t("plan.check_ok")]
    out.append("")
    return "\n".join(out)
