"""A handover plan's content: its wording, the checklist, the mentor roles and the meetings asked for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.builder import Head, Step, content_id, parse_head, parse_steps, unique_ids
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml

STEPS = ("assignment", "checklist", "mentor", "meetings")


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
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
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
