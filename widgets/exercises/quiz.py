"""MeetingRoleQuiz: questions with immediate feedback, a retry rule and a score.

The questions are data (a YAML bank beside the module, see ``_quiz_bank``);
this module is only the learner's view of them. Every choice, try and result
is saved to the answer store as it happens, and a rebuilt quiz (page reload,
new kernel, autograde) shows exactly where the learner was.

The buttons call public methods (``choose``, ``submit_answer``, ``retry``) so
that tests, and a kernel with no display, drive the quiz exactly as a learner
does.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Float, Int

from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise, Unavailable
from widgets.kit.points import on_scale, points_trait
from widgets.models.answer_keys import KeysUnavailable
from widgets.models.quiz_bank import Bank, Question, QuestionState, load_bank, parse_bank, question_state, score_answers
from widgets.storage.answers import AnswerStore, UnreadableAnswer

__all__ = ["MeetingRoleQuiz", "Bank", "Question", "load_bank", "score_answers", "format_points"]


def format_points(value: float) -> str:
    """Points as a person writes them: ``7,5`` in Swedish, no trailing zeros."""
    return format_number(value, decimals=2)


class _QuestionView:
    """The controls of one question; ``show`` makes them match a ``QuestionState``."""

    def __init__(self, quiz: MeetingRoleQuiz, number: int, question: Question):
        self.quiz = quiz
        self.question = question
        total = len(quiz.bank.questions)
        hint = t("quiz.choose_one") if question.type == "single" else t("quiz.choose_many")
        # One HTML for the number, the question and the hint: each widget is a model the page waits for.
        self.heading = ui.HTML(
            f'<h4 class="cirkel-quiz-number">{html.escape(t("quiz.question_number", number=number, total=total))}</h4>'
            f'<p class="cirkel-quiz-text {ui.LEGEND_CLASS}">{html.escape(question.text)}</p>'
            f'<p class="cirkel-quiz-hint">{html.escape(hint)}</p>'
        )
        self.radio: ipw.RadioButtons | None = None
        self.boxes: list[ipw.Checkbox] = []
        if question.type == "single":
            self.radio = ui.RadioButtons(
                options=[(option.text, i) for i, option in enumerate(question.options)],
                value=None,
                layout=ui.layout(width="auto"),
            )
            self.radio.observe(self._radio_changed, "value")
            choices: ipw.Widget = self.radio
        else:
            self.boxes = [
                ui.Checkbox(value=False, description=option.text, indent=False, layout=ui.layout(width="auto"))
                for option in question.options
            ]
            for box in self.boxes:
                box.observe(self._box_changed, "value")
            choices = ui.choice_group(ui.VBox(self.boxes))
        choices.add_class("cirkel-quiz-options")
        self.answer_button = ui.Button(description=t("quiz.answer"), button_style="primary")
        self.answer_button.on_click(lambda _b: quiz._answer_clicked(question.id))
        self.retry_button = ui.Button(description=t("quiz.retry"))
        self.retry_button.on_click(lambda _b: quiz._retry_clicked(question.id))
        self.feedback = ui.live(ui.HTML())  # one region for the question's results, there from the start
        # "Svara" and "Försök igen" are never shown together, so they need no row of their own.
        self.box = ui.VBox([self.heading, choices, self.answer_button, self.retry_button, self.feedback])
        self.box.add_class("cirkel-quiz-question")
        self._syncing = False

    # -- learner input -------------------------------------------------------
    def _radio_changed(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.quiz._choice_changed(self.question.id, [] if change["new"] is None else [change["new"]])

    def _box_changed(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self.quiz._choice_changed(self.question.id, [i for i, box in enumerate(self.boxes) if box.value])

    # -- showing state -------------------------------------------------------
    def show(self, state: QuestionState, note: str = "") -> None:
        locked = state.phase != "open"
        self._syncing = True
        try:
            if self.radio is not None:
                self.radio.value = state.chosen[0] if state.chosen else None
                self.radio.disabled = locked
            for i, box in enumerate(self.boxes):
                box.value = i in state.chosen
                box.disabled = locked
        finally:
            self._syncing = False
        ui.show(self.answer_button, state.phase == "open")
        ui.show(self.retry_button, state.phase == "retry")
        self.feedback.value = self._feedback_html(state, note)

    def _feedback_html(self, state: QuestionState, note: str) -> str:
        question, bank = self.question, self.quiz.bank
        lines: list[tuple[str, str]] = []
        if state.phase == "open":
            if note:
                lines.append(("cirkel-quiz-note", note))
        elif state.phase == "right":
            if state.credit >= 1:
                lines.append(("cirkel-quiz-right", t("quiz.right")))
            else:
                lines.append(
                    (
                        "cirkel-quiz-right",
                        t(
                            "quiz.right_on_retry",
                            try_number=len(state.tries),
                            points=format_points(self.quiz.shown_points(state.credit)),
                        ),
                    )
                )
        elif state.phase == "retry":
            left = bank.attempts - len(state.tries)
            lines.append(("cirkel-quiz-wrong", t("quiz.wrong_try_again", left=left)))
        else:
            right = "; ".join(question.options[i].text for i in sorted(question.correct))
            lines.append(("cirkel-quiz-wrong", t("quiz.wrong_locked")))
            lines.append(("cirkel-quiz-answer", t("quiz.right_answer", answer=right)))
        if state.phase != "open":
            lines.append(("cirkel-quiz-explanation", t("quiz.explanation", text=question.explanation)))
        if not lines:
            return ""
        return "".join(f'<p class="{cls}">{html.escape(text)}</p>' for cls, text in lines)


class MeetingRoleQuiz(Exercise):
    """A quiz from a question bank, with tries, retry credit, a score and autosave.

    Parameters
    ----------
    bank
        A validated ``Bank`` or a dict in the bank format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "quiz"

    score = Float(0.0, read_only=True, help="Points earned so far (0 to max_score).")
    max_score = Float(0.0, read_only=True, help="Points available: one per question.")
    points = points_trait()
    answered = Int(0, read_only=True, help="Questions finished: answered right, or with no tries left.")

    def __init__(
        self, bank: Bank | dict[str, Any], exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ):
        self.bank = bank if isinstance(bank, Bank) else parse_bank(bank)
        self._saved: dict[str, dict[str, Any]] = {}
        self._views: dict[str, _QuestionView] = {}
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> MeetingRoleQuiz | Unavailable:
        """A quiz from a bank file, relative to the working directory (the notebook's folder).

        A learner copy whose answer key this server cannot reach gives a plain
        message instead (``Unavailable``), never a traceback.
        """
        try:
            bank = load_bank(path)
        except KeysUnavailable as missing:
            return Unavailable(exercise_id, missing)
        return cls(bank, exercise_id=exercise_id, store=store, **kwargs)

    # -- public, UI-independent actions ---------------------------------------
    def state(self, question_id: str) -> QuestionState:
        """Where the learner stands on one question."""
        return question_state(self.bank, self._question(question_id), self._saved.get(question_id))

    def choose(self, question_id: str, option_indices: list[int] | tuple[int, ...]) -> None:
        """Select options (replacing the current selection) and save."""
        question = self._question(question_id)
        if self.state(question_id).phase != "open":
            raise ValueError(t("quiz.not_open"))
        chosen = sorted(set(option_indices))
        if any(not isinstance(i, int) or not 0 <= i < len(question.options) for i in chosen):
            raise ValueError(t("quiz.bad_option"))
        if question.type == "single" and len(chosen) > 1:
            raise ValueError(t("quiz.only_one"))
        self._entry(question_id)["chosen"] = chosen
        self.save()
        self._show(question_id)

    def submit_answer(self, question_id: str) -> bool:
        """Check the current selection, use one try, save; ``True`` if it was right."""
        question = self._question(question_id)
        state = self.state(question_id)
        if state.phase != "open":
            raise ValueError(t("quiz.not_open"))
        if not state.chosen:
            raise ValueError(t("quiz.choose_first"))
        entry = self._entry(question_id)
        entry["tries"] = [list(c) for c in state.tries] + [list(state.chosen)]
        entry["retrying"] = False
        self.save()
        self._refresh_totals()
        self._show(question_id)
        return question.is_right(state.chosen)

    def retry(self, question_id: str) -> None:
        """After a wrong answer with tries left: clear the selection and open the question again."""
        if self.state(question_id).phase != "retry":
            raise ValueError(t("quiz.no_retry"))
        entry = self._entry(question_id)
        entry["retrying"] = True
        entry["chosen"] = []
        self.save()
        self._show(question_id)

    # -- Exercise --------------------------------------------------------------
    def _build(self) -> None:
        self.set_trait("max_score", self.bank.max_score)
        header = f'<h3 class="cirkel-quiz-title">{html.escape(self.bank.title)}</h3>'
        if self.bank.source:
            source = ", ".join(self.bank.source[k] for k in ("part", "section") if k in self.bank.source)
            header += f'<p class="cirkel-source">{html.escape(t("quiz.source", source=source))}</p>'
        if self.points is not None:  # the gradebook's scale: the whole quiz is worth ``points``
            worth = {"points": format_points(self.points), "each": format_points(self.shown_points(1.0))}
            if self.bank.attempts == 1:
                rule = t("quiz.rule_one_scaled", **worth)
            else:
                credit = format_points(self.shown_points(self.bank.retry_credit))
                rule = t("quiz.rule_scaled", attempts=self.bank.attempts, credit=credit, **worth)
        elif self.bank.attempts == 1:
            rule = t("quiz.rule_one")
        else:
            rule = t("quiz.rule", attempts=self.bank.attempts, credit=format_points(self.bank.retry_credit))
        header += f'<p class="cirkel-quiz-rule">{html.escape(rule)}</p>'
        self._score_line = ui.live(ui.HTML())
        self._score_line.add_class("cirkel-quiz-score")
        for number, question in enumerate(self.bank.questions, start=1):
            self._views[question.id] = _QuestionView(self, number, question)
        self.children = [
            ui.HTML(header),
            self._status_box,
            *(view.box for view in self._views.values()),
            self._score_line,
        ]
        self._show_all()

    def answers(self) -> dict[str, Any]:
        return {"questions": {qid: dict(entry) for qid, entry in self._saved.items()}}

    def set_answers(self, data: dict[str, Any]) -> None:
        saved = data.get("questions")
        self._saved = {}
        if isinstance(saved, dict):
            for question in self.bank.questions:
                if question.id in saved:
                    state = question_state(self.bank, question, saved[question.id])
                    self._saved[question.id] = {
                        "chosen": list(state.chosen),
                        "tries": [list(c) for c in state.tries],
                        "retrying": state.phase == "open" and bool(state.tries),
                    }
        self._show_all()

    def save(self) -> None:
        """Save, first taking in questions answered elsewhere since this page was built.

        A group quiz in the study circle credits its answers into this same file
        (``grading.circles.group_quiz.credit_answers``); a page opened before that
        must not write its older picture over them.
        """
        if not self._restoring:
            self._take_in_answers_from_elsewhere()
        super().save()

    def _take_in_answers_from_elsewhere(self) -> None:
        try:
            saved = self.store.load(self.exercise_id, kind=self.kind, keep_aside=False)
        except (UnreadableAnswer, OSError):
            return  # the base class says so when it matters; a damaged file is never read here
        questions = saved.data.get("questions") if saved is not None and isinstance(saved.data, dict) else None
        if not isinstance(questions, dict):
            return
        taken = False
        for question in self.bank.questions:
            mine = self._saved.get(question.id) or {}
            if mine.get("tries") or question.id not in questions:
                continue
            state = question_state(self.bank, question, questions[question.id])
            if state.tries:
                self._saved[question.id] = {
                    "chosen": list(state.chosen),
                    "tries": [list(c) for c in state.tries],
                    "retrying": state.phase == "open",
                }
                taken = True
        if taken:
            self._show_all()

    # -- internals ---------------------------------------------------------------
    def _question(self, question_id: str) -> Question:
        try:
            return self.bank.question(question_id)
        except KeyError:
            raise ValueError(t("quiz.unknown_question", id=question_id)) from None

    def _entry(self, question_id: str) -> dict[str, Any]:
        return self._saved.setdefault(question_id, {"chosen": [], "tries": [], "retrying": False})

    def _choice_changed(self, question_id: str, chosen: list[int]) -> None:
        if self.state(question_id).phase == "open":
            self.choose(question_id, chosen)

    def _answer_clicked(self, question_id: str) -> None:
        state = self.state(question_id)
        if state.phase != "open":
            return
        if not state.chosen:
            self._show(question_id, note=t("quiz.choose_first"))
            return
        self.submit_answer(question_id)
        view = self._views[question_id]
        # "Svara" is hidden now: the keyboard user goes on from "Försök igen", or reads the result
        ui.focus(view.retry_button if self.state(question_id).phase == "retry" else view.feedback)

    def _retry_clicked(self, question_id: str) -> None:
        if self.state(question_id).phase == "retry":
            self.retry(question_id)
            view = self._views[question_id]
            ui.focus(view.radio if view.radio is not None else view.boxes[0])

    def _show(self, question_id: str, note: str = "") -> None:
        self._views[question_id].show(self.state(question_id), note)

    def shown_points(self, value: float) -> float:
        """``value`` of the quiz's own points on the gradebook's scale (``points``), as the learner reads it."""
        return on_scale(value, self.max_score, self.points)

    def _show_all(self) -> None:
        for question_id in self._views:
            self._show(question_id)
        self._refresh_totals()

    def _refresh_totals(self) -> None:
        self.set_trait("score", score_answers(self.bank, self.answers()))
        self.set_trait("answered", sum(self.state(q.id).done for q in self.bank.questions))
        total = len(self.bank.questions)
        most = self.max_score if self.points is None else self.points
        score = t("quiz.score", score=format_points(self.shown_points(self.score)), max=format_points(most))
        progress = t("quiz.progress", answered=self.answered, total=total)
        self._score_line.value = (
            f'<p class="cirkel-quiz-points">{html.escape(score)}</p>'
            f'<p class="cirkel-quiz-progress">{html.escape(progress)}</p>'
        )
