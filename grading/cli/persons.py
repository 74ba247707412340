"""The ``cirkel person``, ``cirkel prune`` and ``cirkel export`` commands.

Declared here and wired into :mod:`grading.cli` with ``add_person_commands(sub)``
and ``add_export_commands(sub)``. Only argparse and the string table are
imported at the top, so ``cirkel --help`` stays light; each handler imports
what it needs. Expected problems raise a ``RunError`` subclass with a Swedish
message, which ``cirkel`` prints without a traceback (exit status 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from widgets.core.i18n import t

__all__ = [
    "add_person_commands",
    "add_export_commands",
    "command_person_export",
    "command_person_erase",
    "command_prune",
    "command_export_completion",
    "command_export_certificate",
    "command_export_plans",
]


def add_person_commands(subparsers) -> None:
    """``cirkel person export|erase`` and ``cirkel prune``."""
    p_person = subparsers.add_parser("person", help=t("person.cli.help"))
    sub = p_person.add_subparsers(dest="person_command", metavar=t("cli.command_metavar"), required=True)

    p = sub.add_parser("export", help=t("person.cli.export_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("student_id", metavar="ID", help=t("person.cli.arg_id"))
    p.add_argument("--out", required=True, metavar="MAPP", help=t("person.cli.arg_out"))
    p.add_argument("--zip", dest="as_zip", action="store_true", help=t("person.cli.arg_zip"))
    p.set_defaults(handler=command_person_export)

    p = sub.add_parser("erase", help=t("person.cli.erase_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("student_id", metavar="ID", help=t("person.cli.arg_id"))
    p.add_argument("--yes", action="store_true", help=t("person.cli.arg_yes"))
    p.add_argument("--hub-db", metavar="FIL", help=t("person.cli.arg_hub_db"))
    p.set_defaults(handler=command_person_erase)

    p = subparsers.add_parser("prune", help=t("person.cli.prune_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--dry-run", action="store_true", help=t("person.cli.arg_dry_run"))
    p.add_argument("--hub-db", metavar="FIL", help=t("person.cli.arg_hub_db"))
    p.set_defaults(handler=command_prune)


def add_export_commands(subparsers) -> None:
    """``cirkel export completion|certificate|plans``."""
    p_export = subparsers.add_parser("export", help=t("export.cli.help"))
    sub = p_export.add_subparsers(dest="export_command", metavar=t("cli.command_metavar"), required=True)

    p = sub.add_parser("completion", help=t("export.cli.completion_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--out", required=True, metavar="FIL", help=t("export.cli.arg_out_table"))
    p.set_defaults(handler=command_export_completion)

    p = sub.add_parser("certificate", help=t("export.cli.certificate_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("student_id", metavar="ID", help=t("export.cli.arg_learner"))
    p.add_argument("--out", required=True, metavar="FIL.pdf", help=t("export.cli.arg_out_pdf"))
    p.add_argument("--count-submitted", action="store_true", help=t("export.cli.arg_count_submitted"))
    p.set_defaults(handler=command_export_certificate)

    p = sub.add_parser("plans", help=t("export.cli.plans_help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("circle_id", metavar="CIRKEL", help=t("export.cli.arg_circle"))
    p.add_argument("--out", required=True, metavar="FIL.docx", help=t("export.cli.arg_out_docx"))
    p.set_defaults(handler=command_export_plans)


def _say(message: str) -> None:
    print(message, flush=True)


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


# -- person -----------------------------------------------------------------------------------------
def command_person_export(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.personal_data import export_person

    run = open_run(args.run)
    path = export_person(run, args.student_id, args.out, as_zip=args.as_zip)
    _say(t("person.cli.exported", id=args.student_id, path=str(path)))
    return 0


def _confirmed(student_id: str) -> bool | None:
    """``True``/``False`` from a person at a terminal; ``None`` when nobody can be asked."""
    stdin = sys.stdin
    if stdin is None or stdin.closed or not stdin.isatty():
        return None
    try:
        answer = input(t("person.cli.confirm", id=student_id))
    except EOFError:
        return None
    return answer.strip().lower() == t("person.cli.confirm_word")


def command_person_erase(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.personal_data import erase_person, require_known

    run = open_run(args.run)
    if not args.yes:
        if not require_known(run, args.student_id):  # an unknown id is refused before asking
            _say(t("person.cli.already_erased", id=args.student_id))
            return 0
        answer = _confirmed(args.student_id)
        if answer is None:
            _error(t("person.cli.needs_yes"))
            return 1
        if not answer:
            _say(t("person.cli.not_confirmed"))
            return 1
    result = erase_person(run, args.student_id, hub_db=args.hub_db)
    if result.already_erased:
        _say(t("person.cli.already_erased", id=args.student_id))
        return 0
    _say(t("person.cli.erased", id=args.student_id))
    for place in result.removed:  # one line per kind of place
        _say(t("person.cli.erased_line", place=t(f"person.place.{place}")))
    for note in result.kept:
        _say(note)
    return 0


def command_prune(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.personal_data import prune
    from widgets.core.formats import format_day

    run = open_run(args.run)
    due = prune(run, dry_run=args.dry_run, hub_db=args.hub_db)
    if not due:
        _say(t("person.cli.prune_none", days=run.retention_days))
        return 0
    key = "person.cli.prune_would" if args.dry_run else "person.cli.prune_done"
    _say(t(key, count=len(due), days=run.retention_days))
    for item in due:
        when = format_day(item.last_activity) if item.last_activity else t("person.cli.never_active")
        _say(t("person.cli.prune_line", id=item.student_id, when=when))
    return 0


# -- exports -------------------------------------------------------------------------------------------
def _suffix(path: str, allowed: tuple[str, ...]) -> str:
    from grading.reports.exports import ExportError

    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ExportError(t("export.cli.wrong_suffix", suffix=" / ".join(allowed), path=path))
    return suffix


def command_export_completion(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.reports.exports import completion_csv, completion_xlsx

    suffix = _suffix(args.out, (".csv", ".xlsx"))
    run = open_run(args.run)
    path = (completion_csv if suffix == ".csv" else completion_xlsx)(run, args.out)
    _say(t("export.cli.done", path=str(path)))
    return 0


def command_export_certificate(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.reports.exports import certificate_pdf

    _suffix(args.out, (".pdf",))
    run = open_run(args.run)
    path = certificate_pdf(run, args.student_id, args.out, count_submitted=args.count_submitted)
    _say(t("export.cli.done", path=str(path)))
    return 0


def command_export_plans(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.reports.exports import circle_plans_docx

    _suffix(args.out, (".docx",))
    run = open_run(args.run)
    path = circle_plans_docx(run, args.circle_id, args.out)
    _say(t("export.cli.done", path=str(path)))
    return 0
