"""CSV and XLSX files a spreadsheet cannot run: the one writer every export goes through.

A name typed at a join code or in a roster reaches exports, and a spreadsheet
reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: ``=HYPERLINK("http://evil","x")``
becomes a link, others can run commands. As OWASP's advice on CSV injection
says, such a text cell gets a leading ``'``, which spreadsheets show as text.
Numbers stay numbers: only text is changed, so points stay number cells.

``grading`` (the completion export, the circle's attendance list, the report)
and ``widgets`` (the dashboard's download) all write through here.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "NEUTRAL_PREFIX",
    "neutral_cell",
    "neutral_frame",
    "csv_text",
    "frame_csv",
    "xlsx_bytes",
]

#: a text cell starting with one of these is read as a formula (OWASP: CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: put before such a cell: spreadsheets show the rest as text and never run it
NEUTRAL_PREFIX = "'"
#: Excel's longest sheet title
_SHEET_TITLE_MAX = 31
#: the widest column drawn, in characters
_COLUMN_WIDTH_MAX = 60


def neutral_cell(value: Any) -> Any:
    """``value`` as a spreadsheet must get it: text that would be a formula gets ``'`` in front.

    Anything but ``str`` (numbers, booleans, dates, ``None``) is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRAL_PREFIX + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column heading) neutralised; numbers untouched."""
    import pandas as pd
    from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (is_numeric_dtype(values) or is_datetime64_any_dtype(values)):
            # whole columns at once (a 10,000-learner export has over a million cells); only text
            # changes: startswith gives NaN for anything else, so numbers and None stay as they are
            try:
                if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
                    raise TypeError(values.dtype)  # categories and the like: cell by cell
                risky = values.str.startswith(FORMULA_STARTS).eq(True)
            except (AttributeError, TypeError):  # no text in the column at all (all None, ...)
                out[column] = values.map(neutral_cell)
                continue
            if risky.any():
                out[column] = values.where(~risky, NEUTRAL_PREFIX + values[risky].astype(str))
    out.columns = [neutral_cell(c) for c in out.columns]
    return out


def csv_text(rows: Iterable[Sequence[Any]], *, delimiter: str = ";", lineterminator: str = "\r\n") -> str:
    """Rows as CSV text, every text cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([neutral_cell(v) for v in row])
    return out.getvalue()


def frame_csv(frame: pd.DataFrame, *, sep: str = ";", decimal: str = ",", na_rep: str = "") -> str:
    """A table as CSV text for Swedish Excel (``;``, decimal comma), every text cell neutralised."""
    return neutral_frame(frame).to_csv(index=False, sep=sep, decimal=decimal, na_rep=na_rep)


def xlsx_bytes(
    frame: pd.DataFrame,
    *,
    title: str,
    number_columns: Sequence[str] = (),
    number_format: str = "0.##",
) -> bytes:
    """A table as one Excel sheet: bold headings, frozen, text cells neutralised, numbers as numbers.

    Written by XlsxWriter (openpyxl builds an object per cell and took 40 s for the
    1.35 million cells of a 10,000-learner export), the rows a column at a time
    (:class:`widgets.core.xlsx_rows.BulkSheet`: XlsxWriter's own cell by cell writing
    took 8 s of the 12 s of that export). Every text cell is a string cell (never
    a formula, even when it starts with ``=``), and as :func:`neutral_cell` has
    it, so that editing the cell in Excel does not make it one either.
    """
    import xlsxwriter

    from widgets.core.xlsx_rows import BulkSheet

    headings = [neutral_cell(str(c)) for c in frame.columns]
    columns = [frame[c].tolist() for c in frame.columns]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    book.set_properties({"title": title})
    sheet = book.add_worksheet(title[:_SHEET_TITLE_MAX], worksheet_class=BulkSheet)
    bold = book.add_format({"bold": True})
    numbers = book.add_format({"num_format": number_format})
    numbered = {frame.columns.get_loc(c) for c in number_columns}
    for number, column in enumerate(frame.columns):
        # each distinct value once: a column of 150,000 cells holds a few hundred
        try:
            distinct = set(columns[number])
        except TypeError:  # a cell that cannot be hashed: every cell, then
            distinct = columns[number]
        values = [str(column), *("" if v is None else str(v) for v in distinct)]
        sheet.set_column(number, number, min(max(map(len, values)) + 2, _COLUMN_WIDTH_MAX))
    for number, value in enumerate(headings):
        sheet.write_string(0, number, value, bold)
    sheet.freeze_panes(1, 0)
    cells = [_sheet_cells(column) for column in columns]
    sheet.write_columns(1, cells, [numbers if number in numbered else None for number in range(len(columns))])
    book.close()
    return buffer.getvalue()


def _sheet_cells(column: list[Any]) -> list[Any]:
    """One column's cells as :meth:`BulkSheet.write_columns` takes them.

    A text is a string cell, neutralised, and an empty text no cell; numpy numbers are
    Python numbers; a missing value (``None``, NaN) is no cell; anything else its text.
    """
    kinds = set(map(type, column))
    if kinds == {str}:  # the common columns, without a call a cell
        return [(NEUTRAL_PREFIX + value if value.startswith(FORMULA_STARTS) else value) or None for value in column]
    if kinds == {float}:  # points: NaN (not graded) is no cell
        return [None if value != value else value for value in column]
    return [_sheet_cell(value) for value in column]


def _sheet_cell(value: Any) -> Any:
    if isinstance(value, str):  # str(): a subclass (numpy's) is a text all the same
        return str(neutral_cell(value)) if value else None
    if hasattr(value, "item"):  # numpy numbers as Python numbers
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    return neutral_cell(str(value))
