"""The dashboard's small pieces: its style sheet, points, dates and names as text, a captioned table.

Learner text is hostile: everything here escapes what it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from widgets.core.formats import format_day
from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.core.safe_text import text_html as _e
from widgets.kit.table_region import table_region

CSS = "cirkel-dashboard"
#: the filters' value for every circle, every module (and the learner list's "choose one")
ALL = ""
STYLE = f"""<style>
.{CSS} h2 {{ margin-top: 1.6rem; }}
.{CSS} .{CSS}-behind-mark {{ display: block; font-weight: 600; color: #8c1515; }}
.{CSS} blockquote {{ border-left: 4px solid #c8c8c8; margin: 0.4rem 0; padding: 0.2rem 0.8rem; }}
.{CSS} details {{ margin: 0.4rem 0 1rem; }}
.{CSS} .widget-dropdown > select {{ min-width: 14rem; }}
</style>"""


def missing(value: Any) -> bool:
    """No value: ``None``, NaN or NaT (a pandas cell without one)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def points_text(points: Any, max_points: Any) -> str:
    """``1,5 av 2 poäng``; empty when nothing is graded."""
    if missing(points):
        return ""
    # the gradebook's points as the learner's exercises show them: two decimals at most
    most = "" if missing(max_points) else format_number(float(max_points))
    return t("dashboard.points", points=format_number(float(points)), max_points=most)


def date_text(value: Any) -> str:
    """A moment as the local date, ``2025-03-04`` (the Swedish way)."""
    if missing(value):
        return ""
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return format_day(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def learner_label(student_id: str, name: str) -> str:
    """``Namn (id)``, or the id alone when the name is the id or missing."""
    return f"{name} ({student_id})" if name and name != student_id else student_id


def circle_text(circle: Any, names: dict[str, str]) -> str:
    """The circles' names for a cell holding their ids (``c1, c2``)."""
    ids = [c for c in str(circle or "").split(", ") if c]
    return ", ".join(names.get(c, c) for c in ids)


def report_table(caption: str, head: list[str], rows: list[str], css: str) -> str:
    """A captioned table in a region of its own that scrolls on a narrow screen."""
    cols = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    return table_region(
        f'<table class="cirkel-report-table {CSS}-{css}"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        caption,
    )


def note(text: str) -> str:
    """A plain sentence in place of an empty view."""
    return f'<p class="{CSS}-empty">{_e(text)}</p>'


def alert(text: str) -> str:
    """A failure, said at once."""
    return f'<p role="alert">{_e(text)}</p>'
