"""The XLSX export writes rows a column at a time, and the file is the one XlsxWriter writes cell by cell.

``widgets.core.xlsx_rows.BulkSheet`` replaces XlsxWriter's per-cell work (8 s of a
10,000-learner export) with its own XML. What a course leader opens must not
change: every part of the package is compared, byte for byte, with the same table
written through XlsxWriter's ``write_string``/``write_number``/``write_boolean``
one cell at a time (the writer before this change), on tables around the 16-row
blocks XlsxWriter gives one ``spans`` each, with hostile text, missing values,
numpy numbers and mixed columns. Only the creation time in ``docProps/core.xml``
differs between two files, and is left out.
"""

from __future__ import annotations

import io
import math
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from widgets.core import spreadsheet
from widgets.core.spreadsheet import neutral_cell, xlsx_bytes

pytestmark = pytest.mark.unit

TITLE = "Genomförande"
NUMBERS = ("Poäng", "Max")


def _cell_by_cell(frame: pd.DataFrame, *, title: str, number_columns=(), number_format: str = "0.##") -> bytes:
    """The table through XlsxWriter's own per-cell calls, as ``xlsx_bytes`` wrote it before."""
    import xlsxwriter

    columns = [frame[c].tolist() for c in frame.columns]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    book.set_properties({"title": title})
    sheet = book.add_worksheet(title[:31])
    bold, numbers = book.add_format({"bold": True}), book.add_format({"num_format": number_format})
    numbered = {frame.columns.get_loc(c) for c in number_columns}
    for number, column in enumerate(frame.columns):
        try:
            distinct = set(columns[number])
        except TypeError:
            distinct = columns[number]
        values = [str(column), *("" if v is None else str(v) for v in distinct)]
        sheet.set_column(number, number, min(max(map(len, values)) + 2, 60))
    for number, value in enumerate(frame.columns):
        sheet.write_string(0, number, neutral_cell(str(value)), bold)
    sheet.freeze_panes(1, 0)
    for row_number, row in enumerate(zip(*columns), start=1):
        for number, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(row_number, number, neutral_cell(value))
                continue
            if hasattr(value, "item"):
                value = value.item()
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row_number, number, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(row_number, number, value, numbers if number in numbered else None)
            else:
                sheet.write_string(row_number, number, neutral_cell(str(value)))
    book.close()
    return buffer.getvalue()


def _parts(payload: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        parts = [(info.filename, package.read(info.filename)) for info in package.infolist()]
    return [(name, re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", data)) for name, data in parts]


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(rows)
    texts = ['=HYPERLINK("http://evil","x")', "Åsa <b>&amp;", "", "+46 70", "_x0000_ och \x01", " mellanslag ", "Bo"]
    mixed = [None, 1, 2.5, True, "x", "", np.int64(3), float("nan"), pd.Timestamp("2026-11-20"), 1e20, -0.0, 10**17]
    return pd.DataFrame(
        {
            "Deltagare": [f"d{i:05d}" for i in range(rows)],
            "Namn": rng.choice(texts, rows),
            "Poäng": np.where(rng.random(rows) < 0.4, np.nan, rng.integers(0, 21, rows) / 2),
            "Max": rng.integers(1, 30, rows).astype(float),
            "Antal": rng.integers(-3, 4, rows),
            "Blandat": pd.Series([mixed[i % len(mixed)] for i in range(rows)], dtype=object),
            "Klar": rng.random(rows) < 0.5,
            "Tom": [""] * rows,
            "-Rubrik": pd.Series([None if i % 17 else "glest" for i in range(rows)], dtype=object),
        }
    )


@pytest.mark.parametrize("rows", [0, 1, 15, 16, 17, 47, 300])
def test_the_file_is_the_one_xlsxwriter_writes_cell_by_cell(rows):
    frame = _frame(rows)
    fast = xlsx_bytes(frame, title=TITLE, number_columns=NUMBERS)
    assert _parts(fast) == _parts(_cell_by_cell(frame, title=TITLE, number_columns=NUMBERS))


def test_a_sparse_table_keeps_xlsxwriters_row_spans_and_dimensions():
    """Rows without a cell are left out, and a block of 16 rows spans only the columns it uses."""
    frame = pd.DataFrame(
        {
            "a": pd.Series([None] * 20 + ["x"] * 5 + [None] * 20, dtype=object),
            "b": [float("nan")] * 40 + [1.0] * 5,
            "c": pd.Series([None] * 45, dtype=object),
        }
    )
    fast = xlsx_bytes(frame, title=TITLE, number_columns=("b",))
    sheet = dict(_parts(fast))["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:C46"/>' in sheet and b'<row r="22" spans="1:1">' in sheet
    assert b'<row r="2"' not in sheet and b'<row r="42" spans="2:2">' in sheet
    assert _parts(fast) == _parts(_cell_by_cell(frame, title=TITLE, number_columns=("b",)))


def test_a_number_that_is_not_finite_is_refused_as_xlsxwriter_refuses_it():
    frame = pd.DataFrame({"Poäng": [1.0, math.inf]})
    with pytest.raises(TypeError):
        _cell_by_cell(frame, title=TITLE)
    with pytest.raises(TypeError):
        spreadsheet.xlsx_bytes(frame, title=TITLE)
