"""LIX of the curriculum's prose: per module, the median across modules, and the limits they are held to."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from grading.course.loading import Course
from grading.course.teaching import text_table
from grading.course.variant_checks import LATTLAST_LIX_LIMIT, variant_lix
from widgets.core.i18n import t
from widgets.core.lix import LixResult, analyse, module_prose

#: LIX of module prose: the median across modules at most this ...
MEDIAN_LIX_LIMIT = 40.0
#: ... and no module above this.
MODULE_LIX_LIMIT = 45.0


@dataclass(frozen=True)
class ModuleLix:
    """The LIX counts of one module's own prose (``text.md`` without quotations)."""

    course: str
    module: str
    result: LixResult

    @property
    def lix(self) -> float:
        return self.result.lix


@dataclass(frozen=True)
class LixReport:
    """LIX per module, the median across modules, and the limits they are held to."""

    modules: tuple[ModuleLix, ...]
    median_limit: float = MEDIAN_LIX_LIMIT
    module_limit: float = MODULE_LIX_LIMIT

    @property
    def median(self) -> float:
        """The median LIX across modules (0 when there are none)."""
        return float(statistics.median(m.lix for m in self.modules)) if self.modules else 0.0

    @property
    def too_hard(self) -> list[ModuleLix]:
        """Modules above ``module_limit``."""
        return [m for m in self.modules if m.lix > self.module_limit]

    @property
    def problems(self) -> list[str]:
        """The limits broken, as Swedish sentences."""
        found = [
            t(
                "curriculum.lix.module_too_hard",
                course=m.course,
                module=m.module,
                lix=one_decimal(m.lix),
                limit=one_decimal(self.module_limit),
            )
            for m in self.too_hard
        ]
        if self.modules and self.median > self.median_limit:
            found.append(
                t(
                    "curriculum.lix.median_too_hard",
                    median=one_decimal(self.median),
                    limit=one_decimal(self.median_limit),
                )
            )
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as a text table, then the median line."""
        header = (
            t("curriculum.col.module"),
            t("curriculum.col.lix"),
            t("curriculum.col.band"),
            t("curriculum.col.words"),
            t("curriculum.col.sentences"),
            t("curriculum.col.long_words"),
        )
        rows = [
            (
                f"{m.course}/{m.module}",
                one_decimal(m.lix),
                m.result.band,
                str(m.result.words),
                str(m.result.sentences),
                str(m.result.long_words),
            )
            for m in self.modules
        ]
        summary = t(
            "curriculum.lix.median",
            median=one_decimal(self.median),
            count=len(self.modules),
            median_limit=one_decimal(self.median_limit),
            module_limit=one_decimal(self.module_limit),
        )
        return [*text_table(header, rows), summary]


def lix_report(courses: Iterable[Course]) -> LixReport:
    """The LIX of every module's prose, measured with ``widgets.core.lix`` (the widgets' own function)."""
    rows = [
        ModuleLix(course.id, module.name, analyse(module_prose(module.path)))
        for course in courses
        for module in course.modules
    ]
    return LixReport(tuple(rows))


def lattlast_lix_report(courses: Iterable[Course]) -> LixReport:
    """The LIX of every module's lättläst version (``text.lattlast.md``), held to :data:`LATTLAST_LIX_LIMIT`."""
    rows = [ModuleLix(row.course, row.module, row.result) for row in variant_lix(courses)]
    return LixReport(tuple(rows), median_limit=LATTLAST_LIX_LIMIT, module_limit=LATTLAST_LIX_LIMIT)


def one_decimal(value: float) -> str:
    """A number as the reports show it: one decimal, the Swedish way."""
    from widgets.core.formats import format_number

    return format_number(value, 1)
