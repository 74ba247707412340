"""A download link carrying its file in a ``data:`` URL, so an export needs no server route."""

from __future__ import annotations

import base64
import html

__all__ = ["download_link", "DOCX_MIME", "MARKDOWN_MIME"]

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MIME = "text/markdown;charset=utf-8"


def download_link(filename: str, mime: str, payload: bytes, label: str, css_class: str = "cirkel-download") -> str:
    """``<p><a download href="data:...">label</a></p>``: the label is the link's accessible name."""
    data = base64.b64encode(payload).decode("ascii")
    return (
        f'<p class="{html.escape(css_class)}"><a download="{html.escape(filename)}" '
        f'href="data:{mime};base64,{data}">{html.escape(label)}</a></p>'
    )
