"""Other versions of a module's text: lättläst Swedish, and the text in other languages.

A course names the versions it offers in ``course.yml``; each has an id, the label the
learner chooses it by and, for another language, the language's code::

    variants:
      - id: lattlast
        label: Lättläst
      - id: en
        label: English
        language: en

A course without a ``variants`` list offers the default ones (:func:`default_variants`):
``lattlast`` (Lättläst, in the course's language) and ``en`` (English). A list replaces them.

A module has a version when two files stand beside ``module.yml``:

- ``text.<id>.md``: the module's text in that version, written like ``text.md`` (the same
  quotations of the document with part and section, a commitment marker before the
  paragraph that explains each commitment);
- ``module.<id>.yml``: an *overlay* with only the fields a learner reads, in that version:
  ``title``, ``goals``, ``samtalsfragor`` (as many as in ``module.yml``, in the same order)
  and, under ``exercises``, the ``prompt`` of each reflection by its ``id``. Everything else
  (study hours, minutes, commitments, exercises and their content) is ``module.yml``'s.

A version is all or nothing: one of the two files without the other, a field that
``module.yml`` does not have, a field that is not read by the learner (``minutes``,
``commitments`` ...) or a missing one are refused with a Swedish message naming the file
and the field. Exercise content (question banks, plan prompts ...) stays in Swedish.

Only YAML and Markdown are read: no nbgrader, no ipywidgets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models.content import ContentError, load_yaml, place, read_text, reject_unknown, require
from widgets.models.text_versions import STANDARD

__all__ = [
    "STANDARD",
    "LATTLAST",
    "OVERLAY_FIELDS",
    "TextVariant",
    "ModuleVariant",
    "course_variants",
    "declared_variants",
    "default_variants",
    "module_variants",
    "overlay_path",
    "text_path",
]

#: The id of the easy-to-read Swedish version.
LATTLAST = "lattlast"
#: The fields of ``module.yml`` an overlay gives in its version.
OVERLAY_FIELDS = ("title", "goals", "samtalsfragor", "exercises")

_ID = re.compile(r"^[a-z][a-z0-9-]{1,19}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TEXT_FILE = re.compile(r"^text\.(?P<id>[^.]+)\.md$")
_OVERLAY_FILE = re.compile(r"^module\.(?P<id>[^.]+)\.ya?ml$")


@dataclass(frozen=True)
class TextVariant:
    """A version of the modules' texts that a course offers (``variants`` in ``course.yml``).

    Attributes
    ----------
    id:
        Names the files: ``text.<id>.md`` and ``module.<id>.yml``.
    label:
        What the learner chooses it by, in its own language (``Lättläst``, ``English``).
    language:
        The language of its text (a code such as ``sv`` or ``en``): the page marks it so.
    """

    id: str
    label: str
    language: str


@dataclass(frozen=True)
class ModuleVariant:
    """One module's text, goals, samtalsfrågor and reflection prompts in one version."""

    variant: TextVariant
    title: str
    goals: tuple[str, ...]
    samtalsfragor: tuple[str, ...]
    text: str
    #: The reflection prompts in this version, by exercise id.
    prompts: Mapping[str, str] = field(default_factory=dict)
    #: ``text.<id>.md``.
    text_file: Path | None = None

    @property
    def id(self) -> str:
        return self.variant.id


def text_path(module_dir: str | Path, variant_id: str) -> Path:
    """``text.<id>.md`` beside ``module.yml``."""
    return Path(module_dir) / f"text.{variant_id}.md"


def overlay_path(module_dir: str | Path, variant_id: str) -> Path:
    """``module.<id>.yml`` beside ``module.yml``."""
    return Path(module_dir) / f"module.{variant_id}.yml"


# -- the course's versions ---------------------------------------------------------------------


def default_variants(language: str = "sv") -> tuple[TextVariant, ...]:
    """The versions a course offers when its ``course.yml`` names none: lättläst and English.

    So a module with ``text.lattlast.md`` or ``text.en.md`` keeps its versions when it is
    copied into a course whose ``course.yml`` has no ``variants`` list.
    """
    return (TextVariant(LATTLAST, "Lättläst", language), TextVariant("en", "English", "en"))


