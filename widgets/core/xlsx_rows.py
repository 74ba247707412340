"""Whole columns into one XlsxWriter sheet: the XML XlsxWriter writes, made a column at a time.

XlsxWriter keeps a named tuple per cell in a dict per row and writes each cell
through a chain of method calls when the workbook closes: some 6 µs a cell, about
8 s for the 1.35 million cells of a 10,000-learner completion export. This sheet
takes the cells a column at a time and writes the same ``<row>`` and ``<c>``
elements, the same shared strings in the same order, the same dimensions and row
spans, so the file is the one XlsxWriter would write, cell for cell and byte for
byte, in a fraction of the time. Everything else (headings, formats, widths,
frozen panes, the package) stays XlsxWriter's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["BulkSheet"]

#: XlsxWriter's <row> spans are the same for each block of this many rows
_SPAN_ROWS = 16
#: rows of XML handed to the sheet's file at a time
_CHUNK_ROWS = 8192


class BulkSheet(Worksheet):
    """A worksheet that also takes a block of rows as columns (:meth:`write_columns`)."""

    def __init__(self) -> None:
        super().__init__()
        self._bulk_first: int | None = None
        self._bulk_columns: list[list[Any]] = []
        self._bulk_formats: list[Format | None] = []
        self._bulk_index: dict[str, int] = {}
        self._bulk_blocks: dict[int, tuple[int, int]] = {}  # span block -> first and last column with a cell

    def write_columns(
        self, first_row: int, columns: Sequence[list[Any]], number_formats: Sequence[Format | None] = ()
    ) -> None:
        """Rows from ``first_row`` on, given as columns, once, after every other cell was written above them.

        A cell is a ``str`` (a string cell, as ``write_string``), a ``bool`` (``write_boolean``),
        an ``int`` or ``float`` (``write_number``, with the column's ``number_formats`` entry)
        or ``None`` (no cell). The same cells written one by one give the same file.
        """
        if self._bulk_first is not None or any(row >= first_row for row, cells in self.table.items() if cells):
            raise ValueError("write_columns takes one block of rows, below every other cell")
        if self.constant_memory or self.row_info or self.comments:
            raise ValueError("write_columns writes plain rows only")
        columns = [list(c[: self.xls_rowmax - first_row]) for c in columns[: self.xls_colmax]]
        rows = max(map(len, columns), default=0)
        columns = [c + [None] * (rows - len(c)) for c in columns]
        formats = list(number_formats) + [None] * (len(columns) - len(number_formats))
        for column in columns:
            self._fit_strings(column)
        self._index_strings(columns)
        self._bulk_first = first_row
        self._bulk_columns = columns
        self._bulk_formats = formats
        blocks = [self._blocks_with_cells(column, first_row) for column in columns]
        for block in sorted(set().union(*blocks)):
            present = [n for n, found in enumerate(blocks) if block in found]
            self._bulk_blocks[block] = (present[0], present[-1])
        present = [n for n, found in enumerate(blocks) if found]
        if present:
            firsts = [next(i for i, v in enumerate(columns[n]) if v is not None) for n in present]
            lasts = [next(i for i, v in enumerate(reversed(columns[n])) if v is not None) for n in present]
            self._check_dimensions(first_row + min(firsts), present[0])
            self._check_dimensions(first_row + rows - 1 - min(lasts), present[-1])

    @staticmethod
    def _blocks_with_cells(column: list[Any], first_row: int) -> set[int]:
        """The span blocks (``row // 16``) in which the column has a cell."""
        if not column:
            return set()
        first, last = first_row // _SPAN_ROWS, (first_row + len(column) - 1) // _SPAN_ROWS
        if None not in column:
            return set(range(first, last + 1))
        found = set()
        for block in range(first, last + 1):
            part = column[max(block * _SPAN_ROWS - first_row, 0) : (block + 1) * _SPAN_ROWS - first_row]
            if part.count(None) < len(part):
                found.add(block)
        return found

    def _fit_strings(self, column: list[Any]) -> None:
        """Cut a text longer than a cell holds, as ``write_string`` does."""
        half = self.xls_strmax // 2
        if max((len(v) for v in column if v.__class__ is str), default=0) <= half:
            return
        for index, value in enumerate(column):
            if value.__class__ is str and len(value) > half and _utf16_len(value) > self.xls_strmax:
                column[index] = _utf16_truncate(value, self.xls_strmax)

    def _index_strings(self, columns: list[list[Any]]) -> None:
        """Each text into the shared strings in the order XlsxWriter meets them: row by row."""
        table = self.str_table.string_table
        firsts = []  # (row, column, text) where each column first has each of its texts
        for number, column in enumerate(columns):
            seen = dict(zip(reversed(column), range(len(column) - 1, -1, -1)))  # the first row wins
            firsts += [(row, number, text) for text, row in seen.items() if text.__class__ is str]
            self.str_table.count += list(map(type, column)).count(str)
        unique = self.str_table.unique_count
        for _row, _number, text in sorted(firsts, key=lambda first: first[:2]):
            if text not in table:
                table[text] = unique
                unique += 1
        self.str_table.unique_count = unique
        self._bulk_index = table  # the workbook empties its own reference before the sheets are written

    def _cells(self, number: int, column: list[Any], number_format: Format | None, rows: list[str]) -> list[str]:
        """Each cell's ``<c>`` element as ``Worksheet._write_cell`` writes it ("" for no cell)."""
        letter = xl_col_to_name(number)
        index = self._bulk_index
        style = None  # the format's index is asked for at its first number, as XlsxWriter asks
        kinds = set(map(type, column))
        if kinds == {str}:  # the common columns: ids, names, modules, states
            return [f'<c r="{letter}{row}" t="s"><v>{index[value]}</v></c>' for value, row in zip(column, rows)]
        out = []
        for value, row in zip(column, rows):
            kind = value.__class__
            if value is None:
                out.append("")
            elif kind is str:
                out.append(f'<c r="{letter}{row}" t="s"><v>{index[value]}</v></c>')
            elif kind is bool:
                out.append(f'<c r="{letter}{row}" t="b"><v>{1 if value else 0}</v></c>')
            else:
                if kind is float and not math.isfinite(value):
                    raise TypeError("NAN/INF not supported in write_number()")
                if style is None:
                    style = f' s="{number_format._get_xf_index()}"' if number_format else ""
                out.append(f'<c r="{letter}{row}"{style}><v>{value:.16G}</v></c>')
        return out

    def _write_rows(self) -> None:
        """Rows written cell by cell as XlsxWriter writes them, then the block of columns."""
        if self._bulk_first is None:
            super()._write_rows()
            return
        if any(info.column_format for info in self.col_info.values()):
            raise ValueError("write_columns does not apply column formats")
        self._calculate_spans()
        spans = dict(self.row_spans)
        for block, (low, high) in self._bulk_blocks.items():
            if block in spans:
                first, last = (int(n) - 1 for n in spans[block].split(":"))
                low, high = min(low, first), max(high, last)
            spans[block] = f"{low + 1}:{high + 1}"
        for row_num in sorted(row for row, cells in self.table.items() if cells):
            self._write_row(row_num, spans.get(row_num // _SPAN_ROWS))
            for col_num in sorted(self.table[row_num]):
                self._write_cell(row_num, col_num, self.table[row_num][col_num])
            self._xml_end_tag("row")
        first = self._bulk_first
        columns = self._bulk_columns
        self._index_formats(columns, self._bulk_formats)
        row_names = [str(n) for n in range(first + 1, first + 1 + len(columns[0]))] if columns else []
        cells = [self._cells(n, c, self._bulk_formats[n], row_names) for n, c in enumerate(columns)]
        rows = ["".join(row) for row in zip(*cells)]
        for start in range(0, len(rows), _CHUNK_ROWS):
            self.fh.write(
                "".join(
                    f'<row r="{row + 1}" spans="{spans[row // _SPAN_ROWS]}">{xml}</row>'
                    for row, xml in enumerate(rows[start : start + _CHUNK_ROWS], start=first + start)
                    if xml
                )
            )

    @staticmethod
    def _index_formats(columns: list[list[Any]], formats: list[Format | None]) -> None:
        """Number formats take their style index where XlsxWriter gives it: at their first cell, row by row."""
        first_cells = []
        for n, (column, number_format) in enumerate(zip(columns, formats)):
            if number_format is not None:
                row = next((r for r, v in enumerate(column) if v is not None and v.__class__ not in (str, bool)), None)
                if row is not None:
                    first_cells.append((row, n, number_format))
        for _row, _n, number_format in sorted(first_cells, key=lambda cell: cell[:2]):
            number_format._get_xf_index()
