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
import html
import os
from pathlib import Path
from typing import Any

from traitlets import Enum, Instance, Unicode, observe

from widgets.core.formats import format_datetime, format_time
from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.grading_wait import GradingWait
from widgets.storage.answers import on_saved
from widgets.storage.submission import (
    LEARNER_FILE,
    LastSubmission,
    Learner,
    SubmitError,
    SubmitResult,
    find_learner,
    last_submission,
    submit_module,
)

# the hand-in itself is widgets.storage.submission (no ipywidgets, so the ``cirkel`` command can use it);
# its names stay importable here, beside the button
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
        self._out.add_class("cirkel-submit-outcome")
        self.button.on_click(lambda _button: self.submit())
        self.points = GradingWait(self.notebook_dir)  # "Rättas …", then the points (on the hub)
        self.children = [self._intro, self.button, self._out, self.points]
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
            self._failed(str(exc))
            return None
        except Exception:  # never show a learner a traceback
            self._failed(t("submit.failed", reason=t("submit.unknown_reason")))
            return None
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
        self.points.follow(self._last)  # after a hand-in or a reload: the points shown, or still coming

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
