"""A meeting plan's content: the steps' wording, the roles, the practicalities, the default length."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.builder import Head, Step, content_id, parse_head, parse_source, parse_steps, unique_ids
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml

STEPS = ("meeting", "purposes", "agenda", "roles", "practical")
REQUIRED_ROLES = ("chair", "notes", "welcome")  # the check's rules name these three
MIN_LENGTH = 15  # minutes
MAX_LENGTH = 8 * 60  # minutes; a longer "meeting" is a typo
MAX_ITEM = 4 * 60


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
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
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
