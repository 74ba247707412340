"""Word (DOCX) export of a builder's document blocks.

Kept apart so that python-docx is imported only when someone asks for a Word
file; the blocks are the same ones the Markdown export is made from.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from widgets.core.i18n import t
from widgets.models.builder import Block, one_line

__all__ = ["blocks_docx_bytes", "write_blocks_docx"]


def blocks_docx_bytes(title: str, blocks: Sequence[Block]) -> bytes:
    """The blocks as a DOCX document with ``title`` as its title."""
    import docx  # python-docx

    document = docx.Document()
    document.core_properties.title = one_line(title)
    document.core_properties.language = "sv-SE" if t("number.decimal_mark") == "," else "en"
    document.add_heading(one_line(title), level=0)
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(one_line(block.text), level=min(max(block.level, 1), 4))
        elif block.kind == "para":
            document.add_paragraph(one_line(block.text))
        elif block.kind == "note":
            document.add_paragraph().add_run(one_line(block.text)).italic = True
        elif block.kind in ("bullets", "numbered"):
            style = "List Bullet" if block.kind == "bullets" else "List Number"
            for item in block.items:
                document.add_paragraph(one_line(item), style=style)
        elif block.kind == "table" and block.rows:
            header, *rows = block.rows
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header):
                cell.text = ""
                cell.paragraphs[0].add_run(one_line(text)).bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = one_line(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_blocks_docx(title: str, blocks: Sequence[Block], path: str | Path) -> Path:
    """Write the DOCX export to ``path`` (write, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(blocks_docx_bytes(title, blocks))
    tmp.replace(path)
    return path
