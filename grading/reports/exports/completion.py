"""The completion table as CSV and XLSX: Swedish headings, states as labels, points as numbers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from grading.reports.exports.common import record_export, write_export
from widgets.core.i18n import t
from widgets.core.spreadsheet import frame_csv, xlsx_bytes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun

#: the completion table's columns in export order, each with its heading's string key
EXPORT_COLUMNS = (
    "student_id",
    "namn",
    "module",
    "state",
    "points",
    "max_points",
    "needs_manual_grade",
    "submitted_at",
    "group_work",
)


def completion_frame(run: CourseRun) -> pd.DataFrame:
    """The completion table as a person reads it: Swedish headings, yes/no, local times."""
    from grading.reports.completion import completion_table
    from grading.reports.table_text import datetime_texts

    frame = completion_table(run, unreadable=False)  # not exported: no answer file need be opened
    out = frame[list(EXPORT_COLUMNS)].copy()
    yes, no = t("export.yes"), t("export.no")
    out["needs_manual_grade"] = [yes if v else no for v in out["needs_manual_grade"]]
    out["submitted_at"] = datetime_texts(out["submitted_at"])
    out = out.rename(columns={c: t(f"export.col.{c}") for c in EXPORT_COLUMNS})
    return out


def completion_csv(run: CourseRun, path: str | os.PathLike[str]) -> Path:
    """The completion table as CSV for Swedish Excel: UTF-8 with BOM, ``;``, decimal comma."""
    text = frame_csv(completion_frame(run))
    target = write_export(path, text.encode("utf-8-sig"))
    record_export(run, "exportera", "alla")
    return target


def completion_xlsx(run: CourseRun, path: str | os.PathLike[str]) -> Path:
    """The completion table as an Excel workbook: bold headings, points as number cells."""
    payload = xlsx_bytes(
        completion_frame(run),
        title=t("export.sheet_title"),
        number_columns=(t("export.col.points"), t("export.col.max_points")),
    )
    target = write_export(path, payload)
    record_export(run, "exportera", "alla")
    return target