def course_variants(data: Mapping[str, Any], path: Path, language: str = "sv") -> tuple[TextVariant, ...]:
    """The versions ``course.yml`` (read as ``data``) offers, in its order; the default ones when it names none."""
    items = data.get("variants")
    if items is None:
        return default_variants(language)
    if not isinstance(items, list):
        raise ContentError(path, "variants", t("content.wrong_type", key="variants", expected=t("content.kind.list")))
    found: list[TextVariant] = []
    for i, item in enumerate(items):
        where = ("variants", i)
        if not isinstance(item, dict):
            raise ContentError(path, place(*where), t("content.not_mapping"))
        reject_unknown(item, ("id", "label", "language"), path, *where)
        variant_id = require(item, "id", str, path, *where)
        if variant_id == STANDARD or not _ID.match(variant_id):
            raise ContentError(path, place(*where, "id"), t("variant.bad_id", id=variant_id))
        if variant_id in [v.id for v in found]:
            raise ContentError(path, place(*where, "id"), t("course.duplicate", id=variant_id))
        label = require(item, "label", str, path, *where).strip()
        if not label:
            raise ContentError(path, place(*where, "label"), t("course.empty_text"))
        lang = item.get("language", language)
        if not isinstance(lang, str) or not _LANGUAGE.match(lang):
            raise ContentError(path, place(*where, "language"), t("variant.bad_language", language=lang))
        found.append(TextVariant(variant_id, label, lang))
    return tuple(found)


def declared_variants(course_dir: str | Path) -> tuple[TextVariant, ...]:
    """The versions the ``course.yml`` in ``course_dir`` offers (the default ones when there is no such file)."""
    path = Path(course_dir) / "course.yml"
    if not path.is_file():
        return default_variants()
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "", t("content.not_mapping"))
    return course_variants(data, path, str(data.get("language") or "sv"))


# -- a module's versions -----------------------------------------------------------------------


def module_variants(
    module_dir: str | Path,
    spec: Mapping[str, Any],
    declared: Sequence[TextVariant],
) -> dict[str, ModuleVariant]:
    """The versions of the module in ``module_dir``, in the course's order, checked against ``spec``.

    Parameters
    ----------
    module_dir:
        The module's folder.
    spec:
        Its ``module.yml``, as read (already checked by the course loader).
    declared:
        The versions its course offers.
    """
    module_dir = Path(module_dir)
    known = {v.id: v for v in declared}
    present: set[str] = set()
    for path in sorted(module_dir.iterdir()):
        match = _TEXT_FILE.match(path.name) or _OVERLAY_FILE.match(path.name)
        if not match:
            continue
        variant_id = match.group("id")
        if variant_id not in known:
            offered = ", ".join(known) or t("variant.none_offered")
            raise ContentError(path, "", t("variant.not_offered", id=variant_id, known=offered))
        present.add(variant_id)
    found: dict[str, ModuleVariant] = {}
    for variant in declared:
        if variant.id not in present:
            continue
        text_file, overlay = text_path(module_dir, variant.id), overlay_path(module_dir, variant.id)
        if not text_file.is_file():
            raise ContentError(text_file, "", t("variant.no_text", overlay=overlay.name, text=text_file.name))
        if not overlay.is_file():
            raise ContentError(overlay, "", t("variant.no_overlay", overlay=overlay.name, text=text_file.name))
        found[variant.id] = _module_variant(variant, text_file, overlay, spec)
    return found


