"""Load and validate a course written as text (``course.yml`` and one folder per module).

A course is written by people who do not program, so every problem is reported
as a ``widgets.models.content.ContentError`` that names the file, the place in it and
what is wrong, in Swedish. Loading reads only YAML and Markdown: no nbgrader,
no ipywidgets, so the ``cirkel`` command stays fast.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grading.course.content_check import check_content
from grading.course.variants import ModuleVariant, TextVariant, course_variants, declared_variants, module_variants
from widgets import EXERCISE_WIDGETS
from widgets.core.i18n import t
from widgets.core.resources import courses_folder
from widgets.models.check import validate
from widgets.models.content import ContentError, load_yaml, place, read_text
from widgets.models.course import MINUTE_PARTS, NAME, STUDY_HOUR_MINUTES, CourseFile, ExerciseEntry, ModuleFile

__all__ = [
    "Course",
    "Module",
    "ExerciseSpec",
    "load_course",
    "load_module",
    "load_commitments",
    "validate_module_name",
    "MINUTE_PARTS",
    "parse_exercise",
    "SOURCE_DIR",
    "STUDY_HOUR_MINUTES",
    "WIDGET_CLASSES",
]

#: Suffixes of the files that are released with a module besides its notebook.
CONTENT_SUFFIXES = (".yml", ".yaml", ".csv")

#: Exercise widgets a module may name: the ``widgets`` package's own list.
WIDGET_CLASSES = tuple(EXERCISE_WIDGETS)
_NAME = NAME
#: ``module.yml`` and the overlays of its text versions (``module.<id>.yml``): not content files.
_MODULE_FILE = re.compile(r"^module(\.[^.]+)?\.ya?ml$")


#: The strategy document every course is written from, its commitments and how to read them
#: (the repository's own copy, ``courses/kalla/``).
SOURCE_DIR = courses_folder() / "kalla"


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise of a module, as written in ``module.yml``."""

    id: str
    widget: str
    points: float
    content: str | None = None
    check: str | None = None
    prompt: str | None = None
    #: Commitment ids (``commitments.yml``) this exercise's items work with, as the author names them.
    commitments: tuple[str, ...] = ()
    #: ``grupp: true``: a circle may do it together at a meeting; every member present is credited.
    group: bool = False

    @property
    def is_reflection(self) -> bool:
        return self.widget == "Reflection"


@dataclass(frozen=True)
class Module:
    """One module (one circle meeting): its description, text and exercises."""

    name: str
    path: Path
    title: str
    study_hours: int
    goals: list[str]
    commitments: list[str]
    samtalsfragor: list[str]
    exercises: list[ExerciseSpec]
    sources: list[dict[str, str]]
    text: str
    #: Minutes per part of the meeting (:data:`MINUTE_PARTS`), adding up to ``study_hours`` × 45.
    minutes: dict[str, int] = field(default_factory=dict)
    #: For each samtalsfråga (same order as ``samtalsfragor``), the commitment ids it works with.
    samtal_commitments: tuple[tuple[str, ...], ...] = ()
    #: Its text in other versions (lättläst, other languages), by version id, in the course's order.
    variants: dict[str, ModuleVariant] = field(default_factory=dict)

    @property
    def content_files(self) -> list[Path]:
        """Files the learner's notebook reads: each exercise's content and the data it refers to.

        A content file may name a sibling data file (GoalCalculator's example
        table), so every YAML and CSV file beside ``module.yml`` travels with the
        module; the author's texts (``text.md``, ``cirkelledare.md``) do not.
        """
        named = {self.path / ex.content for ex in self.exercises if ex.content}
        data = {p for p in self.path.iterdir() if p.suffix in CONTENT_SUFFIXES and not _MODULE_FILE.match(p.name)}
        return sorted(named | data)

    @property
    def max_points(self) -> float:
        return float(sum(ex.points for ex in self.exercises))


@dataclass(frozen=True)
class Course:
    """A course: ``course.yml`` and its modules in teaching order."""

    id: str
    path: Path
    title: str
    description: str
    language: str
    modules: list[Module]
    commitments: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The versions of the modules' texts the course offers (``variants`` in ``course.yml``).
    variants: tuple[TextVariant, ...] = ()

    def module(self, name: str) -> Module:
        """The module called ``name``; ``ContentError`` if the course has none."""
        validate_module_name(name, self.path / "course.yml")
        for module in self.modules:
            if module.name == name:
                return module
        raise ContentError(self.path / "course.yml", "modules", t("course.unknown_module", module=name))


