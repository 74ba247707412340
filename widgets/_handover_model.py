"""A structured handover of an assignment, as data: checklist, mentor pairing, meetings.

Pure Python (no ipywidgets). Strategidokumentet, Del 3, "Strategiska planer"
(its last paragraphs): knowledge and experience are lost when elected
representatives change, so the party should work with mentorship, where those
who have been there long teach the new, and with structured handovers. The
checklist and the wording are content (a YAML file).

Two rules guard what is written, because the answer file travels with a
submission and is read by a course leader: nothing that looks like a password
or a code is ever accepted into any free-text field (write where accounts are
managed and who has access, never the secret itself), and the mentor pairing
holds first names at most.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import exercise_content_models as shapes
from ._builder_base import (
    Block,
    BuilderWarning,
    Head,
    Step,
    clean_bool,
    clean_text,
    content_id,
    one_line,
    parse_head,
    parse_steps,
    unique_ids,
)
from ._numbers import share_done
from .content import ContentError, given, load_yaml
from .i18n import t
from .model_check import validate

__all__ = [
    "STEPS",
    "ChecklistItem",
    "MentorRole",
    "HandoverContent",
    "load_handover_content",
    "parse_handover_content",
    "looks_like_secret",
    "is_first_name",
    "refusal",
    "ItemEntry",
    "Pairing",
    "HandoverMeeting",
    "Handover",
    "scrub",
    "handover_warnings",
    "handover_summary",
    "handover_parts",
    "handover_completeness",
    "handover_title",
    "handover_blocks",
]

STEPS = ("assignment", "checklist", "mentor", "meetings")
MAX_NAME = 30


# -- content ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """Something that passes from the old to the new holder; ``warning`` is shown in bold."""

    id: str
    label: str
    help: str = ""
    placeholder: str = ""
    warning: str = ""


@dataclass(frozen=True)
class MentorRole:
    """Who the mentor is, as a role (never a person's details)."""

    id: str
    label: str


@dataclass(frozen=True)
class HandoverContent:
    """A handover plan's content: wording, checklist, mentor roles and the meetings asked for."""

    head: Head
    steps: dict[str, Step]
    checklist: tuple[ChecklistItem, ...]
    mentor_roles: tuple[MentorRole, ...]
    min_meetings: int = 2

    @property
    def title(self) -> str:
        return self.head.title

    def mentor_role(self, role_id: str) -> MentorRole | None:
        return next((r for r in self.mentor_roles if r.id == role_id), None)


def load_handover_content(path: str | Path) -> HandoverContent:
    """Read and validate a handover plan's content file."""
    return parse_handover_content(load_yaml(path), Path(path).name)


def parse_handover_content(raw: Any, path: str | Path = "<handover>") -> HandoverContent:
    """Validate already parsed content; ``ContentError`` names the place."""
    # the file's shape by its model (widgets.exercise_content_models); the rules across fields below
    validate(shapes.HandoverContent, raw, path, lines=False)
    head = parse_head(raw, path)
    min_meetings = given(raw, "min_meetings", 2)
    if not 1 <= min_meetings <= 12:
        raise ContentError(path, "min_meetings", t("handover.content.min_meetings"))
    steps = parse_steps(raw, STEPS, path)
    checklist: list[ChecklistItem] = []
    for index, item in enumerate(raw["checklist"]):
        checklist.append(
            ChecklistItem(
                id=content_id(item, path, "checklist", index),
                label=item["label"].strip(),
                help=given(item, "help", "").strip(),
                placeholder=given(item, "placeholder", "").strip(),
                warning=given(item, "warning", "").strip(),
            )
        )
    if not checklist:
        raise ContentError(path, "checklist", t("builders.content.empty_list"))
    unique_ids((i.id for i in checklist), path, "checklist")
    roles: list[MentorRole] = []
    for index, item in enumerate(raw["mentor_roles"]):
        roles.append(
            MentorRole(
                id=content_id(item, path, "mentor_roles", index),
                label=item["label"].strip(),
            )
        )
    if not roles:
        raise ContentError(path, "mentor_roles", t("builders.content.empty_list"))
    unique_ids((r.id for r in roles), path, "mentor_roles")
    return HandoverContent(
        head=head, steps=steps, checklist=tuple(checklist), mentor_roles=tuple(roles), min_meetings=min_meetings
    )


# -- the two guards -------------------------------------------------------------------------------

# A word that names a secret: lösenord, password, pin-kod, portkod, larmkod, kod ...
_SECRET_WORD = (
    r"(?:lösen(?:ordet|ord|et)?|losen(?:ordet|ord)?|password|passwd|pwd|pw|pin(?:-?kod(?:en)?)?"
    r"|(?:port|larm|dörr|lås)?kod(?:en|ord|ordet)?|passfras(?:en)?|passphrase|code)"
)
# "lösenord: x", "password=x", "pin 1234"
_LABELLED = re.compile(rf"(?<!\w){_SECRET_WORD}\s*(?:[:=]\s*\S|\s+\d{{3,}})", re.IGNORECASE)
# "lösenordet är Sommar24", "koden är 4521", "lösenordet är 'kaka'"
_SAID = re.compile(rf"(?<!\w){_SECRET_WORD}\s+(?:är|blir|is)\s+(\S+)", re.IGNORECASE)
_QUOTES = "\"'”“‘’«»`"
_STRIP = ".,;:!?()[]" + _QUOTES
_SYMBOLS = set("!#$%&*+=?@^_~|\\<>{}[]/")


def _plain_word(token: str) -> bool:
    """A lower-case word with no digits or symbols, as ordinary prose has (``bytt``, ``sparat``)."""
    return token.isalpha() and token == token.lower()


def _generated(token: str) -> bool:
    """A token that looks made to be a secret: long, mixing letters, digits, cases or symbols."""
    if (
        len(token) < 8
        or "://" in token
        or token.lower().startswith("www.")
        or re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", token)
    ):
        return False
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    classes = sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            has_digit,
            any(c in _SYMBOLS for c in token),
        )
    )
    return (classes >= 3 and has_digit) or (len(token) >= 16 and has_digit and has_letter)


