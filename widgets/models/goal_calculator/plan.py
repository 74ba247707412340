"""The learner's numbers as saved, and what the grading check counts of them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from widgets.core.numbers import share_done
from widgets.models.goal_calculator.content import MAX_MEMBERS, MAX_PEOPLE, GoalSettings, Numbers


def _number(value: Any, upper: float, integer: bool = False) -> float | int:
    """A finite number in 0..upper from saved data; anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    value = min(value, upper)
    return int(value) if integer else float(value)


@dataclass
class Plan:
    """Everything the learner entered, as saved in the answer store."""

    numbers: Numbers
    per_sympathiser: float
    planned: float = 0.0

    @classmethod
    def empty(cls, settings: GoalSettings) -> Plan:
        ids = [g.id for g in settings.groups]
        return cls(Numbers({g: 0 for g in ids}, {g: 0.0 for g in ids}), settings.conversations_per_sympathiser)

    def to_json(self) -> dict[str, Any]:
        return {
            "populations": dict(self.numbers.populations),
            "today": dict(self.numbers.today),
            "members": self.numbers.members,
            "per_sympathiser": self.per_sympathiser,
            "planned": self.planned,
        }

    @classmethod
    def from_json(cls, data: Any, settings: GoalSettings) -> Plan:
        """A plan from saved data; damaged numbers become 0 (or the content's assumption)."""
        data = data if isinstance(data, dict) else {}
        populations = data.get("populations") if isinstance(data.get("populations"), dict) else {}
        today = data.get("today") if isinstance(data.get("today"), dict) else {}
        per = _number(data.get("per_sympathiser"), 1000)
        return cls(
            Numbers(
                populations={g.id: int(_number(populations.get(g.id), MAX_PEOPLE, True)) for g in settings.groups},
                today={g.id: float(_number(today.get(g.id), 100)) for g in settings.groups},
                members=int(_number(data.get("members"), MAX_MEMBERS, True)),
            ),
            per_sympathiser=per if per >= 1 else settings.conversations_per_sympathiser,
            planned=float(_number(data.get("planned"), 10_000)),
        )


def is_example(numbers: Numbers, settings: GoalSettings) -> bool:
    """True when the people and member numbers are exactly one example row's."""
    for place_name in settings.example_places:
        example = settings.example(place_name)
        if example.populations == numbers.populations and example.members == numbers.members:
            return True
    return False


def goal_parts(plan: Plan, settings: GoalSettings) -> dict[str, bool]:
    """The two parts the check counts: the learner's own numbers, and a plan of conversations."""
    numbers = plan.numbers
    entered = numbers.members > 0 and all(numbers.populations.get(g.id, 0) > 0 for g in settings.groups)
    return {"own_numbers": entered and not is_example(numbers, settings), "plan": plan.planned > 0}


def goal_completeness(plan: Plan, settings: GoalSettings) -> float:
    """Share of the parts done, 0 to 1."""
    parts = goal_parts(plan, settings)
    return share_done(parts)
