"""The ``cirkel`` commands that move a course run's modules through nbgrader: ``release``, ``fetch``,
``collect``, ``autograde``, ``submit`` and ``report``.

Wired into :mod:`grading.cli`; only argparse and the string table are imported at the top, so
``cirkel --help`` stays light, and each handler imports what its command needs.
"""

from __future__ import annotations

import argparse

from widgets.core.i18n import t

__all__ = [
    "command_autograde",
    "command_collect",
    "command_fetch",
    "command_release",
    "command_report",
    "command_submit",
    "parse_workers",
]


def _say(message: str) -> None:
    print(message, flush=True)


def _progress(key: str):
    def report(step) -> None:
        _say(t(key, index=step.index, total=step.total, module=step.module, learner=step.student_id or ""))

    return report


def command_release(args: argparse.Namespace) -> int:
    from grading.autograde.pipeline import release
    from grading.course_runs.run import open_run

    run = open_run(args.run)
    results = release(run, args.modules or None, progress=_progress("cli.release.progress"))
    _say(t("cli.release.done", count=len(results)))
    return 0


def command_fetch(args: argparse.Namespace) -> int:
    from grading.autograde.pipeline import fetch
    from grading.course_runs.run import open_run

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


def command_collect(args: argparse.Namespace) -> int:
    from grading.autograde.pipeline import collect, submitted_students
    from grading.course_runs.run import open_run

    run = open_run(args.run)
    results = collect(run, args.modules or None, progress=_progress("cli.collect.progress"))
    count = sum(len(submitted_students(run, r.module)) for r in results)
    _say(t("cli.collect.done", count=count))
    return 0


def parse_workers(text: str) -> int:
    """``--workers``: a whole number of processes, 1 or more, refused in Swedish."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("autograde.bad_workers", value=text))
    return value


def command_autograde(args: argparse.Namespace) -> int:
    from grading.autograde.pipeline import autograde
    from grading.course_runs.run import open_run
    from grading.reports.completion import unreadable_answers

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


def command_submit(args: argparse.Namespace) -> int:
    from widgets.core.formats import format_datetime
    from widgets.storage.submission import submit_module

    result = submit_module(args.notebook_dir)
    when = format_datetime(result.submitted_at)  # not nbgrader's raw UTC timestamp
    _say(t("cli.submit.done", module=result.module, learner=result.student_id, time=when))
    return 0


def command_report(args: argparse.Namespace) -> int:
    from grading.course_runs.run import open_run
    from grading.reports.completion import completion_table, terminal_table

    run = open_run(args.run)
    frame = completion_table(run)
    _say(terminal_table(frame))
    from grading.reports.group_work import group_work_lines

    for line in group_work_lines(run):  # each group answer: its meeting, points, who was credited, who was not there
        _say(line)
    if args.csv:
        out = frame.copy()
        out["submitted_at"] = out["submitted_at"].map(lambda v: "" if v is None or v != v else v.isoformat())
        from pathlib import Path

        from grading.course_runs.run import RunError
        from widgets.core.spreadsheet import neutral_frame

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
