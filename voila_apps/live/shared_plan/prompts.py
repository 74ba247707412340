"""Where the shared plan's wording comes from: the run's own plan module, else a course's."""

from __future__ import annotations

from pathlib import Path

import yaml

from widgets.core.i18n import t, yaml_data
from widgets.core.resources import courses_folder
from widgets.models.content import ContentError
from widgets.models.plan import PlanPrompts, load_prompts

_REPO_COURSES = courses_folder()


def _prompts_in(folder: Path, pattern: str) -> PlanPrompts | None:
    for module_yml in sorted(folder.glob(pattern)):
        try:
            spec = yaml_data(module_yml.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for exercise in spec.get("exercises") or [] if isinstance(spec, dict) else []:
            if (
                isinstance(exercise, dict)
                and exercise.get("widget") == "StrategicPlanBuilder"
                and exercise.get("content")
            ):
                return load_prompts(module_yml.parent / str(exercise["content"]))
    return None


def find_prompts(run_dir: str | Path) -> PlanPrompts:
    """The plan's wording: the run's own plan module, else the course with a plan in the repository.

    Raises ``ContentError`` when there is none (or it cannot be read).
    """
    found = _prompts_in(Path(run_dir) / "source", "*/module.yml")
    if found is None and _REPO_COURSES.is_dir():
        found = _prompts_in(_REPO_COURSES, "*/*/module.yml")
    if found is None:
        raise ContentError(Path(run_dir) / "source", "", t("sharedplan.no_prompts"))
    return found
