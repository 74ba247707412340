"""A plan's wording (content): the six steps' titles, help and quotes, and the limits it is checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.check import validate
from widgets.models.content import ContentError, load_yaml

STEPS = ("perception", "goals", "resources", "activities", "anchoring", "revisit")


@dataclass(frozen=True)
class Step:
    """The wording of one step."""

    title: str
    help: str
    quote: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class PlanPrompts:
    """The plan builder's content: wording of the six steps and the limits."""

    title: str
    steps: dict[str, Step]
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)
    min_goals: int = 2
    max_goals: int = 4
    min_years: int = 2

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    @classmethod
    def from_file(cls, path: str | Path) -> PlanPrompts:
        return load_prompts(path)


def load_prompts(path: str | Path) -> PlanPrompts:
    """Read and validate a prompts file; ``ContentError`` names the file, place and problem."""
    return parse_prompts(load_yaml(path), Path(path).name)


def parse_prompts(raw: Any, path: str | Path = "<plan>") -> PlanPrompts:
    """Validate already parsed prompts (a dict as from YAML)."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields here
    model = validate(shapes.PlanPrompts, raw, path, lines=False)
    title = model.title.strip()
    source = model.source.model_dump(exclude_unset=True) if model.source else {}
    intro = (model.intro or "").strip()
    min_goals = 2 if model.min_goals is None else model.min_goals
    max_goals = 4 if model.max_goals is None else model.max_goals
    min_years = 2 if model.min_years is None else model.min_years
    if not 1 <= min_goals <= max_goals:
        raise ContentError(path, "min_goals", t("plan.content.goal_limits"))
    if min_years < 1:
        raise ContentError(path, "min_years", t("plan.content.min_years"))
    steps = {
        step_id: Step(
            title=step.title.strip(),
            help=step.help.strip(),
            quote=(step.quote or "").strip(),
            placeholder=(step.placeholder or "").strip(),
        )
        for step_id in STEPS
        for step in [getattr(model.steps, step_id)]
    }
    return PlanPrompts(
        title=title,
        steps=steps,
        intro=intro,
        source=source,
        min_goals=min_goals,
        max_goals=max_goals,
        min_years=min_years,
    )
