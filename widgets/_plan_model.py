"""A branch's strategic plan as data: the prompts, the plan, its realism check and Markdown.

Pure Python (no ipywidgets), so ``grading.checks`` can score a saved plan and
the export works anywhere. The six steps follow strategidokumentet, Del 3,
"Strategiska planer": how we want to be perceived, a few prioritised goals over
several verksamhetsår, the branch's real resources, activities tied to goals,
anchoring among the members, and revisiting the plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import exercise_content_models as shapes
from ._numbers import format_number, share_done
from .content import ContentError, load_yaml
from .i18n import t
from .model_check import validate
from .safe_text import markdown_literal

__all__ = [
    "STEPS",
    "Step",
    "PlanPrompts",
    "load_prompts",
    "parse_prompts",
    "Goal",
    "Activity",
    "Discussion",
    "Resources",
    "Plan",
    "RealismWarning",
    "realism_warnings",
    "plan_parts",
    "plan_completeness",
    "plan_markdown",
]

STEPS = ("perception", "goals", "resources", "activities", "anchoring", "revisit")
_MAX_TEXT = 5000


# -- prompts (content) -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The wording of one step."""

    title: str
    help: str
    quote: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class PlanPrompts:
    """The plan builder's content: wording of the six steps and the limits."""

    title: str
    steps: dict[str, Step]
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)
    min_goals: int = 2
    max_goals: int = 4
    min_years: int = 2

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    @classmethod
    def from_file(cls, path: str | Path) -> PlanPrompts:
        return load_prompts(path)


def load_prompts(path: str | Path) -> PlanPrompts:
    """Read and validate a prompts file; ``ContentError`` names the file, place and problem."""
    return parse_prompts(load_yaml(path), Path(path).name)


def parse_prompts(raw: Any, path: str | Path = "<plan>") -> PlanPrompts:
    """Validate already parsed prompts (a dict as from YAML)."""
    # the file's shape by its model (widgets.exercise_content_models); the rules across fields here
    model = validate(shapes.PlanPrompts, raw, path, lines=False)
    title = model.title.strip()
    source = model.source.model_dump(exclude_unset=True) if model.source else {}
    intro = (model.intro or "").strip()
    min_goals = 2 if model.min_goals is None else model.min_goals
    max_goals = 4 if model.max_goals is None else model.max_goals
    min_years = 2 if model.min_years is None else model.min_years
    if not 1 <= min_goals <= max_goals:
        raise ContentError(path, "min_goals", t("plan.content.goal_limits"))
    if min_years < 1:
        raise ContentError(path, "min_years", t("plan.content.min_years"))
    steps = {
        step_id: Step(
            title=step.title.strip(),
            help=step.help.strip(),
            quote=(step.quote or "").strip(),
            placeholder=(step.placeholder or "").strip(),
        )
        for step_id in STEPS
        for step in [getattr(model.steps, step_id)]
    }
    return PlanPrompts(
        title=title,
        steps=steps,
        intro=intro,
        source=source,
        min_goals=min_goals,
        max_goals=max_goals,
        min_years=min_years,
    )


# -- the plan (a learner's answers) ------------------------------------------------


def _text(value: Any) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def _number(value: Any, integer: bool = False) -> float | int:
    """A non-negative finite number from saved data; anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    return int(value) if integer else float(value)


@dataclass
class Goal:
    """A prioritised goal; ``id`` is stable so activities stay tied to it when goals move."""

    id: str
    text: str = ""
    years: int = 3

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "years": self.years}


@dataclass
class Activity:
    """Something the branch does, tied to a goal, with its hours a month and cost a year."""

    text: str = ""
    goal: str = ""
    hours: float = 0.0
    cost: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "goal": self.goal, "hours": self.hours, "cost": self.cost}


@dataclass
class Discussion:
    """One occasion where members discuss the plan."""

    what: str = ""
    when: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "when": self.when}


@dataclass
class Resources:
    """What the branch really has."""

    members: int = 0
    hours: float = 0.0
    money: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"members": self.members, "hours": self.hours, "money": self.money}


@dataclass
class Plan:
    """The whole plan, as saved in the answer store."""

    perception: str = ""
    goals: list[Goal] = field(default_factory=list)
    resources: Resources = field(default_factory=Resources)
    activities: list[Activity] = field(default_factory=list)
    anchoring: list[Discussion] = field(default_factory=list)
    revisit: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "perception": self.perception,
            "goals": [g.to_json() for g in self.goals],
            "resources": self.resources.to_json(),
            "activities": [a.to_json() for a in self.activities],
            "anchoring": [d.to_json() for d in self.anchoring],
            "revisit": self.revisit,
        }

    @classmethod
    def from_json(cls, data: Any) -> Plan:
        """A plan from saved data; damaged parts are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}
        goals: list[Goal] = []
        seen: set[str] = set()
        for item in data.get("goals") or []:
            if not isinstance(item, dict):
                continue
            goal_id = item.get("id")
            if not isinstance(goal_id, str) or not goal_id or goal_id in seen:
                goal_id = _fresh_id(seen)
            seen.add(goal_id)
            years = _number(item.get("years"), integer=True) or 1
            goals.append(Goal(id=goal_id, text=_text(item.get("text")), years=min(int(years), 50)))
        activities = [
            Activity(
                text=_text(item.get("text")),
                goal=str(item.get("goal")) if item.get("goal") in seen else "",
                hours=float(_number(item.get("hours"))),
                cost=int(_number(item.get("cost"), integer=True)),
            )
            for item in data.get("activities") or []
            if isinstance(item, dict)
        ]
        anchoring = [
            Discussion(what=_text(item.get("what")), when=_text(item.get("when")))
            for item in data.get("anchoring") or []
            if isinstance(item, dict)
        ]
        raw_resources = data.get("resources") if isinstance(data.get("resources"), dict) else {}
        resources = Resources(
            members=int(_number(raw_resources.get("members"), integer=True)),
            hours=float(_number(raw_resources.get("hours"))),
            money=int(_number(raw_resources.get("money"), integer=True)),
        )
        return cls(
            perception=_text(data.get("perception")),
            goals=goals,
            resources=resources,
            activities=activities,
            anchoring=anchoring,
            revisit=_text(data.get("revisit")),
        )

    # -- views used by the check, the warnings and the exports ---------------
    def named_goals(self) -> list[Goal]:
        """Goals that have been written, in priority order."""
        return [g for g in self.goals if g.text.strip()]

    def new_goal_id(self) -> str:
        return _fresh_id({g.id for g in self.goals})

    def activities_for(self, goal_id: str) -> list[Activity]:
        return [a for a in self.activities if a.goal == goal_id and a.text.strip()]

    def planned_hours(self) -> float:
        return float(sum(a.hours for a in self.activities))

    def planned_cost(self) -> int:
        return int(sum(a.cost for a in self.activities))


def _fresh_id(taken: set[str]) -> str:
    n = 1
    while f"m{n}" in taken:
        n += 1
    return f"m{n}"


# -- the realism check ---------------------------------------------------------------


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


# -- completeness (what the grading check counts) -------------------------------------


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


# -- Markdown export -------------------------------------------------------------------


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
