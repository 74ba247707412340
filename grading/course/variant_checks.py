"""What every version of a module's text must do (``grading.course.variants``): the same teaching, readable.

A version is the module's content in other words, not a shorter module. So for
each version of a module:

- every commitment the module lists is explained in the version's text: a
  ``<!-- åtagande: id -->`` marker before a paragraph of its own prose (at least
  ``MIN_EXPLANATION_WORDS`` words), as in ``text.md``; no marker names a commitment
  the module does not list;
- a version in the course's language keeps the internal-feminist perspective and
  the word on taking part whatever one's functional ability (``internfeminis``,
  ``funktionsförmåga``), as ``text.md`` must;
- a lättläst version's own prose (without quotations) has LIX at most
  :data:`LATTLAST_LIX_LIMIT`, measured with ``widgets.core.lix`` as the standard text is.

``grading.course.curriculum`` turns the findings into ``MissingPart``s for ``cirkel courses
check`` and the content tests. Only YAML and Markdown are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grading.course.loading import Course, Module
from grading.course.teaching import MIN_EXPLANATION_WORDS, text_markers
from grading.course.variants import LATTLAST
from widgets.core.lix import LixResult, analyse, module_prose

__all__ = ["LATTLAST_LIX_LIMIT", "Finding", "VariantLix", "variant_findings", "variant_lix"]

#: LIX of a lättläst version's own prose: at most this, in every module.
LATTLAST_LIX_LIMIT = 25.0


@dataclass(frozen=True)
class Finding:
    """Something a version lacks: the part's key, the reason's string key and its values."""

    key: str
    reason: str
    values: dict[str, Any]


@dataclass(frozen=True)
class VariantLix:
    """The LIX of one lättläst version's own prose."""

    course: str
    module: str
    variant: str
    result: LixResult


def variant_findings(module: Module, language: str = "sv") -> list[Finding]:
    """What the versions of ``module`` lack; ``language`` is the course's."""
    found: list[Finding] = []
    listed = set(module.commitments)
    for variant in module.variants.values():
        file = variant.text_file.name if variant.text_file else f"text.{variant.id}.md"
        label = variant.variant.label
        markers = text_markers(variant.text)
        explained: set[str] = set()
        for marker in markers:
            strays = [cid for cid in marker.ids if cid not in listed]
            if strays:
                values = {"version": label, "file": file, "line": marker.line, "ids": ", ".join(strays)}
                found.append(Finding("variant", "variant_not_listed", values))
            if marker.explains:
                explained.update(marker.ids)
            else:
                values = {
                    "version": label,
                    "file": file,
                    "line": marker.line,
                    "ids": ", ".join(marker.ids),
                    "min": MIN_EXPLANATION_WORDS,
                }
                found.append(Finding("variant", "variant_marker_no_paragraph", values))
        unexplained = [cid for cid in module.commitments if cid not in explained]
        if unexplained:
            values = {"version": label, "file": file, "ids": ", ".join(unexplained)}
            found.append(Finding("variant", "variant_not_explained", values))
        if variant.variant.language == language:
            lowered = variant.text.lower()
            if "internfeminis" not in lowered:
                found.append(Finding("internfeminism", "variant_no_internfeminism", {"version": label, "file": file}))
            if "funktionsförmåga" not in lowered:
                found.append(Finding("accessibility", "variant_no_accessibility", {"version": label, "file": file}))
        if variant.id == LATTLAST:
            lix = analyse(module_prose(module.path, variant.id)).lix
            if lix > LATTLAST_LIX_LIMIT:
                values = {"version": label, "file": file, "lix": _one(lix), "limit": _one(LATTLAST_LIX_LIMIT)}
                found.append(Finding("variant", "variant_lix", values))
    return found


def variant_lix(courses: Iterable[Course], variant_id: str = LATTLAST) -> list[VariantLix]:
    """The LIX of every module's ``variant_id`` version (lättläst by default), in teaching order."""
    return [
        VariantLix(course.id, module.name, variant_id, analyse(module_prose(module.path, variant_id)))
        for course in courses
        for module in course.modules
        if variant_id in module.variants
    ]


def _one(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
