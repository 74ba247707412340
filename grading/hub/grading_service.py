"""The run's grading service: points on submit, a JupyterHub managed service per course run.

It watches the run's exchange for new submissions (:func:`grading.autograde.points_on_submit.waiting_submissions`)
and grades them one at a time, oldest first, each in a process of its own
(``python -m grading.autograde.points_on_submit``) that is stopped after :data:`GRADE_TIMEOUT`
seconds; a submission that failed or overran is not tried again until the
learner hands in anew (the course leader grades it as before), and the service marks it
failed in the exchange (:meth:`GradingService.mark_failed`) so the learner's page says so
at once instead of waiting out its two minutes. While hand-ins
come, the next grader process is made ready before it is needed (imports done,
a kernel started); :data:`READY_SECONDS` after the last hand-in it is let go,
so an idle run holds no grader's memory and a hub nobody hands in on spends no
CPU on one (the first hand-in after a quiet spell waits for a cold start).
At most :data:`QUEUE_LIMIT` submissions are taken per look; the rest wait for the
next. While it runs it touches :data:`widgets.storage.feedback_points.SERVICE_MARK` in the
exchange, so the learners' pages know points are coming. It serves no pages: the
hub starts it, stops it and restarts it with the run's other services.

``python -m grading.hub.grading_service <run>``
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from grading.autograde.points_on_submit import Submission, submission_secret, waiting_submissions
from grading.course_runs.run import CourseRun, ensure_tools_on_path
from widgets.core.i18n import t
from widgets.storage.feedback_points import SERVICE_MARK, failed_mark_name

__all__ = [
    "GRADE_TIMEOUT",
    "QUEUE_LIMIT",
    "LOOK_SECONDS",
    "MARK_SECONDS",
    "READY_SECONDS",
    "FEEDBACK_DIR_MODE",
    "grading_service_name",
    "grading_service",
    "grading_services",
    "GradingService",
    "main",
]

#: seconds one submission's collect, autograde and feedback may take before it is stopped
GRADE_TIMEOUT = 90
#: submissions taken per look at the exchange (the rest wait for the next look)
QUEUE_LIMIT = 50
#: seconds between looks at the exchange when nothing waits
LOOK_SECONDS = 0.5
#: seconds after the last hand-in that a grader process is kept ready (then its memory is freed)
READY_SECONDS = 15 * 60
#: seconds between touches of the service's mark
MARK_SECONDS = 10.0
#: nbgrader's mode of the exchange's ``feedback/`` (``ExchangeReleaseFeedback``): its files found, never listed
FEEDBACK_DIR_MODE = 0o711

_log = logging.getLogger("cirkel.rattning")


def grading_service_name(course_id: str) -> str:
    """The hub's name of a run's grading service."""
    return f"{course_id}-rattning"


def grading_service(course_id: str, run_dir: str) -> dict:
    """The managed service (``JupyterHub.services``): this Python, in the run's folder, with no URL."""
    bin_dir = Path(sys.executable).parent
    return {
        "name": grading_service_name(course_id),
        "command": [sys.executable, "-m", "grading.hub.grading_service", run_dir],
        "cwd": run_dir,
        # nbgrader calls `alembic` from the venv
        "environment": {"PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", os.defpath)])},
    }


def grading_services(runs: dict[str, str]) -> list[dict]:
    """One grading service per course run (course id -> run folder): ``make run``'s and the hub pod's alike."""
    return [grading_service(course_id, run_dir) for course_id, run_dir in runs.items()]


