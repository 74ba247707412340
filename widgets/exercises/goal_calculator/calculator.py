"""The calculator: the learner's numbers in, the targets in people and conversations out."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
from traitlets import Bool, Float

from widgets.core.formats import format_percent
from widgets.core.i18n import t
from widgets.exercises.goal_calculator.markup import CSS, WIDE, chart_html, examples_html, result_html, table_html
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.models.goal_calculator import (
    ConversationPlan,
    GoalRow,
    GoalSettings,
    Plan,
    conversation_plan,
    goal_parts,
    goal_rows,
    goal_table,
    load_settings,
    parse_settings,
)
from widgets.storage.answers import AnswerStore

if TYPE_CHECKING:
    import pandas as pd


class GoalCalculator(Exercise):
    """The 2030 targets in people and in conversations per active member and year.

    Parameters
    ----------
    settings
        Targets, assumption and example table: a ``GoalSettings``, or a dict in
        the ``mal-2030.yml`` format (its ``example_table`` read relative to the
        working directory).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    today
        Returns today's date (``datetime.date.today`` by default), for the years left.
    """

    kind = "goal-calculator"

    own_numbers = Bool(False, read_only=True, help="All numbers entered, and not just an example row.")
    per_member_year = Float(
        None,
        allow_none=True,
        read_only=True,
        help="Conversations per active member and year the targets imply (None: no members).",
    )

    def __init__(
        self,
        settings: GoalSettings | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        today: Callable[[], _dt.date] = _dt.date.today,
        **kwargs: Any,
    ):
        self.settings = settings if isinstance(settings, GoalSettings) else parse_settings(settings)
        self.today = today
        self.plan = Plan.empty(self.settings)
        self.population_inputs: dict[str, ipw.BoundedIntText] = {}
        self.today_inputs: dict[str, ipw.BoundedFloatText] = {}
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        today: Callable[[], _dt.date] = _dt.date.today,
        **kwargs: Any,
    ) -> GoalCalculator:
        """A calculator from a content file (relative to the working directory) and its example CSV."""
        return cls(load_settings(path), exercise_id=exercise_id, store=store, today=today, **kwargs)

    # -- public actions and queries -----------------------------------------------------
    def use_example(self, place_name: str) -> None:
        """Fill in one example row's numbers, as a starting point to change."""
        numbers = self.settings.example(place_name)
        self.plan.numbers = numbers
        self._show_plan()
        self._changed()
        self._notice(t("goal_calculator.example_used", place=place_name))

    def table(self) -> pd.DataFrame:
        """The targets in people per group as a DataFrame (see ``_goal_model.goal_table``).

        For notebooks and tests; pandas is imported on the first call, never by the widget itself.
        """
        return goal_table(self.plan, self.settings)

    def rows(self) -> list[GoalRow]:
        """The targets in people per group, one ``GoalRow`` each (what the widget draws)."""
        return goal_rows(self.plan, self.settings)

    def conversations(self) -> ConversationPlan:
        """What the targets ask: conversations in all, a year, and per active member a year."""
        return conversation_plan(self.plan, self.settings, self.today().year)

    # -- Exercise ---------------------------------------------------------------------------
    def _build(self) -> None:
        settings = self.settings
        header = f'<h3 class="{CSS}-title">{html.escape(settings.title)}</h3>'
        if settings.source:
            header += (
                f'<p class="cirkel-source">{html.escape(t("goal_calculator.source", source=settings.source_text))}</p>'
            )
        if settings.intro:
            header += f"<p>{html.escape(settings.intro)}</p>"
        targets = "".join(
            f"<li>{html.escape(t('goal_calculator.target_line', label=g.label, year=settings.target_year, left=format_percent(g.left / 100), sympathise=format_percent(g.sympathise / 100)))}"
            + (f' <span class="cirkel-source">({html.escape(g.section)})</span>' if g.section else "")
            + "</li>"
            for g in settings.groups
        )
        header += f'<ul class="{CSS}-targets">{targets}</ul>'

        children: list[ipw.Widget] = [ui.HTML(header), self._status_box]

        self.example_picker = ui.Dropdown(
            options=[(t("goal_calculator.pick_example"), "")] + [(p, p) for p in settings.example_places],
            value="",
            description=t("goal_calculator.example_label"),
            style=WIDE,
        )
        self.example_picker.add_class(f"{CSS}-example-picker")
        self.example_button = ui.Button(description=t("goal_calculator.use_example"))
        self.example_button.add_class(f"{CSS}-use-example")
        self.example_button.on_click(lambda _b: self._example_clicked())
        if settings.examples is not None:
            children += [
                ui.HTML(examples_html(self.settings)),
                ui.HBox([self.example_picker, self.example_button], layout=ui.layout(flex_flow="row wrap")),
            ]

        inputs: list[ipw.Widget] = [
            ui.HTML(f'<h4 class="{CSS}-subtitle">{html.escape(t("goal_calculator.numbers_title"))}</h4>')
        ]
        for group in settings.groups:
            people = ui.BoundedIntText(
                min=0,
                max=10_000_000,
                step=100,
                style=WIDE,
                description=t("goal_calculator.population", label=group.label),
            )
            share = ui.BoundedFloatText(
                min=0, max=100, step=1, style=WIDE, description=t("goal_calculator.today_share", label=group.label)
            )
            people.add_class(f"{CSS}-population")
            share.add_class(f"{CSS}-today")
            people.observe(
                lambda c, g=group.id: self._edit(lambda: self.plan.numbers.populations.__setitem__(g, int(c["new"]))),
                "value",
            )
            share.observe(
                lambda c, g=group.id: self._edit(lambda: self.plan.numbers.today.__setitem__(g, float(c["new"]))),
                "value",
            )
            self.population_inputs[group.id] = people
            self.today_inputs[group.id] = share
            inputs += [people, share]
        self.members = ui.BoundedIntText(min=0, max=100_000, description=t("goal_calculator.members"), style=WIDE)
        self.members.add_class(f"{CSS}-members")
        self.members.observe(
            lambda c: self._edit(lambda: setattr(self.plan.numbers, "members", int(c["new"]))), "value"
        )
        inputs.append(self.members)

        assumption = settings.assumption or t("goal_calculator.assumption_default")
        self.per_sympathiser = ui.BoundedFloatText(
            min=1, max=1000, step=1, style=WIDE, description=t("goal_calculator.per_sympathiser")
        )
        self.per_sympathiser.add_class(f"{CSS}-assumption")
        self.per_sympathiser.observe(
            lambda c: self._edit(lambda: setattr(self.plan, "per_sympathiser", float(c["new"]))), "value"
        )
        self.planned = ui.BoundedFloatText(
            min=0, max=10_000, step=1, style=WIDE, description=t("goal_calculator.planned")
        )
        self.planned.add_class(f"{CSS}-planned")
        self.planned.observe(lambda c: self._edit(lambda: setattr(self.plan, "planned", float(c["new"]))), "value")

        self._result = ui.live(ui.HTML())
        self._result.add_class(f"{CSS}-result")
        self._chart = ui.HTML()
        self._chart.add_class(f"{CSS}-chart")
        self._table = ui.HTML()
        self._table.add_class(f"{CSS}-table")

        children += [
            ui.VBox(inputs),
            ui.HTML(f'<h4 class="{CSS}-subtitle">{html.escape(t("goal_calculator.people_title"))}</h4>'),
            self._chart,
            self._table,
            ui.HTML(
                f'<h4 class="{CSS}-subtitle">{html.escape(t("goal_calculator.conversations_title"))}</h4>'
                f'<p class="{CSS}-assumption-text">{html.escape(assumption)}</p>'
            ),
            self.per_sympathiser,
            self.planned,
            self._result,
            ui.HTML(f'<p class="{CSS}-overlap">{html.escape(t("goal_calculator.overlap_note"))}</p>'),
        ]
        self.children = children
        self._show_plan()

    def answers(self) -> dict[str, Any]:
        return self.plan.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        self.plan = Plan.from_json(data, self.settings)
        self._show_plan()

    # -- internals ---------------------------------------------------------------------------
    def _example_clicked(self) -> None:
        if not self.example_picker.value:
            self.status = t("goal_calculator.pick_example_first")
            return
        self.use_example(self.example_picker.value)

    def _edit(self, change: Callable[[], None]) -> None:
        if self._syncing:
            return
        change()
        self._changed()

    def _changed(self) -> None:
        self.save()
        self._refresh()

    def _show_plan(self) -> None:
        """Make every control show ``self.plan`` (construction, restore, an example)."""
        self._syncing = True
        try:
            for group in self.settings.groups:
                self.population_inputs[group.id].value = self.plan.numbers.populations[group.id]
                self.today_inputs[group.id].value = self.plan.numbers.today[group.id]
            self.members.value = self.plan.numbers.members
            self.per_sympathiser.value = self.plan.per_sympathiser
            self.planned.value = self.plan.planned
        finally:
            self._syncing = False
        self._refresh()

    def _refresh(self) -> None:
        table = self.rows()
        plan = self.conversations()
        parts = goal_parts(self.plan, self.settings)
        self.set_trait("own_numbers", parts["own_numbers"])
        self.set_trait("per_member_year", plan.per_member_year)
        self._chart.value = chart_html(self.settings, table)
        self._table.value = table_html(self.settings, table)
        self._result.value = result_html(plan, self.plan, self.settings)
