"""The course's views as HTML: learners by modules, who is behind, completion over time, the spread, the circles.

Plain functions, so tests read them without a browser; the CSV of the table is here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voila_apps.views.dashboard_view.formatting import (
    CSS,
    circle_text,
    date_text,
    learner_label,
    missing,
    note,
    points_text,
    report_table,
)
from widgets.core.formats import format_percent
from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.core.safe_text import text_html as _e
from widgets.core.spreadsheet import frame_csv
from widgets.kit.dashboard_svg import Spread, spread_svg
from widgets.kit.svg_chart import Bar, bar_chart_svg

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Days shown in the picture of completion over time (the table has every day).
MAX_DAYS_IN_PICTURE = 30
#: One colour for every day: the bars are one series growing over time.
TIME_COLOUR = "#1f4e79"


def table_html(frame: pd.DataFrame, modules: list[str]) -> str:
    """Learners by modules: each cell the state in words, the points, and "behind since" if so."""
    if frame.empty:
        return note(t("dashboard.table.empty"))
    shown = [m for m in modules if m in set(frame["module"])]
    rows = []
    for (student_id, name), learner in frame.groupby(["student_id", "namn"], sort=True):
        by_module = {row.module: row for row in learner.itertuples(index=False)}
        cells = [f'<th scope="row">{_e(learner_label(student_id, name))}</th>']
        for module in shown:
            row = by_module.get(module)
            if row is None:
                cells.append("<td></td>")
                continue
            parts = [f'<span class="cirkel-state">{_e(row.state)}</span>']
            points = points_text(row.points, row.max_points)
            if points:
                parts.append(f'<span class="cirkel-points">{_e(points)}</span>')
            if row.needs_manual_grade:
                parts.append(f'<span class="cirkel-points">{_e(t("dashboard.table.manual"))}</span>')
            if getattr(row, "unreadable", ""):
                parts.append(
                    f'<span class="{CSS}-unreadable">{_e(t("dashboard.table.unreadable", files=row.unreadable))}</span>'
                )
            if getattr(row, "group_work", ""):
                parts.append(f'<span class="{CSS}-group-work">{_e(row.group_work)}</span>')
            if not missing(row.behind_since):
                parts.append(
                    f'<span class="{CSS}-behind-mark">'
                    f"{_e(t('dashboard.table.behind', date=date_text(row.behind_since)))}</span>"
                )
            cells.append(f'<td data-module="{_e(module)}">{"".join(parts)}</td>')
        rows.append(f'<tr data-student="{_e(student_id)}">{"".join(cells)}</tr>')
    return report_table(t("dashboard.table.caption"), [t("dashboard.col.learner"), *shown], rows, "table")


def behind_html(behind: pd.DataFrame, names: dict[str, str]) -> str:
    """Who is behind on which module, since which date: longest first."""
    if behind.empty:
        return note(t("dashboard.behind.none"))
    rows = [
        f'<tr data-student="{_e(r.student_id)}"><th scope="row">{_e(learner_label(r.student_id, r.namn))}</th>'
        f"<td>{_e(circle_text(r.circle, names))}</td><td>{_e(r.module)}</td><td>{_e(r.state)}</td>"
        f"<td>{_e(date_text(r.behind_since))}</td></tr>"
        for r in behind.itertuples(index=False)
    ]
    head = [
        t("dashboard.col.learner"),
        t("dashboard.col.circle"),
        t("dashboard.col.module"),
        t("dashboard.col.state"),
        t("dashboard.col.behind_since"),
    ]
    return report_table(t("dashboard.behind.caption", count=len(behind)), head, rows, "behind")


def over_time_html(over_time: pd.DataFrame) -> str:
    """Submissions so far, day by day: a bar picture of the last days and the whole table."""
    if over_time.empty:
        return note(t("dashboard.over_time.none"))
    recent = over_time.tail(MAX_DAYS_IN_PICTURE)
    total = int(over_time["cumulative"].iloc[-1])
    bars = [
        Bar(date_text(r.date), float(r.cumulative), format_number(float(r.cumulative), 0), TIME_COLOUR)
        for r in recent.itertuples(index=False)
    ]
    picture = bar_chart_svg(
        bars,
        name=t("dashboard.over_time.picture", total=total),
        scale_max=max(total, 1),
        css_class=f"{CSS}-over-time-chart",
    )
    rows = [
        f'<tr><th scope="row">{_e(date_text(r.date))}</th><td>{int(r.submissions)}</td><td>{int(r.cumulative)}</td></tr>'
        for r in over_time.itertuples(index=False)
    ]
    table = report_table(
        t("dashboard.over_time.caption"),
        [t("dashboard.col.date"), t("dashboard.col.submissions"), t("dashboard.col.cumulative")],
        rows,
        "over-time",
    )
    return picture + f"<details><summary>{_e(t('dashboard.as_table'))}</summary>{table}</details>"


def spread_html(spread: pd.DataFrame) -> str:
    """The spread of points per module: a box picture and the numbers as a table."""
    if spread.empty:
        return note(t("dashboard.spread.none"))

    def num(x: float) -> str:
        return "" if missing(x) else format_number(float(x), 1)

    items = []
    for r in spread.itertuples(index=False):
        scale = r.max_points if not missing(r.max_points) and r.max_points > 0 else max(r.max, 1.0)
        items.append(
            Spread(
                r.module,
                r.min,
                r.q1,
                r.median,
                r.q3,
                r.max,
                scale,
                t("dashboard.spread.shown", median=num(r.median), max_points=num(scale)),
            )
        )
    picture = spread_svg(items, name=t("dashboard.spread.picture"), css_class=f"{CSS}-spread-chart")
    rows = [
        f'<tr><th scope="row">{_e(r.module)}</th><td>{int(r["count"])}</td><td>{num(r["min"])}</td>'
        f"<td>{num(r['median'])}</td><td>{num(r['max'])}</td><td>{num(r['mean'])}</td>"
        f"<td>{num(r['max_points'])}</td></tr>"
        for _, r in spread.iterrows()
    ]
    head = [
        t("dashboard.col.module"),
        t("dashboard.col.graded"),
        t("dashboard.col.lowest"),
        t("dashboard.col.median"),
        t("dashboard.col.highest"),
        t("dashboard.col.mean"),
        t("dashboard.col.max_points"),
    ]
    table = report_table(t("dashboard.spread.caption"), head, rows, "spread")
    return (
        f"<p>{_e(t('dashboard.spread.explain'))}</p>"
        + picture
        + f"<details><summary>{_e(t('dashboard.as_table'))}</summary>{table}</details>"
    )


def circles_html(summary: pd.DataFrame) -> str:
    """One row per study circle (and one for the learners in none)."""
    if summary.empty:
        return note(t("dashboard.table.empty"))
    rows = []
    for r in summary.itertuples(index=False):
        label = r.name if r.circle_id else t("dashboard.circles.no_circle")
        mean = "" if missing(r.mean_points) else format_number(float(r.mean_points), 1)
        rows.append(
            f'<tr data-circle="{_e(r.circle_id)}"><th scope="row">{_e(label)}</th><td>{int(r.members)}</td>'
            f"<td>{_e(t('dashboard.circles.done', done=r.done, total=r.total))}</td>"
            f"<td>{_e(format_percent(float(r.share_done)))}</td><td>{_e(mean)}</td>"
            f"<td>{int(r.behind)}</td></tr>"
        )
    head = [
        t("dashboard.col.circle"),
        t("dashboard.col.members"),
        t("dashboard.col.done"),
        t("dashboard.col.share"),
        t("dashboard.col.mean"),
        t("dashboard.col.behind_count"),
    ]
    return report_table(t("dashboard.circles.caption"), head, rows, "circles")


def table_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV for a Swedish spreadsheet: ``;`` between fields, decimal comma, UTF-8 with BOM."""
    out = frame.copy()
    for column in ("submitted_at", "behind_since"):
        out[column] = out[column].map(lambda v: "" if missing(v) else v.isoformat())
    return frame_csv(out).encode("utf-8-sig")
