"""A small horizontal bar chart as SVG text, so live charts need no matplotlib and no display.

The chart is a picture with a short accessible name (``role="img"``); every
widget that draws one also shows the same numbers as a table, which is the
text alternative a screen reader user reads.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Bar", "Band", "bar_chart_svg"]

_ROW = 34
_MIN_LABEL_WIDTH = 120
_CHAR_WIDTH = 7.5  # a generous average width of a 13 px sans-serif letter
_BAR_WIDTH = 300
_VALUE_WIDTH = 170
_TEXT = "#1b1b1b"
_AXIS = "#595959"
_BAND_FILL = "#dcefdc"
_PALETTE = ("#8c1515", "#1f4e79", "#5b3a8c", "#4d4d4d", "#7a4b00", "#0b5e55")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (in the chart's unit) and the text written after it."""

    label: str
    value: float
    shown: str
    colour: str = ""


@dataclass(frozen=True)
class Band:
    """A shaded range of values (for example the 40-60 % band), with a caption."""

    low: float
    high: float
    caption: str


def bar_chart_svg(
    bars: Sequence[Bar], *, name: str, scale_max: float, band: Band | None = None, css_class: str = ""
) -> str:
    """Horizontal bars scaled to ``scale_max``; values above it are drawn to the edge.

    Parameters
    ----------
    bars
        The bars, top to bottom.
    name
        The accessible name of the picture (the table beside it holds the details).
    scale_max
        The value that fills the whole bar width (at least a tiny positive number).
    band
        An optional range to shade behind the bars, with its caption above.
    css_class
        A class for the ``<svg>`` element, so pages and tests can find the chart.
    """
    scale_max = max(float(scale_max), 1e-9)
    top = 22 if band else 6
    height = top + _ROW * max(len(bars), 1) + 6
    # the labels are never cut: the label column grows to the longest one
    label_width = max(_MIN_LABEL_WIDTH, round(_CHAR_WIDTH * max((len(b.label) for b in bars), default=0)) + 14)
    width = label_width + _BAR_WIDTH + _VALUE_WIDTH

    def x(value: float) -> float:
        return label_width + _BAR_WIDTH * min(max(value, 0.0), scale_max) / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(name)}" '
        f'class="{html.escape(css_class)}" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" font-family="sans-serif" font-size="13">'
    ]
    if band:
        left, right = x(band.low), x(band.high)
        parts.append(
            f'<rect x="{left:.1f}" y="{top - 4}" width="{right - left:.1f}" height="{height - top}" fill="{_BAND_FILL}"/>'
            f'<text x="{(left + right) / 2:.1f}" y="14" text-anchor="middle" fill="{_TEXT}">{html.escape(band.caption)}</text>'
        )
    for row, bar in enumerate(bars):
        y = top + row * _ROW
        colour = bar.colour or _PALETTE[row % len(_PALETTE)]
        length = x(bar.value) - label_width
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="{_TEXT}">{html.escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="20" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 19}" fill="{_TEXT}">{html.escape(bar.shown)}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height}" stroke="{_AXIS}" stroke-width="1"/>'
        "</svg>"
    )
    return "".join(parts)
