"""The learner's "Lämna in": submit a module through nbgrader's exchange.

``submit_module`` finds who the learner is and where the exchange is from
``.cirkel-deltagare.json`` in a parent folder of the notebook (written when
the module was fetched, or by the hub), and submits the module folder, answer
store included, with nbgrader's own ``ExchangeSubmit``. ``SubmitPanel`` is the
button in the module: a plain explanation, a confirmation with the time, and
errors in plain Swedish, never a traceback. Both are safe headless: during
autograde there is no learner file and the panel just says so.

The panel hands a module in once per version of the answers: the copy nbgrader
keeps in the learner's own cache (``.nbgrader-cache``) is the record of the last
submission, so a second press (or a double click) with nothing changed sends
nothing, and a reload shows when the module was handed in.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets import Enum, Instance, Unicode, observe

from . import _ui as ui
from .formats import format_datetime, format_time
from .i18n import t
from .store import STORE_DIRNAME, on_saved

__all__ = [
    "LEARNER_FILE",
    "SubmitError",
    "SubmitResult",
    "Learner",
    "LastSubmission",
    "find_learner",
    "submit_module",
    "last_submission",
    "SubmitPanel",
]

LEARNER_FILE = ".cirkel-deltagare.json"


class SubmitError(Exception):
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
        record = json.loads(path.read_text(encoding="utf-8"))
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

    def answers_changed(self, module_dir: Path) -> bool:
        """Whether the answer store in ``module_dir`` differs from the one handed in."""
        return _answers_digest(module_dir) != _answers_digest(self.copy)


def _cache_dir(learner: Learner) -> Path:
    return learner.workspace / ".nbgrader-cache"


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
    """
    import logging

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeSubmit
    from traitlets.config import Config

    folder = Path(notebook_dir).resolve()
    learner = find_learner(folder)
    module = folder.name
    if folder.parent != (learner.workspace / learner.course_id).resolve():
        raise SubmitError(t("submit.not_a_module"))
    if not learner.exchange_root.is_dir():
        raise SubmitError(t("submit.no_exchange"))
    cfg = Config()
    cfg.Exchange.root = str(learner.exchange_root)
    cfg.Exchange.path_includes_course = True
    cfg.Exchange.cache = str(_cache_dir(learner))
    cfg.ExchangeSubmit.strict = True
    cfg.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]
    coursedir = CourseDirectory(
        config=cfg, course_id=learner.course_id, assignment_id=module, student_id=learner.student_id
    )
    submitter = ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
    submitter.assignment_dir = str(learner.workspace)
    submitter.log.setLevel(logging.ERROR)
    try:
        submitter.start()
    except ExchangeError:
        raise SubmitError(t("submit.not_released", module=module)) from None
    except (OSError, RuntimeError) as exc:
        raise SubmitError(t("submit.failed", reason=getattr(exc, "strerror", None) or str(exc))) from None
    submitted_at = _parse_timestamp(submitter.timestamp)
    return SubmitResult(learner.student_id, learner.course_id, module, submitter.timestamp, submitted_at)


