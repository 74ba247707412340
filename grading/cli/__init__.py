"""The ``cirkel`` command: course runs on nbgrader for a course leader.

``cirkel --help`` must answer at once, so this module imports only argparse
and the string table; nbgrader, pandas and the widgets are imported inside the
command that needs them. Expected problems (a bad roster, an unknown module, a
folder that is not a course run) are ``CirkelError``s and end with their plain
Swedish message on stderr and exit status 1; a bug ends with one Swedish line
naming the log that holds its traceback (:mod:`grading.cli.errors`), never a
traceback on the screen unless ``--debug`` asks for it.

This module declares the command line and runs it; the commands themselves live
by job in :mod:`grading.cli.runs`, :mod:`grading.cli.pipeline`,
:mod:`grading.cli.courses` and the ``add_*_commands`` modules.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence

from grading.cli.courses import command_courses_check, command_courses_coverage
from grading.cli.pipeline import (
    command_autograde,
    command_collect,
    command_fetch,
    command_release,
    command_report,
    command_submit,
    parse_workers,
)
from grading.cli.runs import (
    command_hub_adduser,
    command_learners_import,
    command_run_create,
    command_run_move_store,
)
from widgets.core.i18n import t

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
    p.add_argument("--exchange", metavar="MAPP", help=t("cli.run_create.exchange"))
    p.add_argument("--no-material", dest="material", action="store_false", help=t("print.cli.arg_no_material"))
    p.set_defaults(handler=command_run_create)
    p = run_sub.add_parser("move-store", help=t("move.cli.help"), description=t("move.cli.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--to", required=True, metavar="URL", help=t("move.cli.arg_to"))
    p.add_argument("--gradebook-to", metavar="URL", help=t("move.cli.arg_gradebook_to"))
    p.set_defaults(handler=command_run_move_store)

    p_learners = sub.add_parser("learners", help=t("cli.learners.help"))
    l_sub = p_learners.add_subparsers(dest="learners_command", metavar=t("cli.command_metavar"), required=True)
    p = l_sub.add_parser("import", help=t("cli.learners_import.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("csv", metavar="DELTAGARE.csv", help=t("cli.arg.csv"))
    p.add_argument("--accounts", action="store_true", help=t("hub.cli.arg_accounts"))
    p.add_argument("--days", type=int, default=14, metavar="DAGAR", help=t("hub.cli.arg_days"))
    p.set_defaults(handler=command_learners_import)

    for name, handler in (("release", command_release), ("collect", command_collect), ("autograde", command_autograde)):
        p = sub.add_parser(name, help=t(f"cli.{name}.help"))
        p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
        p.add_argument("modules", metavar="MODUL", nargs="*", help=t("cli.arg.modules"))
        if name == "autograde":
            p.add_argument("--force", action="store_true", help=t("cli.arg.force"))
            p.add_argument("--workers", type=parse_workers, metavar="N", default=None, help=t("autograde.arg_workers"))
        p.set_defaults(handler=handler)

    p = sub.add_parser("fetch", help=t("cli.fetch.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--learner", metavar="ID", help=t("cli.arg.learner") + "; " + t("cli.fetch.all"))
    p.add_argument("modules", metavar="MODUL", nargs="*", help=t("cli.arg.modules"))
    p.set_defaults(handler=command_fetch)

    p = sub.add_parser("submit", help=t("cli.submit.help"))
    p.add_argument("notebook_dir", metavar="MODULMAPP", help=t("cli.arg.notebook_dir"))
    p.set_defaults(handler=command_submit)

    p = sub.add_parser("report", help=t("cli.report.help"))
    p.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    p.add_argument("--csv", metavar="FIL", help=t("cli.arg.report_csv"))
    p.set_defaults(handler=command_report)

    p_courses = sub.add_parser("courses", help=t("curriculum.cli.help"))
    c_sub = p_courses.add_subparsers(dest="courses_command", metavar=t("cli.command_metavar"), required=True)
    for name, handler in (("check", command_courses_check), ("coverage", command_courses_coverage)):
        p = c_sub.add_parser(name, help=t(f"curriculum.cli.{name}_help"))
        p.add_argument("--courses", dest="courses_dir", metavar="MAPP", help=t("curriculum.cli.arg_folder"))
        p.set_defaults(handler=handler)
    from grading.course.content_schema import add_schema_command
    from grading.reports.printing.command import add_print_command

    add_print_command(c_sub)
    add_schema_command(c_sub)

    p_hub = sub.add_parser("hub", help=t("hub.cli.help"))
    h_sub = p_hub.add_subparsers(dest="hub_command", metavar=t("cli.command_metavar"), required=True)
    p = h_sub.add_parser("adduser", help=t("hub.cli.adduser_help"))
    p.add_argument("user", metavar="ID", help=t("hub.cli.arg_user"))
    p.add_argument("--role", required=True, choices=("kursledare", "deltagare", "admin"), help=t("hub.cli.arg_role"))
    p.add_argument("--run", metavar="OMGÅNG", help=t("hub.cli.arg_run"))
    p.add_argument("--days", type=int, default=14, metavar="DAGAR", help=t("hub.cli.arg_days"))
    p.set_defaults(handler=command_hub_adduser)

    # serve's arguments are declared here so that --help stays free of heavy imports
    p = sub.add_parser("serve", help=t("cli.serve.help"))
    p.add_argument("--demo", action="store_true", help=t("cli.arg.demo"))
    p.add_argument("--hub", action="store_true", help=t("cli.arg.hub"))
    p.add_argument("--run", metavar="OMGÅNG", help=t("cli.arg.serve_run"))
    p.add_argument("--port", type=int, default=None, help=t("cli.arg.port"))
    p.add_argument("--ip", default="127.0.0.1", help=t("cli.arg.ip"))
    p.set_defaults(handler=_serve)

    from grading.cli.circles import add_circle_commands
    from grading.cli.config import add_config_command
    from grading.cli.persons import add_export_commands, add_person_commands

    add_circle_commands(sub)
    add_person_commands(sub)
    add_export_commands(sub)
    add_config_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cirkel`` command; returns the exit status.

    An expected problem (a ``CirkelError``) ends with its Swedish message on stderr, anything
    else with one Swedish line naming the log that holds the traceback (``--debug``: on screen).
    """
    from grading.cli.errors import argparse_in_language, report_failure

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
        from widgets.core.errors import CirkelError

        if args.debug and not isinstance(exc, CirkelError):
            raise
        return report_failure(exc, getattr(args, "command", ""), argv)


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


def _date(text: str):
    """An ISO date for argparse, refused in Swedish."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=text)) from None


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "hub", False):
        from grading.hub import demo

        return int(demo.run(args) or 0)
    from grading.servers import serve

    return int(serve.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
