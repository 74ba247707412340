"""A branch's strategic plan as data: the prompts, the plan, its realism check and Markdown.

Pure Python (no ipywidgets), so ``grading.checks`` can score a saved plan and
the export works anywhere. The six steps follow strategidokumentet, Del 3,
"Strategiska planer": how we want to be perceived, a few prioritised goals over
several verksamhetsår, the branch's real resources, activities tied to goals,
anchoring among the members, and revisiting the plan.

One job per module: ``prompts`` (the content), ``plan`` (the learner's answers), ``check``
(the realism check and completeness) and ``markdown`` (the export).
"""

from __future__ import annotations

from widgets.models.plan.check import RealismWarning, plan_completeness, plan_parts, realism_warnings
from widgets.models.plan.markdown import activity_line, plan_markdown
from widgets.models.plan.plan import Activity, Discussion, Goal, Plan, Resources
from widgets.models.plan.prompts import STEPS, PlanPrompts, Step, load_prompts, parse_prompts

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
    "activity_line",
]
