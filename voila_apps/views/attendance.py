"""The cirkelledare's attendance app: meetings, who was present, and whether the circle counts.

The view over ``grading.circles.store.CircleStore`` and ``grading.circles.study_rules``
that ``voila_apps/narvaro.ipynb`` shows: choose the circle, see its meetings
with their study hours and any rule a meeting breaks, add a meeting, tick who
was present (one checkbox per person, named by display name), save, see the
circle's status and who counts, download the attendance list for the
study association, and plan the circle's meetings (``plan_panel``: the study
plan, as CSV or PDF). Every save goes through the store, so a refused input is
shown as a plain Swedish message and nothing is half saved.

Public attributes a test may drive: ``circle_picker``, ``date``, ``start``,
``end``, ``break_minutes``, ``add_button``, ``meeting_picker``, ``plan_panel``, ``boxes``
(student id -> Checkbox), ``save_button``, and the messages ``add_message``
(beside the add button), ``save_message`` (beside the save button) and
``message`` (a run that cannot be read).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import ipywidgets as ipw
from traitlets import Unicode

from voila_apps.views.plan_panel import PlanPanel
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.download import download_link
from widgets.kit.messages import Messages
from widgets.kit.table_region import table_region

if TYPE_CHECKING:  # pragma: no cover
    from grading.circles.store import CircleStore
    from grading.circles.study_rules import CircleCheck

__all__ = ["AttendanceApp", "meetings_html", "status_html", "CSV_MIME"]

CSV_MIME = "text/csv;charset=utf-8"
_CSS = "cirkel-attendance"
_LABELS = {"description_width": "initial"}


def meetings_html(status: CircleCheck) -> str:
    """The circle's meetings as an accessible table: when, break, study hours, and any rule broken."""
    if not status.meetings:
        return f"<p>{_e(t('circles.app.no_meetings'))}</p>"
    head = "".join(
        f'<th scope="col">{_e(t(key))}</th>'
        for key in (
            "circles.app.col_number",
            "circles.app.col_when",
            "circles.app.col_break",
            "circles.app.col_hours",
            "circles.app.col_remark",
        )
    )
    rows = []
    for number, check in enumerate(status.meetings, start=1):
        m = check.meeting
        remark = " ".join(check.reasons) if check.reasons else t("circles.app.meeting_ok")
        css = "" if check.ok else ' class="cirkel-attendance-flagged"'
        rows.append(
            f'<tr data-meeting="{m.meeting_id}"{css}><th scope="row">{number}</th>'
            f"<td>{_e(m.label)}</td><td>{_e(t('circles.app.minutes', minutes=m.break_minutes))}</td>"
            f"<td>{check.counted_hours}</td><td>{_e(remark)}</td></tr>"
        )
    return table_region(
        f'<table class="cirkel-report-table {_CSS}-meetings"><caption>{_e(t("circles.app.meetings_caption"))}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        t("circles.app.meetings_caption"),
    )