def _module_variant(variant: TextVariant, text_file: Path, overlay: Path, spec: Mapping[str, Any]) -> ModuleVariant:
    data = load_yaml(overlay)
    if not isinstance(data, dict):
        raise ContentError(overlay, "", t("content.not_mapping"))
    for key in data:
        _translatable(key, spec, overlay, OVERLAY_FIELDS)
    for key in OVERLAY_FIELDS:
        if key == "exercises" and not _prompted(spec):
            continue
        if key not in data or data[key] is None:
            raise ContentError(overlay, key, t("variant.missing_field", key=key))
    title = require(data, "title", str, overlay).strip()
    if not title:
        raise ContentError(overlay, "title", t("course.empty_text"))
    goals = _texts(data, "goals", overlay, len(spec.get("goals") or []))
    questions = _samtalsfragor(data, overlay, spec)
    prompts = _prompts(data, overlay, spec)
    text = read_text(text_file)
    if not text.strip():
        raise ContentError(text_file, "", t("variant.empty_text"))
    return ModuleVariant(variant, title, goals, questions, text, prompts, text_file)


def _translatable(key: Any, spec: Mapping[str, Any], path: Path, allowed: Sequence[str], *where: str | int) -> None:
    """Refuse ``key`` when ``module.yml`` has no such field, or has it but the overlay may not change it."""
    if key in allowed:
        return
    if key in spec:
        raise ContentError(
            path, place(*where, str(key)), t("variant.not_translated", key=key, allowed=", ".join(allowed))
        )
    raise ContentError(path, place(*where, str(key)), t("variant.unknown_field", key=key))


def _texts(data: Mapping[str, Any], key: str, path: Path, count: int) -> tuple[str, ...]:
    items = require(data, key, list, path)
    if len(items) != count:
        raise ContentError(path, key, t("variant.count", key=key, count=len(items), expected=count))
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, place(key, i), t("course.empty_text"))
    return tuple(item.strip() for item in items)


def _samtalsfragor(data: Mapping[str, Any], path: Path, spec: Mapping[str, Any]) -> tuple[str, ...]:
    standard = spec.get("samtalsfragor") or []
    items = require(data, "samtalsfragor", list, path)
    if len(items) != len(standard):
        raise ContentError(
            path, "samtalsfragor", t("variant.count", key="samtalsfragor", count=len(items), expected=len(standard))
        )
    texts = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            original = standard[i] if isinstance(standard[i], dict) else {"text": standard[i]}
            for key in item:
                _translatable(key, original, path, ("text",), "samtalsfragor", i)
            item = require(item, "text", str, path, "samtalsfragor", i)
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, place("samtalsfragor", i), t("course.empty_text"))
        texts.append(item.strip())
    return tuple(texts)


def _prompted(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The exercises of ``module.yml`` that have a prompt (the reflections), by id."""
    exercises = spec.get("exercises") or []
    return {str(ex["id"]): ex for ex in exercises if isinstance(ex, dict) and ex.get("prompt") and ex.get("id")}


def _prompts(data: Mapping[str, Any], path: Path, spec: Mapping[str, Any]) -> dict[str, str]:
    prompted = _prompted(spec)
    if not prompted:
        return {}
    items = require(data, "exercises", list, path)
    ids = [str(ex.get("id")) for ex in spec.get("exercises") or [] if isinstance(ex, dict)]
    prompts: dict[str, str] = {}
    for i, item in enumerate(items):
        where = ("exercises", i)
        exercise_id = require(item, "id", str, path, *where)
        if exercise_id not in ids:
            raise ContentError(path, place(*where, "id"), t("variant.unknown_exercise", id=exercise_id))
        if exercise_id in prompts:
            raise ContentError(path, place(*where, "id"), t("course.duplicate", id=exercise_id))
        original = next(ex for ex in spec["exercises"] if isinstance(ex, dict) and str(ex.get("id")) == exercise_id)
        allowed = ("id", "prompt") if exercise_id in prompted else ("id",)
        for key in item:
            _translatable(key, original, path, allowed, *where)
        if exercise_id not in prompted:
            continue
        prompt = require(item, "prompt", str, path, *where).strip()
        if not prompt:
            raise ContentError(path, place(*where, "prompt"), t("course.empty_text"))
        prompts[exercise_id] = prompt
    for exercise_id in prompted:
        if exercise_id not in prompts:
            raise ContentError(path, "exercises", t("variant.missing_prompt", id=exercise_id))
    return prompts
