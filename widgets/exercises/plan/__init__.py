"""StrategicPlanBuilder: a branch's strategic plan, step by step, with a live realism check.

The steps follow strategidokumentet, Del 3, "Strategiska planer"; their wording
is content (``strategisk-plan.yml`` beside the module). The plan itself is
plain data (``_plan_model.Plan``); the controls only edit it. Every change is
saved, the realism check is redrawn, and the plan can be downloaded as
Markdown or Word for the board meeting.

Public attributes a test (or a notebook) may drive: ``perception``,
``members``, ``hours``, ``money``, ``revisit`` (controls), ``goal_rows``,
``activity_rows``, ``discussion_rows`` (rows of controls), and the methods
``add_goal``, ``remove_goal``, ``move_goal``, ``add_activity``,
``remove_activity``, ``add_discussion``, ``remove_discussion``.

One job per module: ``markup`` (layouts, a step's header, the realism check as HTML),
``rows`` (a goal's, activity's or discussion's controls) and ``builder``
(:class:`StrategicPlanBuilder`).
"""

from __future__ import annotations

from widgets.exercises.plan.builder import StrategicPlanBuilder
from widgets.exercises.plan.markup import realism_check_html
from widgets.models.plan import Plan, PlanPrompts, load_prompts

__all__ = ["StrategicPlanBuilder", "Plan", "PlanPrompts", "load_prompts", "realism_check_html"]
