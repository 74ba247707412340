"""``cirkel circle …``: study circles, their meetings and attendance from the command line.

:func:`add_circle_commands` declares the subcommands on the ``cirkel``
parser (only argparse and the string table here, so ``cirkel --help`` stays
light); each handler imports what it needs. A bad input ends with the plain
Swedish message on stderr and exit status 1, and nothing is saved.
"""

from __future__ import annotations

import argparse
import sys

from widgets.core.i18n import t

__all__ = [
    "add_circle_commands",
    "command_circle_create",
    "command_circle_meeting",
    "command_circle_attendance",
    "command_circle_status",
    "command_circle_export",
    "command_circle_group",
    "command_circle_plan",
    "plan_lines",
    "status_lines",
    "meeting_reasons",
]


def add_circle_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Declare ``cirkel circle create|meeting|attendance|status|export|plan|group``."""
    p_circle = subparsers.add_parser("circle", help=t("circles.cli.help"))
    sub = p_circle.add_subparsers(dest="circle_command", metavar=t("cli.command_metavar"), required=True)

    p = sub.add_parser("create", help=t("circles.cli.create_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="ID", help=t("circles.cli.arg_id"))
    p.add_argument("--name", required=True, metavar="NAMN", help=t("circles.cli.arg_name"))
    p.add_argument("--leader", required=True, metavar="LEDARE", help=t("circles.cli.arg_leader"))
    p.add_argument("--members", default="", metavar="a,b,c", help=t("circles.cli.arg_members"))
    p.set_defaults(handler=command_circle_create)

    p = sub.add_parser("meeting", help=t("circles.cli.meeting_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="ID", help=t("circles.cli.arg_id"))
    p.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD", help=t("circles.cli.arg_date"))
    p.add_argument("--start", required=True, metavar="TT:MM", help=t("circles.cli.arg_start"))
    p.add_argument("--end", required=True, metavar="TT:MM", help=t("circles.cli.arg_end"))
    p.add_argument("--break", dest="break_minutes", default="0", metavar="MINUTER", help=t("circles.cli.arg_break"))
    p.set_defaults(handler=command_circle_meeting)

    p = sub.add_parser("attendance", help=t("circles.cli.attendance_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("meeting_id", metavar="TRÄFF", help=t("circles.cli.arg_meeting"))
    p.add_argument("--present", required=True, metavar="a,b", help=t("circles.cli.arg_present"))
    p.set_defaults(handler=command_circle_attendance)

    p = sub.add_parser("status", help=t("circles.cli.status_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="ID", nargs="?", help=t("circles.cli.arg_id_optional"))
    p.set_defaults(handler=command_circle_status)

    p = sub.add_parser("export", help=t("circles.cli.export_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="ID", help=t("circles.cli.arg_id"))
    p.add_argument("--out", required=True, metavar="FIL.csv", help=t("circles.cli.arg_out"))
    p.set_defaults(handler=command_circle_export)

    p = sub.add_parser("plan", help=t("circles.plan.cli_help"), description=t("circles.plan.cli_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="ID", help=t("circles.cli.arg_id"))
    p.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help=t("circles.plan.arg_date"))
    p.add_argument("--modules", metavar="a,b", help=t("circles.plan.arg_modules"))
    p.add_argument("--note", default="", metavar="ANTECKNING", help=t("circles.plan.arg_note"))
    p.add_argument("--remove", metavar="ÅÅÅÅ-MM-DD", help=t("circles.plan.arg_remove"))
    p.add_argument("--pdf", metavar="FIL.pdf", help=t("circles.plan.arg_pdf"))
    p.add_argument("--out", metavar="FIL.csv|FIL.xlsx", help=t("circles.plan.arg_out"))
    p.set_defaults(handler=command_circle_plan)

    p = sub.add_parser("group", help=t("circles.cli.group_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("meeting_id", metavar="TRÄFF", help=t("circles.cli.arg_meeting"))
    p.add_argument("--module", required=True, metavar="MODUL", help=t("circles.cli.arg_module"))
    p.add_argument("--exercise", required=True, metavar="UPPGIFT", help=t("circles.cli.arg_exercise"))
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="writer", metavar="ID", help=t("circles.cli.arg_writer"))
    source.add_argument("--live", action="store_true", help=t("circles.cli.arg_live"))
    p.set_defaults(handler=command_circle_group)
    return p_circle


def _say(message: str) -> None:
    print(message, flush=True)


def _split(values: str) -> list[str]:
    return [v.strip() for v in (values or "").split(",") if v.strip()]


def _guarded(body):
    """Run a handler body; an expected problem becomes the Swedish message and exit status 1."""
    from grading.course_runs.run import RunError

    try:
        return int(body() or 0)
    except RunError as exc:  # CircleError is one
        print(t("cli.error", message=str(exc)), file=sys.stderr)
        return 1


def _store(run_dir: str):
    from grading.circles.store import CircleStore

    return CircleStore(run_dir)


def command_circle_create(args: argparse.Namespace) -> int:
    """``cirkel circle create RUN ID --name N --leader L --members a,b,c``."""

    def body() -> int:
        circle = _store(args.run).create_circle(args.circle_id, args.name, args.leader, _split(args.members))
        _say(
            t(
                "circles.cli.created",
                id=circle.circle_id,
                name=circle.name,
                leader=circle.leader_id,
                count=len(circle.members),
            )
        )
        return 0

    return _guarded(body)


def command_circle_meeting(args: argparse.Namespace) -> int:
    """``cirkel circle meeting RUN ID --date D --start S --end E --break M``."""
    from grading.circles.study_rules import study_hours

    def body() -> int:
        meeting = _store(args.run).add_meeting(args.circle_id, args.date, args.start, args.end, args.break_minutes)
        hours = study_hours(meeting.minutes - meeting.break_minutes)
        _say(t("circles.meeting_added", number=meeting.meeting_id, label=meeting.label, hours=hours))
        return 0

    return _guarded(body)


def command_circle_attendance(args: argparse.Namespace) -> int:
    """``cirkel circle attendance RUN MEETING_ID --present a,b``."""

    def body() -> int:
        store = _store(args.run)
        present = store.set_attendance(args.meeting_id, _split(args.present))
        meeting = store.meeting(args.meeting_id)
        _say(t("circles.cli.attendance_saved", label=meeting.label, count=len(present)))
        for reason in meeting_reasons(store, meeting.meeting_id):
            _say("  ⚠ " + reason)
        return 0

    return _guarded(body)


def meeting_reasons(store, meeting_id: int) -> tuple[str, ...]:
    """Why the rules cut a meeting (too few present, no leader, its hours), as Swedish sentences."""
    from grading.circles.study_rules import check_circle

    meeting = store.meeting(meeting_id)
    circle = store.circle(meeting.circle_id)
    status = check_circle(circle, store.meetings(circle.circle_id), store.attendance(circle.circle_id))
    return next((c.reasons for c in status.meetings if c.meeting.meeting_id == meeting.meeting_id), ())


def status_lines(store, circle_id: str) -> list[str]:
    """The status of one circle as lines of text: meetings, totals, validity, each person."""
    from grading.circles.study_rules import check_circle

    circle = store.circle(circle_id)
    status = check_circle(circle, store.meetings(circle_id), store.attendance(circle_id))
    names = store.display_names(circle.members)
    lines = [
        t(
            "circles.cli.status_heading",
            id=circle.circle_id,
            name=circle.name,
            leader=names.get(circle.leader_id, circle.leader_id) if circle.leader_id else "–",
        )
    ]
    lines.append("  " + t("circles.cli.status_meetings"))
    if not status.meetings:
        lines.append("    " + t("circles.cli.status_no_meetings"))
    for check in status.meetings:
        meeting = check.meeting
        line = t(
            "circles.cli.meeting_line",
            number=meeting.meeting_id,
            label=meeting.label,
            pause=meeting.break_minutes,
            hours=check.counted_hours,
        )
        lines.append("    " + line + ("" if check.ok else "  ⚠ " + " ".join(check.reasons)))
    lines.append("  " + t("circles.totals", meetings=status.meeting_count, hours=status.hours, people=status.size))
    if status.valid:
        lines.append("  " + t("circles.cli.status_valid"))
    else:
        lines.append("  " + t("circles.cli.status_invalid"))
        lines.extend("    – " + reason for reason in status.reasons)
    lines.append("  " + t("circles.cli.status_people"))
    for person in status.participants:
        name = names.get(person.student_id, person.student_id)
        verdict = t("circles.counts") if person.counts else t("circles.not_counted")
        line = t(
            "circles.cli.person_line",
            id=person.student_id,
            name=name,
            meetings=person.meetings,
            hours=person.hours,
            verdict=verdict,
        )
        lines.append("    " + line + ("" if person.counts else ": " + " ".join(person.reasons)))
    return lines


def command_circle_status(args: argparse.Namespace) -> int:
    """``cirkel circle status RUN [ID]``: every circle (or one) with its hours, validity and people."""

    def body() -> int:
        store = _store(args.run)
        ids = [args.circle_id] if args.circle_id else [c.circle_id for c in store.circles()]
        if not ids:
            _say(t("circles.cli.no_circles"))
            return 0
        for number, circle_id in enumerate(ids):
            if number:
                _say("")
            for line in status_lines(store, circle_id):
                _say(line)
        return 0

    return _guarded(body)


def command_circle_export(args: argparse.Namespace) -> int:
    """``cirkel circle export RUN ID --out FILE``: the attendance list for the study association."""
    from grading.reports.attendance_form import export_attendance

    def body() -> int:
        path = export_attendance(_store(args.run), args.circle_id, args.out)
        _say(t("circles.cli.exported", path=str(path)))
        return 0

    return _guarded(body)


def plan_lines(plan) -> list[str]:
    """The study plan as lines of text: each planned meeting with its modules and time, the totals."""
    lines = [t("circles.plan.heading", name=plan.circle_name, id=plan.circle_id)]
    if not plan.meetings:
        lines.append("  " + t("circles.plan.empty"))
    for meeting in plan.meetings:
        modules = "; ".join(t("circles.plan.module_item", title=m.title, minutes=m.minutes) for m in meeting.modules)
        line = t(
            "circles.plan.line",
            number=meeting.number,
            date=meeting.date.isoformat(),
            modules=modules,
            minutes=meeting.minutes,
            hours=meeting.hours,
        )
        lines.append("  " + line + (f" ({meeting.note})" if meeting.note else ""))
        lines.extend("    ⚠ " + reason for reason in meeting.reasons)
    lines.append("  " + t("circles.plan.totals", meetings=len(plan.meetings), minutes=plan.minutes, hours=plan.hours))
    lines.extend("  ⚠ " + reason for reason in plan.reasons)
    return lines


def command_circle_plan(args: argparse.Namespace) -> int:
    """``cirkel circle plan RUN ID [--date D --modules a,b [--note N]] [--remove D] [--pdf F] [--out F]``."""
    from pathlib import Path

    from grading.circles.store import CircleError
    from grading.circles.study_plan import plan_csv, plan_xlsx, remove_planned_meeting, set_planned_meeting, study_plan
    from grading.course_runs.run import open_run

    def body() -> int:
        run = open_run(args.run)
        if args.modules is not None and not args.date:
            raise CircleError(t("circles.plan.date_needed"))
        if args.date:
            day = set_planned_meeting(run, args.circle_id, args.date, _split(args.modules or ""), args.note)
            _say(t("circles.plan.saved", date=day.isoformat()))
        if args.remove:
            remove_planned_meeting(run, args.circle_id, args.remove)
            _say(t("circles.plan.removed", date=args.remove.strip()))
        for line in plan_lines(study_plan(run, args.circle_id)):
            _say(line)
        if args.pdf:
            from grading.reports.printing.study_plan import print_study_plan

            made = print_study_plan(run, args.circle_id, args.pdf)
            _say(t("circles.plan.printed", path=str(made.path), count=made.pages))
        if args.out:
            suffix = Path(args.out).suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                raise CircleError(t("circles.plan.bad_suffix", path=args.out))
            path = (plan_xlsx if suffix == ".xlsx" else plan_csv)(run, args.circle_id, args.out)
            _say(t("circles.plan.exported", path=str(path)))
        return 0

    return _guarded(body)


def command_circle_group(args: argparse.Namespace) -> int:
    """``cirkel circle group RUN MEETING --module M --exercise E --from ID|--live``: the circle's answer to group work."""
    from grading.circles.group_live import record_from_live
    from grading.circles.group_work import record_from_learner
    from grading.course_runs.run import open_run
    from grading.reports.completion import format_points

    def body() -> int:
        run = open_run(args.run)
        if args.live:
            answer = record_from_live(run, args.meeting_id, args.module, args.exercise)
        else:
            answer = record_from_learner(run, args.meeting_id, args.module, args.exercise, args.writer)
        points = format_points(answer.points, answer.max_points)
        _say(
            t(
                "circles.cli.group_saved",
                exercise=answer.exercise_id,
                module=answer.module,
                date=answer.meeting_date.isoformat(),
                points=points,
            )
        )
        return 0

    return _guarded(body)
