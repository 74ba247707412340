"""Which commitments each module teaches, and which it only lists: the markup and the coverage table.

A module lists the commitments it takes up (``commitments`` in ``module.yml``). It
*teaches* one when

- its ``text.md`` explains it: an HTML comment on a line of its own,
  ``<!-- åtagande: klass-3 -->`` (several ids separated by commas), stands right before
  the paragraph of the module's own prose that explains it; and
- a samtalsfråga or an exercise works with it: the samtalsfråga is written as
  ``{text: ..., commitments: [klass-3]}``, the exercise entry has ``commitments: [klass-3]``.

The comment is invisible when the text is shown (and ``grading.course.build`` leaves it out of the
notebook). ``cirkel courses coverage`` reports, for every commitment of the strategy
document, the modules that teach it and those that only list it.

Only YAML and Markdown are read: no nbgrader, no ipywidgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grading.course.loading import Course, Module
from widgets.core.i18n import t

__all__ = [
    "MARKER",
    "MIN_EXPLANATION_WORDS",
    "Marker",
    "Teaching",
    "CoverageRow",
    "Coverage",
    "text_markers",
    "strip_markers",
    "teaching",
    "coverage",
    "merged_commitments",
]

#: The comment that marks the paragraph explaining one or more commitments.
MARKER = re.compile(r"^\s*<!--\s*åtagande(?:n)?\s*:\s*(?P<ids>[^>]*?)\s*-->\s*$", re.IGNORECASE)
#: Words the marked paragraph must have of the module's own prose (a heading, a list of the
#: commitments or a quotation does not explain anything).
MIN_EXPLANATION_WORDS = 25
_NOT_PROSE = re.compile(r"^\s*(#|>|[-*+] |\d+[.)] |\|)")


@dataclass(frozen=True)
class Marker:
    """One ``<!-- åtagande: ... -->`` comment in ``text.md``.

    Attributes
    ----------
    ids:
        The commitment ids it names.
    line:
        Its line in ``text.md`` (1-based).
    words:
        Words of own prose in the paragraph after it (0 when there is none).
    """

    ids: tuple[str, ...]
    line: int
    words: int

    @property
    def explains(self) -> bool:
        return self.words >= MIN_EXPLANATION_WORDS


def text_markers(markdown: str) -> list[Marker]:
    """The commitment markers of a module text, with the paragraph each stands before."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    found = []
    for index, line in enumerate(lines):
        match = MARKER.match(line)
        if not match:
            continue
        ids = tuple(part.strip() for part in match.group("ids").split(",") if part.strip())
        found.append(Marker(ids, index + 1, _paragraph_words(lines, index + 1)))
    return found


def _paragraph_words(lines: list[str], start: int) -> int:
    """Words of the paragraph that begins at ``lines[start]`` (blank lines skipped), 0 if it is not prose."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    paragraph = []
    for line in lines[start:]:
        if not line.strip() or MARKER.match(line):
            break
        paragraph.append(line)
    if not paragraph or _NOT_PROSE.match(paragraph[0]):
        return 0
    return len(re.findall(r"\w+", " ".join(paragraph)))


def strip_markers(markdown: str) -> str:
    """``markdown`` without its commitment markers (the lines they stand on are removed)."""
    return "\n".join(line for line in markdown.split("\n") if not MARKER.match(line))


# -- what a module teaches -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Teaching:
    """What one module does with one commitment it lists.

    Attributes
    ----------
    module:
        ``course/module``.
    in_text:
        ``text.md`` marks a paragraph of its own prose that explains it.
    worked_with:
        Where the circle works with it, in Swedish: ``samtalsfråga 3``, ``övning klass-och-platsen``.
    """

    module: str
    in_text: bool
    worked_with: tuple[str, ...]

    @property
    def taught(self) -> bool:
        return self.in_text and bool(self.worked_with)

    @property
    def missing(self) -> str:
        """What is missing, as Swedish words (``""`` when it is taught)."""
        parts = []
        if not self.in_text:
            parts.append(t("curriculum.taught.no_text"))
        if not self.worked_with:
            parts.append(t("curriculum.taught.no_work"))
        return t("curriculum.taught.and").join(parts)


def teaching(module: Module, course_id: str | None = None) -> dict[str, Teaching]:
    """For each commitment ``module`` lists, what it does with it (in the order listed)."""
    name = f"{course_id or module.path.parent.name}/{module.name}"
    explained = {cid for marker in text_markers(module.text) if marker.explains for cid in marker.ids}
    work: dict[str, list[str]] = {}
    for number, ids in enumerate(module.samtal_commitments, start=1):
        for cid in ids:
            work.setdefault(cid, []).append(t("curriculum.taught.samtal", number=number))
    for ex in module.exercises:
        for cid in ex.commitments:
            work.setdefault(cid, []).append(t("curriculum.taught.exercise", id=ex.id))
    return {
        cid: Teaching(name, cid in explained, tuple(work.get(cid, ()))) for cid in dict.fromkeys(module.commitments)
    }


# -- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """One commitment of the strategy document and the modules that list it, taught or not."""

    id: str
    part: str
    section: str
    text: str
    teachings: tuple[Teaching, ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module that lists it (``course/module``)."""
        return tuple(item.module for item in self.teachings)

    @property
    def taught_in(self) -> tuple[str, ...]:
        return tuple(item.module for item in self.teachings if item.taught)

    @property
    def only_listed(self) -> tuple[Teaching, ...]:
        """The modules that list it but do not teach it."""
        return tuple(item for item in self.teachings if not item.taught)

    @property
    def covered(self) -> bool:
        return bool(self.teachings)

    @property
    def taught(self) -> bool:
        """Listed by a module, and taught by every module that lists it."""
        return self.covered and not self.only_listed


