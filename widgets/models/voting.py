"""Voteringsordning: scenarios, the right order of questions, the decision, scoring. No ipywidgets.

Practice in leading a decision, from strategidokumentet, Del 2, "Varje möte
ett genomtänkt möte": a skilled chair "ser till att alla vet vad de beslutar
om". A scenario (YAML) gives the matter, the proposals and the votes in each
round. The steps a chair puts to the meeting are derived here from the
proposals, by the rule of Swedish meeting procedure:

1. procedural questions first: bordläggning and återremiss (either order),
   each decided by ja/nej; if one wins, the matter is not decided today;
2. with more than two proposals in the matter, a kontrapropositionsvotering
   among the proposals other than the huvudförslag finds the counter-proposal;
3. last, the huvudvotering: the huvudförslag against the counter-proposal.

The decision is computed from the votes, never written by the author, so the
answer key cannot contradict the rounds. Saved answers::

    {"scenarios": {"<id>": {"order": ["<step id>", ...], "order_checked": true,
                            "result": "<outcome id>", "result_checked": true}}}
"""

from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.answer_keys import load_keyed
from widgets.models.check import validate
from widgets.models.content import ContentError, given, place, reject_unknown, require

__all__ = [
    "PROPOSAL_KINDS",
    "KEY_PLACES",
    "PROCEDURAL",
    "COUNTER_STEP",
    "MAIN_STEP",
    "quoted",
    "Proposal",
    "Step",
    "Round",
    "Scenario",
    "VotingBank",
    "ScenarioAnswer",
    "load_voting_bank",
    "parse_voting_bank",
    "scenario_answer",
    "order_is_right",
    "scenario_points",
    "voting_score",
]

PROPOSAL_KINDS = ("huvudforslag", "andringsforslag", "motforslag", "aterremiss", "bordlaggning")
PROCEDURAL = ("bordlaggning", "aterremiss")
COUNTER_STEP = "kontraproposition"
MAIN_STEP = "huvudvotering"
YES, NO = "ja", "nej"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: What a learner sees only after checking an order: the votes (the decision follows from them)
#: and the explanation. A learner's copy of the scenarios has neither (``widgets.models.answer_keys``).
KEY_PLACES = (("scenarios", "*", "votes"), ("scenarios", "*", "explanation"))


def quoted(text: str) -> str:
    """A proposal's words in the language's quotation marks."""
    return t("voting.quoted", text=text)


@dataclass(frozen=True)
class Proposal:
    """A proposal in the matter, or a procedural motion (återremiss, bordläggning)."""

    id: str
    kind: str
    text: str

    @property
    def procedural(self) -> bool:
        return self.kind in PROCEDURAL


@dataclass(frozen=True)
class Step:
    """One question the chair puts to the meeting."""

    id: str
    kind: str  # "bordlaggning", "aterremiss", COUNTER_STEP or MAIN_STEP
    text: str


@dataclass(frozen=True)
class Round:
    """The votes in one step and who won; ``held`` is false after a procedural motion won."""

    step: Step
    votes: tuple[tuple[str, int], ...]
    winner: str
    held: bool = True


@dataclass(frozen=True)
class Scenario:
    """A matter to decide: the proposals, the votes per round and an explanation."""

    id: str
    title: str
    matter: str
    situation: str
    proposals: tuple[Proposal, ...]
    votes: dict[str, dict[str, int]]
    explanation: str = ""

    def proposal(self, proposal_id: str) -> Proposal:
        return next(p for p in self.proposals if p.id == proposal_id)

    @property
    def main(self) -> Proposal:
        return next(p for p in self.proposals if p.kind == "huvudforslag")

    @property
    def in_matter(self) -> tuple[Proposal, ...]:
        """The proposals about the matter itself (not procedural)."""
        return tuple(p for p in self.proposals if not p.procedural)

    @property
    def others(self) -> tuple[Proposal, ...]:
        """Proposals in the matter other than the huvudförslag."""
        return tuple(p for p in self.in_matter if p.kind != "huvudforslag")

    def steps(self) -> tuple[Step, ...]:
        """The questions in the right order (procedural ones in the order the author lists them)."""
        out = [Step(p.id, p.kind, t(f"voting.step.{p.kind}", text=p.text)) for p in self.proposals if p.procedural]
        if len(self.others) > 1:
            names = t("voting.or").join(quoted(p.text) for p in self.others)
            out.append(Step(COUNTER_STEP, COUNTER_STEP, t("voting.step.kontraproposition", proposals=names)))
        counter = quoted(self.others[0].text) if len(self.others) == 1 else t("voting.counter_winner")
        out.append(
            Step(MAIN_STEP, MAIN_STEP, t("voting.step.huvudvotering", main=quoted(self.main.text), counter=counter))
        )
        return tuple(out)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps() if s.id == step_id)

    def start_order(self) -> tuple[str, ...]:
        """The order the learner starts from: shuffled the same way every time, never already right."""
        ids = [s.id for s in self.steps()]
        rng = random.Random(self.id)
        for _ in range(50):
            rng.shuffle(ids)
            if not order_is_right(self, ids):
                return tuple(ids)
        return tuple(reversed([s.id for s in self.steps()]))

    def rounds(self) -> tuple[Round, ...]:
        """Each step's votes and winner, in the right order; later rounds are not held after a won motion."""
        out: list[Round] = []
        stopped = False
        counter_id = self.others[0].id if len(self.others) == 1 else ""
        for step in self.steps():
            votes = self.votes.get(step.id, {})
            if stopped:
                out.append(Round(step, (), "", held=False))
                continue
            if step.id == MAIN_STEP:
                votes = {k: votes[k] for k in (self.main.id, counter_id)}
            ranked = tuple(sorted(votes.items(), key=lambda kv: -kv[1]))
            winner = ranked[0][0]
            out.append(Round(step, tuple(votes.items()), winner))
            if step.kind in PROCEDURAL and winner == YES:
                stopped = True
            if step.id == COUNTER_STEP:
                counter_id = winner
        return tuple(out)

    def decision(self) -> str:
        """The outcome id: a procedural motion that won, else the proposal that won the main vote."""
        for round_ in self.rounds():
            if round_.held and round_.step.kind in PROCEDURAL and round_.winner == YES:
                return round_.step.id
        return self.rounds()[-1].winner

    def outcomes(self) -> tuple[tuple[str, str], ...]:
        """What the learner chooses the decision from: (outcome id, words), in the proposals' order."""
        return tuple((p.id, t(f"voting.outcome.{p.kind}", text=p.text)) for p in self.proposals)


