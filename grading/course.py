"""Load and validate a course written as text (``course.yml`` and one folder per module).

A course is written by people who do not program, so every problem is reported
as a ``widgets.content.ContentError`` that names the file, the place in it and
what is wrong, in Swedish. Loading reads only YAML and Markdown: no nbgrader,
no ipywidgets, so the ``cirkel`` command stays fast.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets import EXERCISE_WIDGETS
from widgets.content import ContentError, load_yaml, optional, place, read_text, reject_unknown, require
from widgets.i18n import t
from widgets.resources import courses_folder
from widgets.store import SETTING_IDS

from . import CHECKS
from .content_check import check_content
from .variants import ModuleVariant, TextVariant, course_variants, declared_variants, module_variants

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
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: ``module.yml`` and the overlays of its text versions (``module.<id>.yml``): not content files.
_MODULE_FILE = re.compile(r"^module(\.[^.]+)?\.ya?ml$")

#: A study hour (studietimme), in minutes; breaks do not count.
STUDY_HOUR_MINUTES = 45
#: The parts of a circle meeting ``module.yml``'s ``minutes`` names: reading, discussion (the
#: samtalsfrågor, the opening round and the closing talk), the exercises, the reflection.
MINUTE_PARTS = ("reading", "discussion", "exercise", "reflection")

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

    Looked for in ``$CIRKEL_COMMITMENTS``, then ``<course>/commitments.yml``, then
    ``kalla/commitments.yml`` beside the course, then the repository's own copy
    (:data:`SOURCE_DIR`). Returns an empty dict when none is found (the build then
    shows ids only).
    """
    course_dir = Path(course_dir).resolve()
    candidates = []
    if os.environ.get("CIRKEL_COMMITMENTS"):
        candidates.append(Path(os.environ["CIRKEL_COMMITMENTS"]))
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


def load_course(course_dir: str | Path) -> Course:
    """Read and check ``course.yml`` and every module it lists."""
    course_dir = Path(course_dir)
    path = course_dir / "course.yml"
    if not course_dir.is_dir():
        raise ContentError(course_dir, "", t("course.no_dir"))
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "", t("content.not_mapping"))
    course_id = require(data, "id", str, path)
    if course_id != course_dir.resolve().name:
        raise ContentError(path, "id", t("course.id_mismatch", id=course_id, folder=course_dir.resolve().name))
    title = require(data, "title", str, path)
    names = require(data, "modules", list, path)
    if not names:
        raise ContentError(path, "modules", t("course.no_modules"))
    seen: set[str] = set()
    for i, name in enumerate(names):
        validate_module_name(name, path, "modules", i)
        if name in seen:
            raise ContentError(path, place("modules", i), t("course.duplicate", id=name))
        seen.add(name)
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
    text versions the course offers (``grading.variants``); by default those of
    the ``course.yml`` in the module's parent folder.
    """
    module_dir = Path(module_dir)
    name = validate_module_name(module_dir.name, module_dir.parent / "course.yml", "modules")
    path = module_dir / "module.yml"
    if not module_dir.is_dir():
        raise ContentError(module_dir, "", t("course.no_dir"))
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "", t("content.not_mapping"))
    title = require(data, "title", str, path)
    hours = require(data, "study_hours", int, path)
    if not 1 <= hours <= 4:
        raise ContentError(path, "study_hours", t("course.bad_hours", hours=hours))
    minutes = _minutes(data, path, hours)
    goals = _text_list(data, "goals", path)
    samtal, samtal_commitments = _samtalsfragor(data, path)
    if len(samtal) < 3:
        raise ContentError(path, "samtalsfragor", t("course.too_few_questions", count=len(samtal)))
    commitment_ids = [str(c) for c in (data.get("commitments") or [])]
    sources = data.get("source") or []
    if not isinstance(sources, list):
        raise ContentError(path, "source", t("content.wrong_type", key="source", expected=t("content.kind.list")))
    exercises = [
        parse_exercise(item, path, module_dir, i) for i, item in enumerate(require(data, "exercises", list, path))
    ]
    if not any(ex.check for ex in exercises):
        raise ContentError(path, "exercises", t("course.no_graded_exercise"))
    ids = [ex.id for ex in exercises]
    for i, ex_id in enumerate(ids):
        if ex_id in ids[:i]:
            raise ContentError(path, place("exercises", i, "id"), t("course.duplicate", id=ex_id))
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


def _minutes(data: dict[str, Any], path: Path, hours: int) -> dict[str, int]:
    """``minutes``: whole minutes per part of the meeting, adding up to the module's study hours."""
    raw = require(data, "minutes", dict, path)
    parts = ", ".join(MINUTE_PARTS)
    for key in raw:
        if key not in MINUTE_PARTS:
            raise ContentError(
                path, place("minutes", str(key)), t("course.minutes_unknown_part", part=key, parts=parts)
            )
    minutes: dict[str, int] = {}
    for part in MINUTE_PARTS:
        if raw.get(part) is None:
            raise ContentError(path, place("minutes", part), t("course.minutes_missing_part", part=part, parts=parts))
        value = raw[part]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ContentError(path, place("minutes", part), t("course.minutes_not_whole", part=part))
        minutes[part] = value
    expected = hours * STUDY_HOUR_MINUTES
    if sum(minutes.values()) != expected:
        summed = " + ".join(str(minutes[p]) for p in MINUTE_PARTS)
        raise ContentError(
            path,
            "minutes",
            t("course.minutes_sum", sum=summed, total=sum(minutes.values()), count=hours, expected=expected),
        )
    return minutes


