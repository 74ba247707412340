"""The rows of controls of one goal, activity or discussion, each editing its part of the plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from widgets.core.i18n import t
from widgets.exercises.plan.markup import NO_GOAL, WIDE, full_width, goal_options
from widgets.kit import controls as ui
from widgets.models.plan import Activity, Discussion, Goal, Plan, PlanPrompts


class PlanEditor(Protocol):
    """What a row needs of the builder: the plan and its wording, and the edits its controls make."""

    prompts: PlanPrompts
    plan: Plan

    def move_goal(self, index: int, step: int) -> None: ...

    def remove_goal(self, index: int) -> None: ...

    def remove_activity(self, index: int) -> None: ...

    def remove_discussion(self, index: int) -> None: ...

    def _edit(self, change: Callable[[], None], goals: bool = False) -> None: ...


class GoalRow:
    """A goal's text and years, its move and remove buttons."""

    def __init__(self, builder: PlanEditor, index: int, goal: Goal):
        number = index + 1
        step = builder.prompts.steps["goals"]
        self.text = ui.Text(
            value=goal.text,
            description=t("plan.goal_label", number=number),
            placeholder=step.placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.years = ui.BoundedIntText(
            value=goal.years,
            min=1,
            max=50,
            description=t("plan.goal_years"),
            style=WIDE,
            layout=ui.layout(width="16em"),
        )
        self.up = ui.Button(description=t("plan.move_up"), tooltip=t("plan.move_up_tip", number=number))
        self.down = ui.Button(description=t("plan.move_down"), tooltip=t("plan.move_down_tip", number=number))
        self.remove = ui.Button(description=t("plan.remove_goal"), tooltip=t("plan.remove_goal_tip", number=number))
        self.up.on_click(lambda _b: builder.move_goal(index, -1))
        self.down.on_click(lambda _b: builder.move_goal(index, +1))
        self.remove.on_click(lambda _b: builder.remove_goal(index))
        ui.show(self.up, index != 0)
        ui.show(self.down, index != len(builder.plan.goals) - 1)
        self.text.observe(lambda c: builder._edit(lambda: setattr(goal, "text", c["new"]), goals=True), "value")
        self.years.observe(lambda c: builder._edit(lambda: setattr(goal, "years", int(c["new"]))), "value")
        self.box = ui.VBox([self.text, ui.HBox([self.years, self.up, self.down, self.remove])])
        self.box.add_class("cirkel-plan-row")


class ActivityRow:
    """An activity's text, the goal it serves, its hours and cost, its remove button."""

    def __init__(self, builder: PlanEditor, index: int, activity: Activity):
        number = index + 1
        step = builder.prompts.steps["activities"]
        self.text = ui.Text(
            value=activity.text,
            description=t("plan.activity_label", number=number),
            placeholder=step.placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.goal = ui.Dropdown(
            options=goal_options(builder.plan),
            value=activity.goal,
            description=t("plan.activity_goal"),
            style=WIDE,
            layout=ui.layout(width="auto"),
        )
        self.hours = ui.BoundedFloatText(
            value=activity.hours, min=0, max=10000, step=0.5, description=t("plan.activity_hours"), style=WIDE
        )
        self.cost = ui.BoundedIntText(
            value=activity.cost, min=0, max=10**8, step=100, description=t("plan.activity_cost"), style=WIDE
        )
        self.remove = ui.Button(
            description=t("plan.remove_activity"), tooltip=t("plan.remove_activity_tip", number=number)
        )
        self.remove.on_click(lambda _b: builder.remove_activity(index))
        self.text.observe(lambda c: builder._edit(lambda: setattr(activity, "text", c["new"])), "value")
        self.goal.observe(lambda c: builder._edit(lambda: setattr(activity, "goal", c["new"] or NO_GOAL)), "value")
        self.hours.observe(lambda c: builder._edit(lambda: setattr(activity, "hours", float(c["new"]))), "value")
        self.cost.observe(lambda c: builder._edit(lambda: setattr(activity, "cost", int(c["new"]))), "value")
        self.activity = activity
        self.box = ui.VBox([self.text, self.goal, ui.HBox([self.hours, self.cost, self.remove])])
        self.box.add_class("cirkel-plan-row")


class DiscussionRow:
    """An occasion where members discuss the plan, and when."""

    def __init__(self, builder: PlanEditor, index: int, discussion: Discussion):
        number = index + 1
        step = builder.prompts.steps["anchoring"]
        self.what = ui.Text(
            value=discussion.what,
            description=t("plan.discussion_label", number=number),
            placeholder=step.placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.when = ui.Text(
            value=discussion.when,
            description=t("plan.discussion_when"),
            placeholder=t("plan.discussion_when_placeholder"),
            style=WIDE,
        )
        self.remove = ui.Button(
            description=t("plan.remove_discussion"), tooltip=t("plan.remove_discussion_tip", number=number)
        )
        self.remove.on_click(lambda _b: builder.remove_discussion(index))
        self.what.observe(lambda c: builder._edit(lambda: setattr(discussion, "what", c["new"])), "value")
        self.when.observe(lambda c: builder._edit(lambda: setattr(discussion, "when", c["new"])), "value")
        self.box = ui.VBox([self.what, ui.HBox([self.when, self.remove])])
        self.box.add_class("cirkel-plan-row")
