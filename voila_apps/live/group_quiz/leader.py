"""The cirkelledare's controls: choose circle and quiz, start, step through, end; past results."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from traitlets import Int, Unicode

from grading.circles.group_quiz import (
    GroupQuizError,
    Snapshot,
    circle_results,
    end_session,
    next_question,
    open_session,
    open_sessions,
    quiz_exercises,
    reveal,
    session_info,
    session_state,
    show_spread,
    snapshot,
)
from voila_apps.live.group_quiz.live_view import LiveView, button
from voila_apps.live.group_quiz.markup import (
    CSS,
    STYLE,
    explanation_html,
    names_html,
    question_html,
    results_html,
    screen_link,
    spread_html,
    status_html,
)
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui

# -- the cirkelledare's controls -----------------------------------------------------------------------


class GroupQuizLeader(LiveView):
    """The cirkelledare's controls: choose circle and quiz, start, step through, end; the circle's results.

    Parameters
    ----------
    run_dir
        The course run.
    viewer
        The leader (hub username), recorded as the session's opener.
    circles
        The circles this person may lead a session in (``context.led_circles()``).
    session_id
        A session to take up at once (the page's ``session`` parameter).
    """

    session_id = Int(None, allow_none=True, help="The session being led; None before one is started.")
    version = Int(0, help="The session's change counter as last drawn.")
    message = Unicode("", help="The latest message to the leader (a refused step, a started session).")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        viewer: str,
        circles: Sequence[Any],
        *,
        session_id: int | None = None,
        poll: bool = True,
        poll_interval: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.viewer = viewer
        self.add_class(CSS)
        self.add_class(f"{CSS}-leader")
        self.circle_picker = ui.Dropdown(
            description=t("groupquiz.circle"),
            options=[(c.name, c.circle_id) for c in circles],
            value=circles[0].circle_id if circles else None,
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="30rem"),
        )
        self.quizzes = quiz_exercises(self.run_dir)
        self.quiz_picker = ui.Dropdown(
            description=t("groupquiz.quiz"),
            options=[(f"{q.module_title}: {q.title}", f"{q.module}/{q.exercise_id}") for q in self.quizzes],
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="40rem"),
        )
        self.counts_box = ui.Checkbox(
            value=True, description=t("groupquiz.counts"), indent=False, layout=ui.layout(width="auto")
        )
        self.start_button = button("groupquiz.start", "primary")
        self.start_button.on_click(lambda _b: self.start())
        self.setup = ui.VBox([self.circle_picker, self.quiz_picker, self.counts_box, self.start_button])
        self.board = ui.HTML()
        self.spread_button = button("groupquiz.show_spread")
        self.spread_button.on_click(lambda _b: self._step(show_spread))
        self.reveal_button = button("groupquiz.reveal")
        self.reveal_button.on_click(lambda _b: self._step(reveal))
        self.next_button = button("groupquiz.next", "primary")
        self.next_button.on_click(lambda _b: self._step(self._next))
        self.end_button = button("groupquiz.end", "danger")
        self.end_button.on_click(lambda _b: self._step(end_session))
        self.steps = ui.HBox([self.spread_button, self.reveal_button, self.next_button, self.end_button])
        self.steps.add_class(f"{CSS}-row")
        self.message_box = ui.live(ui.HTML(status_html("")))
        self.message_alert = ui.live(ui.HTML(status_html("", error=True)), alert=True)  # a refusal interrupts
        self.results = ui.HTML()
        self.children = [
            ui.HTML(STYLE),
            ui.HTML(f"<h2>{_e(t('groupquiz.leader_title'))}</h2>"),
            self.setup,
            self.board,
            self.steps,
            self.message_box,
            self.message_alert,
            self.results,
        ]
        self.circle_picker.observe(lambda _c: self._circle_chosen(), "value")
        if session_id is not None:
            info = session_info(self.run_dir, session_id)
            if info.circle_id in [c.circle_id for c in circles]:
                self.circle_picker.value = info.circle_id
            self._take_up(info.session_id if info.phase != "ended" else None)
        else:
            self._circle_chosen()
        self._start(poll_interval, poll)

    # -- state ------------------------------------------------------------------------------
    def _circle_chosen(self) -> None:
        circle = self.circle_picker.value
        found = open_sessions(self.run_dir, [circle], person=self.viewer) if circle else []
        self._take_up(found[0].session_id if found else None)

    def _take_up(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.version = 0
        if session_id is None:
            self._draw(None)
        else:
            self._draw(snapshot(self.run_dir, session_id))

    def _draw(self, snap: Snapshot | None) -> None:
        circle = self.circle_picker.value
        self.results.value = results_html(circle_results(self.run_dir, circle)) if circle else ""
        if snap is None or snap.phase == "ended":
            self.session_id = None
            self.board.value = ""
            ui.show(self.setup)
            ui.show(self.steps, False)
            self.start_button.disabled = not (circle and self.quiz_picker.value)
            return
        self.version = snap.version
        ui.show(self.setup, False)
        ui.show(self.steps)
        info = snap.session
        link = screen_link(info.session_id)
        parts = [f"<p>{_e(t('groupquiz.leader_session', title=info.title))}</p>"]
        if info.code_open():
            parts.append(f'<p>{_e(t("groupquiz.leader_code"))} <strong class="{CSS}-code">{_e(info.code)}</strong></p>')
        parts.append(
            f'<p class="{CSS}-screen-link"><a href="{_e(link)}" target="_blank" rel="noopener">'
            f"{_e(t('groupquiz.screen_link'))}</a></p>"
        )
        phase_text = (
            t("groupquiz.phase.waiting", count=len(snap.participants))
            if snap.phase == "waiting"
            else t(
                f"groupquiz.phase.{snap.phase}",
                number=snap.index + 1,
                total=snap.total,
                answered=snap.answered_count,
                count=len(snap.participants),
            )
        )
        parts.append(f'<p class="{CSS}-phase">{_e(phase_text)}</p>')
        if snap.question is not None:
            parts.append(question_html(snap, with_options=True))
        if snap.phase == "answering":
            answered = [p.display_name for p in snap.participants if p.answered]
            if answered:
                parts.append(f"<p>{_e(t('groupquiz.has_answered'))}</p>" + names_html(answered, f"{CSS}-answered"))
        elif snap.spread is not None and snap.question is not None:
            parts.append(spread_html(snap.question.options, snap.spread, snap.correct) + explanation_html(snap))
        self.board.value = "".join(parts)
        phase = snap.phase
        self.spread_button.disabled = phase != "answering"
        self.reveal_button.disabled = phase not in ("answering", "spread")
        self.next_button.disabled = phase == "ended" or (phase != "waiting" and snap.is_last)
        self.next_button.description = t("groupquiz.first" if phase == "waiting" else "groupquiz.next")
        self._snap = snap

    _snap: Snapshot | None = None

    def refresh(self) -> None:
        if self.session_id is None:
            circle = self.circle_picker.value
            found = open_sessions(self.run_dir, [circle], person=self.viewer) if circle else []
            if found:
                self._take_up(found[0].session_id)
            return
        version, _phase, _index = session_state(self.run_dir, self.session_id)
        if version != self.version:
            self._draw(snapshot(self.run_dir, self.session_id))

    # -- the leader's steps -------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message = text
        self.message_box.value = status_html(text)
        self.message_alert.value = status_html("", error=True)

    def _refuse(self, text: str) -> None:
        """Say ``text`` at once (an alert) and move the keyboard to it."""
        self.message = text
        self.message_box.value = status_html("")
        self.message_alert.value = status_html(text, error=True)
        ui.focus(self.message_alert)

    def _focus_next_step(self) -> None:
        """Focus the step the leader takes next (the first one enabled), or the message when none is."""
        steps = [self.spread_button, self.reveal_button, self.next_button, self.end_button]
        target = next((b for b in steps if not b.disabled), None) if ui.shown(self.steps) else None
        ui.focus(target if target is not None else self.message_box)

    def start(self) -> int | None:
        """Open a session of the chosen quiz for the chosen circle ("Starta")."""
        if not self.circle_picker.value or not self.quiz_picker.value:
            self._refuse(t("groupquiz.error.pick_quiz"))
            return None
        module, exercise_id = str(self.quiz_picker.value).split("/", 1)
        try:
            session_id = open_session(
                self.run_dir,
                self.circle_picker.value,
                module,
                exercise_id,
                self.viewer,
                counts=bool(self.counts_box.value),
            )
        except GroupQuizError as problem:
            self._refuse(str(problem))
            self._circle_chosen()
            return None
        self._take_up(session_id)
        self._say(t("groupquiz.started"))
        self._focus_next_step()  # the setup is hidden: "Första frågan"
        return session_id

    def _next(self, run_dir: Path, session_id: int) -> Any:
        expected = self._snap.index if self._snap is not None and self._snap.phase != "waiting" else None
        return next_question(run_dir, session_id, expected_index=expected)

    def _step(self, action: Any) -> bool:
        if self.session_id is None:
            return False
        try:
            action(self.run_dir, self.session_id)
        except GroupQuizError as problem:
            self._refuse(str(problem))
            return False
        snap = snapshot(self.run_dir, self.session_id)
        self._say(t("groupquiz.ended_leader") if snap.phase == "ended" else "")
        self._draw(snap)
        self._focus_next_step()  # the clicked step is often disabled now; after "Avsluta", the message
        return True

    def show_spread(self) -> bool:
        """ "Visa svaren": close the question and show the spread on every screen."""
        return self._step(show_spread)

    def reveal(self) -> bool:
        """ "Visa förklaringen": the right answer and the explanation on every screen."""
        return self._step(reveal)

    def next(self) -> bool:
        """ "Nästa fråga" (or the first one)."""
        return self._step(self._next)

    def end(self) -> bool:
        """ "Avsluta": the session ends and its code expires."""
        return self._step(end_session)
