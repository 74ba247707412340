"""The points of a graded submission, read from nbgrader's feedback fetched into the module folder.

nbgrader's ``ExchangeFetchFeedback`` puts the feedback of each submission into
``<module>/feedback/<submission timestamp>/<notebook>.html``; the page's heading
says ``<notebook> (Score: 7.0 / 10.0)`` before any of the learner's cells, so the
first such heading of each file is the notebook's total (a learner's answer
further down that imitates it is never read). No ipywidgets here: the submit
panel and "Mina moduler" both use it.

When the run's grading service cannot grade a submission it leaves a mark beside the
released feedback (:func:`failed_mark_name`): named like nbgrader's feedback from the
submission's secret, so only that learner's page finds it, and only for that submission.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from widgets.storage.exchange_child import CACHE_DIRNAME, ExchangeProblem, call
from widgets.storage.submission import Learner

__all__ = [
    "SERVICE_MARK",
    "FeedbackPoints",
    "feedback_points",
    "fetch_module_feedback",
    "feedback_mark",
    "failed_mark_name",
    "grading_failed_at",
    "CACHE_DIRNAME",
]

#: the run's grading service's mark in the exchange's course folder (its time says the service lives)
SERVICE_MARK = ".cirkel-rattning"
#: what the service's mark of a failed grading is hashed with in place of nbgrader's notebook id
FAILED_ID = SERVICE_MARK
#: its suffix (nbgrader's feedback ends ``.html``; nothing of nbgrader's reads this one)
FAILED_SUFFIX = ".failed"
#: nbgrader's feedback heading (``feedback/index.html.j2``): the notebook's score of its maximum
_SCORE = re.compile(r"\(Score: (-?[0-9]+(?:\.[0-9]+)?) / ([0-9]+(?:\.[0-9]+)?)\)</h4>")
#: read no more of a feedback file than this to find its heading (it is near the top)
_HEAD_BYTES = 200_000


@dataclass(frozen=True)
class FeedbackPoints:
    """A submission's points over all its notebooks, and its feedback files."""

    score: float
    max_score: float
    files: tuple[Path, ...]


def feedback_points(module_dir: str | Path, timestamp: str) -> FeedbackPoints | None:
    """The points in the fetched feedback of the submission made at ``timestamp``; ``None`` if none is there."""
    folder = Path(module_dir) / "feedback" / timestamp
    if "/" in timestamp or timestamp.startswith(".") or not folder.is_dir():
        return None
    files = tuple(sorted(folder.glob("*.html")))
    score = max_score = 0.0
    for path in files:
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                head = handle.read(_HEAD_BYTES)
        except OSError:
            return None
        found = _SCORE.search(head)
        if found is None:
            return None  # not nbgrader's feedback, or written half
        score += float(found.group(1))
        max_score += float(found.group(2))
    return FeedbackPoints(score, max_score, files) if files else None


def feedback_mark(learner: Learner) -> float | None:
    """When the exchange's released feedback last changed (its folder's time): fetch again only then."""
    try:
        return (learner.exchange_root / learner.course_id / "feedback").stat().st_mtime
    except OSError:
        return None


def failed_mark_name(secret: str) -> str:
    """The name of the service's mark that it could not grade the submission whose secret is ``secret``.

    nbgrader releases feedback as ``feedback/<md5 of secret and notebook id>.html`` in the exchange, a
    folder only the course can list: whoever lacks the secret (kept in the learner's cache and the
    course's ``inbound/``) cannot find it. The mark is named the same way, with its own id and suffix;
    a new hand-in has a new secret, so the mark never speaks of it.
    """
    return hashlib.md5((secret.strip() + FAILED_ID).encode("utf-8")).hexdigest() + FAILED_SUFFIX


def grading_failed_at(learner: Learner, submission: Path) -> float | None:
    """When the service marked the submission cached in ``submission`` as not gradable; ``None`` if it did not."""
    try:
        secret = (submission / "submission_secret.txt").read_text(encoding="utf-8").strip()
        if not secret:
            return None
        name = failed_mark_name(secret)
        return (learner.exchange_root / learner.course_id / "feedback" / name).stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return None


def fetch_module_feedback(learner: Learner, module: str | list[str]) -> None:
    """Fetch the released feedback of the learner's submissions of ``module`` (or each of a list).

    nbgrader's own ``ExchangeFetchFeedback`` runs in a child process
    (:mod:`widgets.storage.exchange_child`), one for all the modules, so the page's kernel never
    holds nbgrader. Nothing released is no error; a problem with the exchange is left for the
    next try.
    """
    modules = [module] if isinstance(module, str) else list(module)
    if not modules:
        return
    try:
        call("fetch_feedback", learner, modules)
    except ExchangeProblem:
        pass
