"""The question banks of a run that a group quiz can use (its modules' ``MeetingRoleQuiz``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from grading.circles.group_quiz.records import GroupQuizError, QuizChoice
from grading.circles.group_quiz.tables import QUIZ_WIDGET
from widgets.core.i18n import t, yaml_data
from widgets.models.content import ContentError

# -- the question banks of a run ----------------------------------------------------------


def run_info(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / "cirkel-run.yml"
    try:
        info = yaml_data(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raise GroupQuizError(t("groupquiz.error.no_run", path=str(run_dir))) from None
    if not isinstance(info, dict):
        raise GroupQuizError(t("groupquiz.error.no_run", path=str(run_dir)))
    return info


def _module_spec(run_dir: Path, module: str) -> dict[str, Any]:
    path = Path(run_dir) / "source" / module / "module.yml"
    try:
        spec = yaml_data(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raise GroupQuizError(t("groupquiz.error.no_module", module=module)) from None
    return spec if isinstance(spec, dict) else {}


def quiz_exercises(run_dir: str | os.PathLike[str]) -> list[QuizChoice]:
    """Every ``MeetingRoleQuiz`` of the run's modules, in teaching order (unreadable banks left out)."""
    from widgets.models.quiz_bank import load_bank

    root = Path(run_dir)
    modules = run_info(root).get("modules") or []
    found: list[QuizChoice] = []
    for module in modules:
        try:
            spec = _module_spec(root, str(module))
        except GroupQuizError:
            continue
        for exercise in spec.get("exercises") or []:
            if not isinstance(exercise, dict) or exercise.get("widget") != QUIZ_WIDGET:
                continue
            try:
                bank = load_bank(root / "source" / str(module) / str(exercise.get("content")))
            except ContentError:
                continue
            found.append(QuizChoice(str(module), str(exercise.get("id")), bank.title, str(spec.get("title") or module)))
    return found


def load_quiz_bank(root: Path, module: str, exercise_id: str):
    from widgets.models.quiz_bank import load_bank

    if module not in [str(m) for m in (run_info(root).get("modules") or [])]:
        raise GroupQuizError(t("groupquiz.error.no_module", module=module))
    for exercise in _module_spec(root, module).get("exercises") or []:
        if isinstance(exercise, dict) and exercise.get("id") == exercise_id and exercise.get("widget") == QUIZ_WIDGET:
            try:
                return load_bank(root / "source" / module / str(exercise.get("content")))
            except ContentError as problem:
                raise GroupQuizError(str(problem)) from None
    raise GroupQuizError(t("groupquiz.error.no_quiz", module=module, exercise=exercise_id))
