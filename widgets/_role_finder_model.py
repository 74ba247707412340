"""Rollsökaren: a member's interests, skills and time suggest roles in the branch. No ipywidgets.

From strategidokumentet, Del 2, "Roligt och effektivt arbete": a good branch
starts from its members' knowledge and interests ("Finns det en fotograf och en
som är bra på skolfrågor ..."), the board keeps an eye on what members can do,
and one way to be active is to be the link between the party and the places
where people gather. The lists and the roles are YAML content; here are the
validation, the ranking with its reasons, the privacy rules for the note, the
completeness the grading check counts, and the Markdown and DOCX exports.

Saved answers::

    {"interests": ["skola"], "skills": ["foto"], "time": "nagra-timmar",
     "first_name": "Kim", "note": "..."}

The note to the board carries no more personal data than a first name the
learner chooses to write: contact details and identity numbers in the note,
or more than a first name in the name field, are named as problems and block
the export until removed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import exercise_content_models as shapes
from ._numbers import share_done
from .content import ContentError, given, load_yaml, place
from .i18n import t
from .model_check import validate
from .safe_text import markdown_literal

__all__ = [
    "Option",
    "TimeChoice",
    "Role",
    "RoleContent",
    "MemberChoices",
    "Suggestion",
    "PrivacyProblem",
    "load_role_content",
    "parse_role_content",
    "suggest_roles",
    "reason_text",
    "privacy_problems",
    "role_parts",
    "role_completeness",
    "note_markdown",
    "note_docx_bytes",
]

MAX_NOTE = 5000
MAX_NAME = 40
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+|0)\d(?:[\s-]?\d){6,}(?!\d)")


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
    # the file's shape by its model (widgets.exercise_content_models); the rules across fields below
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


# -- a member's choices ----------------------------------------------------------------------


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


# -- privacy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivacyProblem:
    """Personal data the note should not carry: a stable ``code`` and a message for people."""

    code: str
    message: str


def privacy_problems(choices: MemberChoices) -> list[PrivacyProblem]:
    """What to remove before the note may go to the board."""
    found: list[PrivacyProblem] = []
    name = choices.first_name.strip()
    if name and not _FIRST_NAME.match(name):
        found.append(PrivacyProblem("name", t("rolefinder.privacy.name")))
    note = choices.note
    if _EMAIL.search(note):
        found.append(PrivacyProblem("email", t("rolefinder.privacy.email")))
    if _ID_NUMBER.search(note):
        found.append(PrivacyProblem("id_number", t("rolefinder.privacy.id_number")))
    elif _PHONE.search(note):
        found.append(PrivacyProblem("phone", t("rolefinder.privacy.phone")))
    return found


# -- completeness -------------------------------------------------------------------------------


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


# -- exports ------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _export_parts(content: RoleContent, choices: MemberChoices) -> dict[str, Any]:
    """What both exports show, in order; the name only when it is just a first name."""
    problems = {p.code for p in privacy_problems(choices)}
    name = choices.first_name.strip() if "name" not in problems else ""
    time = content.time(choices.time)
    fitting = [s for s in suggest_roles(content, choices) if s.fits_time][: content.suggestions]
    return {
        "from": t("rolefinder.export.from", name=name) if name else t("rolefinder.export.from_anonymous"),
        "interests": ", ".join(content.label(i) for i in choices.interests) or t("rolefinder.export.none"),
        "skills": ", ".join(content.label(i) for i in choices.skills) or t("rolefinder.export.none"),
        "time": time.label if time else t("rolefinder.export.none"),
        "roles": [
            (s.role.name, _one_line(s.role.description), reason_text(content, s, "rolefinder.export.reason"))
            for s in fitting
        ],
        "note": [_one_line(p) for p in choices.note.strip().split("\n\n") if p.strip()],
    }


def note_markdown(content: RoleContent, choices: MemberChoices) -> str:
    """The note to the board as Markdown."""
    parts = _export_parts(content, choices)
    out = [f"# {t('rolefinder.export.title')}", ""]
    if content.source:
        out += [f"*{t('rolefinder.export.source', source=content.source_text)}*", ""]
    out += [markdown_literal(parts["from"]), ""]
    out += [f"## {t('rolefinder.export.choices')}", ""]
    out += [f"- {t('rolefinder.export.interests', items=parts['interests'])}"]
    out += [f"- {t('rolefinder.export.skills', items=parts['skills'])}"]
    out += [f"- {t('rolefinder.export.time', time=parts['time'])}", ""]
    out += [f"## {t('rolefinder.export.roles')}", ""]
    for number, (name, description, reason) in enumerate(parts["roles"], start=1):
        out.append(f"{number}. **{name}**: {description} {reason}")
    if not parts["roles"]:
        out.append(f"*{t('rolefinder.export.no_roles')}*")
    out += ["", f"## {t('rolefinder.export.note')}", ""]
    out += [markdown_literal("\n\n".join(parts["note"])) or f"*{t('rolefinder.export.none')}*", ""]
    return "\n".join(out)


def note_docx_bytes(content: RoleContent, choices: MemberChoices) -> bytes:
    """The note to the board as a Word document, with the same parts as the Markdown."""
    import docx  # python-docx, imported only when someone asks for a Word file

    parts = _export_parts(content, choices)
    document = docx.Document()
    document.core_properties.title = t("rolefinder.export.title")
    document.add_heading(t("rolefinder.export.title"), level=0)
    if content.source:
        document.add_paragraph(t("rolefinder.export.source", source=content.source_text)).runs[0].italic = True
    document.add_paragraph(parts["from"])
    document.add_heading(t("rolefinder.export.choices"), level=1)
    document.add_paragraph(t("rolefinder.export.interests", items=parts["interests"]), style="List Bullet")
    document.add_paragraph(t("rolefinder.export.skills", items=parts["skills"]), style="List Bullet")
    document.add_paragraph(t("rolefinder.export.time", time=parts["time"]), style="List Bullet")
    document.add_heading(t("rolefinder.export.roles"), level=1)
    for name, description, reason in parts["roles"]:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(name).bold = True
        paragraph.add_run(f": {description} {reason}")
    if not parts["roles"]:
        document.add_paragraph(t("rolefinder.export.no_roles"))
    document.add_heading(t("rolefinder.export.note"), level=1)
    for paragraph in parts["note"] or [t("rolefinder.export.none")]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
