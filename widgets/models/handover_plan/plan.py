"""The handover plan a learner writes, as saved in the answer store, and the guards applied to a saved file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from widgets.core.i18n import t
from widgets.models.builder import clean_bool, clean_text
from widgets.models.handover_plan.content import HandoverContent
from widgets.models.handover_plan.guards import MAX_NAME, FieldKind, refusal


def _clean_date(value: Any) -> str:
    try:
        return _dt.date.fromisoformat(value).isoformat() if isinstance(value, str) and value else ""
    except ValueError:
        return ""


@dataclass
class ItemEntry:
    """How one checklist item passes over, and whether it has."""

    note: str = ""
    done: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"note": self.note, "done": self.done}


@dataclass
class Pairing:
    """The mentor pairing: first names at most, and the mentor's role."""

    new_name: str = ""
    mentor_name: str = ""
    mentor_role: str = ""
    focus: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "new_name": self.new_name,
            "mentor_name": self.mentor_name,
            "mentor_role": self.mentor_role,
            "focus": self.focus,
        }


@dataclass
class HandoverMeeting:
    """A meeting between the old and the new holder (or the mentor): a date and a topic."""

    date: str = ""
    topic: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date, "topic": self.topic}


@dataclass
class Handover:
    """The whole handover plan, as saved in the answer store."""

    assignment: str = ""
    items: dict[str, ItemEntry] = field(default_factory=dict)
    pairing: Pairing = field(default_factory=Pairing)
    meetings: list[HandoverMeeting] = field(default_factory=list)

    @classmethod
    def new(cls, content: HandoverContent) -> Handover:
        return cls(items={item.id: ItemEntry() for item in content.checklist})

    def to_json(self) -> dict[str, Any]:
        return {
            "assignment": self.assignment,
            "items": {key: entry.to_json() for key, entry in self.items.items()},
            "pairing": self.pairing.to_json(),
            "meetings": [m.to_json() for m in self.meetings],
        }

    @classmethod
    def from_json(cls, data: Any, content: HandoverContent) -> Handover:
        """A plan from saved data; damaged parts are dropped, never raised about (see also ``scrub``)."""
        data = data if isinstance(data, dict) else {}
        raw_items = data.get("items") if isinstance(data.get("items"), dict) else {}
        items = {}
        for item in content.checklist:
            saved = raw_items.get(item.id)
            raw: dict[str, Any] = saved if isinstance(saved, dict) else {}
            items[item.id] = ItemEntry(note=clean_text(raw.get("note")), done=clean_bool(raw.get("done")))
        raw_pairing = data.get("pairing") if isinstance(data.get("pairing"), dict) else {}
        role = clean_text(raw_pairing.get("mentor_role"), 64)
        pairing = Pairing(
            new_name=clean_text(raw_pairing.get("new_name"), MAX_NAME),
            mentor_name=clean_text(raw_pairing.get("mentor_name"), MAX_NAME),
            mentor_role=role if content.mentor_role(role) else "",
            focus=clean_text(raw_pairing.get("focus")),
        )
        meetings = [
            HandoverMeeting(date=_clean_date(m.get("date")), topic=clean_text(m.get("topic"), 500))
            for m in (data.get("meetings") if isinstance(data.get("meetings"), list) else [])[:40]
            if isinstance(m, dict)
        ]
        return cls(assignment=clean_text(data.get("assignment"), 200), items=items, pairing=pairing, meetings=meetings)

    def dated_meetings(self) -> list[HandoverMeeting]:
        """Meetings with a date and a topic, in date order."""
        return sorted((m for m in self.meetings if m.date and m.topic.strip()), key=lambda m: m.date)


def scrub(plan: Handover, content: HandoverContent) -> list[str]:
    """Empty every field the guards refuse (a file written by hand, or by an older version).

    Returns the labels of the fields emptied, so the learner can be told.
    """
    emptied: list[str] = []

    def guard(kind: FieldKind, text: str, label: str) -> str:
        if refusal(kind, text, label):
            emptied.append(label)
            return ""
        return text

    plan.assignment = guard("text", plan.assignment, t("handover.assignment"))
    for item in content.checklist:
        entry = plan.items[item.id]
        entry.note = guard("text", entry.note, item.label)
    p = plan.pairing
    p.new_name = guard("name", p.new_name, t("handover.new_name"))
    p.mentor_name = guard("name", p.mentor_name, t("handover.mentor_name"))
    p.focus = guard("text", p.focus, t("handover.focus"))
    for number, meeting in enumerate(plan.meetings, start=1):
        meeting.topic = guard("text", meeting.topic, t("handover.meeting_label", number=number))
    return emptied
