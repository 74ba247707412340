"""The realism check (goals with activities, hours and money within the branch's means) and completeness."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.core.i18n import t
from widgets.core.numbers import format_number, share_done
from widgets.models.plan.plan import Goal, Plan
from widgets.models.plan.prompts import PlanPrompts


@dataclass(frozen=True)
class RealismWarning:
    """One problem the realism check found: a stable ``code`` and a message for people."""

    code: str
    message: str


def _goal_name(plan: Plan, goal: Goal) -> str:
    return t("plan.goal_name", number=plan.goals.index(goal) + 1, text=goal.text.strip())


def realism_warnings(plan: Plan, prompts: PlanPrompts) -> list[RealismWarning]:
    """What makes the plan unrealistic or incomplete, as strategidokumentet warns against."""
    found: list[RealismWarning] = []
    goals = plan.named_goals()
    if len(goals) < prompts.min_goals:
        found.append(
            RealismWarning("too_few_goals", t("plan.warn.too_few_goals", count=len(goals), min=prompts.min_goals))
        )
    if len(goals) > prompts.max_goals:
        found.append(
            RealismWarning("too_many_goals", t("plan.warn.too_many_goals", count=len(goals), max=prompts.max_goals))
        )
    for goal in goals:
        if goal.years < prompts.min_years:
            found.append(
                RealismWarning(
                    "short_goal", t("plan.warn.short_goal", goal=_goal_name(plan, goal), min=prompts.min_years)
                )
            )
    for goal in goals:
        if not plan.activities_for(goal.id):
            found.append(
                RealismWarning(
                    "goal_without_activity", t("plan.warn.goal_without_activity", goal=_goal_name(plan, goal))
                )
            )
    for number, activity in enumerate(plan.activities, start=1):
        if activity.text.strip() and not activity.goal:
            found.append(
                RealismWarning(
                    "activity_without_goal",
                    t("plan.warn.activity_without_goal", number=number, text=activity.text.strip()),
                )
            )
    planned, available = plan.planned_hours(), plan.resources.hours
    if planned > available:
        found.append(
            RealismWarning(
                "hours_exceeded",
                t("plan.warn.hours_exceeded", count=round(planned, 1), available=format_number(available, 1)),
            )
        )
    cost, money = plan.planned_cost(), plan.resources.money
    if cost > money:
        found.append(
            RealismWarning(
                "cost_exceeded",
                t("plan.warn.cost_exceeded", cost=format_number(cost, 0), money=format_number(money, 0)),
            )
        )
    discussions = [d for d in plan.anchoring if d.what.strip()]
    if len(discussions) < 2:
        found.append(RealismWarning("few_discussions", t("plan.warn.few_discussions", count=len(discussions))))
    if not plan.revisit.strip():
        found.append(RealismWarning("no_revisit", t("plan.warn.no_revisit")))
    return found


def plan_parts(plan: Plan, prompts: PlanPrompts) -> dict[str, bool]:
    """Which parts of the plan are done: the six steps, and a goal count within the limits."""
    goals = plan.named_goals()
    return {
        "perception": bool(plan.perception.strip()),
        "goals": bool(goals),
        "resources": plan.resources.members > 0 and plan.resources.hours > 0,
        "activities": any(a.text.strip() and a.goal for a in plan.activities),
        "anchoring": any(d.what.strip() for d in plan.anchoring),
        "revisit": bool(plan.revisit.strip()),
        "goal_count": prompts.min_goals <= len(goals) <= prompts.max_goals,
    }


def plan_completeness(plan: Plan, prompts: PlanPrompts) -> float:
    """Share of the parts done, 0 to 1."""
    parts = plan_parts(plan, prompts)
    return share_done(parts)
