"""A learner's hand-in as files, with no ipywidgets: who submits, the exchange, the last submission.

:func:`submit_module` submits a module folder (answer store included) with nbgrader's own
``ExchangeSubmit``, for the "Lämna in" button (:class:`widgets.pages.submit.SubmitPanel`) and for the
``cirkel submit`` command alike; the command must not pull in ipywidgets to do it. The learner
file written at fetch time (:data:`LEARNER_FILE`) says who the learner is and where the exchange
is; nbgrader's copy in the learner's cache is the record of the last submission.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from widgets.core import learner_json
from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.storage.answers import STORE_DIRNAME
from widgets.storage.exchange_child import CACHE_DIRNAME, ExchangeProblem, call

__all__ = [
    "FEEDBACK_ALLOWLIST",
    "LEARNER_FILE",
    "SubmitError",
    "SubmitResult",
    "Learner",
    "LastSubmission",
    "find_learner",
    "submit_module",
    "last_submission",
]

#: The ``VoilaConfiguration.file_allowlist`` entry that lets Voilà serve fetched feedback
#: (``feedback/<timestamp>/<module>.html`` in the learner's course folder).
FEEDBACK_ALLOWLIST = r"(.*/)?feedback/[^/]+/[^/]+\.html"

LEARNER_FILE = ".cirkel-deltagare.json"


class SubmitError(CirkelError):
    """A submission that did not go through; the message is plain Swedish."""


@dataclass(frozen=True)
class Learner:
    """Who submits, to which course and exchange, and the workspace they work in."""

    student_id: str
    course_id: str
    exchange_root: Path
    workspace: Path
    course_title: str = ""

    def __post_init__(self) -> None:
        if not self.course_title:  # a learner file from before titles were written: the id is all there is
            object.__setattr__(self, "course_title", self.course_id)

    def notebook_path(self, module: str) -> Path:
        """Where her fetched copy of ``module`` lives (as ``CourseRun.notebook_path`` on one machine)."""
        return self.workspace / self.course_id / module / f"{module}.ipynb"


@dataclass(frozen=True)
class SubmitResult:
    """A submission that went through."""

    student_id: str
    course_id: str
    module: str
    timestamp: str
    submitted_at: _dt.datetime


def find_learner(notebook_dir: str | os.PathLike[str]) -> Learner:
    """Read ``.cirkel-deltagare.json`` from ``notebook_dir`` or its nearest parent that has one."""
    start = Path(notebook_dir).resolve()
    for folder in [start, *start.parents]:
        path = folder / LEARNER_FILE
        if path.is_file():
            break
    else:
        raise SubmitError(t("submit.no_learner"))
    try:
        record = learner_json.loads(path.read_bytes())
        return Learner(
            str(record["student_id"]),
            str(record["course_id"]),
            Path(record["exchange_root"]),
            folder,
            str(record.get("course_title") or ""),
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise SubmitError(t("submit.bad_learner_file")) from None


@dataclass(frozen=True)
class LastSubmission:
    """The learner's latest submission of a module: when, and nbgrader's cached copy of it."""

    submitted_at: _dt.datetime
    copy: Path

    @property
    def timestamp(self) -> str:
        """nbgrader's timestamp of the submission, as it names the fetched feedback's folder."""
        parts = self.copy.name.split("+")
        return parts[2] if len(parts) >= 3 else ""

    def answers_changed(self, module_dir: Path) -> bool:
        """Whether the answer store in ``module_dir`` differs from the one handed in."""
        return _answers_digest(module_dir) != _answers_digest(self.copy)


def _cache_dir(learner: Learner) -> Path:
    return learner.workspace / CACHE_DIRNAME


def _parse_timestamp(text: str) -> _dt.datetime:
    from dateutil.parser import parse

    return parse(text).astimezone(_dt.UTC)


def _answers_digest(module_dir: Path) -> str:
    """One digest of every answer file (name and bytes): equal digests, equal answers."""
    digest = hashlib.sha256()
    for path in sorted((module_dir / STORE_DIRNAME).glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def last_submission(notebook_dir: str | os.PathLike[str]) -> LastSubmission | None:
    """The latest submission of the module in ``notebook_dir``, from nbgrader's cache; ``None`` if none."""
    folder = Path(notebook_dir).resolve()
    learner = find_learner(folder)
    found: list[LastSubmission] = []
    course_cache = _cache_dir(learner) / learner.course_id
    for copy in course_cache.glob(f"{learner.student_id}+{folder.name}+*"):
        try:
            found.append(LastSubmission(_parse_timestamp((copy / "timestamp.txt").read_text(encoding="utf-8")), copy))
        except (OSError, ValueError, OverflowError):
            continue  # a copy half written or not nbgrader's: not a submission
    return max(found, key=lambda s: s.submitted_at, default=None)


def submit_module(notebook_dir: str | os.PathLike[str] = ".") -> SubmitResult:
    """Submit the module in ``notebook_dir`` (``<workspace>/<course_id>/<module>``).

    Returns the submission's time; raises ``SubmitError`` with a Swedish
    message when it cannot be submitted (nothing is then left half-sent).
    nbgrader's ``ExchangeSubmit`` runs in a child process
    (:mod:`widgets.storage.exchange_child`), so the page's kernel never holds nbgrader.
    """
    folder = Path(notebook_dir).resolve()
    learner = find_learner(folder)
    module = folder.name
    if folder.parent != (learner.workspace / learner.course_id).resolve():
        raise SubmitError(t("submit.not_a_module"))
    if not learner.exchange_root.is_dir():
        raise SubmitError(t("submit.no_exchange"))
    try:
        answer = call("submit", learner, [module])
        timestamp = str(answer["timestamp"])
        submitted_at = _parse_timestamp(timestamp)
    except ExchangeProblem as problem:
        if problem.kind == "not_released":
            raise SubmitError(t("submit.not_released", module=module)) from None
        raise SubmitError(t("submit.failed", reason=_reason(problem.reason))) from None
    except (KeyError, ValueError, OverflowError):
        raise SubmitError(t("submit.failed", reason=t("submit.unknown_reason"))) from None
    return SubmitResult(learner.student_id, learner.course_id, module, timestamp, submitted_at)


def _reason(reason: str) -> str:
    """The child's reason in the sentence: a stopped child in Swedish, an unknown one as unknown."""
    if reason == "timeout":
        return t("submit.too_slow")
    return reason if reason and not reason.startswith("exit ") else t("submit.unknown_reason")
