"""The learner's "Lämna in": submit a module through nbgrader's exchange.

``submit_module`` finds who the learner is and where the exchange is from
``.cirkel-deltagare.json`` in a parent folder of the notebook (written when
the module was fetched, or by the hub), and submits the module folder, answer
store included, with nbgrader's own ``ExchangeSubmit``. ``SubmitPanel`` is the
button in the module: a plain explanation, a confirmation with the time, and
errors in plain Swedish, never a traceback. Both are safe headless: during
autograde there is no learner file and the panel just says so.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets import Unicode

from . import _ui as ui
from .i18n import t

__all__ = ["LEARNER_FILE", "SubmitError", "SubmitResult", "Learner", "find_learner", "submit_module", "SubmitPanel"]

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
        return Learner(str(record["student_id"]), str(record["course_id"]), Path(record["exchange_root"]), folder)
    except (OSError, ValueError, KeyError, TypeError):
        raise SubmitError(t("submit.bad_learner_file")) from None


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
    cfg.Exchange.cache = str(learner.workspace / ".nbgrader-cache")
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
    from dateutil.parser import parse

    submitted_at = parse(submitter.timestamp).astimezone(_dt.UTC)
    return SubmitResult(learner.student_id, learner.course_id, module, submitter.timestamp, submitted_at)


class SubmitPanel(ui.VBox):
    """The "Lämna in" button with its explanation and outcome.

    It finds the module from the working directory (the notebook's folder).
    Each press submits again; nbgrader keeps the latest submission.
    """

    notebook_dir = Unicode(help="The module folder to submit; the working directory by default.")
    message = Unicode("", help="The outcome shown to the learner, in plain words.")

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

    def submit(self) -> SubmitResult | None:
        """Submit now; shows and returns the result, or shows the problem and returns ``None``."""
        self.button.disabled = True
        self.message = t("submit.sending")
        try:
            result = submit_module(self.notebook_dir)
        except SubmitError as exc:
            self.message = str(exc)
            self._show("error")
            return None
        except Exception:  # never show a learner a traceback
            self.message = t("submit.failed", reason=t("submit.unknown_reason"))
            self._show("error")
            return None
        finally:
            self.button.disabled = False
        local = result.submitted_at.astimezone()
        self.message = t("submit.done", time=local.strftime("%Y-%m-%d %H:%M"))
        self._show("ok")
        return result

    def _show(self, kind: str) -> None:
        role = ' role="alert"' if kind == "error" else ""
        self._out.value = f'<p{role} class="cirkel-submit-{kind}">{html.escape(self.message)}</p>'
        ui.focus(self._out)  # the button was disabled while sending: the keyboard user reads the outcome