class GradingService:
    """One run's queue of submissions, graded one at a time."""

    def __init__(self, run: CourseRun, timeout: float = GRADE_TIMEOUT, limit: int = QUEUE_LIMIT):
        self.run = run
        self.timeout = timeout
        self.limit = limit
        self.failed: set[Submission] = set()
        self._marked = 0.0
        self._next: subprocess.Popen | None = None
        self._handed_in: float | None = None  # when the last hand-in was graded (monotonic)
        self._seen: int | None = None  # the time of inbound/ at the last look
        self._left = False  # whether that look left submissions waiting (more than the limit)

    @property
    def mark(self) -> Path:
        return self.run.exchange_root / self.run.course_id / SERVICE_MARK

    def touch_mark(self, now: float | None = None) -> None:
        """Tell the learners' pages that the service lives (every :data:`MARK_SECONDS`)."""
        now = time.time() if now is None else now
        if now - self._marked < MARK_SECONDS:
            return
        try:
            self.mark.parent.mkdir(parents=True, exist_ok=True)
            self.mark.touch()
            self.mark.chmod(0o644)
            self._marked = now
        except OSError as exc:
            _log.warning("cannot touch %s: %s", self.mark, exc)

    def mark_failed(self, submission: Submission) -> None:
        """Leave the mark that ``submission`` could not be graded, where only its learner's page finds it.

        An empty file in the exchange's ``feedback/``, named from the submission's secret as nbgrader
        names its feedback (:func:`widgets.storage.feedback_points.failed_mark_name`); the folder is
        made with nbgrader's mode if no feedback was released yet.
        """
        secret = submission_secret(self.run, submission)
        if secret is None:
            return  # the hand-in is gone (erased): nobody waits for it
        folder = self.run.exchange_root / self.run.course_id / "feedback"
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True)
                folder.chmod(FEEDBACK_DIR_MODE)
            mark = folder / failed_mark_name(secret)
            mark.touch()
            mark.chmod(0o644)
        except OSError as exc:
            _log.warning("cannot mark %s / %s failed: %s", submission.module, submission.student_id, exc)

    def queue(self) -> list[Submission]:
        """The submissions to grade now, oldest first, at most ``limit``.

        The exchange is read only when its ``inbound/`` changed (a hand-in adds a folder, which
        changes the folder's time; its time is taken before the folder is read) or the last look
        left something: more than the limit, or a hand-in still being written (no
        ``timestamp.txt`` yet). With hundreds of hand-ins in it, a look twice a second must not
        read them all each time.
        """
        inbound = self.run.exchange_root / self.run.course_id / "inbound"
        try:
            changed = inbound.stat().st_mtime_ns
        except OSError:
            return []
        if changed == self._seen and not self._left:
            return []
        unfinished: list[str] = []
        found = waiting_submissions(self.run, unfinished)
        # a failed one is remembered only while it is her newest hand-in: not after she hands in anew or is erased
        self.failed.intersection_update(found)
        waiting = [s for s in found if s not in self.failed]
        self._seen, self._left = changed, len(waiting) > self.limit or bool(unfinished)
        if len(waiting) > self.limit:
            _log.warning(t("points_on_submit.queue_full", count=len(waiting), most=self.limit))
        return waiting[: self.limit]

    def _spawn(self) -> subprocess.Popen:
        """A grader process preparing itself (``python -m grading.autograde.points_on_submit``), in a session of its own."""
        return subprocess.Popen(
            [sys.executable, "-m", "grading.autograde.points_on_submit", str(self.run.root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.run.root,
            start_new_session=True,  # stopped with its kernels when it overruns
        )

    def prepare(self) -> None:
        """Have the next grader process ready (imports done, a kernel started) before a submission comes."""
        if self._next is None or self._next.poll() is not None:
            self._next = self._spawn()

    def close(self) -> None:
        """Let the waiting grader process go (it ends when its stdin closes)."""
        child, self._next = self._next, None
        if child is not None:
            child.communicate(input="", timeout=self.timeout)

    def grade(self, submission: Submission) -> bool:
        """Grade one submission in the waiting grader process; ``False`` (and logged) if it failed or overran."""
        self.prepare()
        child, self._next = self._next, None
        assert child is not None
        try:
            out, err = child.communicate(input=f"{submission.student_id} {submission.module}\n", timeout=self.timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            _log.warning(
                t(
                    "points_on_submit.timeout",
                    module=submission.module,
                    student=submission.student_id,
                    seconds=f"{self.timeout:g}",
                )
            )
            self.failed.add(submission)
            self.mark_failed(submission)
            return False
        if child.returncode != 0:
            _log.warning("%s / %s: %s", submission.module, submission.student_id, err.strip()[-2000:])
            self.failed.add(submission)
            self.mark_failed(submission)
            return False
        _log.info("%s / %s: %s", submission.module, submission.student_id, out.strip())
        return True

    def once(self) -> int:
        """One look: grade what waits; how many were graded. While hand-ins come, the next grader is made ready."""
        graded = 0
        for submission in self.queue():
            self.touch_mark()
            graded += self.grade(submission)
            self._handed_in = time.monotonic()
        return graded

    def keep_ready(self, now: float | None = None) -> None:
        """A grader ready while hand-ins come; none once :data:`READY_SECONDS` have passed without one."""
        now = time.monotonic() if now is None else now
        if self._handed_in is not None and now - self._handed_in < READY_SECONDS:
            self.prepare()
        elif self._next is not None:
            self.close()

    def serve(self) -> None:  # pragma: no cover - runs until the hub stops it
        try:
            while True:
                self.touch_mark()
                self.keep_ready()
                if not self.once():
                    time.sleep(LOOK_SECONDS)
        finally:
            self.close()


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - the hub's child process
    """Run the grading service of the run in ``argv[0]`` until stopped."""
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="[rättning %(asctime)s] %(message)s")
    ensure_tools_on_path()
    service = GradingService(CourseRun(args[0]))
    try:
        service.serve()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
