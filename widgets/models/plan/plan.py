"""The plan a learner writes, as saved in the answer store: goals, resources, activities, anchoring."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

_MAX_TEXT = 5000


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
