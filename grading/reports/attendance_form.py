"""A circle's attendance list laid out as the study association's närvarolista, to be typed in.

Which form: the paper närvarolista / deltagarlista for a studiecirkel as ABF
and Studieförbundet Vuxenskolan hand it to a cirkelledare (and as their
e-tjänster ask for it): first the head (the arrangement's number, its name,
the subject or plan, the cirkelledare, start and end dates), then a row of
meeting dates with the study hours of each meeting, then one row per
participant (name, the personal identity number, a mark per meeting
attended, the participant's total hours), then the total. Cirkel fills each
field in that order, so a person can type the list into the form field by
field. The order is taken from the associations' own descriptions of the
list; no current printed copy could be compared here, so a local office's
variant may name a field differently (the order is what matters for typing).

What Cirkel leaves out, on purpose: the personal identity number (design.md,
"The association collects personal identity numbers in its own attendance
system: this project never does"): its column holds the pseudonymous id for
the association to replace; birth year and gender, which Cirkel does not
store. Only meetings the rules count are on the form (at least 3 present,
the cirkelledare among them, and the time rules); below the form a part for
the cirkelledare says what the rules cut and why, and who counts. An id or
name shaped like a personnummer stops the export.
"""

from __future__ import annotations

import os
from pathlib import Path

from grading.circles.input import looks_like_personnummer
from grading.circles.store import CircleError, CircleStore
from grading.system.atomic_write import write_atomically
from widgets.core.i18n import t
from widgets.core.spreadsheet import csv_text

__all__ = ["FORM_FIELDS", "PERSON_FIELDS", "attendance_rows", "attendance_csv", "export_attendance"]

#: the head of the form, in its order (string keys under ``circles.form.``)
FORM_FIELDS = ("number", "name", "subject", "leader", "start", "end")
#: a participant's row before the meeting marks, in the form's order; the total hours come after the marks
PERSON_FIELDS = ("row", "person", "identity")


def _plan_subject(store: CircleStore, circle_id: str) -> str:
    """The course, and the modules the circle's study plan takes up (if it has one)."""
    from grading.circles.study_plan import study_plan

    plan = study_plan(store.run, circle_id)
    seen: dict[str, str] = {}
    for meeting in plan.meetings:
        for module in meeting.modules:
            seen.setdefault(module.name, module.title)
    if not seen:
        return plan.course_title
    return t("circles.form.subject_with_plan", course=plan.course_title, modules="; ".join(seen.values()))


def attendance_rows(store: CircleStore, circle_id: str) -> list[list[object]]:
    """The list as rows: the note, the form's fields in its order, then the cirkelledare's check."""
    from grading.circles.study_rules import check_circle

    circle = store.circle(circle_id)
    meetings = store.meetings(circle_id)
    present = store.attendance(circle_id)
    names = store.display_names(circle.members)
    for student_id, name in names.items():
        if looks_like_personnummer(student_id) or looks_like_personnummer(name):
            raise CircleError(t("circles.export_personnummer", id=student_id))
    status = check_circle(circle, meetings, present)
    counted = [m for m in status.meetings if m.counted]
    dates = [m.meeting.date.isoformat() for m in counted]
    if len(set(dates)) < len(dates):
        dates = [f"{m.meeting.date.isoformat()} {m.meeting.start:%H:%M}" for m in counted]
    leader = names.get(circle.leader_id, circle.leader_id) if circle.leader_id else ""
    head = {
        "number": circle.circle_id,
        "name": circle.name,
        "subject": _plan_subject(store, circle_id),
        "leader": leader,
        "start": dates[0][:10] if dates else "",
        "end": dates[-1][:10] if dates else "",
    }
    rows: list[list[object]] = [[t("circles.form.note")]]
    rows += [[t(f"circles.form.{field}"), head[field]] for field in FORM_FIELDS]
    rows.append([])
    rows.append([*(t(f"circles.form.{f}") for f in PERSON_FIELDS), *dates, t("circles.form.total_hours")])
    rows.append(["", t("circles.form.hours_per_meeting"), "", *(m.counted_hours for m in counted), status.hours])
    for number, person in enumerate(status.participants, start=1):
        there = [person.student_id in present.get(m.meeting.meeting_id, set()) for m in counted]
        rows.append(
            [number, names.get(person.student_id, person.student_id), person.student_id]
            + ["X" if here else "" for here in there]
            + [person.hours]
        )
    rows.append(
        ["", t("circles.form.present_count"), "", *(len(present.get(m.meeting.meeting_id, ())) for m in counted), ""]
    )
    rows += _check_rows(status, names)
    return rows


def _check_rows(status, names: dict[str, str]) -> list[list[object]]:
    """Below the form, for the cirkelledare: whether the circle counts, what the rules cut, who counts."""
    rows: list[list[object]] = [[], [t("circles.form.check_heading")]]
    verdict = t("circles.yes") if status.valid else t("circles.no")
    rows.append([t("circles.csv.valid"), verdict, " ".join(status.reasons)])
    cut = [m for m in status.meetings if not m.ok]
    if cut:
        rows.append([t("circles.csv.date"), t("circles.csv.hours"), t("circles.csv.remark")])
        rows += [[m.meeting.label, m.counted_hours, " ".join(m.reasons)] for m in cut]
    rows.append([t("circles.csv.name"), t("circles.csv.counts"), t("circles.csv.reason")])
    for person in status.participants:
        counts = t("circles.yes") if person.counts else t("circles.no")
        rows.append([names.get(person.student_id, person.student_id), counts, " ".join(person.reasons)])
    return rows


def attendance_csv(store: CircleStore, circle_id: str) -> str:
    """The list as CSV text (``;``), every text cell neutralised (a name is never a formula)."""
    return csv_text(attendance_rows(store, circle_id), delimiter=";", lineterminator="\r\n")


def export_attendance(store: CircleStore, circle_id: str, path: str | os.PathLike[str]) -> Path:
    """Write the list to ``path``: UTF-8 with BOM and ``;``, as Swedish Excel opens it.

    Written to a temporary file first and moved into place, so a failed
    export never leaves half a file.
    """
    text = attendance_csv(store, circle_id)
    return write_atomically(
        path,
        text.encode("utf-8-sig"),
        lambda _where, reason: CircleError(t("circles.export_failed", path=str(path), reason=reason)),
    )
