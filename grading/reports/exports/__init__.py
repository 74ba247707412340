"""Exports for a course leader: completion as CSV/XLSX, a learner's certificate, a circle's plans.

Each export is written to a temporary file beside the target and renamed over
it, so a reader never sees half a file, and each one records in the run's
access log who exported whose data (:mod:`grading.course_runs.access_log`).

- :func:`completion_csv` / :func:`completion_xlsx`: the completion table
  (:func:`grading.reports.completion.completion_table`, the one computation the report
  and the dashboard use too) with Swedish headings, states as
  labels and points as numbers. The CSV is UTF-8 with a BOM, ``;`` between
  fields and decimal commas, which is what Swedish Excel opens correctly. Both
  are written by :mod:`widgets.core.spreadsheet`, so no name can be a formula.
- :func:`certificate_pdf`: a one-page certificate (intyg) in Swedish listing the
  modules a learner has completed.
- :func:`circle_plans_docx`: the strategic plans of a study circle's members in
  one Word document, each made by the plan widget's own DOCX export.

One job per module: ``common`` (the error, writing, the access log), ``completion``,
``certificate`` and ``plans``.
"""

from __future__ import annotations

from grading.reports.exports.certificate import certificate_pdf, completed_modules
from grading.reports.exports.common import ExportError
from grading.reports.exports.completion import completion_csv, completion_frame, completion_xlsx
from grading.reports.exports.plans import PlanSource, circle_plans_docx, plan_source

__all__ = [
    "ExportError",
    "PlanSource",
    "completion_frame",
    "completion_csv",
    "completion_xlsx",
    "completed_modules",
    "certificate_pdf",
    "plan_source",
    "circle_plans_docx",
]
