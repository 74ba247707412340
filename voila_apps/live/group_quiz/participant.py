"""A participant's phone: join, the question with big options, "Svara", then the spread."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Int, Unicode, validate

from grading.circles.group_quiz import (
    GroupQuizError,
    Snapshot,
    answer,
    join,
    join_by_code,
    open_sessions,
    session_state,
    snapshot,
)
from voila_apps.live.group_quiz.live_view import LiveView, button
from voila_apps.live.group_quiz.markup import (
    CSS,
    STYLE,
    explanation_html,
    option_label,
    question_html,
    spread_html,
    status_html,
)
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui

# -- a participant's phone ------------------------------------------------------------------------------


class GroupQuizParticipant(LiveView):
    """A participant's phone: the current question, big options, "Svara"; then the spread and the explanation.

    Parameters
    ----------
    run_dir
        The course run.
    person
        The viewer (hub username): a learner, or a guest ``gast-...``.
    display_name
        The name the others see on the big screen.
    circles
        The circles the person belongs to: their open session is joined by itself.
    session_id
        A session to join at once (a guest's, or one named by the page).
    """

    session_id = Int(None, allow_none=True, help="The session this device is in; None while there is none.")
    phase = Unicode("", help="The session's phase as last shown on this device.")
    question_index = Int(-1, help="The question shown (0-based); -1 before the first.")
    status = Unicode("", help="A message to the participant, announced to screen readers.")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        person: str,
        display_name: str,
        *,
        circles: Sequence[str] = (),
        session_id: int | None = None,
        poll: bool = True,
        poll_interval: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.person = person
        self.display_name = display_name
        self.circles = tuple(circles)
        self.add_class(CSS)
        self.add_class(f"{CSS}-participant")
        self.heading = ui.HTML()
        self.question = ui.HTML()
        self.choices = ui.VBox(layout=ui.layout(width="100%"))
        self.choices.add_class(f"{CSS}-options")
        self.radio: ipw.RadioButtons | None = None
        self.boxes: list[ipw.Checkbox] = []
        self.answer_button = button("groupquiz.answer", "primary")
        self.answer_button.on_click(lambda _b: self.submit())
        self.result = ui.live(ui.HTML())
        self.status_box = ui.live(ui.HTML(status_html("")))
        self.status_alert = ui.live(ui.HTML(status_html("", error=True)), alert=True)  # a refusal interrupts
        # joining: a picker among several open sessions, or a code
        self.session_picker = ui.Dropdown(
            description=t("groupquiz.pick_session"),
            options=[],
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="26rem"),
        )
        self.pick_button = button("groupquiz.join")
        self.pick_button.on_click(lambda _b: self.join_session(self.session_picker.value))
        self.code = ui.Text(
            description=t("groupquiz.code_field"),
            continuous_update=False,  # read by the button: see widgets/kit/controls.py on Text
            placeholder="ABC123",
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="20rem"),
        )
        self.code_button = button("groupquiz.join_code")
        self.code_button.on_click(lambda _b: self.join_code(self.code.value))
        self.picker_row = ui.HBox([self.session_picker, self.pick_button])
        self.code_row = ui.HBox([self.code, self.code_button])
        for row in (self.picker_row, self.code_row):
            row.add_class(f"{CSS}-row")
        self.children = [
            ui.HTML(STYLE),
            self.heading,
            self.question,
            self.choices,
            self.answer_button,
            self.status_box,
            self.status_alert,
            self.result,
            self.picker_row,
            self.code_row,
        ]
        if session_id is not None:
            self.join_session(session_id)
        else:
            self._look_for_session()
        self._start(poll_interval, poll)

    @validate("status")
    def _one_line(self, proposal: dict[str, Any]) -> str:
        return " ".join(str(proposal["value"]).split())

    def _on_status(self, error: bool = False) -> None:
        self.status_box.value = status_html("" if error else self.status)
        self.status_alert.value = status_html(self.status if error else "", error=True)

    # -- joining -------------------------------------------------------------------------
    def _look_for_session(self) -> None:
        found = open_sessions(self.run_dir, self.circles, person=self.person)
        if len(found) == 1:
            self.join_session(found[0].session_id)
            return
        self._show_lobby(found)

    def _show_lobby(self, found: Sequence[Any]) -> None:
        self.phase = ""
        self.heading.value = f"<h2>{_e(t('groupquiz.participant_title'))}</h2>"
        self.question.value = f"<p>{_e(t('groupquiz.none_open' if not found else 'groupquiz.several_open'))}</p>"
        self.session_picker.options = [(f"{s.title} ({s.circle_id})", s.session_id) for s in found]
        self._display(self.picker_row, bool(found))
        self._display(self.code_row, True)
        self._display(self.answer_button, False)
        self._set_choices(None)
        self.result.value = ""

    def join_session(self, session_id: int | None) -> bool:
        """Join a session (of the person's circle, or the guest's own) and show it."""
        if session_id is None:
            self._set_status(t("groupquiz.error.pick"), error=True)
            return False
        try:
            join(self.run_dir, int(session_id), self.person, self.display_name, circles=self.circles)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            return False
        self.session_id = int(session_id)
        self._display(self.picker_row, False)
        self._display(self.code_row, False)
        self._show(snapshot(self.run_dir, self.session_id, self.person))
        return True

    def join_code(self, code: str) -> bool:
        """Join by the code on the big screen; a wrong, expired or other circle's code is refused plainly."""
        try:
            info = join_by_code(self.run_dir, code, self.person, self.circles, self.display_name)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            return False
        self.code.value = ""
        return self.join_session(info.session_id)

    # -- answering ---------------------------------------------------------------------------
    def chosen(self) -> list[int]:
        """The option indices selected on this device now."""
        if self.radio is not None:
            return [] if self.radio.value is None else [int(self.radio.value)]
        return [i for i, box in enumerate(self.boxes) if box.value]

    def choose(self, indices: Sequence[int]) -> None:
        """Select options as a tap would (tests and the keyboard use the same path)."""
        if self.radio is not None:
            self.radio.value = int(indices[0]) if indices else None
        for i, box in enumerate(self.boxes):
            box.value = i in set(indices)

    def submit(self) -> bool:
        """Save the selection as this person's answer ("Svara"); a refusal is said plainly."""
        if self.session_id is None or self.snap is None or self.snap.question is None:
            return False
        picked = self.chosen()
        if not picked:
            self._set_status(t("groupquiz.error.choose"), error=True)
            return False
        try:
            saved = answer(self.run_dir, self.session_id, self.person, self.snap.question.question_id, picked)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            self.refresh()
            return False
        self._set_status(self._saved_text(saved))
        return True

    def _saved_text(self, chosen: Sequence[int]) -> str:
        assert self.snap is not None and self.snap.question is not None
        text = "; ".join(option_label(i, self.snap.question.options[i]) for i in chosen)
        return t("groupquiz.saved", answer=text)

    # -- showing ---------------------------------------------------------------------------------
    snap: Snapshot | None = None

    def refresh(self) -> None:
        """Redraw when the leader moved the session on (others' answers do not disturb a choice in progress)."""
        if self.session_id is None:
            found = open_sessions(self.run_dir, self.circles, person=self.person)
            if len(found) == 1:
                self.join_session(found[0].session_id)
            elif [s.session_id for s in found] != [v for _l, v in self.session_picker.options]:
                self._show_lobby(found)
            return
        _version, phase, index = session_state(self.run_dir, self.session_id)
        if (phase, index) != (self.phase, self.question_index):
            self._show(snapshot(self.run_dir, self.session_id, self.person))

    def _show(self, snap: Snapshot) -> None:
        shown_before = self.snap.question.question_id if self.snap is not None and self.snap.question else None
        new_question = snap.question is not None and snap.question.question_id != shown_before
        self.snap = snap
        self.phase = snap.phase
        self.question_index = snap.index if snap.phase not in ("waiting",) else -1
        you = t("groupquiz.you_are", name=self.display_name)
        self.heading.value = f"<h2>{_e(t('groupquiz.screen_title', title=snap.session.title))}</h2><p>{_e(you)}</p>"
        self.result.value = ""
        if snap.phase == "waiting":
            self.question.value = f"<p>{_e(t('groupquiz.wait_first'))}</p>"
            self._set_choices(None)
            self._display(self.answer_button, False)
            self._set_status("")
            return
        if snap.phase == "ended" or snap.question is None:
            self.question.value = f"<p>{_e(t('groupquiz.ended_participant'))}</p>"
            self._set_choices(None)
            self._display(self.answer_button, False)
            self._set_status("")
            return
        self.question.value = question_html(snap, with_options=False)
        if new_question or (self.radio is None and not self.boxes):
            self._set_choices(snap)
        if snap.mine is not None:
            self.choose(snap.mine)
        answering = snap.phase == "answering"
        self._enable_choices(answering)
        self._display(self.answer_button, answering)
        if answering:
            self._set_status(self._saved_text(snap.mine) if snap.mine else "")
            return
        mine = (
            t("groupquiz.your_answer", answer="; ".join(option_label(i, snap.question.options[i]) for i in snap.mine))
            if snap.mine
            else t("groupquiz.no_answer")
        )
        self._set_status(t("groupquiz.closed", mine=mine))
        self.result.value = spread_html(snap.question.options, snap.spread or (), snap.correct) + explanation_html(snap)

    def _set_choices(self, snap: Snapshot | None) -> None:
        self.radio = None
        self.boxes = []
        if snap is None or snap.question is None:
            self.choices.children = []
            return
        options = snap.question.options
        if snap.question.type == "single":
            self.radio = ui.RadioButtons(
                options=[(option_label(i, text), i) for i, text in enumerate(options)],
                value=None,
                layout=ui.layout(width="100%"),
            )
            hint = t("groupquiz.choose_one")
            controls: list[ipw.Widget] = [self.radio]
        else:
            self.boxes = [
                ui.Checkbox(
                    value=False, description=option_label(i, text), indent=False, layout=ui.layout(width="100%")
                )
                for i, text in enumerate(options)
            ]
            hint = t("groupquiz.choose_many")
            controls = list(self.boxes)
        # several answers: the box is a group named by the question; one: the radios are the group
        if snap.question.type == "single":
            self.choices.remove_class("cirkel-choice-group")
        else:
            ui.choice_group(self.choices)
        self.choices.children = [ui.HTML(f'<p class="{CSS}-hint">{_e(hint)}</p>'), *controls]

    def _enable_choices(self, enabled: bool) -> None:
        if self.radio is not None:
            self.radio.disabled = not enabled
        for box in self.boxes:
            box.disabled = not enabled

    def _set_status(self, text: str, *, error: bool = False) -> None:
        """Say ``text`` politely, or (``error``) as an alert that interrupts; ``status`` holds it either way."""
        self.status = text
        self._on_status(error)

    @staticmethod
    def _display(widget: ipw.Widget, shown: bool) -> None:
        ui.show(widget, shown)
