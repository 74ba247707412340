"""The curriculum as a whole: every course in ``courses/``, what each module lacks, LIX, coverage.

The content rules of the design (each module one circle meeting with learning
goals, the text, samtalsfrågor, a graded exercise, a reflection, commitments,
minutes per part that the circle guide's timing table shows and that give the
exercises their time, the internal-feminist perspective; plain Swedish; every
commitment a module lists explained in its text and worked with in a
samtalsfråga or an exercise) are checked here, once, for the tests and for
``cirkel courses check|coverage``. Every finding names the course, the module and the part, in Swedish, so a course
author who breaks a rule sees where.

Only YAML and Markdown are read: no nbgrader, no ipywidgets.

One job per module: ``courses`` (where the courses are), ``parts`` (what each module lacks)
and ``lix`` (the prose's LIX and its limits).
"""

from __future__ import annotations

from grading.course.curriculum.courses import DEFAULT_COURSES, discover_courses, load_courses
from grading.course.curriculum.lix import (
    MEDIAN_LIX_LIMIT,
    MODULE_LIX_LIMIT,
    LixReport,
    ModuleLix,
    lattlast_lix_report,
    lix_report,
)
from grading.course.curriculum.parts import GUIDE_FILE, MIN_PROSE_WORDS, MissingPart, course_parts, module_parts
from grading.course.loading import STUDY_HOUR_MINUTES
from grading.course.teaching import Coverage, CoverageRow, coverage, merged_commitments, teaching, text_table
from grading.course.timing import guide_minutes, guide_timing
from grading.course.variant_checks import LATTLAST_LIX_LIMIT

__all__ = [
    "DEFAULT_COURSES",
    "GUIDE_FILE",
    "MIN_PROSE_WORDS",
    "MEDIAN_LIX_LIMIT",
    "MODULE_LIX_LIMIT",
    "STUDY_HOUR_MINUTES",
    "MissingPart",
    "ModuleLix",
    "LixReport",
    "CoverageRow",
    "Coverage",
    "discover_courses",
    "load_courses",
    "module_parts",
    "course_parts",
    "guide_minutes",
    "guide_timing",
    "lix_report",
    "lattlast_lix_report",
    "LATTLAST_LIX_LIMIT",
    "teaching",
    "coverage",
    "merged_commitments",
    "text_table",
]
