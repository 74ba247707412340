"""One scenario's controls: the questions to order with their move buttons, the rounds, the decision."""

from __future__ import annotations

import html
from typing import Any, Protocol

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.models.voting import (
    COUNTER_STEP,
    NO,
    PROCEDURAL,
    YES,
    Round,
    Scenario,
    ScenarioAnswer,
    VotingBank,
    order_is_right,
    quoted,
)

WIDE = {"description_width": "initial"}


class ScenarioOwner(Protocol):
    """What a scenario's controls need of the exercise: the bank, the saved answers, the learner's actions."""

    bank: VotingBank

    def answer(self, scenario_id: str) -> ScenarioAnswer: ...

    def choose_result(self, scenario_id: str, outcome_id: str) -> None: ...

    def _move_clicked(self, scenario_id: str, step_id: str, delta: int) -> None: ...

    def _check_order_clicked(self, scenario_id: str) -> None: ...

    def _check_result_clicked(self, scenario_id: str) -> None: ...


class StepRow:
    """One question in the learner's order, with its move buttons."""

    def __init__(self, view: ScenarioView, step_id: str, text: str):
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


class ScenarioView:
    """The controls of one scenario; ``show`` makes them match a ``ScenarioAnswer``."""

    def __init__(self, widget: ScenarioOwner, number: int, scenario: Scenario):
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
        self.rows = {s.id: StepRow(self, s.id, s.text) for s in scenario.steps()}
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
            style=WIDE,
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
