"""What an assignment (uppdrag) asks of a person, set against the time the person has.

Pure Python (no ipywidgets). Strategidokumentet, Del 2, "Det hållbara
engagemanget", asks for written templates of what is expected in each
assignment, for the nominating committees (valberedningar), from the moment
someone is asked until the assignment ends; it must be allowed to drop some
tasks; and the social part of a role, often carried by women without being
seen, should be made visible. The assignment presets with example tasks are
content (a YAML file); the hours are the learner's own estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.core.numbers import format_number, share_done
from widgets.models import exercise_content as shapes
from widgets.models.builder import (
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
    parse_steps,
    unique_ids,
)
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml, place

__all__ = [
    "STEPS",
    "Preset",
    "PresetTask",
    "RoleContent",
    "load_role_content",
    "parse_role_content",
    "Task",
    "Expectations",
    "Balance",
    "balance",
    "role_warnings",
    "role_summary",
    "role_parts",
    "role_completeness",
    "role_title",
    "role_blocks",
]

STEPS = ("assignment", "tasks", "support", "time")
MAX_HOURS = 200.0  # hours a month; more is a typo


# -- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresetTask:
    """An example task of a preset; ``optional`` suggests it may be dropped."""

    text: str
    optional: bool = False


@dataclass(frozen=True)
class Preset:
    """An assignment template: its name, period, example tasks and the support offered."""

    id: str
    name: str
    period: str = ""
    tasks: tuple[PresetTask, ...] = ()
    support: str = ""


@dataclass(frozen=True)
class RoleContent:
    """The content of a role-expectations exercise: wording and assignment presets."""

    head: Head
    steps: dict[str, Step]
    presets: tuple[Preset, ...]

    @property
    def title(self) -> str:
        return self.head.title

    def preset(self, preset_id: str) -> Preset | None:
        return next((p for p in self.presets if p.id == preset_id), None)


def load_role_content(path: str | Path) -> RoleContent:
    """Read and validate a role-expectations content file."""
    return parse_role_content(load_yaml(path), Path(path).name)


def parse_role_content(raw: Any, path: str | Path = "<roles>") -> RoleContent:
    """Validate already parsed content; ``ContentError`` names the place."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.RoleExpectationsContent, raw, path, lines=False)
    head = parse_head(raw, path)
    steps = parse_steps(raw, STEPS, path)
    presets: list[Preset] = []
    raw_presets = raw["presets"]
    if not raw_presets:
        raise ContentError(path, "presets", t("builders.content.empty_list"))
    for index, item in enumerate(raw_presets):
        preset_id = content_id(item, path, "presets", index)
        tasks: list[PresetTask] = []
        for task in item["tasks"]:
            if isinstance(task, str):
                task = {"text": task}
            tasks.append(
                PresetTask(
                    text=task["text"].strip(),
                    optional=given(task, "optional", False),
                )
            )
        if not tasks:
            raise ContentError(path, place("presets", index, "tasks"), t("builders.content.empty_list"))
        presets.append(
            Preset(
                id=preset_id,
                name=item["name"].strip(),
                period=given(item, "period", "").strip(),
                tasks=tuple(tasks),
                support=given(item, "support", "").strip(),
            )
        )
    unique_ids((p.id for p in presets), path, "presets")
    return RoleContent(head=head, steps=steps, presets=tuple(presets))


# -- the answers ---------------------------------------------------------------------------------


@dataclass
class Task:
    """One task of the assignment, its hours a month, and whether it may be dropped."""

    text: str = ""
    hours: float = 0.0
    optional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "hours": self.hours, "optional": self.optional}


