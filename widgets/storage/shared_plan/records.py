"""What the shared plan's store hands out: a field's value, an earlier value, a write's outcome, a snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from widgets.models.plan import Plan
from widgets.storage.shared_plan.rules import ITEM_KINDS, field_default, item_field


@dataclass(frozen=True)
class FieldValue:
    """One field as stored: its value, the plan version it was written at, by whom, when."""

    value: Any
    version: int
    author: str
    written_at: float


@dataclass(frozen=True)
class HistoryEntry:
    """An earlier value that was replaced (or an item that was removed): nothing is lost."""

    field: str
    event: str
    value: Any
    author: str
    written_at: float
    replaced_by: str
    replaced_at: float
    conflict: bool
    draft: bool = False


@dataclass(frozen=True)
class WriteResult:
    """What a field write did.

    ``conflict`` is the other person's value this write replaced when the
    writer had not seen it (they changed the field at the same time); it is
    kept in the history. ``None`` when there was no such clash.
    """

    version: int
    conflict: FieldValue | None = None


@dataclass(frozen=True)
class PlanSnapshot:
    """The whole shared plan at one version: fields by name and the live item ids in order."""

    version: int
    fields: dict[str, FieldValue] = field(default_factory=dict)
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        """A field's value, or its default when nobody has written it."""
        found = self.fields.get(name)
        return found.value if found is not None else field_default(name)

    def field_version(self, name: str) -> int:
        found = self.fields.get(name)
        return found.version if found is not None else 0

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.items.get(kind, ())

    def plan(self) -> Plan:
        """The shared plan as the ordinary ``Plan`` (for the realism check and the exports)."""
        return Plan.from_json(
            {
                "perception": self.value("perception"),
                "revisit": self.value("revisit"),
                "resources": {
                    "members": self.value("resources.members"),
                    "hours": self.value("resources.hours"),
                    "money": self.value("resources.money"),
                },
                "goals": [
                    {
                        "id": i,
                        "text": self.value(item_field("goal", i, "text")),
                        "years": self.value(item_field("goal", i, "years")),
                    }
                    for i in self.ids("goal")
                ],
                "activities": [
                    {part: self.value(item_field("activity", i, part)) for part in ITEM_KINDS["activity"]}
                    for i in self.ids("activity")
                ],
                "anchoring": [
                    {part: self.value(item_field("discussion", i, part)) for part in ITEM_KINDS["discussion"]}
                    for i in self.ids("discussion")
                ],
            }
        )
