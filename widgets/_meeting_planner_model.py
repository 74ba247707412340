"""A planned meeting as data: the content, the plan, its warnings, completeness and export.

Pure Python (no ipywidgets), so ``grading`` can score a saved plan. It follows
strategidokumentet, Del 2, "Varje möte ett genomtänkt möte": purposes
formulated in advance, the social ones included; a meeting that is planned and
led and ends on time; someone who sets the welcoming mood. The practicalities
that decide who can come (a venue everyone can get into, childcare, language)
come from Del 3, "Ett brett ledarskap" and Del 2, "Internfeminism för framtiden".
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import exercise_content_models as shapes
from ._builder_base import (
    Block,
    BuilderWarning,
    Head,
    Step,
    clean_bool,
    clean_number,
    clean_text,
    content_id,
    one_line,
    parse_head,
    parse_source,
    parse_steps,
    unique_ids,
)
from ._numbers import share_done
from .content import ContentError, given, load_yaml
from .i18n import t
from .model_check import validate

__all__ = [
    "STEPS",
    "REQUIRED_ROLES",
    "Role",
    "Practicality",
    "MeetingContent",
    "load_meeting_content",
    "parse_meeting_content",
    "AgendaItem",
    "MeetingPlan",
    "parse_clock",
    "meeting_warnings",
    "meeting_summary",
    "meeting_parts",
    "meeting_completeness",
    "meeting_title",
    "meeting_blocks",
]

STEPS = ("meeting", "purposes", "agenda", "roles", "practical")
REQUIRED_ROLES = ("chair", "notes", "welcome")  # the check's rules name these three
MIN_LENGTH = 15  # minutes
MAX_LENGTH = 8 * 60  # minutes; a longer "meeting" is a typo
MAX_ITEM = 4 * 60
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


# -- content ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """A role at the meeting (``chair``, ``notes``, ``welcome`` and any the author adds)."""

    id: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Practicality:
    """Something that decides who can come: a checkbox in the plan, a line in the notice."""

    id: str
    label: str
    help: str = ""
    notice: str = ""  # how the notice says it; the label if empty
    source: str = ""


@dataclass(frozen=True)
class MeetingContent:
    """A meeting planner's content: wording, roles, practicalities, default length."""

    head: Head
    steps: dict[str, Step]
    roles: tuple[Role, ...]
    practicalities: tuple[Practicality, ...]
    default_length: int = 120

    @property
    def title(self) -> str:
        return self.head.title

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)


def load_meeting_content(path: str | Path) -> MeetingContent:
    """Read and validate a meeting planner's content file."""
    return parse_meeting_content(load_yaml(path), Path(path).name)


def parse_meeting_content(raw: Any, path: str | Path = "<meeting>") -> MeetingContent:
    """Validate already parsed content; ``ContentError`` names the place."""
    # the file's shape by its model (widgets.exercise_content_models); the rules across fields below
    validate(shapes.MeetingContent, raw, path, lines=False)
    head = parse_head(raw, path)
    default_length = given(raw, "default_length", 120)
    if not MIN_LENGTH <= default_length <= MAX_LENGTH:
        raise ContentError(path, "default_length", t("meetingplan.content.length", max=MAX_LENGTH))
    steps = parse_steps(raw, STEPS, path)

    roles: list[Role] = []
    for index, item in enumerate(raw["roles"]):
        role_id = content_id(item, path, "roles", index)
        roles.append(
            Role(
                id=role_id,
                label=item["label"].strip(),
                help=given(item, "help", "").strip(),
            )
        )
    unique_ids((r.id for r in roles), path, "roles")
    for needed in REQUIRED_ROLES:
        if needed not in {r.id for r in roles}:
            raise ContentError(path, "roles", t("meetingplan.content.missing_role", id=needed))

    practicalities: list[Practicality] = []
    for index, item in enumerate(raw["practicalities"]):
        source = item.get("source") if isinstance(item, dict) else None
        practicalities.append(
            Practicality(
                id=content_id(item, path, "practicalities", index),
                label=item["label"].strip(),
                help=given(item, "help", "").strip(),
                notice=given(item, "notice", "").strip(),
                source=parse_source(source) if source is not None else "",
            )
        )
    if not practicalities:
        raise ContentError(path, "practicalities", t("builders.content.empty_list"))
    unique_ids((p.id for p in practicalities), path, "practicalities")
    return MeetingContent(
        head=head, steps=steps, roles=tuple(roles), practicalities=tuple(practicalities), default_length=default_length
    )


# -- the plan (a learner's answers) -------------------------------------------------------


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


