"""The base every exercise widget shares: restore from and save to the answer store.

A concrete exercise builds its controls in ``_build``, reports its answers as a
plain dict in ``answers`` and puts them back in ``set_answers``. The base class
restores on construction (page reload, new kernel, autograde), saves on every
change, and shows a plain message when a saved file could not be read.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from traitlets import Unicode, observe, validate

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.messages import Messages
from widgets.models.content import ContentError
from widgets.storage.answers import AnswerStore, AnswerTooLarge, UnreadableAnswer, validate_exercise_id

__all__ = ["Exercise", "Unavailable"]


class Exercise(ui.VBox):
    """An exercise whose answers live in ``svar/<exercise_id>.json``."""

    kind: ClassVar[str] = "exercise"

    exercise_id = Unicode(help="Unique within the module; names the answer file.")
    status = Unicode("", help="A plain message to the learner about their saved answers.")

    def __init__(self, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any):
        # refused before the widget exists: a half-built exercise would stay in the kernel's widgets
        validate_exercise_id(exercise_id)
        super().__init__(**kwargs)
        self.exercise_id = exercise_id
        self.store = store if store is not None else AnswerStore()
        self._restoring = False
        self._save_failed = False
        self._limit_shown = False  # the status says a text or the answers were too long
        self._last_saved: dict[str, Any] | None = None
        self._shows_saved = False  # the controls show answers from the store (restored or saved)
        # in the page before any message, so a screen reader hears each one: a problem with the
        # answers (not saved, too long, unreadable) interrupts; a notice (``_notice``) waits its turn
        self._status_box = Messages("cirkel-status", layout=ui.layout(margin="0.5em 0"))
        self._polite = False
        self.add_class("cirkel-exercise")
        self.add_class(f"cirkel-{self.kind}")
        self._build()
        self.restore()
        ui.report_refusals_to(self)  # a text field too long: said in this exercise's status

    @validate("exercise_id")
    def _valid_exercise_id(self, proposal: dict[str, Any]) -> str:
        return validate_exercise_id(proposal["value"])

    # -- to be provided by each exercise ---------------------------------
    def _build(self) -> None:
        """Create the controls and set ``self.children``."""
        raise NotImplementedError

    def answers(self) -> dict[str, Any]:
        """The learner's answers as JSON-ready data."""
        raise NotImplementedError

    def set_answers(self, data: dict[str, Any]) -> None:
        """Show saved answers in the controls (called during restore)."""
        raise NotImplementedError

    # -- shared behaviour --------------------------------------------------
    def restore(self) -> None:
        """Load saved answers, keeping a damaged file aside and saying so."""
        try:
            saved = self.store.load(self.exercise_id, kind=self.kind)
        except UnreadableAnswer as problem:
            self.status = str(problem)
            return
        except OSError as exc:  # e.g. no permission to read the folder: say so, never a traceback
            self.status = t("store.load_failed", reason=exc.strerror or str(exc))
            return
        if saved is None:
            return
        self._restoring = True
        try:
            self.set_answers(saved.data)
        finally:
            self._restoring = False
        self._shows_saved = True

    def reload(self) -> None:
        """Show the answers as the store has them now.

        For a kernel that was built before the learner asked for the page (a
        preheated Voilà kernel): answers changed elsewhere since are shown, and
        answers removed since (e.g. erased) are no longer shown.
        """
        self.status = ""
        shown_before = self._shows_saved
        self._shows_saved = False
        self.restore()
        if shown_before and not self._shows_saved and not self.status:
            self._restoring = True
            try:
                self._build()
                self.set_answers({})
            finally:
                self._restoring = False

    def save(self) -> None:
        """Write the current answers; called by every change handler."""
        if self._restoring:
            return
        answers = self.answers()
        try:
            self.store.save(self.exercise_id, self.kind, answers)
        except AnswerTooLarge as exc:  # nothing written: the answers saved before are kept
            self._show_limit(str(exc))
            return
        except OSError as exc:
            self._save_failed = True
            self.status = t("store.save_failed", reason=exc.strerror or str(exc))
            return
        self._shows_saved = True
        if self._save_failed:
            self._save_failed = False
            self._notice(t("store.saved_again"))
        elif self._limit_shown and answers != self._last_saved:
            # a refused field keeps (and saves again) the old text: the message stays until it changes
            self._limit_shown = False
            self.status = ""
        self._last_saved = answers

    def _show_limit(self, message: str) -> None:
        self._limit_shown = True
        self.status = message

    def _notice(self, text: str) -> None:
        """Set ``status`` to a notice that is no problem ("Sparat igen."): said politely, not as an alert."""
        self._polite = True
        try:
            self.status = text
        finally:
            self._polite = False

    @observe("status")
    def _show_status(self, change: dict[str, Any]) -> None:
        text = change["new"]
        if not text:
            self._status_box.clear()
            return
        shown = f'<p class="cirkel-status-text">{html.escape(text)}</p>'
        if self._polite:
            self._status_box.say(shown)
        else:
            self._status_box.error(shown)


class Unavailable(ui.HTML):
    """What a learner sees instead of an exercise this server cannot show, e.g. with no answer key at hand.

    A plain message where the exercise would be; the learner's saved answers are
    not touched. ``problem`` is the reason, for a course author's tools
    (``grading.course.solutions`` raises it).
    """

    def __init__(self, exercise_id: str, problem: ContentError, **kwargs: Any):
        text = t("keys.exercise_unavailable")
        super().__init__(value=f'<p class="cirkel-status-text">{html.escape(text)}</p>', **kwargs)
        ui.live(self)
        self.exercise_id = exercise_id
        self.problem = problem
        self.add_class("cirkel-exercise-unavailable")
