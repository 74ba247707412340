"""Which course runs a learner's pod fetches: those whose roster holds her, asked when her pod is made.

A learner's account names one run (``Account.runs``); the hub knows every run through its leaders'
accounts (:func:`grading.hub.runs.led_runs`), and who learns in a run only from the run's roster, its
gradebook's students (``cirkel learners import``, ``cirkel person erase``). So at each spawn the hub
asks each run's gradebook, as its grading service opens it (``CourseRun.gradebook``), whether she is
there: taken off a roster, she gets nothing new from that run at her next start. A gradebook that
cannot be read counts as one without her (nothing is fetched from a run nobody could confirm).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from grading.hub.accounts import Account, AccountStore

__all__ = ["known_runs", "rostered_runs"]

_log = logging.getLogger(__name__)


def known_runs(store: AccountStore, account: Account | None, runs_root: str) -> dict[str, str]:
    """Every run the hub knows, course id -> folder: her account's first, then the led runs by id."""
    from grading.hub.runs import led_runs

    led = led_runs(store)
    own = {
        course: run_dir or led.get(course) or f"{runs_root}/{course}"
        for course, run_dir in (account.runs if account else ())
    }
    return own | {course: run_dir for course, run_dir in led.items() if course not in own}


def rostered_runs(student_id: str, runs: Mapping[str, str]) -> list[tuple[str, str]]:
    """(course id, title) of each run of ``runs`` whose roster holds ``student_id``, in the order given.

    Blocking (one gradebook opened per run, about 20 ms on SQLite): the hub calls it in a thread.
    """
    from nbgrader.api import MissingEntry

    from grading.course_runs.run import CourseRun

    found: list[tuple[str, str]] = []
    for course, run_dir in runs.items():
        try:
            run = CourseRun(run_dir)
            with run.gradebook() as gb:
                gb.find_student(student_id)
        except MissingEntry:
            continue
        except Exception as exc:  # noqa: BLE001  (an unreadable run is one she is not fetched from)
            _log.warning("the roster of %s cannot be read: %s", course, exc)
            continue
        if run.course_id == course:
            found.append((course, run.title))
    return found