@dataclass(frozen=True)
class Coverage:
    """Commitment -> modules that teach it and modules that only list it, in the document's order."""

    rows: tuple[CoverageRow, ...]

    @property
    def uncovered(self) -> list[str]:
        """Ids of the commitments no module takes up."""
        return [row.id for row in self.rows if not row.covered]

    @property
    def covered_count(self) -> int:
        return sum(row.covered for row in self.rows)

    @property
    def taught_count(self) -> int:
        return sum(row.taught for row in self.rows)

    @property
    def only_listed(self) -> list[tuple[str, Teaching]]:
        """(commitment id, the module's teaching) for every module that lists a commitment without teaching it."""
        return [(row.id, item) for row in self.rows for item in row.only_listed]

    def lines(self) -> list[str]:
        """The table (id, section, where it is taught, where it is only listed) and the counts."""
        header = (
            t("curriculum.col.commitment"),
            t("curriculum.col.section"),
            t("curriculum.col.taught"),
            t("curriculum.col.only_listed"),
        )
        rows = [
            (
                row.id,
                f"{row.part}, {row.section}" if row.part else row.section,
                ", ".join(row.taught_in) or t("curriculum.coverage.none"),
                ", ".join(f"{item.module} ({item.missing})" for item in row.only_listed) or "–",
            )
            for row in self.rows
        ]
        return [
            *text_table(header, rows),
            t("curriculum.coverage.summary", covered=self.covered_count, total=len(self.rows)),
            t("curriculum.coverage.taught_summary", taught=self.taught_count, total=len(self.rows)),
        ]


def merged_commitments(courses: Iterable[Course]) -> dict[str, dict[str, Any]]:
    """The commitments the courses were loaded with, in document order (the first course's first)."""
    merged: dict[str, dict[str, Any]] = {}
    for course in courses:
        for cid, item in course.commitments.items():
            merged.setdefault(cid, item)
    return merged


def coverage(courses: Sequence[Course], commitments: Mapping[str, Mapping[str, Any]] | None = None) -> Coverage:
    """For each commitment, in the document's order, the modules that list it and what they do with it.

    ``commitments`` by id, in document order, as ``grading.course.loading.load_commitments``
    returns them; by default the ones the courses were loaded with.
    """
    if commitments is None:
        commitments = merged_commitments(courses)
    taken: dict[str, list[Teaching]] = {}
    for course in courses:
        for module in course.modules:
            for cid, item in teaching(module, course.id).items():
                taken.setdefault(cid, []).append(item)
    rows = [
        CoverageRow(
            id=cid,
            part=str(item.get("part") or ""),
            section=str(item.get("section") or ""),
            text=str(item.get("text") or ""),
            teachings=tuple(taken.get(cid, [])),
        )
        for cid, item in commitments.items()
    ]
    return Coverage(tuple(rows))


def text_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Rows as aligned text columns under ``header`` and a rule; the last column is not padded."""
    rows = [tuple(map(str, row)) for row in rows]
    widths = [max(len(str(row[i])) for row in (tuple(header), *rows)) for i in range(len(header) - 1)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join([*(str(c).ljust(w) for c, w in zip(cells, widths)), str(cells[-1])]).rstrip()

    rule = "  ".join([*("-" * w for w in widths), "-" * max(len(str(header[-1])), 3)])
    return [line(header), rule, *(line(row) for row in rows)]
