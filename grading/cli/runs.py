"""The ``cirkel`` commands that make a course run and its accounts: ``run create``, ``run move-store``,
``learners import`` and ``hub adduser``.

Wired into :mod:`grading.cli`; only argparse and the string table are imported at the top, so
``cirkel --help`` stays light, and each handler imports what its command needs.
"""

from __future__ import annotations

import argparse
import sys

from widgets.core.i18n import t

__all__ = ["command_hub_adduser", "command_learners_import", "command_run_create", "command_run_move_store"]


def _say(message: str) -> None:
    print(message, flush=True)


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


def command_run_create(args: argparse.Namespace) -> int:
    from grading.course.loading import load_course
    from grading.course_runs.run import create_run

    course = load_course(args.course_dir)
    for warning in course.warnings:
        print(t("cli.warning", message=warning), file=sys.stderr)
    _say(t("cli.run_create.building", count=len(course.modules), title=course.title))
    workspaces = None
    if getattr(args, "hub", False):
        from grading.system.hub_folder import hub_dir

        workspaces = str(hub_dir() / "hem" / "{student_id}")
    run = create_run(
        args.course_dir,
        args.run_dir,
        course_id=args.course_id,
        workspaces=workspaces,
        ends=getattr(args, "ends", None),
        exchange=getattr(args, "exchange", None),
    )
    _say(t("cli.run_create.done", path=str(run.root), course_id=run.course_id, modules=", ".join(run.modules)))
    if getattr(args, "material", True):  # the booklet and guide the leader's start page links
        from grading.reports.printing.command import material_for_new_run

        material_for_new_run(run)
    return 0


def command_run_move_store(args: argparse.Namespace) -> int:
    from grading.personal_data.store_move import move_command  # SQLAlchemy and nbgrader load only for this command

    return move_command(args)


def command_learners_import(args: argparse.Namespace) -> int:
    from grading.course_runs.roster import import_roster
    from grading.course_runs.run import open_run

    if getattr(args, "accounts", False) and args.days < 1:  # before anything is saved
        _error(t("hub.cli.bad_days", days=args.days))
        return 1
    from grading.course_runs.guard import check_gradebook

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

    from grading.hub.accounts import AccountStore
    from grading.system.hub_folder import accounts_file

    store = AccountStore(accounts_file())
    for student_id in student_ids:
        if store.get(student_id) is not None:
            _say(t("hub.cli.exists", name=student_id))
            continue
        password = store.create(student_id, "deltagare", run.course_id, str(run.root), timedelta(days=days))
        _say(t("hub.cli.created", name=student_id, role="deltagare", password=password))


def command_hub_adduser(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from grading.hub.accounts import AccountStore
    from grading.system.hub_folder import accounts_file

    if args.days < 1:
        _error(t("hub.cli.bad_days", days=args.days))
        return 1
    course_id, run_dir = "", ""
    if args.run:
        from grading.course_runs.run import open_run

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
        from widgets.core.formats import format_datetime

        _say(t("hub.cli.expires", date=format_datetime(account.expires_at)))
    return 0