def status_html(status: CircleCheck, names: dict[str, str]) -> str:
    """Whether the circle counts (with each reason it falls short) and each person's 3-3-3-9 count."""
    totals = t("circles.totals", meetings=status.meeting_count, hours=status.hours, people=status.size)
    if status.valid:
        verdict = f'<p class="{_CSS}-valid"><strong>{_e(t("circles.cli.status_valid"))}</strong></p>'
    else:
        items = "".join(f"<li>{_e(reason)}</li>" for reason in status.reasons)
        verdict = (
            f'<p class="{_CSS}-invalid"><strong>{_e(t("circles.cli.status_invalid"))}</strong></p>'
            f'<ul class="{_CSS}-reasons">{items}</ul>'
        )
    head = "".join(
        f'<th scope="col">{_e(t(key))}</th>'
        for key in (
            "circles.app.col_person",
            "circles.app.col_meetings",
            "circles.app.col_hours",
            "circles.app.col_counts",
            "circles.app.col_reason",
        )
    )
    rows = []
    for person in status.participants:
        name = names.get(person.student_id, person.student_id)
        if person.student_id == status.circle.leader_id:
            name = t("circles.app.leader_name", name=name)
        counts = t("circles.yes") if person.counts else t("circles.no")
        rows.append(
            f'<tr data-student="{_e(person.student_id)}"><th scope="row">{_e(name)}</th>'
            f"<td>{person.meetings}</td><td>{person.hours}</td><td>{_e(counts)}</td>"
            f"<td>{_e(' '.join(person.reasons))}</td></tr>"
        )
    table = (
        f'<table class="cirkel-report-table {_CSS}-people"><caption>{_e(t("circles.app.people_caption"))}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    # the verdict and the table in one region: the table scrolls sideways on a phone, with its reasons
    return table_region(f"<p>{_e(totals)}</p>{verdict}{table}", t("circles.app.people_caption"))


def _message(text: str, *, error: bool = False) -> str:
    """A message for the app's live regions (``Messages``), made once when the app is built."""
    return f'<p class="{_CSS}-{"error" if error else "ok"}">{_e(text)}</p>'


class AttendanceApp(ui.VBox):
    """The whole app for one course run (``run_root``: the folder the ``run`` setting names)."""

    circle_id = Unicode("", help="The circle shown; empty when the run has none.").tag(sync=False)

    def __init__(self, run_root: str | os.PathLike[str] | None, **kwargs):
        super().__init__(**kwargs)
        self.add_class(_CSS)
        self.store: CircleStore | None = None
        self.status: CircleCheck | None = None
        self.names: dict[str, str] = {}
        self._redrawing = False
        heading = ui.HTML(f"<h1>{_e(t('circles.app.title'))}</h1>")
        self.message = Messages(f"{_CSS}-message")
        self.children = [heading, self.message]
        try:
            from grading.circles import store as _circles

            if not run_root:
                raise LookupError(t("app.report.no_run"))
            self.store = _circles.CircleStore(run_root)
            known = self.store.circles()
            self.names = self.store.learners()
        except Exception as exc:  # a person gets a sentence, never a traceback
            reason = str(exc) or type(exc).__name__
            self.message.error(_message(t("circles.app.failed", reason=reason), error=True))
            return
        if not known:
            self.message.say(f"<p>{_e(t('circles.app.no_circles'))}</p>")
            return

        self.circle_picker = ui.Dropdown(
            options=[(t("circles.app.circle_option", name=c.name, id=c.circle_id), c.circle_id) for c in known],
            description=t("circles.app.circle"),
            style=_LABELS,
        )
        self.circle_picker.add_class(f"{_CSS}-circle")

        self.meetings_view = ui.HTML()
        self.date = ui.DatePicker(description=t("circles.app.date"), style=_LABELS)
        self.start = ui.TimePicker(description=t("circles.app.start"), step=60, style=_LABELS)
        self.end = ui.TimePicker(description=t("circles.app.end"), step=60, style=_LABELS)
        self.break_minutes = ui.BoundedIntText(
            value=0, min=0, max=600, step=5, description=t("circles.app.break"), style=_LABELS
        )
        self.add_button = ui.Button(description=t("circles.app.add_meeting"), button_style="primary")
        self.add_button.add_class(f"{_CSS}-add")
        self.add_button.on_click(lambda _b: self.add_meeting())
        self.add_message = Messages(f"{_CSS}-add-message")

        self.meeting_picker = ui.Dropdown(options=[], description=t("circles.app.meeting"), style=_LABELS)
        self.meeting_picker.add_class(f"{_CSS}-meeting")
        self.boxes: dict[str, ipw.Checkbox] = {}
        self.boxes_view = ui.VBox()
        self.boxes_view.add_class(f"{_CSS}-boxes")
        self.save_button = ui.Button(description=t("circles.app.save"), button_style="primary")
        self.save_button.add_class(f"{_CSS}-save")
        self.save_button.on_click(lambda _b: self.save_attendance())
        self.save_message = Messages(f"{_CSS}-save-message")
        self.status_view = ui.HTML()
        self.download = ui.HTML()
        self.download.add_class(f"{_CSS}-download")
        from grading.circles.study_plan import run_modules

        self.plan_panel = PlanPanel(run_root, [(m.name, m.title) for m in run_modules(run_root)])

        def h2(key: str) -> ipw.HTML:
            return ui.HTML(f"<h2>{_e(t(key))}</h2>")

        self.attendance_part = ui.VBox(
            [
                h2("circles.app.attendance_heading"),
                self.meeting_picker,
                ui.HTML(f"<p>{_e(t('circles.app.tick_help'))}</p>"),
                self.boxes_view,
                self.save_button,
                self.save_message,
            ]
        )
        self.children = [
            heading,
            self.circle_picker,
            h2("circles.app.meetings_heading"),
            self.meetings_view,
            h2("circles.app.add_heading"),
            self.date,
            self.start,
            self.end,
            self.break_minutes,
            self.add_button,
            self.add_message,
            self.attendance_part,
            h2("circles.app.status_heading"),
            self.status_view,
            self.download,
            self.plan_panel,
        ]
        self.circle_picker.observe(lambda change: self._set_circle(change["new"]), "value")
        self.meeting_picker.observe(self._meeting_chosen, "value")
        self._set_circle(self.circle_picker.value)

    # -- showing ----------------------------------------------------------------------------
    def _set_circle(self, circle_id: str) -> None:
        self.circle_id = circle_id or ""
        self.add_message.clear()
        self.save_message.clear()
        self.refresh()
        self.plan_panel.show_circle(self.circle_id)

    def refresh(self, meeting_id: int | None = None) -> None:
        """Read the circle again and redraw everything; keep (or choose) the meeting shown."""
        from grading.circles.study_rules import check_circle
        from grading.reports.attendance_form import attendance_csv

        assert self.store is not None
        circle = self.store.circle(self.circle_id)
        meetings = self.store.meetings(self.circle_id)
        status = check_circle(circle, meetings, self.store.attendance(self.circle_id))
        self.status = status
        self.meetings_view.value = meetings_html(status)
        self.status_view.value = status_html(status, self.names)

        keep = meeting_id if meeting_id is not None else self.meeting_picker.value
        options = [
            (t("circles.app.meeting_option", number=n, label=m.label), m.meeting_id)
            for n, m in enumerate(meetings, start=1)
        ]
        chosen = keep if keep in {m.meeting_id for m in meetings} else (meetings[-1].meeting_id if meetings else None)
        self._redrawing = True  # the picker's own changes below are not a person choosing
        try:
            self.meeting_picker.options = options
            self.meeting_picker.value = chosen
        finally:
            self._redrawing = False
        ui.show(self.attendance_part, bool(meetings))
        self._show_boxes(chosen)

        try:
            payload = attendance_csv(self.store, self.circle_id).encode("utf-8-sig")
        except Exception as exc:  # e.g. a name shaped like a personnummer: say so, offer no file
            self.download.value = _message(str(exc), error=True)
        else:
            self.download.value = download_link(
                f"narvaro-{self.circle_id}.csv",
                CSV_MIME,
                payload,
                t("circles.app.download"),
                css_class=f"{_CSS}-download-link",
            )

    def _meeting_chosen(self, change) -> None:
        if not self._redrawing:
            self.save_message.clear()
            self._show_boxes(change["new"])

    def _show_boxes(self, meeting_id: int | None) -> None:
        assert self.store is not None
        if meeting_id is None:
            self.boxes, self.boxes_view.children = {}, ()
            return
        circle = self.store.circle(self.circle_id)
        present = self.store.attendance(self.circle_id).get(meeting_id, set())
        boxes = {}
        for student_id in circle.members:
            name = self.names.get(student_id, student_id)
            if student_id == circle.leader_id:
                name = t("circles.app.leader_name", name=name)
            box = ui.Checkbox(value=student_id in present, description=name, indent=False)
            box.add_class(f"{_CSS}-person")
            boxes[student_id] = box
        self.boxes = boxes
        self.boxes_view.children = tuple(boxes.values())

    # -- saving ------------------------------------------------------------------------------
    def _refuse(self, where: Messages, text: str, control: ipw.DOMWidget) -> None:
        """Say ``text`` as an alert (it interrupts) and keep the keyboard on ``control`` to try again."""
        where.error(_message(text, error=True))
        ui.focus(control)

    def add_meeting(self) -> None:
        """Save the meeting typed in; refused input is shown and nothing is saved.

        The keyboard goes to the result (read whole, the attendance list follows it), or to the
        first empty field, or stays on the button when the store refuses the meeting.
        """
        from grading.circles.store import CircleError
        from grading.circles.study_rules import net_minutes, study_hours

        assert self.store is not None
        fields = (
            (self.date, t("circles.app.date")),
            (self.start, t("circles.app.start")),
            (self.end, t("circles.app.end")),
        )
        missing = [(field, label) for field, label in fields if field.value is None]
        if missing:
            text = t("circles.app.missing", fields=", ".join(label for _field, label in missing))
            self._refuse(self.add_message, text, missing[0][0])
            return
        try:
            meeting = self.store.add_meeting(
                self.circle_id, self.date.value, self.start.value, self.end.value, int(self.break_minutes.value or 0)
            )
        except CircleError as exc:
            self._refuse(self.add_message, str(exc), self.add_button)
            return
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            self._refuse(
                self.add_message, t("circles.app.failed", reason=str(exc) or type(exc).__name__), self.add_button
            )
            return
        number = [m.meeting_id for m in self.store.meetings(self.circle_id)].index(meeting.meeting_id) + 1
        self.refresh(meeting.meeting_id)
        hours = study_hours(net_minutes(meeting))
        self.add_message.say(_message(t("circles.meeting_added", number=number, label=meeting.label, hours=hours)))
        ui.focus(self.add_message.status)

    def save_attendance(self) -> None:
        """Save the ticked boxes as the chosen meeting's attendance (replacing what was saved).

        The boxes are drawn anew from what was saved: the keyboard goes to the result.
        """
        from grading.circles.store import CircleError

        assert self.store is not None
        meeting_id = self.meeting_picker.value
        if meeting_id is None:
            self._refuse(self.save_message, t("circles.app.no_meeting_chosen"), self.meeting_picker)
            return
        present = {sid for sid, box in self.boxes.items() if box.value}
        try:
            self.store.set_attendance(meeting_id, present)
            meeting = self.store.meeting(meeting_id)
        except CircleError as exc:
            self._refuse(self.save_message, str(exc), self.save_button)
            return
        except Exception as exc:  # noqa: BLE001 - shown as a sentence
            self._refuse(
                self.save_message, t("circles.app.failed", reason=str(exc) or type(exc).__name__), self.save_button
            )
            return
        self.refresh(meeting_id)
        saved = t("circles.cli.attendance_saved", label=meeting.label, count=len(present))
        meetings = self.status.meetings if self.status is not None else []
        check = next((c for c in meetings if c.meeting.meeting_id == meeting_id), None)
        if check is not None and not check.counted:  # e.g. too few present: say so where the person looks
            saved = " ".join((saved, *check.reasons))
        self.save_message.say(_message(saved))
        ui.focus(self.save_message.status)
