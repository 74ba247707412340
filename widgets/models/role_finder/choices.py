"""A member's choices as saved, the roles they suggest with the reasons why, and what the check counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from widgets.core.i18n import t
from widgets.core.numbers import share_done
from widgets.models.role_finder.content import Option, Role, RoleContent

MAX_NOTE = 5000
MAX_NAME = 40


@dataclass
class MemberChoices:
    """What the learner ticked and wrote, as saved in the answer store."""

    interests: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    time: str = ""
    first_name: str = ""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "interests": list(self.interests),
            "skills": list(self.skills),
            "time": self.time,
            "first_name": self.first_name,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, content: RoleContent, data: Any) -> MemberChoices:
        """Choices from saved data; unknown ids and damaged values are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}

        def ids(key: str, options: tuple[Option, ...]) -> list[str]:
            raw = data.get(key)
            chosen = set(raw) if isinstance(raw, list) and all(isinstance(v, str) for v in raw) else set()
            return [o.id for o in options if o.id in chosen]

        time = data.get("time")
        name, note = data.get("first_name"), data.get("note")
        return cls(
            interests=ids("interests", content.interests),
            skills=ids("skills", content.skills),
            time=time if isinstance(time, str) and content.time(time) else "",
            first_name=name[:MAX_NAME] if isinstance(name, str) else "",
            note=note[:MAX_NOTE] if isinstance(note, str) else "",
        )


@dataclass(frozen=True)
class Suggestion:
    """A role that fits, with what pointed to it; ``fits_time`` is false when it needs more time."""

    role: Role
    reasons: tuple[str, ...]
    fits_time: bool


def suggest_roles(content: RoleContent, choices: MemberChoices) -> list[Suggestion]:
    """Roles with at least one ticked interest or skill, most reasons first, then the content's order.

    Roles that need more time than the member has come after those that fit.
    """
    ticked = [*choices.interests, *choices.skills]
    time = content.time(choices.time)
    found: list[tuple[tuple[int, int, int], Suggestion]] = []
    for order, role in enumerate(content.roles):
        reasons = tuple(i for i in ticked if i in role.interests or i in role.skills)
        if not reasons:
            continue
        needed = content.time(role.min_time)
        fits = time is None or needed is None or time.hours >= needed.hours
        found.append(((0 if fits else 1, -len(reasons), order), Suggestion(role, reasons, fits)))
    return [suggestion for _, suggestion in sorted(found, key=lambda item: item[0])]


def reason_text(content: RoleContent, suggestion: Suggestion, key: str = "rolefinder.reason") -> str:
    """``för att du kryssat i ”Foto” och ”Skolfrågor”``."""
    labels = [f"”{content.label(i)}”" for i in suggestion.reasons]
    items = labels[0] if len(labels) == 1 else t("rolefinder.list", first=", ".join(labels[:-1]), last=labels[-1])
    return t(key, items=items)


def role_parts(choices: MemberChoices) -> dict[str, bool]:
    """What the grading check counts: something ticked, a time chosen, a note written."""
    return {
        "choices": bool(choices.interests or choices.skills),
        "time": bool(choices.time),
        "note": bool(choices.note.strip()),
    }


def role_completeness(choices: MemberChoices) -> float:
    """Share of the parts done, 0 to 1."""
    parts = role_parts(choices)
    return share_done(parts)
