"""What the targets mean in people, and the conversations a year they ask of each active member."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from widgets.models.goal_calculator.content import GoalSettings
from widgets.models.goal_calculator.plan import Plan

if TYPE_CHECKING:
    import pandas as pd


def years_left(target_year: int, current_year: int) -> int:
    """Whole years of work left until the end of ``target_year`` (at least 1)."""
    return max(1, target_year - current_year)


@dataclass(frozen=True)
class GoalRow:
    """One group's targets in people, today's sympathisers, the gap and its conversations."""

    group: str
    label: str
    population: int
    left_share: float
    sympathise_share: float
    today_share: float
    left_people: int
    sympathise_people: int
    today_people: int
    new_needed: int
    conversations: float


def _at_least(population: int, share: float) -> int:
    # round first so 50 % of 3 000 is 1 500, not 1 501 from a floating-point tail
    return math.ceil(round(population * share / 100, 6))


def goal_rows(plan: Plan, settings: GoalSettings) -> list[GoalRow]:
    """One row per group, in the content's order. People are rounded up: "at least 20 %"
    of 1 005 is 201; today's sympathisers are rounded to the nearest person."""
    rows = []
    for g in settings.groups:
        population = int(plan.numbers.populations.get(g.id, 0))
        today_share = float(plan.numbers.today.get(g.id, 0.0))
        sympathise_people = _at_least(population, g.sympathise)
        today_people = int(round(population * today_share / 100))
        new_needed = max(0, sympathise_people - today_people)
        rows.append(
            GoalRow(
                group=g.id,
                label=g.label,
                population=population,
                left_share=g.left,
                sympathise_share=g.sympathise,
                today_share=today_share,
                left_people=_at_least(population, g.left),
                sympathise_people=sympathise_people,
                today_people=today_people,
                new_needed=new_needed,
                conversations=new_needed * float(plan.per_sympathiser),
            )
        )
    return rows


def goal_table(plan: Plan, settings: GoalSettings) -> pd.DataFrame:
    """``goal_rows`` as a pandas ``DataFrame`` (pandas is imported only here).

    Columns: ``group``, ``label``, ``population``, ``left_share``,
    ``sympathise_share``, ``today_share``, ``left_people``, ``sympathise_people``,
    ``today_people``, ``new_needed``, ``conversations``.
    """
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(GoalRow)]
    return pd.DataFrame([dataclasses.astuple(row) for row in goal_rows(plan, settings)], columns=columns)


@dataclass(frozen=True)
class ConversationPlan:
    """What the targets ask of the branch: conversations in all, a year, and per member a year."""

    total: float
    years: int
    per_year: float
    per_member_year: float | None  # None while no active members are entered
    planned: float

    @property
    def planned_share(self) -> float | None:
        """How much of what is needed the learner's plan covers (1 = enough)."""
        if self.per_member_year is None:
            return None
        if self.per_member_year == 0:
            return 1.0
        return self.planned / self.per_member_year


def conversation_plan(plan: Plan, settings: GoalSettings, current_year: int) -> ConversationPlan:
    """Sum the groups' conversations and spread them over the years left and the active members."""
    total = float(sum(row.conversations for row in goal_rows(plan, settings)))
    years = years_left(settings.target_year, current_year)
    per_year = total / years
    members = plan.numbers.members
    return ConversationPlan(total, years, per_year, per_year / members if members else None, plan.planned)