def looks_like_secret(text: str) -> bool:
    """Whether ``text`` seems to hold a password or a code, which must never be saved.

    Catches a secret given a name (``lösenord: ...``, ``koden är 4521``) and a
    token that looks generated (``Sommar2024!``). Writing *where* the accounts
    are managed and *who* has access (``lösenorden finns i partiets
    lösenordshanterare``) passes.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    if _LABELLED.search(text):
        return True
    for match in _SAID.finditer(text):
        word = match.group(1)
        if word[0] in _QUOTES or not _plain_word(word.strip(_STRIP)):
            return True
    return any(_generated(token.strip(_STRIP)) for token in text.split())


def is_first_name(text: str) -> bool:
    """Empty, or one first name (``Eva-Lena`` yes; ``Anna Svensson``, an e-mail or a number no)."""
    text = text.strip()
    if not text:
        return True
    return len(text) <= MAX_NAME and all(part.isalpha() for part in text.split("-"))


FieldKind = Literal["text", "name"]


def refusal(kind: FieldKind, text: str, label: str) -> str | None:
    """Why ``text`` may not be saved in the field ``label``, or ``None`` if it may."""
    if looks_like_secret(text):
        return t("handover.refused.secret", field=label)
    if kind == "name" and not is_first_name(text):
        return t("handover.refused.name", field=label, max=MAX_NAME)
    return None


# -- the plan (a learner's answers) -------------------------------------------------------------


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


# -- the check ---------------------------------------------------------------------------------------


def handover_warnings(plan: Handover, content: HandoverContent) -> list[BuilderWarning]:
    """What is still missing from a structured handover."""
    found: list[BuilderWarning] = []
    if not plan.assignment.strip():
        found.append(BuilderWarning("no_assignment", t("handover.warn.no_assignment")))
    for item in content.checklist:
        if not plan.items[item.id].note.strip():
            found.append(BuilderWarning("item_missing", t("handover.warn.item_missing", label=item.label)))
    if not plan.pairing.mentor_role:
        found.append(BuilderWarning("no_mentor", t("handover.warn.no_mentor")))
    elif not plan.pairing.focus.strip():
        found.append(BuilderWarning("no_focus", t("handover.warn.no_focus")))
    for number, meeting in enumerate(plan.meetings, start=1):
        if meeting.topic.strip() and not meeting.date:
            found.append(BuilderWarning("meeting_without_date", t("handover.warn.meeting_without_date", number=number)))
        if meeting.date and not meeting.topic.strip():
            found.append(
                BuilderWarning("meeting_without_topic", t("handover.warn.meeting_without_topic", number=number))
            )
    count = len(plan.dated_meetings())
    if count < content.min_meetings:
        found.append(
            BuilderWarning("few_meetings", t("handover.warn.few_meetings", count=count, min=content.min_meetings))
        )
    return found


def handover_summary(plan: Handover, content: HandoverContent) -> str:
    done = sum(1 for item in content.checklist if plan.items[item.id].done)
    return t("handover.summary", done=done, total=len(content.checklist), count=len(plan.dated_meetings()))


# -- completeness -------------------------------------------------------------------------------------------


def handover_parts(plan: Handover, content: HandoverContent) -> dict[str, bool]:
    """Which parts are done: the assignment, each checklist item, the pairing, the meetings."""
    parts = {"assignment": bool(plan.assignment.strip())}
    for item in content.checklist:
        parts[f"item:{item.id}"] = bool(plan.items[item.id].note.strip())
    parts["mentor"] = bool(plan.pairing.mentor_role and plan.pairing.focus.strip())
    parts["meetings"] = len(plan.dated_meetings()) >= content.min_meetings
    return parts


def handover_completeness(plan: Handover, content: HandoverContent) -> float:
    parts = handover_parts(plan, content)
    return share_done(parts)


# -- export -----------------------------------------------------------------------------------------------------


def handover_title(plan: Handover) -> str:
    return t("handover.export.title", assignment=one_line(plan.assignment) or t("handover.export.unnamed"))


def handover_blocks(plan: Handover, content: HandoverContent) -> list[Block]:
    """The handover plan as blocks for Markdown and Word."""
    empty = t("builders.export.empty")
    yes = t("handover.export.yes")
    blocks: list[Block] = [
        Block("para", t("handover.export.intro")),
        Block("heading", t("handover.export.checklist")),
        Block(
            "table",
            rows=(
                (t("handover.export.col_what"), t("handover.export.col_how"), t("handover.export.col_done")),
                *(
                    (item.label, one_line(plan.items[item.id].note) or empty, yes if plan.items[item.id].done else "–")
                    for item in content.checklist
                ),
            ),
        ),
        Block("note", t("handover.export.no_secrets")),
        Block("heading", t("handover.export.mentor")),
    ]
    p = plan.pairing
    role = content.mentor_role(p.mentor_role)
    blocks.append(
        Block(
            "bullets",
            items=(
                t("handover.export.new_name", name=one_line(p.new_name) or "–"),
                t("handover.export.mentor_name", name=one_line(p.mentor_name) or "–", role=role.label if role else "–"),
                t("handover.export.focus", focus=one_line(p.focus) or empty),
            ),
        )
    )
    blocks.append(Block("heading", t("handover.export.meetings")))
    meetings = plan.dated_meetings()
    if meetings:
        rows = [(t("handover.export.col_date"), t("handover.export.col_topic"))]
        rows += [(m.date, one_line(m.topic)) for m in meetings]
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("para", empty))
    if content.head.source:
        blocks.append(Block("note", t("builders.export.source", source=content.head.source)))
    return blocks