@dataclass(frozen=True)
class VotingBank:
    """A validated set of scenarios."""

    title: str
    scenarios: tuple[Scenario, ...]
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)

    @property
    def max_score(self) -> float:
        """One point for the order and one for the decision, per scenario."""
        return 2.0 * len(self.scenarios)

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)


def load_voting_bank(path: str | Path) -> VotingBank:
    """Read and validate a scenario file (a learner copy: its keyed original); ``ContentError`` names the problem."""
    return parse_voting_bank(load_keyed(path), Path(path).name)


def parse_voting_bank(raw: Any, path: str | Path = "<voteringsordning>") -> VotingBank:
    """Validate already parsed scenarios (a dict as from YAML)."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.VotingBank, raw, path, lines=False)
    title = raw["title"].strip()
    intro = given(raw, "intro", "").strip()
    source = given(raw, "source", {})
    source = {k: source[k].strip() for k in ("part", "section") if k in source}
    items = raw["scenarios"]
    if not items:
        raise ContentError(path, "scenarios", t("voting.content.no_scenarios"))
    scenarios: list[Scenario] = []
    for index, item in enumerate(items):
        scenario = _parse_scenario(item, path, index)
        if any(s.id == scenario.id for s in scenarios):
            raise ContentError(path, place("scenarios", index, "id"), t("voting.content.duplicate_id", id=scenario.id))
        scenarios.append(scenario)
    return VotingBank(title=title, scenarios=tuple(scenarios), intro=intro, source=source)


def _text(item: dict[str, Any], key: str, path: str | Path, *where: str | int, required: bool = True) -> str:
    value = (item[key] if required else given(item, key, "")).strip()
    if required and not value:
        raise ContentError(path, place(*where, key), t("voting.content.empty", key=key))
    return value


def _parse_scenario(item: Any, path: str | Path, index: int) -> Scenario:
    where = ("scenarios", index)
    if not isinstance(item, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    scenario_id = item["id"]
    if not _ID.match(scenario_id):
        raise ContentError(path, place(*where, "id"), t("voting.content.bad_id", id=scenario_id))
    proposals = _parse_proposals(item, path, where)
    scenario = Scenario(
        id=scenario_id,
        title=_text(item, "title", path, *where),
        matter=_text(item, "matter", path, *where),
        situation=_text(item, "situation", path, *where, required=False),
        proposals=proposals,
        votes={},
        explanation=_text(item, "explanation", path, *where, required=False),
    )
    votes = _parse_votes(item, scenario, path, where)
    return dataclasses.replace(scenario, votes=votes)


def _parse_proposals(item: dict[str, Any], path: str | Path, where: tuple[str | int, ...]) -> tuple[Proposal, ...]:
    raw = item["proposals"]
    out: list[Proposal] = []
    for index, entry in enumerate(raw):
        here = (*where, "proposals", index)
        if not isinstance(entry, dict):
            raise ContentError(path, place(*here), t("content.not_mapping"))
        proposal_id = entry["id"]
        if not _ID.match(proposal_id) or proposal_id in (COUNTER_STEP, MAIN_STEP):
            raise ContentError(path, place(*here, "id"), t("voting.content.bad_id", id=proposal_id))
        if any(p.id == proposal_id for p in out):
            raise ContentError(path, place(*here, "id"), t("voting.content.duplicate_id", id=proposal_id))
        kind = entry["kind"]
        if kind not in PROPOSAL_KINDS:
            raise ContentError(
                path, place(*here, "kind"), t("voting.content.bad_kind", kind=kind, kinds=", ".join(PROPOSAL_KINDS))
            )
        if kind in PROCEDURAL and any(p.kind == kind for p in out):
            raise ContentError(path, place(*here, "kind"), t("voting.content.one_procedural", kind=kind))
        out.append(Proposal(id=proposal_id, kind=kind, text=_text(entry, "text", path, *here)))
    mains = sum(p.kind == "huvudforslag" for p in out)
    if mains != 1:
        raise ContentError(path, place(*where, "proposals"), t("voting.content.one_main", count=mains))
    if sum(not p.procedural for p in out) < 2:
        raise ContentError(path, place(*where, "proposals"), t("voting.content.two_in_matter"))
    return tuple(out)


def _count(value: Any, path: str | Path, *where: str | int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ContentError(path, place(*where), t("voting.content.bad_count"))
    return value


def _parse_votes(
    item: dict[str, Any], scenario: Scenario, path: str | Path, where: tuple[str | int, ...]
) -> dict[str, dict[str, int]]:
    """The votes per step; every round that is held needs its votes, with a clear winner."""
    raw = item["votes"]
    steps = scenario.steps()
    reject_unknown(raw, [s.id for s in steps], path, *where, "votes")
    votes: dict[str, dict[str, int]] = {}
    counter_id = scenario.others[0].id if len(scenario.others) == 1 else ""
    for step in steps:
        here = (*where, "votes", step.id)
        if step.kind in PROCEDURAL:
            expected = [YES, NO]
        elif step.id == COUNTER_STEP:
            expected = [p.id for p in scenario.others]
        else:
            expected = [scenario.main.id, counter_id]
        # which votes a step has depends on the scenario's proposals: a rule across fields
        cast = require(raw, step.id, dict, path, *where, "votes")
        reject_unknown(cast, expected, path, *here)
        counts = {key: _count(require(cast, key, int, path, *here), path, *here, key) for key in expected}
        top = sorted(counts.values(), reverse=True)
        if top[0] == top[1]:
            raise ContentError(path, place(*here), t("voting.content.tie"))
        votes[step.id] = counts
        if step.kind in PROCEDURAL and counts[YES] > counts[NO]:
            extra = [s.id for s in steps[steps.index(step) + 1 :] if s.id in raw]
            if extra:
                raise ContentError(path, place(*where, "votes", extra[0]), t("voting.content.not_held", step=step.id))
            break
        if step.id == COUNTER_STEP:
            counter_id = max(counts, key=lambda k: counts[k])
    return votes


# -- a learner's answers ------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioAnswer:
    """A learner's answer to one scenario, cleaned: a damaged order becomes the start order."""

    order: tuple[str, ...]
    order_checked: bool = False
    result: str = ""
    result_checked: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "order": list(self.order),
            "order_checked": self.order_checked,
            "result": self.result,
            "result_checked": self.result_checked,
        }


