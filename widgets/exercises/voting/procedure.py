"""The exercise: every scenario's order and decision, graded, saved after each move and choice."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from traitlets import Float, Int

from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.exercises.voting.scenario_view import ScenarioView
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise, Unavailable
from widgets.kit.points import on_scale, points_trait
from widgets.models.answer_keys import KeysUnavailable
from widgets.models.voting import (
    Scenario,
    ScenarioAnswer,
    VotingBank,
    load_voting_bank,
    order_is_right,
    parse_voting_bank,
    scenario_answer,
    voting_score,
)
from widgets.storage.answers import AnswerStore


class VotingProcedure(Exercise):
    """Scenarios in leading a decision: the order of the questions and the result, graded.

    Parameters
    ----------
    bank
        A validated ``VotingBank`` or a dict in the scenario format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "voting"

    score = Float(0.0, read_only=True, help="Points earned (0 to max_score): order and decision per scenario.")
    max_score = Float(0.0, read_only=True, help="Two points per scenario.")
    points = points_trait()
    finished = Int(0, read_only=True, help="Scenarios whose order and decision are both checked.")

    def __init__(
        self, bank: VotingBank | dict[str, Any], exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ):
        self.bank = bank if isinstance(bank, VotingBank) else parse_voting_bank(bank)
        self._saved: dict[str, ScenarioAnswer] = {}
        self._views: dict[str, ScenarioView] = {}
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> VotingProcedure | Unavailable:
        """Scenarios from a file, relative to the working directory (the notebook's folder).

        A learner copy whose answer key this server cannot reach gives a plain
        message instead (``Unavailable``), never a traceback.
        """
        try:
            bank = load_voting_bank(path)
        except KeysUnavailable as missing:
            return Unavailable(exercise_id, missing)
        return cls(bank, exercise_id=exercise_id, store=store, **kwargs)

    # -- public, UI-independent actions -------------------------------------------------
    def answer(self, scenario_id: str) -> ScenarioAnswer:
        """The learner's current answer to one scenario."""
        scenario = self._scenario(scenario_id)
        return self._saved.get(scenario_id) or ScenarioAnswer(order=scenario.start_order())

    def order(self, scenario_id: str) -> list[str]:
        """The step ids in the learner's current order."""
        return list(self.answer(scenario_id).order)

    def move(self, scenario_id: str, step_id: str, delta: int) -> None:
        """Move a step up (``-1``) or down (``+1``) and save; nothing happens at either end."""
        answer = self.answer(scenario_id)
        if answer.order_checked:
            raise ValueError(t("voting.order_locked"))
        order = list(answer.order)
        if step_id not in order:
            raise ValueError(t("voting.unknown_step", id=step_id))
        index = order.index(step_id)
        target = index + delta
        if not 0 <= target < len(order):
            return
        order[index], order[target] = order[target], order[index]
        self._saved[scenario_id] = ScenarioAnswer(order=tuple(order))
        self.save()
        self._show(scenario_id)

    def check_order(self, scenario_id: str) -> bool:
        """Lock the order, show the right one with the reasons, save; ``True`` if it was right."""
        answer = self.answer(scenario_id)
        if answer.order_checked:
            raise ValueError(t("voting.order_locked"))
        self._saved[scenario_id] = ScenarioAnswer(order=answer.order, order_checked=True)
        self.save()
        self._refresh_totals()
        self._show(scenario_id)
        return order_is_right(self._scenario(scenario_id), answer.order)

    def choose_result(self, scenario_id: str, outcome_id: str) -> None:
        """Pick what the meeting decided (after the order is checked) and save."""
        scenario = self._scenario(scenario_id)
        answer = self.answer(scenario_id)
        if not answer.order_checked:
            raise ValueError(t("voting.order_first"))
        if answer.result_checked:
            raise ValueError(t("voting.result_locked"))
        if outcome_id not in dict(scenario.outcomes()):
            raise ValueError(t("voting.unknown_outcome", id=outcome_id))
        self._saved[scenario_id] = ScenarioAnswer(order=answer.order, order_checked=True, result=outcome_id)
        self.save()
        self._show(scenario_id)

    def check_result(self, scenario_id: str) -> bool:
        """Lock the decision, show the right one, save; ``True`` if it was right."""
        scenario = self._scenario(scenario_id)
        answer = self.answer(scenario_id)
        if not answer.order_checked:
            raise ValueError(t("voting.order_first"))
        if answer.result_checked:
            raise ValueError(t("voting.result_locked"))
        if not answer.result:
            raise ValueError(t("voting.choose_result"))
        self._saved[scenario_id] = ScenarioAnswer(answer.order, True, answer.result, True)
        self.save()
        self._refresh_totals()
        self._show(scenario_id)
        return answer.result == scenario.decision()

    # -- Exercise ---------------------------------------------------------------------------
    def _build(self) -> None:
        bank = self.bank
        self.set_trait("max_score", bank.max_score)
        header = f'<h3 class="cirkel-voting-title">{html.escape(bank.title)}</h3>'
        if bank.source:
            header += f'<p class="cirkel-source">{html.escape(t("voting.source", source=bank.source_text))}</p>'
        if bank.intro:
            header += f'<p class="cirkel-voting-intro">{html.escape(bank.intro)}</p>'
        self._score_line = ui.live(ui.HTML())
        self._score_line.add_class("cirkel-voting-score")
        for number, scenario in enumerate(bank.scenarios, start=1):
            self._views[scenario.id] = ScenarioView(self, number, scenario)
        self.children = [ui.HTML(header), self._status_box, *(v.box for v in self._views.values()), self._score_line]
        self._show_all()

    def answers(self) -> dict[str, Any]:
        return {"scenarios": {sid: answer.to_json() for sid, answer in self._saved.items()}}

    def set_answers(self, data: dict[str, Any]) -> None:
        saved = data.get("scenarios")
        self._saved = {}
        if isinstance(saved, dict):
            for scenario in self.bank.scenarios:
                if scenario.id in saved:
                    self._saved[scenario.id] = scenario_answer(scenario, saved[scenario.id])
        self._show_all()

    # -- internals ----------------------------------------------------------------------------
    def _scenario(self, scenario_id: str) -> Scenario:
        try:
            return self.bank.scenario(scenario_id)
        except KeyError:
            raise ValueError(t("voting.unknown_scenario", id=scenario_id)) from None

    def _move_clicked(self, scenario_id: str, step_id: str, delta: int) -> None:
        if self.answer(scenario_id).order_checked:
            return
        self.move(scenario_id, step_id, delta)
        row = self._views[scenario_id].rows[step_id]
        # Keep the keyboard user's place: focus follows the step that moved.
        button = row.up if (delta < 0 and not row.up.disabled) or row.down.disabled else row.down
        ui.focus(button)

    def _check_order_clicked(self, scenario_id: str) -> None:
        if not self.answer(scenario_id).order_checked:
            self.check_order(scenario_id)
            ui.focus(self._views[scenario_id].order_feedback)  # the button is gone: read the result

    def _check_result_clicked(self, scenario_id: str) -> None:
        answer = self.answer(scenario_id)
        if not answer.order_checked or answer.result_checked:
            return
        if not answer.result:
            self._show(scenario_id, result_note=t("voting.choose_result"))
            return
        self.check_result(scenario_id)
        ui.focus(self._views[scenario_id].result_feedback)

    def _show(self, scenario_id: str, note: str = "", result_note: str = "") -> None:
        self._views[scenario_id].show(self.answer(scenario_id), note, result_note)

    def _show_all(self) -> None:
        for scenario_id in self._views:
            self._show(scenario_id)
        self._refresh_totals()

    def _refresh_totals(self) -> None:
        self.set_trait("score", voting_score(self.bank, self.answers()))
        self.set_trait("finished", sum(a.result_checked for a in self._saved.values()))
        most = self.max_score if self.points is None else self.points
        shown = on_scale(self.score, self.max_score, self.points)
        score = t("voting.score", score=format_number(shown), max=format_number(most))
        progress = t("voting.progress", finished=self.finished, total=len(self.bank.scenarios))
        self._score_line.value = (
            f'<p class="cirkel-voting-points">{html.escape(score)}</p>'
            f'<p class="cirkel-voting-progress">{html.escape(progress)}</p>'
        )
