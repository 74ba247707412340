"""The dashboard app: the filters and buttons wired to the views, the access log written first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
from traitlets import Unicode, validate

from voila_apps.views.dashboard_view.course import (
    behind_html,
    circles_html,
    over_time_html,
    spread_html,
    table_csv,
    table_html,
)
from voila_apps.views.dashboard_view.formatting import ALL, CSS, STYLE, alert, learner_label
from voila_apps.views.dashboard_view.learner import learner_html, learner_name_html
from widgets.core.formats import format_time
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.download import download_link
from widgets.kit.messages import Messages

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun


def _log(run: CourseRun, action: str, subject: str) -> None:
    """Write to the run's access log (part C's module; skipped only if it is not installed)."""
    try:
        from grading.course_runs.access_log import record
    except ImportError:  # pragma: no cover - the access log lands with issue 6
        return
    record(run, action, subject)


class Dashboard(ui.VBox):
    """The dashboard app: filters, table, behind list, pictures, circles, a learner's page.

    Parameters
    ----------
    run_root
        The course run's folder (the app reads the ``run`` setting); ``None`` shows a plain message.
    """

    circle = Unicode(ALL, help="The circle id the views are filtered by; empty for all.")
    module = Unicode(ALL, help="The module the views are filtered by; empty for all.")

    def __init__(self, run_root: str | None, **kwargs: Any):
        self.run_root = run_root
        self.run: CourseRun | None = None
        self.frame: pd.DataFrame | None = None
        self.names: dict[str, str] = {}
        self.modules: list[str] = []

        self.heading = ui.HTML(f"{STYLE}<h1>{_e(t('dashboard.title'))}</h1>")
        self.intro = ui.HTML()
        self.circle_filter = ui.Dropdown(
            options=[(t("dashboard.filter.all_circles"), ALL)],
            value=ALL,
            description=t("dashboard.filter.circle"),
            style={"description_width": "initial"},
        )
        self.circle_filter.add_class(f"{CSS}-circle-filter")
        self.module_filter = ui.Dropdown(
            options=[(t("dashboard.filter.all_modules"), ALL)],
            value=ALL,
            description=t("dashboard.filter.module"),
            style={"description_width": "initial"},
        )
        self.module_filter.add_class(f"{CSS}-module-filter")
        self.refresh_button = ui.Button(description=t("dashboard.refresh"), button_style="primary")
        self.refresh_button.add_class(f"{CSS}-refresh")
        self.updated = ui.live(ui.HTML())  # one region, there before its text changes
        self.table = ui.HTML()
        self.table.add_class(f"{CSS}-table-box")
        self.csv_button = ui.Button(description=t("dashboard.csv.make"))
        self.csv_button.add_class(f"{CSS}-csv")
        self.csv_link = ui.HTML()
        self.behind = ui.HTML()
        self.over_time = ui.HTML()
        self.spread = ui.HTML()
        self.circles = ui.HTML()
        self.learner_picker = ui.Dropdown(
            options=[(t("dashboard.learner.pick"), ALL)],
            value=ALL,
            description=t("dashboard.learner.label"),
            style={"description_width": "initial"},
        )
        self.learner_picker.add_class(f"{CSS}-learner-picker")
        self.learner_button = ui.Button(description=t("dashboard.learner.show"))
        self.learner_button.add_class(f"{CSS}-learner-show")
        self.learner_message = Messages(f"{CSS}-learner-message")
        self.learner_name = ui.HTML()  # the page's heading: the keyboard goes here when it is shown
        self.learner = ui.HTML()
        self.learner.add_class(f"{CSS}-learner")
        self.back_button = ui.show(ui.Button(description=t("dashboard.learner.back")), False)
        self.back_button.add_class(f"{CSS}-back")

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
        self.add_class(CSS)
        self.circle_filter.observe(lambda change: setattr(self, "circle", change["new"] or ALL), "value")
        self.module_filter.observe(lambda change: setattr(self, "module", change["new"] or ALL), "value")
        self.observe(lambda _change: self.render(), ["circle", "module"])
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.csv_button.on_click(lambda _b: self.make_csv())
        self.learner_button.on_click(lambda _b: self.show_learner(self.learner_picker.value))
        self.back_button.on_click(lambda _b: self.back_to_table())
        self.refresh()

    @validate("circle")
    def _valid_circle(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"] or ALL
        return value if value == ALL or value in self.names else ALL

    @validate("module")
    def _valid_module(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"] or ALL
        return value if value == ALL or value in self.modules else ALL

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the gradebook and the folders again; keep the filters where they still apply."""
        self.csv_link.value = ""
        if not self.run_root:
            self._failed(t("dashboard.no_run"))
            return
        try:
            from grading.course_runs.run import CourseRun
            from grading.reports.dashboard import circle_names, dashboard_table

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
            [(t("dashboard.filter.all_circles"), ALL)]
            + [(name, cid) for cid, name in sorted(self.names.items(), key=lambda i: i[1])],
        )
        self._set_options(
            self.module_filter, [(t("dashboard.filter.all_modules"), ALL)] + [(m, m) for m in self.modules]
        )
        learners = self.frame.drop_duplicates("student_id")
        self._set_options(
            self.learner_picker,
            [(t("dashboard.learner.pick"), ALL)]
            + [(learner_label(r.student_id, r.namn), r.student_id) for r in learners.itertuples(index=False)],
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
        dropdown.value = keep if keep in {v for _, v in options} else ALL

    def _failed(self, message: str) -> None:
        self.frame = None
        self.table.value = alert(message)
        for part in (self.behind, self.over_time, self.spread, self.circles, self.learner, self.learner_name):
            part.value = ""
        ui.show(self.back_button, False)

    # -- showing ----------------------------------------------------------------------------
    def filtered(self) -> pd.DataFrame:
        """The table as the filters choose it."""
        from grading.reports.dashboard import filter_table

        assert self.frame is not None
        return filter_table(self.frame, circle=self.circle or None, module=self.module or None)

    def render(self) -> None:
        """Draw every view from the table in memory, as filtered."""
        if self.frame is None:
            return
        from grading.reports.dashboard import behind_list, circle_summary, completion_over_time, points_spread

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
            self.csv_link.value = alert(t("dashboard.log_failed", reason=exc.strerror or str(exc)))
            return
        name = f"{self.run.course_id}-oversikt.csv"
        self.csv_link.value = download_link(
            name,
            "text/csv;charset=utf-8",
            table_csv(frame),
            t("dashboard.csv.download", count=len(frame)),
            css_class=f"{CSS}-csv-link",
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
        from grading.reports.dashboard import learner_page

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
        self.learner_message.error(f'<p class="{CSS}-error">{_e(text)}</p>')
        ui.focus(self.learner_picker)

    def back_to_table(self) -> None:
        """Leave the learner's page for the table: the keyboard goes to the table's region."""
        ui.focus(self.table)
