"""The meeting a learner plans, as saved in the answer store: when, how long, the agenda, who does what."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from widgets.models.builder import clean_bool, clean_number, clean_text
from widgets.models.meeting_planner.content import MAX_ITEM, MAX_LENGTH, MIN_LENGTH, MeetingContent

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_clock(text: str) -> _dt.time | None:
    """``"18:30"`` or ``"18.30"`` as a time; anything else ``None``."""
    match = _CLOCK.match(text.strip()) if isinstance(text, str) else None
    return _dt.time(int(match.group(1)), int(match.group(2))) if match else None


def _clean_date(value: Any) -> str:
    try:
        return _dt.date.fromisoformat(value).isoformat() if isinstance(value, str) and value else ""
    except ValueError:
        return ""


@dataclass
class AgendaItem:
    """One item on the agenda and the minutes it may take."""

    title: str = ""
    minutes: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "minutes": self.minutes}


@dataclass
class MeetingPlan:
    """The whole meeting plan, as saved in the answer store."""

    name: str = ""
    date: str = ""  # ISO date, or empty
    start: str = ""  # "HH:MM", or empty
    length: int = 120  # planned length in minutes
    place: str = ""
    political: str = ""
    social: str = ""
    agenda: list[AgendaItem] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    practical: dict[str, bool] = field(default_factory=dict)
    practical_note: str = ""

    @classmethod
    def new(cls, content: MeetingContent) -> MeetingPlan:
        return cls(length=content.default_length)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "date": self.date,
            "start": self.start,
            "length": self.length,
            "place": self.place,
            "political": self.political,
            "social": self.social,
            "agenda": [item.to_json() for item in self.agenda],
            "roles": dict(self.roles),
            "practical": dict(self.practical),
            "practical_note": self.practical_note,
        }

    @classmethod
    def from_json(cls, data: Any, content: MeetingContent) -> MeetingPlan:
        """A plan from saved data; damaged parts are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}
        start = clean_text(data.get("start"), 5)
        length = clean_number(data.get("length"), integer=True, maximum=MAX_LENGTH)
        length = length if length >= MIN_LENGTH else content.default_length
        agenda = [
            AgendaItem(
                title=clean_text(item.get("title")),
                minutes=int(clean_number(item.get("minutes"), integer=True, maximum=MAX_ITEM)),
            )
            for item in (data.get("agenda") if isinstance(data.get("agenda"), list) else [])[:40]
            if isinstance(item, dict)
        ]
        roles = data.get("roles") if isinstance(data.get("roles"), dict) else {}
        practical = data.get("practical") if isinstance(data.get("practical"), dict) else {}
        return cls(
            name=clean_text(data.get("name")),
            date=_clean_date(data.get("date")),
            start=start if parse_clock(start) else "",
            length=int(length),
            place=clean_text(data.get("place")),
            political=clean_text(data.get("political")),
            social=clean_text(data.get("social")),
            agenda=agenda,
            roles={r.id: clean_text(roles.get(r.id), 200) for r in content.roles if clean_text(roles.get(r.id))},
            practical={p.id: True for p in content.practicalities if clean_bool(practical.get(p.id))},
            practical_note=clean_text(data.get("practical_note")),
        )

    # -- views used by the warnings, the check and the export ----------------------------
    def named_items(self) -> list[AgendaItem]:
        return [item for item in self.agenda if item.title.strip()]

    def agenda_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)

    def start_time(self) -> _dt.time | None:
        return parse_clock(self.start)

    def end_time(self) -> _dt.time | None:
        start = self.start_time()
        if start is None:
            return None
        moment = _dt.datetime.combine(_dt.date(2000, 1, 1), start) + _dt.timedelta(minutes=self.length)
        return moment.time()

    def has_role(self, role_id: str) -> bool:
        return bool(self.roles.get(role_id, "").strip())


def clock_text(value: _dt.time) -> str:
    """A time of day as the plan and its export show it, ``18.30``."""
    return f"{value.hour:02d}:{value.minute:02d}"
