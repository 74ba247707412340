"""Points on submit: autograde one learner's new submission and release its feedback at once.

A learner's "Lämna in" puts the module into the run's exchange (``inbound/``);
:func:`waiting_submissions` finds the newest submission of each learner and
module that has no feedback yet for that very submission (nbgrader keeps the
submission's ``timestamp.txt`` beside its generated feedback), and
:class:`Grader` takes one through the course leader's own steps with
nbgrader: ``collect`` of that learner only, Cirkel's autograde (the worker of
:mod:`grading.autograde.parallel`, on the run's gradebook), then nbgrader's
``generate_feedback`` and ``release_feedback``. The
learner's panel fetches that feedback with nbgrader's ``ExchangeFetchFeedback``.
The leader can still collect and autograde again: nbgrader's rules apply (a
submission not newer than its grading is skipped unless forced).

``python -m grading.autograde.points_on_submit <run>`` prepares a :class:`Grader` (imports,
nbgrader's API, a kernel started ahead), says ``ready``, and grades the one
``<learner> <module>`` it then reads on stdin: the service
(:mod:`grading.hub.grading_service`) keeps one such process waiting, so a new
submission pays only for its own grading, and stops it when it overruns its time.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from grading.course_runs.guard import nbgrader_failure
from grading.course_runs.run import CourseRun, RunError
from grading.course_runs.student_ids import StudentIdError, validate_student_id
from widgets.core.i18n import t

__all__ = [
    "UNFINISHED_SECONDS",
    "Submission",
    "Graded",
    "Grader",
    "waiting_submissions",
    "submission_secret",
    "main",
]

#: seconds a hand-in's folder may lack nbgrader's ``timestamp.txt`` and still be one being written
UNFINISHED_SECONDS = 60.0


@dataclass(frozen=True)
class Submission:
    """One learner's submission of a module, as it lies in the exchange's ``inbound/``."""

    student_id: str
    module: str
    timestamp: str


@dataclass(frozen=True)
class Graded:
    """The points nbgrader's gradebook gave the submission."""

    submission: Submission
    score: float
    max_score: float


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _recent(folder: Path) -> bool:
    """Whether ``folder`` changed in the last minute (a hand-in being written, not one given up)."""
    try:
        return time.time() - folder.stat().st_mtime < UNFINISHED_SECONDS
    except OSError:
        return False


def waiting_submissions(run: CourseRun, unfinished: list[str] | None = None) -> list[Submission]:
    """The newest submission of each learner and module with no feedback made for it yet, oldest first.

    Folders in ``inbound/`` are written by learners: a name that is not a known
    module and a valid learner id is passed by, and so is one without a readable
    ``timestamp.txt`` (nbgrader writes it last), whose name goes to ``unfinished``
    if it changed within :data:`UNFINISHED_SECONDS`.
    """
    inbound = run.exchange_root / run.course_id / "inbound"
    newest: dict[tuple[str, str], str] = {}
    for folder in inbound.iterdir() if inbound.is_dir() else ():
        parts = folder.name.split("+")
        if len(parts) < 3 or parts[1] not in run.modules:
            continue
        try:
            student_id = validate_student_id(parts[0])
        except (StudentIdError, ValueError):
            continue
        stamp = _read(folder / "timestamp.txt")
        if not stamp and unfinished is not None and _recent(folder):
            unfinished.append(folder.name)
        key = (student_id, parts[1])
        if stamp and stamp > newest.get(key, ""):  # nbgrader's timestamps sort as text
            newest[key] = stamp
    done = run.root / "feedback"
    waiting = [
        Submission(student, module, stamp)
        for (student, module), stamp in newest.items()
        if _read(done / student / module / "timestamp.txt") != stamp
    ]
    return sorted(waiting, key=lambda s: (s.timestamp, s.student_id, s.module))


def submission_secret(run: CourseRun, submission: Submission) -> str | None:
    """nbgrader's secret of ``submission`` (its ``submission_secret.txt`` in ``inbound/``); ``None`` if gone."""
    inbound = run.exchange_root / run.course_id / "inbound"
    for folder in inbound.glob(f"{submission.student_id}+{submission.module}+*"):
        if _read(folder / "timestamp.txt") == submission.timestamp:
            secret = _read(folder / "submission_secret.txt")
            if secret:
                return secret
    return None


def _collect_one(run: CourseRun, submission: Submission) -> None:
    api = run.api(student_id=submission.student_id)  # nbgrader's collect of this learner only
    outcome = api.collect(submission.module, update=True)
    if not outcome["success"]:
        raise RunError(nbgrader_failure(outcome))


class Grader:
    """A prepared grader of one run: nbgrader's API open and a fresh kernel starting ahead.

    It is the worker of the course leader's autograde (``grading.autograde.parallel``:
    ``_init_worker`` and ``_grade``, ``PooledExecute``), made in this process, so a
    submission waits for no Python start, no imports and no kernel start.
    """

    def __init__(self, run: CourseRun):
        from grading.autograde import parallel as workers

        self.run = run
        self._settings = workers.ParallelAutograde(run, config=run.config())
        # the kernels fork from a zygote that has imported what the run's notebooks import
        preload = self._settings._preload(set(run.modules))
        workers._init_worker(str(run.root), self._settings.db_url, self._settings.kernels_ahead, preload)
        self._workers = workers
        from nbgrader.converters import GenerateFeedback  # noqa: F401  (its imports, ahead of the first feedback)

    def grade(self, submission: Submission) -> Graded:
        """Collect, autograde and release feedback for ``submission``; ``RunError`` in Swedish if a step fails."""
        _collect_one(self.run, submission)
        outcome = self._workers._grade(submission.module, submission.student_id, False, self._settings.lock_retries)
        if not outcome.ok:
            raise RunError(t("points_on_submit.failed", module=submission.module, reason=outcome.message))
        api = self.run.api()
        for step in (api.generate_feedback, api.release_feedback):
            result = step(submission.module, submission.student_id)
            if not result["success"]:
                raise RunError(t("points_on_submit.failed", module=submission.module, reason=nbgrader_failure(result)))
        with self.run.gradebook() as gb:
            graded = gb.find_submission(submission.module, submission.student_id)
            return Graded(submission, float(graded.score), float(graded.max_score))


def main(argv: list[str] | None = None) -> int:
    """``<run>``: prepare a :class:`Grader`, say ``ready``, then grade the one ``<learner> <module>`` read from stdin.

    Exits 1 with the reason on stderr when it fails; 0 when there was nothing left to grade.
    """
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(
            "usage: python -m grading.autograde.points_on_submit RUN  (then 'LEARNER MODULE' on stdin)", file=sys.stderr
        )
        return 2
    try:
        run = CourseRun(args[0])
        grader = Grader(run)
        print("ready", flush=True)
        wanted = tuple(sys.stdin.readline().split())
        if len(wanted) != 2:
            return 0  # the service stopped before it needed this grader
        waiting = [s for s in waiting_submissions(run) if (s.student_id, s.module) == wanted]
        if not waiting:
            return 0  # graded meanwhile (or nothing there): nothing to do
        graded = grader.grade(waiting[0])
    except RunError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{graded.score:g}/{graded.max_score:g}", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover - the service's child process
    raise SystemExit(main())
