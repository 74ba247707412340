"""The one XLSX writer (``widgets.core.spreadsheet.xlsx_bytes``), read back with openpyxl as Excel would open it.

Written by XlsxWriter since openpyxl took 40 s for a 10,000-learner export; what
a person opening the file gets must not have changed: the same cells, text never
a formula, numbers as number cells, bold frozen headings.
"""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from widgets.core.spreadsheet import neutral_cell, neutral_frame, xlsx_bytes

pytestmark = pytest.mark.unit

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def _frame() -> pd.DataFrame:
    rows = len(HOSTILE) + 3
    return pd.DataFrame(
        {
            "Namn": [*HOSTILE, "Åsa Öberg", "", None],
            "Poäng": [1.5, 2, float("nan"), 0, 7.25, 3, 1, 2, None],
            "Klar": [True, False] * 4 + [True],
            "Antal": list(range(rows)),
            "=Rubrik": ["x"] * rows,
        }
    )


def _sheet(frame: pd.DataFrame):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(xlsx_bytes(frame, title="Genomförande", number_columns=("Poäng",)))).active


def test_text_is_neutral_text_and_numbers_are_numbers():
    from openpyxl.utils.escape import unescape

    frame = _frame()
    sheet = _sheet(frame)
    assert sheet.title == "Genomförande" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Namn", "Poäng", "Klar", "Antal", "'=Rubrik"]
    assert all(c.font.bold for c in sheet[1])
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for row, expected in zip(sheet.iter_rows(min_row=2), frame.itertuples(index=False)):
        name, points, done, count, heading = row
        if isinstance(expected.Namn, str) and expected.Namn:
            # a carriage return is stored as OOXML's _x000D_ (Excel reads it back as one; openpyxl needs unescape)
            assert (unescape(name.value), name.data_type) == (neutral_cell(expected.Namn), "s")
        else:
            assert name.value is None  # empty text and None: an empty cell, as openpyxl wrote them
        if expected.Poäng is None or math.isnan(expected.Poäng):
            assert points.value is None
        else:
            assert (points.value, points.data_type, points.number_format) == (expected.Poäng, "n", "0.##")
        assert (done.value, done.data_type) == (expected.Klar, "b")
        assert (count.value, count.data_type) == (expected.Antal, "n")
        assert heading.value == "x"


def test_neutral_frame_changes_the_cells_neutral_cell_changes_and_no_other():
    frame = _frame()
    frame["blandat"] = [*HOSTILE[:3], 4, None, float("nan"), {"a": 1}, "ok", "-"]
    frame["ingen text"] = [None] * len(frame)
    out = neutral_frame(frame)
    expected = frame.map(neutral_cell)
    expected.columns = [neutral_cell(c) for c in frame.columns]
    pd.testing.assert_frame_equal(out, expected)
