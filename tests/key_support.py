"""What a learner's copy of a content file may not carry: the tests' own reading of the content formats.

Written out from ``docs/course-format.md`` (not taken from the code under test),
so that a key the code forgets to hide is found.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SECRET", "OPTION_SECRET", "squash", "secrets_of", "leaks"]

#: widget -> (list of items, the keys an item may not carry in a learner's copy), and the same for
#: the options of a quiz question. Top-level lists (techniques, counters, confirming) are the options.
SECRET = {
    "MeetingRoleQuiz": ("questions", {"explanation"}),
    "SuppressionTechniques": ("cards", {"technique", "counters", "confirming", "explanation"}),
    "VotingProcedure": ("scenarios", {"votes", "explanation"}),
}
OPTION_SECRET = {"correct"}


def squash(text: str) -> str:
    return " ".join(text.split())


def secrets_of(widget: str, raw: dict[str, Any]) -> list[str]:
    """The texts of a keyed content file a learner may read only after answering: its explanations."""
    items, _keys = SECRET[widget]
    return [squash(item["explanation"]) for item in raw.get(items, []) if item.get("explanation")]


def leaks(widget: str, raw: Any) -> list[str]:
    """Where a learner's copy (parsed) still carries a key; empty when it carries none."""
    if not isinstance(raw, dict):
        return ["not a mapping"]
    items, keys = SECRET[widget]
    found = []
    for number, item in enumerate(raw.get(items) or []):
        found += [f"{items}[{number}].{key}" for key in keys & set(item)]
        for o, option in enumerate(item.get("options") or []):
            found += [f"{items}[{number}].options[{o}].{key}" for key in OPTION_SECRET & set(option)]
    return found