def _samtalsfragor(data: dict[str, Any], path: Path) -> tuple[list[str], tuple[tuple[str, ...], ...]]:
    """The samtalsfrågor: each a text, or ``{text, commitments}`` naming the commitments it works with."""
    items = require(data, "samtalsfragor", list, path)
    texts: list[str] = []
    named: list[tuple[str, ...]] = []
    for i, item in enumerate(items):
        ids: tuple[str, ...] = ()
        if isinstance(item, dict):
            reject_unknown(item, ("text", "commitments"), path, "samtalsfragor", i)
            text = require(item, "text", str, path, "samtalsfragor", i)
            ids = _id_list(item, path, "samtalsfragor", i)
        else:
            text = item
        if not isinstance(text, str) or not text.strip():
            raise ContentError(path, place("samtalsfragor", i), t("course.empty_text"))
        texts.append(text)
        named.append(ids)
    return texts, tuple(named)


def _id_list(item: dict[str, Any], path: Path, *where: str | int) -> tuple[str, ...]:
    """An optional ``commitments`` list of ids in ``item``."""
    ids = optional(item, "commitments", list, [], path, *where)
    for j, cid in enumerate(ids):
        if not isinstance(cid, str) or not cid.strip():
            raise ContentError(path, place(*where, "commitments", j), t("course.empty_text"))
    return tuple(str(c).strip() for c in ids)


def _text_list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    items = require(data, key, list, path)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, place(key, i), t("course.empty_text"))
    return [str(item) for item in items]


def parse_exercise(item: Any, path: Path, module_dir: Path, i: int) -> ExerciseSpec:
    """Exercise ``i`` of ``module.yml`` (at ``path``), checked; its content file must be in ``module_dir``."""
    where = ("exercises", i)
    ex_id = require(item, "id", str, path, *where)
    if not _NAME.match(ex_id):
        raise ContentError(path, place(*where, "id"), t("store.bad_id", exercise_id=ex_id))
    if ex_id in SETTING_IDS:
        raise ContentError(path, place(*where, "id"), t("course.reserved_id", id=ex_id))
    widget = require(item, "widget", str, path, *where)
    if widget not in WIDGET_CLASSES:
        raise ContentError(
            path, place(*where, "widget"), t("course.unknown_widget", widget=widget, known=", ".join(WIDGET_CLASSES))
        )
    points = require(item, "points", (int, float), path, *where)
    if isinstance(points, bool) or points <= 0:
        raise ContentError(path, place(*where, "points"), t("course.bad_points"))
    content = item.get("content")
    if content is not None:
        content = require(item, "content", str, path, *where)
        if "/" in content or "\\" in content or content.startswith("."):
            raise ContentError(path, place(*where, "content"), t("course.bad_content_name", name=content))
        if not (module_dir / content).is_file():
            raise ContentError(module_dir / content, "", t("content.missing_file"))
    check = item.get("check")
    if check is not None:
        check = require(item, "check", str, path, *where)
        if check not in CHECKS:
            raise ContentError(
                path, place(*where, "check"), t("course.bad_check", check=check, known=", ".join(CHECKS))
            )
    prompt = item.get("prompt")
    if widget == "Reflection":
        prompt = require(item, "prompt", str, path, *where)
        if check:
            raise ContentError(path, place(*where, "check"), t("course.reflection_check"))
    elif content is None:
        raise ContentError(path, place(*where, "content"), t("content.missing_key", key="content"))
    group = _group_flag(item, path, where, check)
    return ExerciseSpec(
        id=ex_id,
        widget=widget,
        points=float(points),
        content=content,
        check=check,
        prompt=prompt,
        commitments=_id_list(item, path, *where),
        group=group,
    )


def _group_flag(item: dict[str, Any], path: Path, where: tuple[str | int, ...], check: str | None) -> bool:
    """``grupp``: yes or no; only an exercise graded by a check can be credited to a whole circle."""
    value = item.get("grupp", False)
    if not isinstance(value, bool):
        raise ContentError(path, place(*where, "grupp"), t("course.bad_group", value=value))
    if value and not check:
        raise ContentError(path, place(*where, "grupp"), t("course.group_needs_check"))
    return value
