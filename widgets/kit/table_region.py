"""A wide table scrolls in a region of its own, never the page (WCAG 1.4.10 reflow).

On a phone a table of learners by modules is wider than the screen. Wrapped
here it scrolls sideways by itself: the region is named after the table (so a
screen reader says what scrolls) and takes the keyboard focus (so the arrow keys
scroll it), as the WCAG technique for reflow with two-dimensional content asks.
"""

from __future__ import annotations

import html

__all__ = ["REGION_CLASS", "table_region"]

#: styled in the Voilà template's cirkel.css: ``overflow-x: auto`` and a visible focus
REGION_CLASS = "cirkel-table-region"


def table_region(table_html: str, label: str) -> str:
    """``table_html`` in a focusable region named ``label`` (plain text: it is escaped here)."""
    return (
        f'<div class="{REGION_CLASS}" role="region" aria-label="{html.escape(label)}" tabindex="0">{table_html}</div>'
    )
