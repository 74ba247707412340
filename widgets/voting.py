"""VotingProcedure: put the chair's questions in the right order, then read the decision.

The scenarios are data (a YAML file, see ``_voting_model``). For each
scenario the learner orders the questions with "Upp"/"Ned" buttons (keyboard
operable, no drag and drop), checks the order, then reads the votes round by
round and says what the meeting decided. Feedback explains the right order.
Every move and choice is saved, and a rebuilt widget shows the same state.

Buttons call the public methods ``move``, ``check_order``, ``choose_result``
and ``check_result``, so tests and a kernel with no display drive it as a
learner does.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from traitlets import Float, Int

from . import _ui as ui
from ._answer_keys import KeysUnavailable
from ._exercise import Exercise, Unavailable
from ._numbers import format_number
from ._points import on_scale, points_trait
from ._voting_model import (
    COUNTER_STEP,
    NO,
    PROCEDURAL,
    YES,
    Round,
    Scenario,
    ScenarioAnswer,
    VotingBank,
    load_voting_bank,
    order_is_right,
    parse_voting_bank,
    quoted,
    scenario_answer,
    voting_score,
)
from .i18n import t
from .store import AnswerStore

__all__ = ["VotingProcedure", "VotingBank", "load_voting_bank"]

_WIDE = {"description_width": "initial"}


class _StepRow:
    """One question in the learner's order, with its move buttons."""

    def __init__(self, view: _ScenarioView, step_id: str, text: str):
        self.step_id = step_id
        self.text = text
        self.label = ui.HTML()
        self.label.add_class("cirkel-voting-step-text")
        self.up = ui.Button(description=t("voting.up"), layout=ui.layout(width="auto"))
        self.down = ui.Button(description=t("voting.down"), layout=ui.layout(width="auto"))
        self.up.add_class("cirkel-voting-up")
        self.down.add_class("cirkel-voting-down")
        self.up.on_click(lambda _b: view.widget._move_clicked(view.scenario.id, step_id, -1))
        self.down.on_click(lambda _b: view.widget._move_clicked(view.scenario.id, step_id, +1))
        self.box = ui.HBox([self.up, self.down, self.label])
        self.box.add_class("cirkel-voting-step")

    def show(self, position: int, total: int, locked: bool) -> None:
        self.label.value = (
            f'<p><span class="cirkel-voting-position">{html.escape(t("voting.position", number=position + 1))}</span> '
            f"{html.escape(self.text)}</p>"
        )
        self.up.disabled = locked or position == 0
        self.down.disabled = locked or position == total - 1
        self.up.tooltip = t("voting.up_tip", number=position + 1)
        self.down.tooltip = t("voting.down_tip", number=position + 1)