def scenario_answer(scenario: Scenario, saved: Any) -> ScenarioAnswer:
    """A scenario's answer from saved data; anything damaged counts as not started."""
    entry = saved if isinstance(saved, dict) else {}
    ids = [s.id for s in scenario.steps()]
    order = entry.get("order")
    if not (isinstance(order, list) and sorted(map(str, order)) == sorted(ids) and len(order) == len(ids)):
        return ScenarioAnswer(order=scenario.start_order())
    order_checked = entry.get("order_checked") is True
    result = entry.get("result")
    result = result if order_checked and result in {o for o, _ in scenario.outcomes()} else ""
    result_checked = bool(result) and entry.get("result_checked") is True
    return ScenarioAnswer(tuple(order), order_checked, result, result_checked)


def order_is_right(scenario: Scenario, order: list[str] | tuple[str, ...]) -> bool:
    """Procedural questions first (in any order), then the kontrapropositionsvotering, then the main vote."""
    steps = {s.id: s for s in scenario.steps()}
    if sorted(order) != sorted(steps):
        return False
    rank = {kind: 0 for kind in PROCEDURAL} | {COUNTER_STEP: 1, MAIN_STEP: 2}
    ranks = [rank[steps[step_id].kind] for step_id in order]
    return ranks == sorted(ranks)


def scenario_points(scenario: Scenario, answer: ScenarioAnswer) -> float:
    """One point for a right order once checked, one for the right decision once checked."""
    points = 0.0
    if answer.order_checked and order_is_right(scenario, answer.order):
        points += 1
    if answer.result_checked and answer.result == scenario.decision():
        points += 1
    return points


def voting_score(bank: VotingBank, data: Any) -> float:
    """Points earned (0 to ``bank.max_score``) for saved answers; never raises for a learner's data."""
    saved = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(saved, dict):
        return 0.0
    return float(sum(scenario_points(s, scenario_answer(s, saved.get(s.id))) for s in bank.scenarios))
