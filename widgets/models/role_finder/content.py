"""The role finder's content: the lists of interests and skills, the time choices and the roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml, place

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Option:
    """One interest or skill a member can tick."""

    id: str
    label: str


@dataclass(frozen=True)
class TimeChoice:
    """How much time a member has, with hours a month to compare with a role's minimum."""

    id: str
    label: str
    hours: float


@dataclass(frozen=True)
class Role:
    """A role in the branch and what points to it."""

    id: str
    name: str
    description: str
    interests: frozenset[str]
    skills: frozenset[str]
    min_time: str


@dataclass(frozen=True)
class RoleContent:
    """The validated lists and roles."""

    title: str
    interests: tuple[Option, ...]
    skills: tuple[Option, ...]
    times: tuple[TimeChoice, ...]
    roles: tuple[Role, ...]
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)
    suggestions: int = 3

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    def time(self, time_id: str) -> TimeChoice | None:
        return next((c for c in self.times if c.id == time_id), None)

    def label(self, option_id: str) -> str:
        """The label of an interest or skill."""
        return next((o.label for o in (*self.interests, *self.skills) if o.id == option_id), option_id)


def load_role_content(path: str | Path) -> RoleContent:
    """Read and validate a content file; ``ContentError`` names the file, place and problem."""
    return parse_role_content(load_yaml(path), Path(path).name)


def parse_role_content(raw: Any, path: str | Path = "<rollsokaren>") -> RoleContent:
    """Validate already parsed content (a dict as from YAML)."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.RoleFinderContent, raw, path, lines=False)
    title = raw["title"].strip()
    intro = given(raw, "intro", "").strip()
    source = given(raw, "source", {})
    source = {k: source[k].strip() for k in ("part", "section") if k in source}
    suggestions = given(raw, "suggestions", 3)
    if suggestions < 1:
        raise ContentError(path, "suggestions", t("rolefinder.content.suggestions"))
    taken: set[str] = set()
    interests = _parse_options(raw, "interests", path, taken)
    skills = _parse_options(raw, "skills", path, taken)
    times = _parse_times(raw, path)
    items = raw["roles"]
    if not items:
        raise ContentError(path, "roles", t("rolefinder.content.no_roles"))
    roles: list[Role] = []
    for index, item in enumerate(items):
        role = _parse_role(item, path, index, {o.id for o in interests}, {o.id for o in skills}, {c.id for c in times})
        if any(r.id == role.id for r in roles):
            raise ContentError(path, place("roles", index, "id"), t("rolefinder.content.duplicate_id", id=role.id))
        roles.append(role)
    return RoleContent(
        title=title,
        interests=interests,
        skills=skills,
        times=times,
        roles=tuple(roles),
        intro=intro,
        source=source,
        suggestions=suggestions,
    )


def _id(item: dict[str, Any], path: str | Path, where: tuple[str | int, ...], taken: set[str]) -> str:
    value = item["id"]
    if not _ID.match(value):
        raise ContentError(path, place(*where, "id"), t("rolefinder.content.bad_id", id=value))
    if value in taken:
        raise ContentError(path, place(*where, "id"), t("rolefinder.content.duplicate_id", id=value))
    taken.add(value)
    return value


def _label(item: dict[str, Any], key: str, path: str | Path, where: tuple[str | int, ...]) -> str:
    value = item[key].strip()
    if not value:
        raise ContentError(path, place(*where, key), t("rolefinder.content.empty", key=key))
    return value


def _parse_options(raw: dict[str, Any], key: str, path: str | Path, taken: set[str]) -> tuple[Option, ...]:
    items = raw[key]
    if not items:
        raise ContentError(path, key, t("rolefinder.content.empty_list", key=key))
    out: list[Option] = []
    for index, item in enumerate(items):
        where = (key, index)
        if not isinstance(item, dict):
            raise ContentError(path, place(*where), t("content.not_mapping"))
        out.append(Option(id=_id(item, path, where, taken), label=_label(item, "label", path, where)))
    return tuple(out)


def _parse_times(raw: dict[str, Any], path: str | Path) -> tuple[TimeChoice, ...]:
    items = raw["times"]
    if len(items) < 2:
        raise ContentError(path, "times", t("rolefinder.content.few_times"))
    taken: set[str] = set()
    out: list[TimeChoice] = []
    for index, item in enumerate(items):
        where = ("times", index)
        if not isinstance(item, dict):
            raise ContentError(path, place(*where), t("content.not_mapping"))
        hours = item["hours"]
        if hours < 0:
            raise ContentError(path, place(*where, "hours"), t("rolefinder.content.negative_hours"))
        out.append(
            TimeChoice(id=_id(item, path, where, taken), label=_label(item, "label", path, where), hours=float(hours))
        )
    return tuple(out)


def _parse_role(
    item: Any, path: str | Path, index: int, interests: set[str], skills: set[str], times: set[str]
) -> Role:
    where = ("roles", index)
    if not isinstance(item, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    role_id = _id(item, path, where, set())

    def refs(key: str, known: set[str]) -> frozenset[str]:
        values = given(item, key, [])
        for value in values:
            if value not in known:
                raise ContentError(path, place(*where, key), t("rolefinder.content.unknown_ref", id=value, key=key))
        return frozenset(values)

    role_interests, role_skills = refs("interests", interests), refs("skills", skills)
    if not role_interests and not role_skills:
        raise ContentError(path, place(*where), t("rolefinder.content.no_pointers"))
    min_time = item["min_time"]
    if min_time not in times:
        raise ContentError(
            path, place(*where, "min_time"), t("rolefinder.content.unknown_ref", id=min_time, key="times")
        )
    return Role(
        id=role_id,
        name=_label(item, "name", path, where),
        description=_label(item, "description", path, where),
        interests=role_interests,
        skills=role_skills,
        min_time=min_time,
    )
