"""The study plan part of the attendance app: the cirkelledare plans the circle's meetings.

Shows the circle's plan (``grading.circles.study_plan``) as a table, lets the
cirkelledare plan a meeting (a date, the modules as a group of checkboxes, a
short note) and offers the plan as CSV and, on request, as a tagged PDF (made
by WeasyPrint only when asked, so the app stays quick to open). A refused
input is said in Swedish beside the button and nothing is saved.

Public attributes a test may drive: ``date``, ``module_boxes`` (module ->
Checkbox), ``note``, ``plan_button``, ``message``, ``table``, ``download``,
``pdf_button``, ``pdf_link``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.download import download_link
from widgets.kit.messages import Messages
from widgets.kit.table_region import table_region

__all__ = ["PlanPanel", "plan_table_html"]

_CSS = "cirkel-plan-panel"
_LABELS = {"description_width": "initial"}


def plan_table_html(plan) -> str:
    """The plan's meetings as an accessible table (caption, header cells), or a sentence when empty."""
    totals = t("circles.plan.totals", meetings=len(plan.meetings), minutes=plan.minutes, hours=plan.hours)
    remarks = "".join(f"<li>{_e(reason)}</li>" for reason in plan.reasons)
    after = f"<p>{_e(totals)}</p>" + (f"<ul>{remarks}</ul>" if remarks else "")
    if not plan.meetings:
        return f"<p>{_e(t('circles.plan.empty'))}</p>{after}"
    keys = ("number", "date", "modules", "minutes", "hours", "note")
    head = "".join(f'<th scope="col">{_e(t(f"circles.plan.col.{key}"))}</th>' for key in keys)
    rows = []
    for m in plan.meetings:
        modules = "; ".join(t("circles.plan.module_item", title=x.title, minutes=x.minutes) for x in m.modules)
        note = " ".join((m.note, *m.reasons)).strip()
        rows.append(
            f'<tr><th scope="row">{m.number}</th><td>{_e(m.date.isoformat())}</td><td>{_e(modules)}</td>'
            f"<td>{m.minutes}</td><td>{m.hours}</td><td>{_e(note)}</td></tr>"
        )
    table = (
        f'<table class="cirkel-report-table {_CSS}-table"><caption>{_e(t("circles.plan.caption"))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return table_region(table, t("circles.plan.caption")) + after


class PlanPanel(ui.VBox):
    """The plan of one circle of a run; ``show_circle`` switches circle."""

    def __init__(self, run_root: str | os.PathLike[str], modules: list[tuple[str, str]], **kwargs):
        super().__init__(**kwargs)
        self.add_class(_CSS)
        self.run_root = Path(run_root)
        self.circle_id = ""
        self.table = ui.HTML()
        self.date = ui.DatePicker(description=t("circles.plan.app_date"), style=_LABELS)
        self.module_boxes = {name: ui.Checkbox(value=False, description=title, indent=False) for name, title in modules}
        legend = ui.HTML(f'<p class="{ui.LEGEND_CLASS}">{_e(t("circles.plan.app_modules"))}</p>')
        group = ui.choice_group(ui.VBox(list(self.module_boxes.values())))
        self.note = ui.Text(description=t("circles.plan.app_note"), style=_LABELS)
        self.plan_button = ui.Button(description=t("circles.plan.app_plan"), button_style="primary")
        self.plan_button.on_click(lambda _b: self.plan_meeting())
        self.message = Messages(f"{_CSS}-message")
        self.download = ui.HTML()
        self.pdf_button = ui.Button(description=t("circles.plan.app_pdf"))
        self.pdf_button.on_click(lambda _b: self.make_pdf())
        self.pdf_link = ui.HTML()
        self.children = [
            ui.HTML(f"<h2>{_e(t('circles.plan.title'))}</h2>"),
            self.table,
            ui.HTML(f"<h3>{_e(t('circles.plan.app_heading'))}</h3>"),
            self.date,
            legend,
            group,
            self.note,
            self.plan_button,
            self.message,
            self.download,
            self.pdf_button,
            self.pdf_link,
        ]

    def show_circle(self, circle_id: str) -> None:
        """Show ``circle_id``'s plan; the form is left as typed."""
        self.circle_id = circle_id
        self.message.clear()
        self.pdf_link.value = ""
        self.refresh()

    def refresh(self) -> None:
        from grading.circles.study_plan import plan_rows, study_plan
        from widgets.core.spreadsheet import csv_text

        plan = study_plan(self.run_root, self.circle_id)
        self.table.value = plan_table_html(plan)
        headings, rows = plan_rows(plan)
        payload = csv_text([[t("circles.plan.title"), plan.circle_name], [], headings, *rows]).encode("utf-8-sig")
        self.download.value = download_link(
            f"studieplan-{self.circle_id}.csv", "text/csv;charset=utf-8", payload, t("circles.plan.app_download")
        )

    def plan_meeting(self) -> None:
        """Save the meeting typed in; a refusal is said beside the button and nothing is saved."""
        from grading.circles.study_plan import set_planned_meeting
        from grading.course_runs.run import RunError

        if self.date.value is None:
            self.message.error(f"<p>{_e(t('circles.app.missing', fields=t('circles.plan.app_date')))}</p>")
            ui.focus(self.date)
            return
        modules = [name for name, box in self.module_boxes.items() if box.value]
        try:
            day = set_planned_meeting(self.run_root, self.circle_id, self.date.value, modules, self.note.value)
        except RunError as exc:  # CircleError is one
            self.message.error(f"<p>{_e(str(exc))}</p>")
            ui.focus(self.plan_button)
            return
        self.refresh()
        self.pdf_link.value = ""
        self.message.say(f"<p>{_e(t('circles.plan.saved', date=day.isoformat()))}</p>")
        ui.focus(self.message.status)

    def make_pdf(self) -> None:
        """Print the plan to a tagged PDF and offer it as a download link (focused, so it is read)."""
        from grading.course_runs.run import RunError
        from grading.reports.printing.study_plan import print_study_plan

        try:
            with tempfile.TemporaryDirectory(prefix="cirkel-plan-") as folder:
                path = Path(folder) / "studieplan.pdf"
                print_study_plan(self.run_root, self.circle_id, path)
                payload = path.read_bytes()
        except RunError as exc:  # PrintError is one: no Pango, say so
            self.message.error(f"<p>{_e(str(exc))}</p>")
            return
        self.pdf_link.value = download_link(
            f"studieplan-{self.circle_id}.pdf", "application/pdf", payload, t("circles.plan.app_pdf_link")
        )
        ui.focus(self.pdf_link)
