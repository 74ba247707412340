"""The completion dashboard ("Översikt"): the course leader's Voilà app over one course run.

It shows, from :mod:`grading.dashboard`: filters by circle and module, the
table of learners by modules (state as text, and points), who is behind and
since when, completion over time and the spread of points as SVG pictures
with tables as their text alternative, a summary per study circle, and one
learner's page (modules, reflections, the leader's comments). A CSV of the
table as filtered can be downloaded.

Learner text is hostile: names and answers are escaped, a reflection is shown
as sanitised markdown (:mod:`widgets.safe_text`), the CSV is written by
:mod:`widgets.spreadsheet` so that no name can be a formula.

Personal data: opening a learner's page and making the CSV are written to the
run's access log (``grading.access_log``) before anything is shown.

The HTML is built by plain functions (``*_html``) so tests can read it without
a browser; :class:`Dashboard` wires them to the dropdowns and buttons.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
from traitlets import Unicode, validate

from widgets import _ui as ui
from widgets._dashboard_svg import Spread, spread_svg
from widgets._download import download_link
from widgets._messages import Messages
from widgets._numbers import format_number
from widgets._svg_chart import Bar, bar_chart_svg
from widgets._table_region import table_region
from widgets.formats import format_day, format_percent, format_time
from widgets.i18n import t
from widgets.safe_text import markdown_html
from widgets.safe_text import text_html as _e
from widgets.spreadsheet import frame_csv

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.dashboard import LearnerPage
    from grading.run import CourseRun

__all__ = [
    "Dashboard",
    "table_html",
    "behind_html",
    "over_time_html",
    "spread_html",
    "circles_html",
    "learner_html",
    "table_csv",
]

_CSS = "cirkel-dashboard"
_ALL = ""
#: Days shown in the picture of completion over time (the table has every day).
_MAX_DAYS_IN_PICTURE = 30
#: One colour for every day: the bars are one series growing over time.
_TIME_COLOUR = "#1f4e79"
_STYLE = f"""<style>
.{_CSS} h2 {{ margin-top: 1.6rem; }}
.{_CSS} .{_CSS}-behind-mark {{ display: block; font-weight: 600; color: #8c1515; }}
.{_CSS} blockquote {{ border-left: 4px solid #c8c8c8; margin: 0.4rem 0; padding: 0.2rem 0.8rem; }}
.{_CSS} details {{ margin: 0.4rem 0 1rem; }}
.{_CSS} .widget-dropdown > select {{ min-width: 14rem; }}
</style>"""


# -- small formatting helpers ------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _points(points: Any, max_points: Any) -> str:
    if _missing(points):
        return ""
    # the gradebook's points as the learner's exercises show them: two decimals at most
    most = "" if _missing(max_points) else format_number(float(max_points))
    return t("dashboard.points", points=format_number(float(points)), max_points=most)


def _date(value: Any) -> str:
    """A moment as the local date, ``2025-03-04`` (the Swedish way)."""
    if _missing(value):
        return ""
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return format_day(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _name(student_id: str, name: str) -> str:
    return f"{name} ({student_id})" if name and name != student_id else student_id


def _circle_text(circle: Any, names: dict[str, str]) -> str:
    ids = [c for c in str(circle or "").split(", ") if c]
    return ", ".join(names.get(c, c) for c in ids)


def _table(caption: str, head: list[str], rows: list[str], css: str) -> str:
    cols = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    return table_region(
        f'<table class="cirkel-report-table {_CSS}-{css}"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        caption,
    )


def _note(text: str) -> str:
    return f'<p class="{_CSS}-empty">{_e(text)}</p>'


# -- the parts of the page as HTML ---------------------------------------------------------------


def table_html(frame: pd.DataFrame, modules: list[str]) -> str:
    """Learners by modules: each cell the state in words, the points, and "behind since" if so."""
    if frame.empty:
        return _note(t("dashboard.table.empty"))
    shown = [m for m in modules if m in set(frame["module"])]
    rows = []
    for (student_id, name), learner in frame.groupby(["student_id", "namn"], sort=True):
        by_module = {row.module: row for row in learner.itertuples(index=False)}
        cells = [f'<th scope="row">{_e(_name(student_id, name))}</th>']
        for module in shown:
            row = by_module.get(module)
            if row is None:
                cells.append("<td></td>")
                continue
            parts = [f'<span class="cirkel-state">{_e(row.state)}</span>']
            points = _points(row.points, row.max_points)
            if points:
                parts.append(f'<span class="cirkel-points">{_e(points)}</span>')
            if row.needs_manual_grade:
                parts.append(f'<span class="cirkel-points">{_e(t("dashboard.table.manual"))}</span>')
            if getattr(row, "unreadable", ""):
                parts.append(
                    f'<span class="{_CSS}-unreadable">{_e(t("dashboard.table.unreadable", files=row.unreadable))}</span>'
                )
            if getattr(row, "group_work", ""):
                parts.append(f'<span class="{_CSS}-group-work">{_e(row.group_work)}</span>')
            if not _missing(row.behind_since):
                parts.append(
                    f'<span class="{_CSS}-behind-mark">'
                    f"{_e(t('dashboard.table.behind', date=_date(row.behind_since)))}</span>"
                )
            cells.append(f'<td data-module="{_e(module)}">{"".join(parts)}</td>')
        rows.append(f'<tr data-student="{_e(student_id)}">{"".join(cells)}</tr>')
    return _table(t("dashboard.table.caption"), [t("dashboard.col.learner"), *shown], rows, "table")


def behind_html(behind: pd.DataFrame, names: dict[str, str]) -> str:
    """Who is behind on which module, since which date: longest first."""
    if behind.empty:
        return _note(t("dashboard.behind.none"))
    rows = [
        f'<tr data-student="{_e(r.student_id)}"><th scope="row">{_e(_name(r.student_id, r.namn))}</th>'
        f"<td>{_e(_circle_text(r.circle, names))}</td><td>{_e(r.module)}</td><td>{_e(r.state)}</td>"
        f"<td>{_e(_date(r.behind_since))}</td></tr>"
        for r in behind.itertuples(index=False)
    ]
    head = [
        t("dashboard.col.learner"),
        t("dashboard.col.circle"),
        t("dashboard.col.module"),
        t("dashboard.col.state"),
        t("dashboard.col.behind_since"),
    ]
    return _table(t("dashboard.behind.caption", count=len(behind)), head, rows, "behind")


def over_time_html(over_time: pd.DataFrame) -> str:
    """Submissions so far, day by day: a bar picture of the last days and the whole table."""
    if over_time.empty:
        return _note(t("dashboard.over_time.none"))
    recent = over_time.tail(_MAX_DAYS_IN_PICTURE)
    total = int(over_time["cumulative"].iloc[-1])
    bars = [
        Bar(_date(r.date), float(r.cumulative), format_number(float(r.cumulative), 0), _TIME_COLOUR)
        for r in recent.itertuples(index=False)
    ]
    picture = bar_chart_svg(
        bars,
        name=t("dashboard.over_time.picture", total=total),
        scale_max=max(total, 1),
        css_class=f"{_CSS}-over-time-chart",
    )
    rows = [
        f'<tr><th scope="row">{_e(_date(r.date))}</th><td>{int(r.submissions)}</td><td>{int(r.cumulative)}</td></tr>'
        for r in over_time.itertuples(index=False)
    ]
    table = _table(
        t("dashboard.over_time.caption"),
        [t("dashboard.col.date"), t("dashboard.col.submissions"), t("dashboard.col.cumulative")],
        rows,
        "over-time",
    )
    return picture + f"<details><summary>{_e(t('dashboard.as_table'))}</summary>{table}</details>"


def spread_html(spread: pd.DataFrame) -> str:
    """The spread of points per module: a box picture and the numbers as a table."""
    if spread.empty:
        return _note(t("dashboard.spread.none"))

    def num(x: float) -> str:
        return "" if _missing(x) else format_number(float(x), 1)

    items = []
    for r in spread.itertuples(index=False):
        scale = r.max_points if not _missing(r.max_points) and r.max_points > 0 else max(r.max, 1.0)
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
    picture = spread_svg(items, name=t("dashboard.spread.picture"), css_class=f"{_CSS}-spread-chart")
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
    table = _table(t("dashboard.spread.caption"), head, rows, "spread")
    return (
        f"<p>{_e(t('dashboard.spread.explain'))}</p>"
        + picture
        + f"<details><summary>{_e(t('dashboard.as_table'))}</summary>{table}</details>"
    )


def circles_html(summary: pd.DataFrame) -> str:
    """One row per study circle (and one for the learners in none)."""
    if summary.empty:
        return _note(t("dashboard.table.empty"))
    rows = []
    for r in summary.itertuples(index=False):
        label = r.name if r.circle_id else t("dashboard.circles.no_circle")
        mean = "" if _missing(r.mean_points) else format_number(float(r.mean_points), 1)
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
    return _table(t("dashboard.circles.caption"), head, rows, "circles")


def learner_name_html(page: LearnerPage) -> str:
    """The learner's name as the heading of their page."""
    return f'<h3 class="{_CSS}-learner-name">{_e(_name(page.student_id, page.name))}</h3>'


def learner_html(page: LearnerPage, *, heading: bool = True) -> str:
    """One learner: circles, each module's state and points, reflections and comments.

    ``heading=False`` leaves the name out, for the app, which draws it apart to move the focus to it.
    """
    parts = [learner_name_html(page)] if heading else []
    circles = ", ".join(page.circles) if page.circles else t("dashboard.learner.no_circle")
    parts.append(f"<p>{_e(t('dashboard.learner.circles', circles=circles))}</p>")
    rows = []
    for m in page.modules:
        feedback = t("dashboard.yes") if m.feedback_html else t("dashboard.no")
        manual = t("dashboard.table.manual") if m.needs_manual_grade else ""
        rows.append(
            f'<tr data-module="{_e(m.module)}"><th scope="row">{_e(m.module)}</th><td>{_e(m.state)}</td>'
            f"<td>{_e(_points(m.points, m.max_points))} {_e(manual)}</td><td>{_e(_date(m.submitted_at))}</td>"
            f"<td>{_e(_date(m.behind_since))}</td><td>{_e(feedback)}</td></tr>"
        )
    head = [
        t("dashboard.col.module"),
        t("dashboard.col.state"),
        t("dashboard.col.points"),
        t("dashboard.col.submitted"),
        t("dashboard.col.behind_since"),
        t("dashboard.col.feedback_made"),
    ]
    parts.append(_table(t("dashboard.learner.modules_caption", name=page.name), head, rows, "learner-modules"))
    for m in page.modules:
        if getattr(m, "group_work", ""):
            parts.append(
                f'<p class="{_CSS}-group-work" data-module="{_e(m.module)}">'
                f"{_e(t('dashboard.learner.group_work', module=m.module, work=m.group_work))}</p>"
            )
        if m.unreadable:
            parts.append(
                f'<p class="{_CSS}-unreadable" data-module="{_e(m.module)}">'
                f"{_e(t('dashboard.learner.unreadable', module=m.module, files=m.unreadable))}</p>"
            )
    parts.append(f"<h4>{_e(t('dashboard.learner.reflections'))}</h4>")
    if page.reflections:
        for r in page.reflections:
            where = t(f"dashboard.learner.source.{r.source}")
            parts.append(
                f'<div class="{_CSS}-reflection" data-module="{_e(r.module)}">'
                f"<p><strong>{_e(r.module)}</strong>: {_e(r.prompt)} <em>({_e(where)})</em></p>"
                f"<blockquote>{markdown_html(r.text)}</blockquote></div>"
            )
    else:
        parts.append(_note(t("dashboard.learner.no_reflections")))
    parts.append(f"<h4>{_e(t('dashboard.learner.comments'))}</h4>")
    if page.feedback:
        items = "".join(
            f'<li data-module="{_e(c.module)}"><strong>{_e(c.module)}</strong>: {_e(c.comment)}</li>'
            for c in page.feedback
        )
        parts.append(f'<ul class="{_CSS}-comments">{items}</ul>')
    else:
        parts.append(_note(t("dashboard.learner.no_comments")))
    return "".join(parts)


def table_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV for a Swedish spreadsheet: ``;`` between fields, decimal comma, UTF-8 with BOM."""
    out = frame.copy()
    for column in ("submitted_at", "behind_since"):
        out[column] = out[column].map(lambda v: "" if _missing(v) else v.isoformat())
    return frame_csv(out).encode("utf-8-sig")


def _alert(text: str) -> str:
    return f'<p role="alert">{_e(text)}</p>'


def _log(run: CourseRun, action: str, subject: str) -> None:
    """Write to the run's access log (part C's module; skipped only if it is not installed)."""
    try:
        from grading.access_log import record
    except ImportError:  # pragma: no cover - the access log lands with issue 6
        return
    record(run, action, subject)


# -- the app ---------------------------------------------------------------------------------------


class Dashboard(ui.VBox):
    """The dashboard app: filters, table, behind list, pictures, circles, a learner's page.

    Parameters
    ----------
    run_root
        The course run's folder (the app reads ``CIRKEL_RUN``); ``None`` shows a plain message.
    """

    circle = Unicode(_ALL, help="The circle id the views are filtered by; empty for all.")
    module = Unicode(_ALL, help="The module the views are filtered by; empty for all.")

    def __init__(self, run_root: str | None, **kwargs: Any):
        self.run_root = run_root
        self.run: CourseRun | None = None
        self.frame: pd.DataFrame | None = None
        self.names: dict[str, str] = {}
        self.modules: list[str] = []

        self.heading = ui.HTML(f"{_STYLE}<h1>{_e(t('dashboard.title'))}</h1>")
        self.intro = ui.HTML()
        self.circle_filter = ui.Dropdown(
            options=[(t("dashboard.filter.all_circles"), _ALL)],
            value=_ALL,
            description=t("dashboard.filter.circle"),
            style={"description_width": "initial"},
        )
        self.circle_filter.add_class(f"{_CSS}-circle-filter")
        self.module_filter = ui.Dropdown(
            options=[(t("dashboard.filter.all_modules"), _ALL)],
            value=_ALL,
            description=t("dashboard.filter.module"),
            style={"description_width": "initial"},
        )
        self.module_filter.add_class(f"{_CSS}-module-filter")
        self.refresh_button = ui.Button(description=t("dashboard.refresh"), button_style="primary")
        self.refresh_button.add_class(f"{_CSS}-refresh")
        self.updated = ui.live(ui.HTML())  # one region, there before its text changes
        self.table = ui.HTML()
        self.table.add_class(f"{_CSS}-table-box")
        self.csv_button = ui.Button(description=t("dashboard.csv.make"))
        self.csv_button.add_class(f"{_CSS}-csv")
        self.csv_link = ui.HTML()
        self.behind = ui.HTML()
        self.over_time = ui.HTML()
        self.spread = ui.HTML()
        self.circles = ui.HTML()
        self.learner_picker = ui.Dropdown(
            options=[(t("dashboard.learner.pick"), _ALL)],
            value=_ALL,
            description=t("dashboard.learner.label"),
            style={"description_width": "initial"},
        )
        self.learner_picker.add_class(f"{_CSS}-learner-picker")
        self.learner_button = ui.Button(description=t("dashboard.learner.show"))
        self.learner_button.add_class(f"{_CSS}-learner-show")
        self.learner_message = Messages(f"{_CSS}-learner-message")
        self.learner_name = ui.HTML()  # the page's heading: the keyboard goes here when it is shown
        self.learner = ui.HTML()
        self.learner.add_class(f"{_CSS}-learner")
        self.back_button = ui.show(ui.Button(description=t("dashboard.learner.back")), False)
        self.back_button.add_class(f"{_CSS}-back")

        def section(key: str) -> ipw.HTML:
            return ui.HTML(f"<h2>{_e(t(key))}</h2>")

        row = ui.layout(flex_flow="row wrap", align_items="center")
        super().__init__(
            [
                self.heading,
                self.intro,
                section("dashboard.filter.heading"),
                ui.HBox([self.circle_filter, self.module_filter], layout=row),
                ui.HBox([self.refresh_button, self.updated], layout=row),
                section("dashboard.table.heading"),
                self.table,
                ui.HBox([self.csv_button, self.csv_link], layout=row),
                section("dashboard.behind.heading"),
                self.behind,
                section("dashboard.over_time.heading"),
                self.over_time,
                section("dashboard.spread.heading"),
                self.spread,
                section("dashboard.circles.heading"),
                self.circles,
                section("dashboard.learner.heading"),
                ui.HBox([self.learner_picker, self.learner_button], layout=row),
                self.learner_message,
                self.learner_name,
                self.learner,
                self.back_button,
            ],
            **kwargs,
        )
        self.add_class(_CSS)
        self.circle_filter.observe(lambda change: setattr(self, "circle", change["new"] or _ALL), "value")
        self.module_filter.observe(lambda change: setattr(self, "module", change["new"] or _ALL), "value")
        self.observe(lambda _change: self.render(), ["circle", "module"])
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.csv_button.on_click(lambda _b: self.make_csv())
        self.learner_button.on_click(lambda _b: self.show_learner(self.learner_picker.value))
        self.back_button.on_click(lambda _b: self.back_to_table())
        self.refresh()

    @validate("circle")
    def _valid_circle(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"] or _ALL
        return value if value == _ALL or value in self.names else _ALL

    @validate("module")
    def _valid_module(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"] or _ALL
        return value if value == _ALL or value in self.modules else _ALL

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the gradebook and the folders again; keep the filters where they still apply."""
        self.csv_link.value = ""
        if not self.run_root:
            self._failed(t("dashboard.no_run"))
            return
        try:
            from grading.dashboard import circle_names, dashboard_table
            from grading.run import CourseRun

            self.run = CourseRun(self.run_root)
            self.frame = dashboard_table(self.run)
            self.names = circle_names(self.run)
        except Exception as exc:  # the course leader gets a sentence, never a traceback
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            self._failed(t("dashboard.failed", reason=reason))
            return
        self.modules = list(self.run.modules)
        self.intro.value = f"<p>{_e(t('dashboard.intro', course=getattr(self.run, 'title', self.run.course_id)))}</p>"
        self._set_options(
            self.circle_filter,
            [(t("dashboard.filter.all_circles"), _ALL)]
            + [(name, cid) for cid, name in sorted(self.names.items(), key=lambda i: i[1])],
        )
        self._set_options(
            self.module_filter, [(t("dashboard.filter.all_modules"), _ALL)] + [(m, m) for m in self.modules]
        )
        learners = self.frame.drop_duplicates("student_id")
        self._set_options(
            self.learner_picker,
            [(t("dashboard.learner.pick"), _ALL)]
            + [(_name(r.student_id, r.namn), r.student_id) for r in learners.itertuples(index=False)],
        )
        self.circle = self.circle_filter.value
        self.module = self.module_filter.value
        self.render()
        now = format_time(dt.datetime.now(dt.UTC), seconds=True)
        self.updated.value = f'<p class="cirkel-report-updated">{_e(t("dashboard.updated", time=now))}</p>'

    @staticmethod
    def _set_options(dropdown: ipw.Dropdown, options: list[tuple[str, str]]) -> None:
        keep = dropdown.value
        dropdown.options = options
        dropdown.value = keep if keep in {v for _, v in options} else _ALL

    def _failed(self, message: str) -> None:
        self.frame = None
        self.table.value = _alert(message)
        for part in (self.behind, self.over_time, self.spread, self.circles, self.learner, self.learner_name):
            part.value = ""
        ui.show(self.back_button, False)

    # -- showing ----------------------------------------------------------------------------
    def filtered(self) -> pd.DataFrame:
        """The table as the filters choose it."""
        from grading.dashboard import filter_table

        assert self.frame is not None
        return filter_table(self.frame, circle=self.circle or None, module=self.module or None)

    def render(self) -> None:
        """Draw every view from the table in memory, as filtered."""
        if self.frame is None:
            return
        from grading.dashboard import behind_list, circle_summary, completion_over_time, points_spread

        frame = self.filtered()
        self.csv_link.value = ""
        self.table.value = table_html(frame, self.modules)
        self.behind.value = behind_html(behind_list(frame), self.names)
        self.over_time.value = over_time_html(completion_over_time(frame))
        self.spread.value = spread_html(points_spread(frame))
        by_module = self.frame if not self.module else self.frame[self.frame["module"] == self.module]
        summary = circle_summary(by_module, self.names)
        if self.circle:
            summary = summary[summary["circle_id"] == self.circle]
        self.circles.value = circles_html(summary)

    def make_csv(self) -> None:
        """Offer the table as filtered as a CSV file (and log the export); the keyboard goes to the link."""
        if self.frame is None or self.run is None:
            return
        frame = self.filtered()
        try:
            _log(self.run, "exportera", "alla")
        except OSError as exc:
            self.csv_link.value = _alert(t("dashboard.log_failed", reason=exc.strerror or str(exc)))
            return
        name = f"{self.run.course_id}-oversikt.csv"
        self.csv_link.value = download_link(
            name,
            "text/csv;charset=utf-8",
            table_csv(frame),
            t("dashboard.csv.download", count=len(frame)),
            css_class=f"{_CSS}-csv-link",
        )
        ui.focus(self.csv_link)

    def show_learner(self, student_id: str) -> None:
        """Show one learner's page; the visit is written to the access log first.

        The keyboard goes to the page's heading (the name), and a button after the page leads back
        to the table; a refusal is said as an alert and the keyboard goes back to the list.
        """
        if not student_id:
            self._refuse_learner(t("dashboard.learner.pick_first"))
            return
        if self.frame is None or self.run is None:
            return
        from grading.dashboard import learner_page

        try:
            page = learner_page(self.run, student_id, self.frame, self.names)
            shown = learner_html(page, heading=False)
        except Exception as exc:  # an unknown or erased learner: a sentence, not a traceback
            self._refuse_learner(t("dashboard.failed", reason=str(exc) or type(exc).__name__))
            return
        try:
            _log(self.run, "visa", student_id)
        except OSError as exc:
            self._refuse_learner(t("dashboard.log_failed", reason=exc.strerror or str(exc)))
            return
        self.learner_message.clear()
        self.learner_name.value = learner_name_html(page)
        self.learner.value = shown
        ui.show(self.back_button)
        ui.focus(self.learner_name)

    def _refuse_learner(self, text: str) -> None:
        self.learner_name.value = self.learner.value = ""
        ui.show(self.back_button, False)
        self.learner_message.error(f'<p class="{_CSS}-error">{_e(text)}</p>')
        ui.focus(self.learner_picker)

    def back_to_table(self) -> None:
        """Leave the learner's page for the table: the keyboard goes to the table's region."""
        ui.focus(self.table)