class SubmitPanel(ui.VBox):
    """The "Lämna in" button with its explanation and outcome.

    It finds the module from the working directory (the notebook's folder). The
    button says where the module stands (``state``): not handed in ("Lämna in"),
    being handed in ("Lämnar in …", disabled), handed in ("Inlämnad 14:05",
    disabled until an answer changes), changed since ("Lämna in igen"). A press
    with nothing changed since the last submission submits nothing.
    """

    state = Enum(
        ["ready", "sending", "submitted", "changed", "error"],
        "ready",
        help="Where the module stands: not handed in, being handed in, handed in, changed since, or failed.",
    )
    notebook_dir = Unicode(help="The module folder to submit; the working directory by default.")
    message = Unicode("", help="The outcome shown to the learner, in plain words.")
    submitted_at = Instance(_dt.datetime, allow_none=True, help="When the module was last handed in (UTC).")

    def __init__(self, notebook_dir: str | os.PathLike[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.notebook_dir = str(notebook_dir or Path.cwd())
        self.add_class("cirkel-submit")
        self._intro = ui.HTML(f"<p>{html.escape(t('submit.explain'))}</p>")
        self.button = ui.Button(
            description=t("submit.button"), button_style="primary", tooltip=t("submit.button_tooltip")
        )
        self.button.add_class("cirkel-submit-button")
        self._out = ui.live(ui.HTML())  # in the page before the first outcome, so it is heard
        self.button.on_click(lambda _button: self.submit())
        self.children = [self._intro, self.button, self._out]
        self._last: LastSubmission | None = None
        self._look_up()
        on_saved(self._answer_saved)

    def submit(self) -> SubmitResult | None:
        """Submit now, unless nothing changed since the last submission (then nothing is sent).

        Shows and returns the result, or shows the problem and returns ``None``.
        """
        if self.state == "sending" or (self.state == "submitted" and not self._changed()):
            return None  # a second press of the same version: one submission
        self.message = t("submit.sending")
        self._set("sending")
        try:
            result = submit_module(self.notebook_dir)
        except SubmitError as exc:
            return self._failed(str(exc))
        except Exception:  # never show a learner a traceback
            return self._failed(t("submit.failed", reason=t("submit.unknown_reason")))
        self._look_up()
        if self.state != "submitted":  # the cached copy could not be read back: trust nbgrader's answer
            self._last = None
            self.submitted_at = result.submitted_at
            self._set("submitted")
        ui.focus(self._out)  # the button stays disabled once submitted: the keyboard user reads the outcome
        return result

    def _look_up(self) -> None:
        """The state from the last submission in nbgrader's cache (after a reload too)."""
        try:
            self._last = last_submission(self.notebook_dir)
        except (SubmitError, OSError):
            self._last = None
        if self._last is None:
            self._set("ready")
            return
        self.submitted_at = self._last.submitted_at
        self._set("changed" if self._changed() else "submitted")

    def _changed(self) -> bool:
        try:
            return self._last is not None and self._last.answers_changed(Path(self.notebook_dir))
        except OSError:
            return True  # when in doubt, let the learner hand in again

    def _answer_saved(self, path: Path) -> None:
        """An answer in this module was saved: handed in before, it may be handed in again."""
        with contextlib.suppress(Exception):  # called from the store's save: never make a save fail
            self._answer_changed(path)

    def _answer_changed(self, path: Path) -> None:
        if self.state == "submitted" and path.resolve().parent.parent == Path(self.notebook_dir).resolve():
            if self._changed():
                self._set("changed")

    def _failed(self, message: str) -> None:
        self.message = message
        self._set("error")
        ui.focus(self._out)  # the keyboard user reads what went wrong
        return None

    def _set(self, state: str) -> None:
        self.state = state
        when = self.submitted_at
        if state == "submitted" and when is not None:
            self.message = t("submit.done", time=format_datetime(when))
            self.button.description = t("submit.button_done", time=format_time(when))
        elif state == "changed" and when is not None:
            self.message = t("submit.changed", time=format_datetime(when))
            self.button.description = t("submit.button_again")
        elif state == "sending":
            self.button.description = t("submit.sending")
        else:
            self.button.description = t("submit.button")
        self.button.disabled = state in ("sending", "submitted")
        self._show()

    @observe("message")
    def _message_changed(self, _change: dict) -> None:
        self._show()

    def _show(self) -> None:
        kind = {"error": "error", "submitted": "ok", "changed": "changed"}.get(self.state)
        if kind is None:  # the panel itself is the live region (ui.live): no second status inside it
            self._out.value = f'<p class="cirkel-submit-state">{html.escape(self.message)}</p>'
            return
        role = ' role="alert"' if kind == "error" else ""
        self._out.value = f'<p{role} class="cirkel-submit-{kind}">{html.escape(self.message)}</p>'