def validate_module_name(name: str, path: str | Path, *where: str | int) -> str:
    """Return ``name`` if it is a safe folder and nbgrader assignment name.

    Module names become folder names in the run and nbgrader assignment ids,
    so ``..``, slashes and capitals are refused.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ContentError(path, place(*where), t("course.bad_module_name", module=name))
    return name


def load_commitments(course_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The commitments a module may take up, by id.

    Looked for in the ``commitments`` setting (:mod:`widgets.core.settings`), then ``<course>/commitments.yml``, then
    ``kalla/commitments.yml`` beside the course, then the repository's own copy
    (:data:`SOURCE_DIR`). Returns an empty dict when none is found (the build then
    shows ids only).
    """
    course_dir = Path(course_dir).resolve()
    candidates = []
    from widgets.core.settings import cirkel_settings  # traitlets only when a course is built

    named = cirkel_settings().commitments
    if named:
        candidates.append(Path(named))
    candidates += [
        course_dir / "commitments.yml",
        course_dir.parent / "kalla" / "commitments.yml",
        SOURCE_DIR / "commitments.yml",
    ]
    for path in candidates:
        if path.is_file():
            data = load_yaml(path) or []
            if not isinstance(data, list):
                raise ContentError(path, "", t("content.kind.list"))
            return {str(item["id"]): item for item in data if isinstance(item, dict) and "id" in item}
    return {}


def load_course(course_dir: str | os.PathLike[str]) -> Course:
    """Read and check ``course.yml`` and every module it lists."""
    course_dir = Path(course_dir)
    path = course_dir / "course.yml"
    if not course_dir.is_dir():
        raise ContentError(course_dir, "", t("course.no_dir"))
    data = load_yaml(path)
    model = validate(CourseFile, data, path, context={"folder": course_dir.resolve().name})
    course_id, title, names = model.id, model.title, model.modules
    language = str(data.get("language") or "sv")
    variants = course_variants(data, path, language)
    commitments = load_commitments(course_dir)
    warnings: list[str] = []
    modules = [
        load_module(course_dir / name, commitments=commitments, warnings=warnings, variants=variants) for name in names
    ]
    return Course(
        id=course_id,
        path=course_dir.resolve(),
        title=title,
        description=str(data.get("description") or ""),
        language=language,
        modules=modules,
        commitments=commitments,
        warnings=warnings,
        variants=variants,
    )


def load_module(
    module_dir: str | Path,
    *,
    commitments: dict[str, dict[str, Any]] | None = None,
    warnings: list[str] | None = None,
    variants: tuple[TextVariant, ...] | None = None,
) -> Module:
    """Read and check one module folder: ``module.yml``, ``text.md``, its text versions and content files.

    Unknown commitment ids are not errors (the seed list may grow): they are
    appended to ``warnings`` as readable Swedish sentences. ``variants`` are the
    text versions the course offers (``grading.course.variants``); by default those of
    the ``course.yml`` in the module's parent folder.
    """
    module_dir = Path(module_dir)
    name = validate_module_name(module_dir.name, module_dir.parent / "course.yml", "modules")
    path = module_dir / "module.yml"
    if not module_dir.is_dir():
        raise ContentError(module_dir, "", t("course.no_dir"))
    data = load_yaml(path)
    model = validate(ModuleFile, data, path)
    title, hours = model.title, model.study_hours
    minutes = {part: getattr(model.minutes, part) for part in MINUTE_PARTS}
    goals = list(model.goals)
    samtal = [q.text for q in model.samtalsfragor]
    samtal_commitments = tuple(tuple(c.strip() for c in q.commitments) for q in model.samtalsfragor)
    commitment_ids = [str(c) for c in (model.commitments or [])]
    sources = model.source or []
    exercises = [_exercise(entry, module_dir) for entry in model.exercises]
    if commitments and warnings is not None:
        named = [*commitment_ids, *(c for ids in samtal_commitments for c in ids)]
        named += [c for ex in exercises for c in ex.commitments]
        for cid in dict.fromkeys(named):
            if cid not in commitments:
                warnings.append(t("course.unknown_commitment", path=str(path), id=cid))
    text = read_text(module_dir / "text.md")
    # every bank, plan and scenario read as the learner's widget will read it
    check_content(module_dir, exercises)
    if variants is None:
        variants = declared_variants(module_dir.parent)
    return Module(
        name=name,
        path=module_dir.resolve(),
        title=title,
        study_hours=hours,
        goals=goals,
        commitments=commitment_ids,
        samtalsfragor=samtal,
        exercises=exercises,
        sources=[s for s in sources if isinstance(s, dict)],
        text=text,
        minutes=minutes,
        samtal_commitments=samtal_commitments,
        variants=module_variants(module_dir, data, variants),
    )


def _exercise(entry: ExerciseEntry, module_dir: Path) -> ExerciseSpec:
    """An exercise checked by its model; its content file must be in ``module_dir``."""
    if entry.content is not None and not (module_dir / entry.content).is_file():
        raise ContentError(module_dir / entry.content, "", t("content.missing_file"))
    return ExerciseSpec(
        id=entry.id,
        widget=entry.widget,
        points=float(entry.points),
        content=entry.content,
        check=entry.check,
        prompt=entry.prompt,
        commitments=tuple(c.strip() for c in entry.commitments),
        group=entry.grupp,
    )


def parse_exercise(item: Any, path: Path, module_dir: Path, i: int) -> ExerciseSpec:
    """Exercise ``i`` of ``module.yml`` (at ``path``), checked; its content file must be in ``module_dir``."""
    entry = validate(ExerciseEntry, item, path, at=("exercises", i))
    return _exercise(entry, module_dir)
