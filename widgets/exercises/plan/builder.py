"""The builder: the six steps' controls, the structural edits, the realism check and the exports."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import List, Unicode

from widgets.core.i18n import t
from widgets.exercises.plan.markup import (
    MAX_ROWS,
    NO_GOAL,
    WIDE,
    full_width,
    goal_options,
    plan_download_link,
    realism_check_html,
    step_header,
)
from widgets.exercises.plan.rows import ActivityRow, DiscussionRow, GoalRow
from widgets.kit import controls as ui
from widgets.kit.download import DOCX_MIME
from widgets.kit.exercise import Exercise
from widgets.models.plan import (
    Activity,
    Discussion,
    Goal,
    Plan,
    PlanPrompts,
    load_prompts,
    parse_prompts,
    plan_markdown,
    realism_warnings,
)
from widgets.storage.answers import AnswerStore


class StrategicPlanBuilder(Exercise):
    """Build a branch's strategic plan in six guided steps, with a live realism check.

    Parameters
    ----------
    prompts
        The steps' wording and limits: a ``PlanPrompts`` or a dict in the
        ``strategisk-plan.yml`` format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "plan"

    warnings = List(Unicode(), read_only=True, help="Codes of the realism check's current warnings.")

    def __init__(
        self,
        prompts: PlanPrompts | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.prompts = prompts if isinstance(prompts, PlanPrompts) else parse_prompts(prompts)
        self.plan = Plan()
        self.goal_rows: list[GoalRow] = []
        self.activity_rows: list[ActivityRow] = []
        self.discussion_rows: list[DiscussionRow] = []
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> StrategicPlanBuilder:
        """A builder whose prompts come from a file, relative to the working directory."""
        return cls(load_prompts(path), exercise_id=exercise_id, store=store, **kwargs)

    # -- exports ---------------------------------------------------------------
    def to_markdown(self) -> str:
        """The plan as Markdown for the board meeting."""
        return plan_markdown(self.plan, self.prompts)

    def docx_bytes(self) -> bytes:
        """The plan as a Word document."""
        from widgets.kit.plan_docx import plan_docx_bytes

        return plan_docx_bytes(self.plan, self.prompts)

    def to_docx(self, path: str | Path) -> Path:
        """Write the Word document to ``path``."""
        from widgets.kit.plan_docx import write_plan_docx

        return write_plan_docx(self.plan, self.prompts, path)

    # -- structural edits (buttons call these) -----------------------------------
    def add_goal(self, text: str = "", years: int = 3) -> str:
        """Add a goal last in priority; returns its id."""
        if len(self.plan.goals) >= MAX_ROWS:
            raise ValueError(t("plan.too_many_rows", max=MAX_ROWS))
        goal = Goal(id=self.plan.new_goal_id(), text=text, years=max(1, int(years)))
        self.plan.goals.append(goal)
        self._rebuild(focus="goal")
        return goal.id

    def remove_goal(self, index: int) -> None:
        """Remove a goal; activities tied to it keep their text but lose the tie."""
        goal = self.plan.goals.pop(index)
        for activity in self.plan.activities:
            if activity.goal == goal.id:
                activity.goal = NO_GOAL
        self._rebuild()

    def move_goal(self, index: int, step: int) -> None:
        """Move a goal up (``-1``) or down (``+1``) in priority."""
        target = index + step
        goals = self.plan.goals
        if not (0 <= index < len(goals) and 0 <= target < len(goals)):
            return
        goals[index], goals[target] = goals[target], goals[index]
        self._rebuild()

    def add_activity(self, text: str = "", goal: str = NO_GOAL, hours: float = 0.0, cost: int = 0) -> None:
        """Add an activity, optionally tied to the goal with id ``goal``."""
        if len(self.plan.activities) >= MAX_ROWS:
            raise ValueError(t("plan.too_many_rows", max=MAX_ROWS))
        if goal and goal not in {g.id for g in self.plan.goals}:
            raise ValueError(t("plan.unknown_goal", goal=goal))
        self.plan.activities.append(Activity(text=text, goal=goal, hours=float(hours), cost=int(cost)))
        self._rebuild(focus="activity")

    def remove_activity(self, index: int) -> None:
        self.plan.activities.pop(index)
        self._rebuild()

    def add_discussion(self, what: str = "", when: str = "") -> None:
        """Add an occasion where members discuss the plan."""
        if len(self.plan.anchoring) >= MAX_ROWS:
            raise ValueError(t("plan.too_many_rows", max=MAX_ROWS))
        self.plan.anchoring.append(Discussion(what=what, when=when))
        self._rebuild(focus="discussion")

    def remove_discussion(self, index: int) -> None:
        self.plan.anchoring.pop(index)
        self._rebuild()

    # -- Exercise -----------------------------------------------------------------
    def _build(self) -> None:
        prompts, steps = self.prompts, self.prompts.steps
        source = prompts.source_text
        header = f'<h3 class="cirkel-plan-title">{html.escape(prompts.title)}</h3>'
        if source:
            header += f'<p class="cirkel-source">{html.escape(t("plan.source", source=source))}</p>'
        if prompts.intro:
            header += f"<p>{html.escape(prompts.intro)}</p>"

        def head(step_id: str) -> ipw.HTML:
            step = steps[step_id]
            return step_header(step.title, step.help, step.quote, source)

        self.perception = ui.Textarea(
            description=t("plan.perception_label"),
            placeholder=steps["perception"].placeholder,
            continuous_update=True,
            rows=4,
            style=WIDE,
            layout=full_width(),
        )
        self.perception.observe(lambda c: self._edit(lambda: setattr(self.plan, "perception", c["new"])), "value")

        self._goal_box = ui.VBox()
        self.add_goal_button = ui.Button(description=t("plan.add_goal"))
        self.add_goal_button.on_click(lambda _b: self._guarded(self.add_goal))

        self.members = ui.BoundedIntText(min=0, max=100000, description=t("plan.members"), style=WIDE)
        self.hours = ui.BoundedFloatText(min=0, max=100000, step=1, description=t("plan.hours"), style=WIDE)
        self.money = ui.BoundedIntText(min=0, max=10**9, step=500, description=t("plan.money"), style=WIDE)
        self.members.observe(
            lambda c: self._edit(lambda: setattr(self.plan.resources, "members", int(c["new"]))), "value"
        )
        self.hours.observe(
            lambda c: self._edit(lambda: setattr(self.plan.resources, "hours", float(c["new"]))), "value"
        )
        self.money.observe(lambda c: self._edit(lambda: setattr(self.plan.resources, "money", int(c["new"]))), "value")

        self._activity_box = ui.VBox()
        self.add_activity_button = ui.Button(description=t("plan.add_activity"))
        self.add_activity_button.on_click(lambda _b: self._guarded(self.add_activity))

        self._discussion_box = ui.VBox()
        self.add_discussion_button = ui.Button(description=t("plan.add_discussion"))
        self.add_discussion_button.on_click(lambda _b: self._guarded(self.add_discussion))

        self.revisit = ui.Textarea(
            description=t("plan.revisit_label"),
            placeholder=steps["revisit"].placeholder,
            continuous_update=True,
            rows=2,
            style=WIDE,
            layout=full_width(),
        )
        self.revisit.observe(lambda c: self._edit(lambda: setattr(self.plan, "revisit", c["new"])), "value")

        self._check = ui.live(ui.HTML())  # the check, said again after each edit
        self._check.add_class("cirkel-plan-check")

        self.markdown_button = ui.Button(description=t("plan.download_markdown"))
        self.docx_button = ui.Button(description=t("plan.download_docx"))
        self.download = ui.HTML()
        self.markdown_button.on_click(lambda _b: self._offer_markdown())
        self.docx_button.on_click(lambda _b: self._offer_docx())

        def section(*children: ipw.Widget) -> ipw.VBox:
            box = ui.VBox(list(children))
            box.add_class("cirkel-plan-section")
            return box

        self.children = [
            ui.HTML(header),
            self._status_box,
            section(head("perception"), self.perception),
            section(head("goals"), self._goal_box, self.add_goal_button),
            section(head("resources"), self.members, self.hours, self.money),
            section(head("activities"), self._activity_box, self.add_activity_button),
            section(head("anchoring"), self._discussion_box, self.add_discussion_button),
            section(head("revisit"), self.revisit),
            section(ui.HTML(f'<h4 class="cirkel-plan-step">{html.escape(t("plan.check_title"))}</h4>'), self._check),
            section(
                ui.HTML(f'<h4 class="cirkel-plan-step">{html.escape(t("plan.export_title"))}</h4>'),
                ui.HBox([self.markdown_button, self.docx_button]),
                self.download,
            ),
        ]
        self._show_plan()

    def answers(self) -> dict[str, Any]:
        return self.plan.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        self.plan = Plan.from_json(data)
        self._show_plan()

    # -- internals ----------------------------------------------------------------
    def _edit(self, change: Callable[[], None], goals: bool = False) -> None:
        """Apply one edit from a control to the plan, then save and recheck."""
        if self._syncing:
            return
        change()
        if goals:
            self._refresh_goal_options()
        self._changed()

    def _changed(self) -> None:
        self.save()
        self._refresh_check()
        self.download.value = ""  # an old link would download an old plan

    def _guarded(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except ValueError as problem:
            self.status = str(problem)

    def _show_plan(self) -> None:
        """Make every control show ``self.plan`` (construction and restore)."""
        self._syncing = True
        try:
            self.perception.value = self.plan.perception
            self.members.value = self.plan.resources.members
            self.hours.value = self.plan.resources.hours
            self.money.value = self.plan.resources.money
            self.revisit.value = self.plan.revisit
        finally:
            self._syncing = False
        self._rebuild_rows()
        self._refresh_check()

    def _rebuild(self, focus: str = "") -> None:
        """Redraw the rows after adding, removing or moving, then save."""
        self._rebuild_rows()
        self._changed()
        by_focus: dict[str, list[Any]] = {
            "goal": self.goal_rows,
            "activity": self.activity_rows,
            "discussion": self.discussion_rows,
        }
        rows = by_focus.get(focus)
        if rows:
            first = getattr(rows[-1], "text", None) or getattr(rows[-1], "what", None)
            if first is not None and hasattr(first, "focus"):
                ui.focus(first)

    def _rebuild_rows(self) -> None:
        self._syncing = True
        try:
            old: list[Any] = [*self.goal_rows, *self.activity_rows, *self.discussion_rows]
            self.goal_rows = [GoalRow(self, i, g) for i, g in enumerate(self.plan.goals)]
            self.activity_rows = [ActivityRow(self, i, a) for i, a in enumerate(self.plan.activities)]
            self.discussion_rows = [DiscussionRow(self, i, d) for i, d in enumerate(self.plan.anchoring)]
            self._goal_box.children = [row.box for row in self.goal_rows]
            self._activity_box.children = [row.box for row in self.activity_rows]
            self._discussion_box.children = [row.box for row in self.discussion_rows]
            for row in old:
                row.box.close()
        finally:
            self._syncing = False

    def _refresh_goal_options(self) -> None:
        """Goal names changed: relabel every activity's goal list, keeping its choice."""
        options = goal_options(self.plan)
        self._syncing = True
        try:
            for row in self.activity_rows:
                row.goal.options = options
                row.goal.value = row.activity.goal
        finally:
            self._syncing = False

    def _refresh_check(self) -> None:
        found = realism_warnings(self.plan, self.prompts)
        self.set_trait("warnings", [w.code for w in found])
        self._check.value = realism_check_html(found)

    def _offer_markdown(self) -> None:
        payload = self.to_markdown().encode("utf-8")
        self.download.value = plan_download_link(t("plan.markdown_filename"), "text/markdown;charset=utf-8", payload)

    def _offer_docx(self) -> None:
        mime = DOCX_MIME
        self.download.value = plan_download_link(t("plan.docx_filename"), mime, self.docx_bytes())
