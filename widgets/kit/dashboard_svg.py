"""The spread of points as a small box chart in SVG: one row per module.

Each row draws the lowest and highest points as a thin line, the middle half
(first to third quartile) as a box and the median as a thick mark. Like
``_svg_chart``, it is a picture with a short accessible name; the dashboard
shows the same numbers as a table beside it, which is the text alternative.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Spread", "spread_svg"]

_ROW = 34
_PLOT_WIDTH = 320
_VALUE_WIDTH = 150
_MIN_LABEL_WIDTH = 120
_CHAR_WIDTH = 7.5
_TEXT = "#1b1b1b"
_AXIS = "#595959"
_BOX = "#1f4e79"
_BOX_FILL = "#d6e4f0"
_MEDIAN = "#8c1515"


@dataclass(frozen=True)
class Spread:
    """One module's points: lowest, quartiles, median, highest, and the text after the row."""

    label: str
    low: float
    q1: float
    median: float
    q3: float
    high: float
    scale_max: float
    shown: str


def spread_svg(rows: Sequence[Spread], *, name: str, css_class: str = "") -> str:
    """One box row per module, each scaled to its own maximum points (0 at the axis).

    Parameters
    ----------
    rows
        The modules, top to bottom.
    name
        The accessible name of the picture (the table beside it holds the numbers).
    css_class
        A class for the ``<svg>`` element, so pages and tests can find it.
    """
    label_width = max(_MIN_LABEL_WIDTH, round(_CHAR_WIDTH * max((len(r.label) for r in rows), default=0)) + 14)
    width = label_width + _PLOT_WIDTH + _VALUE_WIDTH
    height = 6 + _ROW * max(len(rows), 1) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(name)}" '
        f'class="{html.escape(css_class)}" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" font-family="sans-serif" font-size="13">'
    ]
    for index, row in enumerate(rows):
        top = 6 + index * _ROW
        scale = max(float(row.scale_max), 1e-9)

        def x(value: float, scale: float = scale) -> float:
            return label_width + _PLOT_WIDTH * min(max(float(value), 0.0), scale) / scale

        mid = top + 15
        parts.append(
            f'<text x="{label_width - 8}" y="{mid + 4}" text-anchor="end" fill="{_TEXT}">{html.escape(row.label)}</text>'
            f'<line x1="{x(row.low):.1f}" y1="{mid}" x2="{x(row.high):.1f}" y2="{mid}" stroke="{_BOX}" stroke-width="2"/>'
            f'<line x1="{x(row.low):.1f}" y1="{mid - 6}" x2="{x(row.low):.1f}" y2="{mid + 6}" stroke="{_BOX}" stroke-width="2"/>'
            f'<line x1="{x(row.high):.1f}" y1="{mid - 6}" x2="{x(row.high):.1f}" y2="{mid + 6}" stroke="{_BOX}" stroke-width="2"/>'
            f'<rect x="{x(row.q1):.1f}" y="{mid - 9}" width="{max(x(row.q3) - x(row.q1), 1.0):.1f}" height="18" '
            f'fill="{_BOX_FILL}" stroke="{_BOX}" stroke-width="1.5"/>'
            f'<line x1="{x(row.median):.1f}" y1="{mid - 11}" x2="{x(row.median):.1f}" y2="{mid + 11}" '
            f'stroke="{_MEDIAN}" stroke-width="3"/>'
            f'<text x="{label_width + _PLOT_WIDTH + 8}" y="{mid + 4}" fill="{_TEXT}">{html.escape(row.shown)}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="2" x2="{label_width}" y2="{height}" stroke="{_AXIS}" stroke-width="1"/></svg>'
    )
    return "".join(parts)
