"""Printable study material: per course a participant booklet and a cirkelledarhandledning, as PDF.

Study circles meet around a table, often with paper. The booklet holds each
module's text, samtalsfrågor, every exercise as a print form (nothing marked)
and room for the reflection, with a glossary; the guide holds the study
associations' rules, each meeting's plan with its timing, how to run each
exercise with and without screens, when to use the group apps, and the answer
keys. Both are HTML laid out by WeasyPrint as tagged PDF (PDF/UA-1) with title
and language. Made by ``cirkel courses print``; see :mod:`grading.reports.printing.material`.

Nothing heavy is imported here: WeasyPrint only when a PDF is written.
"""

from __future__ import annotations

from grading.reports.printing.material import (
    BOOKLET,
    GUIDE,
    RUN_FOLDER,
    Material,
    PrintedFile,
    print_course,
    print_run,
    run_material,
)
from grading.reports.printing.render import PrintError

__all__ = [
    "BOOKLET",
    "GUIDE",
    "RUN_FOLDER",
    "Material",
    "PrintedFile",
    "PrintError",
    "print_course",
    "print_run",
    "run_material",
]