def _clock(value: _dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


# -- the check -------------------------------------------------------------------------------


def meeting_warnings(plan: MeetingPlan, content: MeetingContent) -> list[BuilderWarning]:
    """What to look over, as the document asks of a well-thought-through meeting."""
    found: list[BuilderWarning] = []
    if not plan.political.strip():
        found.append(BuilderWarning("no_political_purpose", t("meetingplan.warn.no_political_purpose")))
    if not plan.social.strip():
        found.append(BuilderWarning("no_social_purpose", t("meetingplan.warn.no_social_purpose")))
    if not plan.named_items():
        found.append(BuilderWarning("no_agenda", t("meetingplan.warn.no_agenda")))
    for number, item in enumerate(plan.agenda, start=1):
        if item.title.strip() and item.minutes == 0:
            found.append(
                BuilderWarning(
                    "zero_minutes", t("meetingplan.warn.zero_minutes", number=number, title=one_line(item.title))
                )
            )
    minutes = plan.agenda_minutes()
    if minutes > plan.length:
        found.append(
            BuilderWarning(
                "over_time",
                t("meetingplan.warn.over_time", minutes=minutes, length=plan.length, count=minutes - plan.length),
            )
        )
    if not plan.has_role("welcome"):
        found.append(BuilderWarning("no_welcome", t("meetingplan.warn.no_welcome", role=content.role("welcome").label)))
    return found


def meeting_summary(plan: MeetingPlan) -> str:
    """``Dagordningen tar 95 av 120 minuter. Mötet börjar 18:30 och slutar 20:30.``"""
    text = t("meetingplan.summary.minutes", minutes=plan.agenda_minutes(), count=plan.length)
    start, end = plan.start_time(), plan.end_time()
    if start is not None and end is not None:
        text += " " + t("meetingplan.summary.times", start=_clock(start), end=_clock(end))
    return text


# -- completeness (what the grading check counts) -------------------------------------------------


def meeting_parts(plan: MeetingPlan, content: MeetingContent) -> dict[str, bool]:
    """Which parts of the plan are done."""
    items = plan.named_items()
    return {
        "when": bool(plan.name.strip() and plan.date and plan.start_time() is not None),
        "political": bool(plan.political.strip()),
        "social": bool(plan.social.strip()),
        "agenda": bool(items) and all(item.minutes > 0 for item in items),
        "fits": bool(items) and plan.agenda_minutes() <= plan.length,
        "roles": all(plan.has_role(role_id) for role_id in REQUIRED_ROLES),
        "practical": any(plan.practical.values()) or bool(plan.practical_note.strip()),
    }


def meeting_completeness(plan: MeetingPlan, content: MeetingContent) -> float:
    """Share of the parts done, 0 to 1."""
    parts = meeting_parts(plan, content)
    return share_done(parts)


# -- export: notice of meeting (kallelse) and agenda (dagordning) ---------------------------------------


def meeting_title(plan: MeetingPlan) -> str:
    return t("meetingplan.export.title", name=one_line(plan.name) or t("meetingplan.export.unnamed"))


def meeting_blocks(plan: MeetingPlan, content: MeetingContent) -> list[Block]:
    """The notice and the agenda, as blocks for Markdown and Word."""
    empty = t("builders.export.empty")
    blocks: list[Block] = [Block("heading", t("meetingplan.export.notice"))]
    name = one_line(plan.name) or t("meetingplan.export.unnamed")
    blocks.append(Block("para", t("meetingplan.export.welcome", name=name)))
    start, end = plan.start_time(), plan.end_time()
    when = plan.date or empty
    if start is not None and end is not None:
        when = t("meetingplan.export.when_times", date=plan.date or empty, start=_clock(start), end=_clock(end))
    facts = [
        t("meetingplan.export.when", when=when),
        t("meetingplan.export.where", place=one_line(plan.place) or empty),
    ]
    if plan.has_role("welcome"):
        facts.append(
            t(
                "meetingplan.export.welcomed_by",
                role=content.role("welcome").label,
                name=one_line(plan.roles["welcome"]),
            )
        )
    blocks.append(Block("bullets", items=tuple(facts)))

    blocks.append(Block("heading", t("meetingplan.export.purposes"), level=2))
    blocks.append(Block("para", t("meetingplan.export.political", text=one_line(plan.political) or empty)))
    blocks.append(Block("para", t("meetingplan.export.social", text=one_line(plan.social) or empty)))

    blocks.append(Block("heading", t("meetingplan.export.practical"), level=2))
    practical = [p.notice or p.label for p in content.practicalities if plan.practical.get(p.id)]
    if plan.practical_note.strip():
        practical.append(one_line(plan.practical_note))
    blocks.append(Block("bullets", items=tuple(practical)) if practical else Block("para", empty))

    blocks.append(Block("heading", t("meetingplan.export.agenda")))
    items = plan.named_items()
    if items:
        header = (
            t("meetingplan.export.col_number"),
            t("meetingplan.export.col_time"),
            t("meetingplan.export.col_item"),
            t("meetingplan.export.col_minutes"),
        )
        rows: list[tuple[str, ...]] = [header]
        clock = _dt.datetime.combine(_dt.date(2000, 1, 1), start) if start is not None else None
        for number, item in enumerate(items, start=1):
            at = _clock(clock.time()) if clock is not None else "–"
            rows.append((str(number), at, one_line(item.title), str(item.minutes)))
            if clock is not None:
                clock += _dt.timedelta(minutes=item.minutes)
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("para", empty))
    blocks.append(Block("para", meeting_summary(plan)))

    blocks.append(Block("heading", t("meetingplan.export.roles"), level=2))
    blocks.append(
        Block("bullets", items=tuple(f"{r.label}: {one_line(plan.roles.get(r.id, '')) or '–'}" for r in content.roles))
    )
    if content.head.source:
        blocks.append(Block("note", t("builders.export.source", source=content.head.source)))
    return blocks
