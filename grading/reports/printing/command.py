"""``cirkel courses print``: a course's participant booklet and cirkelledarhandledning as PDF.

Declared here and wired into :mod:`grading.cli` with ``add_print_command``. Only
argparse and the string table are imported at the top, so ``cirkel --help``
stays light; WeasyPrint is imported when a PDF is made. Expected problems (no
Pango, a course that does not load, a folder that cannot be written) end with a
Swedish message and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from widgets.core.i18n import t

__all__ = ["add_print_command", "command_print", "say_material", "material_for_new_run"]


def add_print_command(courses_subparsers) -> None:
    """``cirkel courses print [KURSMAPP ...] (--out MAPP | --run OMGÅNG)``."""
    p = courses_subparsers.add_parser("print", help=t("print.cli.help"), description=t("print.cli.help"))
    p.add_argument("course_dirs", metavar="KURSMAPP", nargs="*", help=t("print.cli.arg_course"))
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="MAPP", help=t("print.cli.arg_out"))
    where.add_argument("--run", metavar="OMGÅNG", help=t("print.cli.arg_run"))
    p.set_defaults(handler=command_print)


def say_material(material) -> None:
    """The two files made, with their pages and how long each took."""
    for made in (material.booklet, material.guide):
        print(t("print.cli.file", path=str(made.path), pages=made.pages, seconds=f"{made.seconds:.1f}"), flush=True)


def command_print(args: argparse.Namespace) -> int:
    from grading.course.curriculum import DEFAULT_COURSES, discover_courses
    from grading.course.loading import load_course
    from grading.reports.printing.material import print_course, print_run
    from grading.reports.printing.render import PrintError, weasyprint_module
    from widgets.models.content import ContentError

    if not args.out and not args.run:
        raise PrintError(t("print.cli.out_or_run"))
    weasyprint_module()  # no Pango or no WeasyPrint: say so before loading anything
    if args.run:
        from grading.course_runs.run import open_run

        if len(args.course_dirs) > 1:
            raise PrintError(t("print.cli.run_one_course"))
        run = open_run(args.run)
        print(t("print.cli.making", title=run.title), flush=True)
        say_material(print_run(run, args.course_dirs[0] if args.course_dirs else None))
        print(t("print.cli.done", count=2), flush=True)
        return 0
    paths: list[Path] = []
    for root in args.course_dirs or [DEFAULT_COURSES]:
        found = discover_courses(root)
        if not found:
            raise ContentError(root, "", t("curriculum.cli.no_courses", path=str(root)))
        paths += found
    courses = [load_course(path) for path in paths]  # every course checked before any PDF is made
    for course in courses:
        print(t("print.cli.making", title=course.title), flush=True)
        say_material(print_course(course, args.out))
    print(t("print.cli.done", count=2 * len(courses)), flush=True)
    return 0


def material_for_new_run(run) -> None:
    """After ``cirkel run create``: the run's booklet and guide; without them (no Pango) the run still stands."""
    import sys

    from grading.reports.printing.material import RUN_FOLDER, print_run
    from grading.reports.printing.render import PrintError

    try:
        print_run(run)
    except PrintError as exc:
        message = t("print.cli.run_material_failed", message=str(exc), run=str(run.root))
        print(t("cli.warning", message=message), file=sys.stderr, flush=True)
        return
    print(t("print.cli.run_material", path=str(run.root / RUN_FOLDER)), flush=True)