class _ScenarioView:
    """The controls of one scenario; ``show`` makes them match a ``ScenarioAnswer``."""

    def __init__(self, widget: VotingProcedure, number: int, scenario: Scenario):
        self.widget = widget
        self.scenario = scenario
        total = len(widget.bank.scenarios)
        proposals = "".join(
            f"<li><strong>{html.escape(t(f'voting.kind.{p.kind}'))}:</strong> {html.escape(p.text)}</li>"
            for p in scenario.proposals
        )
        parts = [
            f'<h4 class="cirkel-voting-number">{html.escape(t("voting.scenario_number", number=number, total=total))}'
            f" {html.escape(scenario.title)}</h4>",
            f'<p class="cirkel-voting-matter">{html.escape(t("voting.matter", matter=scenario.matter))}</p>',
        ]
        if scenario.situation:
            parts.append(f'<p class="cirkel-voting-situation">{html.escape(scenario.situation)}</p>')
        parts.append(f'<ul class="cirkel-voting-proposals">{proposals}</ul>')
        parts.append(f'<p class="cirkel-voting-task">{html.escape(t("voting.order_task"))}</p>')
        self.heading = ui.HTML("".join(parts))
        self.rows = {s.id: _StepRow(self, s.id, s.text) for s in scenario.steps()}
        self.order_box = ui.VBox()
        self.order_box.add_class("cirkel-voting-order")
        self.check_order_button = ui.Button(description=t("voting.check_order"), button_style="primary")
        self.check_order_button.add_class("cirkel-voting-check-order")
        self.check_order_button.on_click(lambda _b: widget._check_order_clicked(scenario.id))
        self.order_feedback = ui.live(ui.HTML())
        self.order_feedback.add_class("cirkel-voting-order-feedback")

        self.rounds = ui.HTML()
        self.rounds.add_class("cirkel-voting-rounds")
        # A list box, not radio buttons: the decisions are long and radio labels do not wrap on a phone.
        self.result = ui.Dropdown(
            options=[(t("voting.choose"), "")] + [(words, outcome) for outcome, words in scenario.outcomes()],
            value="",
            description=t("voting.result_label"),
            style=_WIDE,
            layout=ui.layout(width="auto"),  # stretches to the box; 100% plus the widget margin would overflow
        )
        self.result.add_class("cirkel-voting-result")
        self.result.observe(self._result_picked, "value")
        self.check_result_button = ui.Button(description=t("voting.check_result"), button_style="primary")
        self.check_result_button.add_class("cirkel-voting-check-result")
        self.check_result_button.on_click(lambda _b: widget._check_result_clicked(scenario.id))
        self.result_feedback = ui.live(ui.HTML())
        self.result_feedback.add_class("cirkel-voting-result-feedback")
        self.result_box = ui.VBox([self.rounds, self.result, self.check_result_button, self.result_feedback])
        self.box = ui.VBox(
            [self.heading, self.order_box, self.check_order_button, self.order_feedback, self.result_box]
        )
        self.box.add_class("cirkel-voting-scenario")
        self._syncing = False

    def _result_picked(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        answer = self.widget.answer(self.scenario.id)
        if answer.order_checked and not answer.result_checked and change["new"]:
            self.widget.choose_result(self.scenario.id, change["new"])
        else:
            self.show(answer)  # a stray or empty choice: show the saved one again

    # -- showing state ---------------------------------------------------------------
    def show(self, answer: ScenarioAnswer, note: str = "", result_note: str = "") -> None:
        total = len(answer.order)
        children = [self.rows[step_id].box for step_id in answer.order]
        if list(self.order_box.children) != children:
            self.order_box.children = children
        for position, step_id in enumerate(answer.order):
            self.rows[step_id].show(position, total, answer.order_checked)
        ui.show(self.check_order_button, not answer.order_checked)
        self.order_feedback.value = self._order_html(answer, note)
        ui.show(self.result_box, answer.order_checked)
        self._syncing = True
        try:
            self.result.value = answer.result
            self.result.disabled = answer.result_checked
        finally:
            self._syncing = False
        self.rounds.value = self._rounds_html() if answer.order_checked else ""
        ui.show(self.check_result_button, not answer.result_checked)
        self.result_feedback.value = self._result_html(answer, result_note)

    def _order_html(self, answer: ScenarioAnswer, note: str) -> str:
        if not answer.order_checked:
            return _status([("cirkel-voting-note", note)]) if note else ""
        scenario = self.scenario
        lines: list[tuple[str, str]] = []
        if order_is_right(scenario, answer.order):
            lines.append(("cirkel-voting-right", t("voting.order_right")))
        else:
            lines.append(("cirkel-voting-wrong", t("voting.order_wrong")))
        right = [s.text for s in scenario.steps()]
        lines.append(("cirkel-voting-answer", t("voting.right_order", order=" → ".join(right))))
        lines.append(("cirkel-voting-explanation", _order_explanation(scenario)))
        return _status(lines)

    def _rounds_html(self) -> str:
        items = "".join(f"<li>{html.escape(_round_text(self.scenario, r))}</li>" for r in self.scenario.rounds())
        return (
            f'<h5 class="cirkel-voting-rounds-title">{html.escape(t("voting.rounds_title"))}</h5>'
            f"<ol>{items}</ol>"
            f'<p class="cirkel-voting-task">{html.escape(t("voting.result_task"))}</p>'
        )

    def _result_html(self, answer: ScenarioAnswer, note: str) -> str:
        if not answer.result_checked:
            return _status([("cirkel-voting-note", note)]) if note else ""
        scenario = self.scenario
        decision = dict(scenario.outcomes())[scenario.decision()]
        lines: list[tuple[str, str]] = []
        if answer.result == scenario.decision():
            lines.append(("cirkel-voting-right", t("voting.result_right")))
        else:
            lines.append(("cirkel-voting-wrong", t("voting.result_wrong")))
        lines.append(("cirkel-voting-answer", t("voting.decision", decision=decision)))
        if scenario.explanation:
            lines.append(("cirkel-voting-explanation", t("voting.explanation", text=scenario.explanation)))
        return _status(lines)


def _status(lines: list[tuple[str, str]]) -> str:
    # shown in a live region (``ui.live``) that is in the page before it changes
    return "".join(f'<p class="{cls}">{html.escape(text)}</p>' for cls, text in lines)


def _order_explanation(scenario: Scenario) -> str:
    """Why the order is right, in the rule's own words, for the steps this scenario has."""
    kinds = {s.kind for s in scenario.steps()}
    parts = []
    if kinds & set(PROCEDURAL):
        parts.append(t("voting.why.procedural"))
    if COUNTER_STEP in kinds:
        parts.append(t("voting.why.counter"))
    else:
        parts.append(t("voting.why.no_counter"))
    parts.append(t("voting.why.main"))
    return " ".join(parts)


def _round_text(scenario: Scenario, round_: Round) -> str:
    name = t(f"voting.round.{round_.step.kind}")
    if not round_.held:
        return t("voting.round_not_held", round=name)
    if round_.step.kind in PROCEDURAL:
        votes = dict(round_.votes)
        winner = t("voting.yes") if round_.winner == YES else t("voting.no")
        return t("voting.round_yes_no", round=name, yes=votes[YES], no=votes[NO], winner=winner)
    counts = t("voting.list_sep").join(
        t("voting.votes_for", text=quoted(scenario.proposal(pid).text), count=count) for pid, count in round_.votes
    )
    return t("voting.round_votes", round=name, counts=counts, winner=quoted(scenario.proposal(round_.winner).text))


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
        self._views: dict[str, _ScenarioView] = {}
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
            self._views[scenario.id] = _ScenarioView(self, number, scenario)
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
