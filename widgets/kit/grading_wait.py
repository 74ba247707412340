"""After "Lämna in": wait for the hub's grading service and show the points nbgrader gave.

The run's grading service (``grading.hub.grading_service``) autogrades each new
submission and releases its feedback; while it runs it keeps a mark in the
exchange (:data:`SERVICE_MARK`, touched every few seconds), so a learner's page
knows whether points are coming at all. While they are, the view says "Rättas …"
in a live region and looks every second whether nbgrader's feedback for this
very submission can be fetched; then it shows "7 av 10 poäng" and a link to the
feedback. If the points do not come within :data:`WAIT_SECONDS` it says so: the
hand-in stays handed in, and the course leader grades it as before. If the service
could not grade it (its grader failed or overran), the service's mark for this
submission (:func:`grading_failed_at`) makes the view say so at its next look. Without a
service (one machine with ``cirkel serve``) the view stays silent.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import posixpath
import time
from pathlib import Path
from urllib.parse import quote

from traitlets import Enum

from widgets.core.formats import format_number
from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.live_poll import Poller, start_polling
from widgets.storage.feedback_points import (
    SERVICE_MARK,
    FeedbackPoints,
    feedback_mark,
    feedback_points,
    fetch_module_feedback,
    grading_failed_at,
)
from widgets.storage.submission import LastSubmission, Learner, SubmitError, find_learner

__all__ = ["SERVICE_MARK", "SERVICE_FRESH_SECONDS", "WAIT_SECONDS", "service_running", "GradingWait"]

#: a mark older than this: no service is running
SERVICE_FRESH_SECONDS = 60.0
#: seconds after a hand-in that the page waits for its points before it says they are late
WAIT_SECONDS = 120.0
#: seconds between looks while waiting
POLL_SECONDS = 1.0


def service_running(learner: Learner, now: float | None = None) -> bool:
    """Whether the run's grading service has touched its mark lately."""
    try:
        touched = (learner.exchange_root / learner.course_id / SERVICE_MARK).stat().st_mtime
    except OSError:
        return False
    return (time.time() if now is None else now) - touched < SERVICE_FRESH_SECONDS


class GradingWait(ui.VBox):
    """The points of the last hand-in, or "Rättas …" while the service grades it."""

    grading = Enum(
        ["", "waiting", "graded", "late", "failed"],
        "",
        help="Nothing to show, waiting for the points, the points shown, the points late, or not gradable now.",
    )

    def __init__(self, notebook_dir: str | os.PathLike[str], script_name: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.notebook_dir = Path(notebook_dir)
        self.script_name = os.environ.get("SCRIPT_NAME", "") if script_name is None else script_name
        self.add_class("cirkel-submit-points")
        self.view = ui.live(ui.HTML())  # in the page before "Rättas …", so a screen reader hears it
        self.children = [self.view]
        self.points: FeedbackPoints | None = None
        self._last: LastSubmission | None = None
        self._fetched_mark: float | None = None
        self._poller: Poller | None = None

    def follow(self, last: LastSubmission | None) -> None:
        """Show what is known of ``last`` (the latest hand-in) and keep looking while points are coming."""
        self._last = last
        self.points = None
        self.check()
        if self.grading == "waiting" and (self._poller is None or not self._poller.running):
            self._poller = start_polling(self.check, POLL_SECONDS)

    def check(self) -> str:
        """Look once: fetch newly released feedback, and show the points or the wait."""
        last = self._last
        learner = self._learner()
        if last is None or learner is None:
            return self._set("")
        found = feedback_points(self.notebook_dir, last.timestamp)
        failed_at = None if found is not None else grading_failed_at(learner, last.copy)
        if found is None and (failed_at is not None or service_running(learner)):
            # nbgrader's fetch (a child process, a second of CPU) runs only when feedback was released
            # since the hand-in (and since the service's mark that it failed, the folder's last change
            # then) and not fetched yet: the leader may have graded it since
            mark = feedback_mark(learner)
            fresh = mark is not None and mark != self._fetched_mark and mark >= last.submitted_at.timestamp()
            if fresh and (failed_at is None or (mark is not None and failed_at < mark)):
                self._fetched_mark = mark
                fetch_module_feedback(learner, self.notebook_dir.name)
                found = feedback_points(self.notebook_dir, last.timestamp)
        if found is not None:
            self.points = found
            return self._set("graded")
        if failed_at is not None:
            return self._set("failed")
        if not service_running(learner):
            return self._set("")
        waited = (_dt.datetime.now(_dt.UTC) - last.submitted_at).total_seconds()
        return self._set("waiting" if waited < WAIT_SECONDS else "late")

    def _learner(self) -> Learner | None:
        try:
            return find_learner(self.notebook_dir)
        except SubmitError:
            return None

    def _set(self, state: str) -> str:
        changed = state != self.grading
        self.grading = state
        if state != "waiting" and self._poller is not None:
            self._poller.stop()
            self._poller = None
        if changed or state == "graded":
            self.view.value = self._html(state)
        return state

    def _html(self, state: str) -> str:
        if state == "waiting":
            return f'<p class="cirkel-submit-grading">{html.escape(t("submit.grading"))}</p>'
        if state == "late":
            return f'<p class="cirkel-submit-late">{html.escape(t("submit.grading_late"))}</p>'
        if state == "failed":
            return f'<p class="cirkel-submit-failed">{html.escape(t("submit.grading_failed"))}</p>'
        if state != "graded" or self.points is None:
            return ""
        points = t(
            "submit.graded",
            points=format_number(self.points.score),
            max_points=format_number(self.points.max_score),
        )
        links = "".join(
            f'<a class="cirkel-submit-feedback" href="{html.escape(self._href(path), quote=True)}" '
            f'target="_blank" rel="noopener">{html.escape(t("submit.read_feedback"))}</a>'
            for path in self.points.files[:1]
        )
        return f'<p class="cirkel-submit-graded">{html.escape(points)} {links}</p>'

    def _href(self, path: Path) -> str:
        """The feedback file's address: Voilà's files below the module page, else relative to the notebook."""
        relative = path.relative_to(self.notebook_dir).as_posix()
        base, marker, served = self.script_name.partition("/voila/render/")
        if not marker:
            return quote(relative)
        return quote(posixpath.join(base + "/voila/files", posixpath.dirname(served), relative))