@dataclass
class Expectations:
    """The assignment as described, and the person's own time, as saved in the answer store."""

    preset: str = ""
    assignment: str = ""
    period: str = ""
    tasks: list[Task] = field(default_factory=list)
    support: str = ""
    available: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "assignment": self.assignment,
            "period": self.period,
            "tasks": [task.to_json() for task in self.tasks],
            "support": self.support,
            "available": self.available,
        }

    @classmethod
    def from_json(cls, data: Any, content: RoleContent) -> Expectations:
        """Answers from saved data; damaged parts are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}
        preset = clean_text(data.get("preset"), 64)
        tasks = [
            Task(
                text=clean_text(item.get("text")),
                hours=float(clean_number(item.get("hours"), maximum=MAX_HOURS)),
                optional=clean_bool(item.get("optional")),
            )
            for item in (data.get("tasks") if isinstance(data.get("tasks"), list) else [])[:40]
            if isinstance(item, dict)
        ]
        return cls(
            preset=preset if content.preset(preset) else "",
            assignment=clean_text(data.get("assignment"), 200),
            period=clean_text(data.get("period"), 500),
            tasks=tasks,
            support=clean_text(data.get("support")),
            available=float(clean_number(data.get("available"), maximum=MAX_HOURS)),
        )

    def named_tasks(self) -> list[Task]:
        return [task for task in self.tasks if task.text.strip()]


@dataclass(frozen=True)
class Balance:
    """Hours a month: what the assignment needs, what it needs without the droppable tasks, what the person has."""

    needed: float
    core: float
    available: float

    @property
    def left(self) -> float:
        """Hours over (positive) or missing (negative) when the whole assignment is done."""
        return self.available - self.needed


def balance(answers: Expectations) -> Balance:
    tasks = answers.named_tasks()
    needed = sum(task.hours for task in tasks)
    core = sum(task.hours for task in tasks if not task.optional)
    return Balance(needed=round(needed, 2), core=round(core, 2), available=answers.available)


def _hours(value: float) -> str:
    return format_number(value, 1)


# -- the check ----------------------------------------------------------------------------------


def role_warnings(answers: Expectations, content: RoleContent) -> list[BuilderWarning]:
    """What to look over before the template goes to the nominating committee."""
    found: list[BuilderWarning] = []
    if not answers.assignment.strip():
        found.append(BuilderWarning("no_assignment", t("roleexp.warn.no_assignment")))
    tasks = answers.named_tasks()
    if not tasks:
        found.append(BuilderWarning("no_tasks", t("roleexp.warn.no_tasks")))
    for number, task in enumerate(answers.tasks, start=1):
        if task.text.strip() and task.hours == 0:
            found.append(
                BuilderWarning(
                    "task_without_hours", t("roleexp.warn.task_without_hours", number=number, text=one_line(task.text))
                )
            )
    if tasks and not any(task.optional for task in tasks):
        found.append(BuilderWarning("nothing_to_drop", t("roleexp.warn.nothing_to_drop")))
    if not answers.period.strip():
        found.append(BuilderWarning("no_period", t("roleexp.warn.no_period")))
    if not answers.support.strip():
        found.append(BuilderWarning("no_support", t("roleexp.warn.no_support")))
    b = balance(answers)
    if answers.available <= 0:
        found.append(BuilderWarning("no_available", t("roleexp.warn.no_available")))
    elif b.needed > b.available:
        if b.core <= b.available:
            message = t(
                "roleexp.warn.over_time_drop",
                count=round(b.needed, 1),
                available=_hours(b.available),
                core=_hours(b.core),
            )
        else:
            message = t(
                "roleexp.warn.over_time", count=round(b.needed, 1), available=_hours(b.available), core=_hours(b.core)
            )
        found.append(BuilderWarning("over_time", message))
    return found


def role_summary(answers: Expectations) -> str:
    """``Uppdraget behöver 12 timmar i månaden (9 utan det som kan väljas bort). Du har 10. 2 timmar fattas.``"""
    b = balance(answers)
    text = t("roleexp.summary.needed", count=round(b.needed, 1), core=_hours(b.core))
    text += " " + t("roleexp.summary.available", count=round(b.available, 1))
    if b.left >= 0:
        text += " " + t("roleexp.summary.left", count=round(b.left, 1))
    else:
        text += " " + t("roleexp.summary.missing", count=round(-b.left, 1))
    return text


# -- completeness ------------------------------------------------------------------------------------


def role_parts(answers: Expectations, content: RoleContent) -> dict[str, bool]:
    """Which parts of the template are done."""
    tasks = answers.named_tasks()
    return {
        "assignment": bool(answers.assignment.strip()),
        "period": bool(answers.period.strip()),
        "tasks": bool(tasks) and all(task.hours > 0 for task in tasks),
        "drop": any(task.optional for task in tasks),
        "support": bool(answers.support.strip()),
        "available": answers.available > 0,
    }


def role_completeness(answers: Expectations, content: RoleContent) -> float:
    parts = role_parts(answers, content)
    return share_done(parts)


# -- export: the template for the nominating committee --------------------------------------------------


def role_title(answers: Expectations) -> str:
    return t("roleexp.export.title", assignment=one_line(answers.assignment) or t("roleexp.export.unnamed"))


def role_blocks(answers: Expectations, content: RoleContent) -> list[Block]:
    """The template as blocks for Markdown and Word."""
    empty = t("builders.export.empty")
    b = balance(answers)
    blocks: list[Block] = [
        Block("para", t("roleexp.export.intro")),
        Block(
            "bullets",
            items=(
                t("roleexp.export.assignment", assignment=one_line(answers.assignment) or empty),
                t("roleexp.export.period", period=one_line(answers.period) or empty),
                t("roleexp.export.hours", count=round(b.needed, 1), core=_hours(b.core)),
            ),
        ),
        Block("heading", t("roleexp.export.tasks")),
    ]
    tasks = answers.named_tasks()
    if tasks:
        rows: list[tuple[str, ...]] = [
            (t("roleexp.export.col_task"), t("roleexp.export.col_hours"), t("roleexp.export.col_optional"))
        ]
        rows += [
            (one_line(task.text), _hours(task.hours), t("roleexp.export.yes") if task.optional else "–")
            for task in tasks
        ]
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("para", empty))
    blocks.append(Block("heading", t("roleexp.export.may_drop")))
    droppable = [one_line(task.text) for task in tasks if task.optional]
    blocks.append(
        Block("bullets", items=tuple(droppable)) if droppable else Block("para", t("roleexp.export.nothing_to_drop"))
    )
    blocks.append(Block("heading", t("roleexp.export.support")))
    blocks.append(Block("para", one_line(answers.support) or empty))
    blocks.append(Block("heading", t("roleexp.export.time")))
    blocks.append(Block("para", role_summary(answers)))
    if content.head.source:
        blocks.append(Block("note", t("builders.export.source", source=content.head.source)))
    return blocks
