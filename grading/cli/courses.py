"""``cirkel courses check`` and ``cirkel courses coverage``: the course folders read as the
curriculum asks (parts, readability, commitments taken up).

Wired into :mod:`grading.cli`; only argparse and the string table are imported at the top, so
``cirkel --help`` stays light, and each handler imports what its command needs.
"""

from __future__ import annotations

import argparse
import sys

from widgets.core.i18n import t

__all__ = ["command_courses_check", "command_courses_coverage"]


def _say(message: str) -> None:
    print(message, flush=True)


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


def _courses(args: argparse.Namespace) -> list:
    """The courses ``--courses`` names (Cirkel's ``courses/`` by default), loaded and checked."""
    from grading.course.curriculum import DEFAULT_COURSES, discover_courses
    from grading.course.loading import load_course
    from widgets.models.content import ContentError

    root = args.courses_dir or DEFAULT_COURSES
    paths = discover_courses(root)
    if not paths:
        raise ContentError(root, "", t("curriculum.cli.no_courses", path=str(root)))
    courses = [load_course(path) for path in paths]
    for course in courses:
        for warning in course.warnings:
            print(t("cli.warning", message=warning), file=sys.stderr)
    return courses


def command_courses_check(args: argparse.Namespace) -> int:
    from grading.course.curriculum import LATTLAST_LIX_LIMIT, lattlast_lix_report, lix_report, module_parts

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


def command_courses_coverage(args: argparse.Namespace) -> int:
    from grading.course.curriculum import coverage

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
