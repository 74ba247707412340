"""The ``cirkel`` command: course runs on nbgrader for a course leader.

``cirkel --help`` must answer at once, so this module imports only argparse
and the string table; nbgrader, pandas and the widgets are imported inside the
command that needs them. Expected problems (a bad roster, an unknown module, a
folder that is not a course run) are ``CirkelError``s and end with their plain
Swedish message on stderr and exit status 1; a bug ends with one Swedish line
naming the log that holds its traceback (:mod:`grading.cli_errors`), never a
traceback on the screen unless ``--debug`` asks for it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence

from widgets.i18n import t

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The command line, in Swedish."""
    parser = argparse.ArgumentParser(prog="cirkel", description=t("cli.description"))
    parser.add_argument("--debug", action="store_true", help=t("cli.arg.debug"))
    sub = parser.add_subparsers(dest="command", metavar=t("cli.command_metavar"), required=True)

    p_run = sub.add_parser("run", help=t("cli.run.help"))
    run_sub = p_run.add_subparsers(dest="run_command", metavar=t("cli.command_metavar"), required=True)
    p = run_sub.add_parser("create", help=t("cli.run_create.help"))
    p.add_argument("course_dir", metavar="KURSMAPP", help=t("cli.arg.course_dir"))
    p.add_argument("--dir", dest="run_dir", metavar="OMGÅNG", required=True, help=t("cli.arg.run_dir"))
    p.add_argument("--id", dest="course_id", metavar="KURS_ID", help=t("cli.arg.course_id"))
    p.add_argument("--hub", action="store_true", help=t("cli.run_create.hub"))
    p.add_argument("--ends", metavar="ÅÅÅÅ-MM-DD", type=_date, help=t("cli.run_create.ends"))
    p.add_argument("--no-material", dest="material", action="store_false", help=t("print.cli.arg_no_material"))
    p.set_defaults(handler=_run_create)
    p = run_sub.add_parser("move-store", help=t("move.cli.help"), description=t("move.cli.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--to", required=True, metavar="URL", help=t("move.cli.arg_to"))
    p.add_argument("--gradebook-to", metavar="URL", help=t("move.cli.arg_gradebook_to"))
    p.set_defaults(handler=_run_move_store)

    p_learners = sub.add_parser("learners", help=t("cli.learners.help"))
    l_sub = p_learners.add_subparsers(dest="learners_command", metavar=t("cli.command_metavar"), required=True)
    p = l_sub.add_parser("import", help=t("cli.learners_import.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("csv", metavar="DELTAGARE.csv", help=t("cli.arg.csv"))
    p.add_argument("--accounts", action="store_true", help=t("hub.cli.arg_accounts"))
    p.add_argument("--days", type=int, default=14, metavar="DAGAR", help=t("hub.cli.arg_days"))
    p.set_defaults(handler=_learners_import)

    for name, handler in (("release", _release), ("collect", _collect), ("autograde", _autograde)):
        p = sub.add_parser(name, help=t(f"cli.{name}.help"))
        p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
        p.add_argument("modules", metavar="MODUL", nargs="*", help=t("cli.arg.modules"))
        if name == "autograde":
            p.add_argument("--force", action="store_true", help=t("cli.arg.force"))
            p.add_argument("--workers", type=_workers, metavar="N", default=None, help=t("autograde.arg_workers"))
        p.set_defaults(handler=handler)

    p = sub.add_parser("fetch", help=t("cli.fetch.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--learner", metavar="ID", help=t("cli.arg.learner") + "; " + t("cli.fetch.all"))
    p.add_argument("modules", metavar="MODUL", nargs="*", help=t("cli.arg.modules"))
    p.set_defaults(handler=_fetch)

    p = sub.add_parser("submit", help=t("cli.submit.help"))
    p.add_argument("notebook_dir", metavar="MODULMAPP", help=t("cli.arg.notebook_dir"))
    p.set_defaults(handler=_submit)

    p = sub.add_parser("report", help=t("cli.report.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--csv", metavar="FIL", help=t("cli.arg.report_csv"))
    p.set_defaults(handler=_report)

    p_courses = sub.add_parser("courses", help=t("curriculum.cli.help"))
    c_sub = p_courses.add_subparsers(dest="courses_command", metavar=t("cli.command_metavar"), required=True)
    for name, handler in (("check", _courses_check), ("coverage", _courses_coverage)):
        p = c_sub.add_parser(name, help=t(f"curriculum.cli.{name}_help"))
        p.add_argument("--courses", dest="courses_dir", metavar="MAPP", help=t("curriculum.cli.arg_folder"))
        p.set_defaults(handler=handler)
    from .content_schema import add_schema_command
    from .printing.command import add_print_command

    add_print_command(c_sub)
    add_schema_command(c_sub)

    p_hub = sub.add_parser("hub", help=t("hub.cli.help"))
    h_sub = p_hub.add_subparsers(dest="hub_command", metavar=t("cli.command_metavar"), required=True)
    p = h_sub.add_parser("adduser", help=t("hub.cli.adduser_help"))
    p.add_argument("user", metavar="ID", help=t("hub.cli.arg_user"))
    p.add_argument("--role", required=True, choices=("kursledare", "deltagare", "admin"), help=t("hub.cli.arg_role"))
    p.add_argument("--run", metavar="OMGÅNG", help=t("hub.cli.arg_run"))
    p.add_argument("--days", type=int, default=14, metavar="DAGAR", help=t("hub.cli.arg_days"))
    p.set_defaults(handler=_hub_adduser)

    # serve's arguments are declared here so that --help stays free of heavy imports
    p = sub.add_parser("serve", help=t("cli.serve.help"))
    p.add_argument("--demo", action="store_true", help=t("cli.arg.demo"))
    p.add_argument("--hub", action="store_true", help=t("cli.arg.hub"))
    p.add_argument("--run", metavar="OMGÅNG", help=t("cli.arg.serve_run"))
    p.add_argument("--port", type=int, default=None, help=t("cli.arg.port"))
    p.add_argument("--ip", default="127.0.0.1", help=t("cli.arg.ip"))
    p.set_defaults(handler=_serve)

    from .circle_commands import add_circle_commands
    from .person_commands import add_export_commands, add_person_commands

    add_circle_commands(sub)
    add_person_commands(sub)
    add_export_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cirkel`` command; returns the exit status.

    An expected problem (a ``CirkelError``) ends with its Swedish message on stderr, anything
    else with one Swedish line naming the log that holds the traceback (``--debug``: on screen).
    """
    from .cli_errors import argparse_in_language, report_failure

    argv = list(sys.argv[1:] if argv is None else argv)
    with argparse_in_language():
        args = build_parser().parse_args(argv)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # started in the background: Ctrl+C and the SIGINT servers are stopped with must still
        # work for the servers, hub and kernels this command starts (they inherit an ignored signal)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # nbgrader's gradebook (SQLAlchemy) warns about its own session use; not the course leader's concern
    warnings.filterwarnings("ignore", message=".*not in session.*")
    handler: Callable[[argparse.Namespace], int | None] = args.handler
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        _error(t("cli.interrupted"))
        return 130
    except BrokenPipeError:
        # the reader (``| head``) has gone: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        from widgets.errors import CirkelError

        if args.debug and not isinstance(exc, CirkelError):
            raise
        return report_failure(exc, getattr(args, "command", ""), argv)


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


def _say(message: str) -> None:
    print(message, flush=True)


def _date(text: str):
    """An ISO date for argparse, refused in Swedish."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=text)) from None


# -- commands -------------------------------------------------------------------
def _run_create(args: argparse.Namespace) -> int:
    from .course import load_course
    from .run import create_run

    course = load_course(args.course_dir)
    for warning in course.warnings:
        print(t("cli.warning", message=warning), file=sys.stderr)
    _say(t("cli.run_create.building", count=len(course.modules), title=course.title))
    workspaces = None
    if getattr(args, "hub", False):
        from .hub.config import hub_dir

        workspaces = str(hub_dir() / "hem" / "{student_id}")
    run = create_run(
        args.course_dir, args.run_dir, course_id=args.course_id, workspaces=workspaces, ends=getattr(args, "ends", None)
    )
    _say(t("cli.run_create.done", path=str(run.root), course_id=run.course_id, modules=", ".join(run.modules)))
    if getattr(args, "material", True):  # the booklet and guide the leader's start page links
        from .printing.command import material_for_new_run

        material_for_new_run(run)
    return 0


def _run_move_store(args: argparse.Namespace) -> int:
    from .store_move import move_command  # SQLAlchemy and nbgrader load only for this command

    return move_command(args)


def _learners_import(args: argparse.Namespace) -> int:
    from .roster import import_roster
    from .run import open_run

    if getattr(args, "accounts", False) and args.days < 1:  # before anything is saved
        _error(t("hub.cli.bad_days", days=args.days))
        return 1
    from .run_guard import check_gradebook

    run = open_run(args.run)
    check_gradebook(run)  # another program's hold on the gradebook: said before anything is read or written
    result = import_roster(run, args.csv)
    _say(
        t(
            "cli.learners_import.done",
            added=len(result.added),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
        )
    )
    if getattr(args, "accounts", False):
        _learner_accounts(run, [*result.added, *result.updated, *result.unchanged], args.days)
    return 0


def _learner_accounts(run, student_ids: list[str], days: int) -> None:
    """Hub accounts for learners who have none yet; each one-time password is printed once."""
    from datetime import timedelta

    from .hub.accounts import AccountStore
    from .hub.config import accounts_file

    store = AccountStore(accounts_file())
    for student_id in student_ids:
        if store.get(student_id) is not None:
            _say(t("hub.cli.exists", name=student_id))
            continue
        password = store.create(student_id, "deltagare", run.course_id, str(run.root), timedelta(days=days))
        _say(t("hub.cli.created", name=student_id, role="deltagare", password=password))


def _hub_adduser(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from .hub.accounts import AccountStore
    from .hub.config import accounts_file

    if args.days < 1:
        _error(t("hub.cli.bad_days", days=args.days))
        return 1
    course_id, run_dir = "", ""
    if args.run:
        from .run import open_run

        run = open_run(args.run)
        course_id, run_dir = run.course_id, str(run.root)
    store = AccountStore(accounts_file())
    existing = store.get(args.user)
    if (
        existing is not None
        and existing.role == args.role == "kursledare"
        and course_id
        and course_id not in {course for course, _ in existing.runs}
    ):
        # one more run for a course leader: same account, same password
        store.add_run(args.user, course_id, run_dir)
        _say(t("hub.cli.run_added", name=args.user, course=course_id))
        return 0
    password = store.create(args.user, args.role, course_id, run_dir, timedelta(days=args.days))
    account = store.get(args.user)
    _say(t("hub.cli.created", name=args.user, role=args.role, password=password))
    if account is not None and account.expires_at is not None:
        from widgets.formats import format_datetime

        _say(t("hub.cli.expires", date=format_datetime(account.expires_at)))
    return 0


def _progress(key: str):
    def report(step) -> None:
        _say(t(key, index=step.index, total=step.total, module=step.module, learner=step.student_id or ""))

    return report


def _release(args: argparse.Namespace) -> int:
    from .pipeline import release
    from .run import open_run

    run = open_run(args.run)
    results = release(run, args.modules or None, progress=_progress("cli.release.progress"))
    _say(t("cli.release.done", count=len(results)))
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from .pipeline import fetch
    from .run import open_run

    run = open_run(args.run)
    if args.learner:
        learners = [args.learner]
    else:
        with run.gradebook() as gb:
            learners = sorted(student.id for student in gb.students)
    waiting: list[str] = []
    for learner in learners:
        results = fetch(run, learner, args.modules or None, progress=_progress("cli.fetch.progress"))
        for r in results:
            if not r.released:
                if r.module not in waiting:
                    waiting.append(r.module)
            elif r.message:
                _say(f"  {r.module}: {r.message}")
        _say(t("cli.fetch.done", path=str(run.workspace(learner))))
    if waiting:  # not released yet is the course's pace, not an error: said once, exit 0
        _say(t("cli.fetch.not_released", count=len(waiting), modules=", ".join(waiting)))
    return 0


def _collect(args: argparse.Namespace) -> int:
    from .pipeline import collect, submitted_students
    from .run import open_run

    run = open_run(args.run)
    results = collect(run, args.modules or None, progress=_progress("cli.collect.progress"))
    count = sum(len(submitted_students(run, r.module)) for r in results)
    _say(t("cli.collect.done", count=count))
    return 0


def _workers(text: str) -> int:
    """``--workers``: a whole number of processes, 1 or more, refused in Swedish."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("autograde.bad_workers", value=text))
    return value


def _autograde(args: argparse.Namespace) -> int:
    from .completion import unreadable_answers
    from .pipeline import autograde
    from .run import open_run

    run = open_run(args.run)
    done = _progress("cli.autograde.progress")

    def report(step) -> None:  # in the order submissions finish; a failure is named at once
        done(step)
        if not step.ok:
            _say(
                "  "
                + t("autograde.failed_line", learner=step.student_id or "", module=step.module, message=step.message)
            )
        elif step.student_id:  # an answer file the checks could not read scored 0: say so, never silently
            files = unreadable_answers(run, step.student_id, step.module)
            if files:
                folder = run.root / "submitted" / step.student_id / step.module / "svar"
                _say(
                    "  "
                    + t(
                        "autograde.unreadable_line",
                        learner=step.student_id,
                        module=step.module,
                        files=", ".join(files),
                        folder=str(folder),
                    )
                )

    results = autograde(
        run, args.modules or None, progress=report, force=args.force, workers=getattr(args, "workers", None)
    )
    if not results:
        _say(t("cli.autograde.nothing"))
    else:
        _say(t("cli.autograde.done", count=len(results)))
    return 0


def _submit(args: argparse.Namespace) -> int:
    from widgets._submission import submit_module
    from widgets.formats import format_datetime

    result = submit_module(args.notebook_dir)
    when = format_datetime(result.submitted_at)  # not nbgrader's raw UTC timestamp
    _say(t("cli.submit.done", module=result.module, learner=result.student_id, time=when))
    return 0


def _report(args: argparse.Namespace) -> int:
    from .completion import completion_table, terminal_table
    from .run import open_run

    run = open_run(args.run)
    frame = completion_table(run)
    _say(terminal_table(frame))
    from .group_work_report import group_work_lines

    for line in group_work_lines(run):  # each group answer: its meeting, points, who was credited, who was not there
        _say(line)
    if args.csv:
        out = frame.copy()
        out["submitted_at"] = out["submitted_at"].map(lambda v: "" if v is None or v != v else v.isoformat())
        from pathlib import Path

        from widgets.spreadsheet import neutral_frame

        from .run import RunError

        target = Path(args.csv)
        if target.is_dir():  # said in Swedish here: pandas' own words for these are English
            raise RunError(t("export.target_is_folder", path=str(target)))
        if not target.parent.is_dir():
            raise RunError(t("export.no_folder", path=str(target.parent)))
        try:
            neutral_frame(out).to_csv(args.csv, index=False, encoding="utf-8")
        except OSError as exc:
            raise RunError(t("cli.report.csv_failed", path=args.csv, reason=exc.strerror or str(exc))) from None
        _say(t("cli.report.csv_done", path=args.csv))
    return 0


def _courses(args: argparse.Namespace) -> list:
    """The courses ``--courses`` names (Cirkel's ``courses/`` by default), loaded and checked."""
    from widgets.content import ContentError

    from .course import load_course
    from .curriculum import DEFAULT_COURSES, discover_courses

    root = args.courses_dir or DEFAULT_COURSES
    paths = discover_courses(root)
    if not paths:
        raise ContentError(root, "", t("curriculum.cli.no_courses", path=str(root)))
    courses = [load_course(path) for path in paths]
    for course in courses:
        for warning in course.warnings:
            print(t("cli.warning", message=warning), file=sys.stderr)
    return courses


def _courses_check(args: argparse.Namespace) -> int:
    from .curriculum import LATTLAST_LIX_LIMIT, lattlast_lix_report, lix_report, module_parts

    courses = _courses(args)
    problems = 0
    for course in courses:
        _say(t("curriculum.cli.course_title", title=course.title, course=course.id))
        for module in course.modules:
            missing = module_parts(module, course.commitments or None, course.language)
            problems += len(missing)
            if not missing:
                _say(t("curriculum.cli.module_ok", module=module.name))
            for part in missing:
                _say(t("curriculum.cli.module_missing", module=module.name, part=part.part, reason=part.reason))
        _say("")
    report = lix_report(courses)
    _say(t("curriculum.cli.lix_heading"))
    for line in report.lines():
        _say(line)
    for problem in report.problems:
        _error(problem)
    problems += len(report.problems)
    easy = lattlast_lix_report(courses)
    if easy.modules:  # a lättläst text above the limit is counted above, with its module
        _say("")
        _say(t("curriculum.cli.lattlast_lix_heading", limit=f"{LATTLAST_LIX_LIMIT:.0f}"))
        for line in easy.lines()[:-1]:
            _say(line)
    if problems:
        _error(t("curriculum.cli.check_failed", count=problems))
        return 1
    _say(t("curriculum.cli.check_ok"))
    return 0


def _courses_coverage(args: argparse.Namespace) -> int:
    from .curriculum import coverage

    courses = _courses(args)
    table = coverage(courses)
    if not table.rows:
        _error(t("curriculum.coverage.no_commitments"))
        return 1
    for line in table.lines():
        _say(line)
    status = 0
    if table.uncovered:
        _error(t("curriculum.coverage.not_taken_up", count=len(table.uncovered), ids=", ".join(table.uncovered)))
        status = 1
    if table.only_listed:
        items = "; ".join(
            t("curriculum.coverage.only_listed_item", id=cid, module=item.module, missing=item.missing)
            for cid, item in table.only_listed
        )
        _error(t("curriculum.coverage.only_listed", count=len(table.only_listed), items=items))
        status = 1
    return status


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "hub", False):
        from .hub import demo

        return int(demo.run(args) or 0)
    from . import serve

    return int(serve.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
