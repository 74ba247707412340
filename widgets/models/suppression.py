"""Härskartekniker: the scenario bank, a learner's answers and their scoring. No ipywidgets.

The bank is YAML a course author writes (strategidokumentet, Del 2,
"Internfeminism för framtiden": härskartekniker are still too common at our
meetings). It names the techniques (Berit Ås's five and the two added later),
the counter-strategies (motstrategier) and the confirming techniques
(bekräftartekniker) as lists, and for each scenario card the right technique
and the counter-strategies and confirming techniques that count as right.
Nothing about the techniques is written in Python.

Saved answers (the ``data`` of ``svar/<exercise_id>.json``)::

    {"cards": {"<card id>": {"technique": "<id>", "counter": "<id>",
                             "confirming": "<id>", "checked": true}}}

Only checked cards score, and correctness is always recomputed from the bank,
so a learner cannot edit their way to points and a corrected bank re-grades fairly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.answer_keys import load_keyed
from widgets.models.check import validate
from widgets.models.content import ContentError, given, place

__all__ = [
    "PARTS",
    "KEY_PLACES",
    "Choice",
    "Card",
    "Weights",
    "SuppressionBank",
    "CardAnswer",
    "load_suppression_bank",
    "parse_suppression_bank",
    "card_answer",
    "part_right",
    "card_points",
    "suppression_score",
]

PARTS = ("technique", "counter", "confirming")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LISTS = {"technique": "techniques", "counter": "counters", "confirming": "confirming"}
#: What only grading and feedback read: what counts as right on each card, and its explanation.
#: A learner's copy of the bank has none of it (``widgets.models.answer_keys``).
KEY_PLACES = tuple(("cards", "*", key) for key in ("technique", "counters", "confirming", "explanation"))


@dataclass(frozen=True)
class Choice:
    """One technique, counter-strategy or confirming technique."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Card:
    """A scenario and what counts as right for it."""

    id: str
    scenario: str
    technique: str
    counters: frozenset[str]
    confirming: frozenset[str]
    explanation: str

    def accepted(self, part: str) -> frozenset[str]:
        """The ids that count as right for ``part`` (one of ``PARTS``)."""
        return {"technique": frozenset({self.technique}), "counter": self.counters, "confirming": self.confirming}[part]


@dataclass(frozen=True)
class Weights:
    """Points per card for naming the technique, a counter-strategy and a confirming technique."""

    technique: float = 2.0
    counter: float = 1.0
    confirming: float = 1.0

    @property
    def per_card(self) -> float:
        return self.technique + self.counter + self.confirming


@dataclass(frozen=True)
class SuppressionBank:
    """A validated bank of scenario cards."""

    title: str
    techniques: tuple[Choice, ...]
    counters: tuple[Choice, ...]
    confirming: tuple[Choice, ...]
    cards: tuple[Card, ...]
    weights: Weights = field(default_factory=Weights)
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)

    @property
    def max_score(self) -> float:
        return self.weights.per_card * len(self.cards)

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    def choices(self, part: str) -> tuple[Choice, ...]:
        """The list a learner picks from for ``part``."""
        return {"technique": self.techniques, "counter": self.counters, "confirming": self.confirming}[part]

    def name(self, part: str, choice_id: str) -> str:
        """The name of a choice, or ``""`` for an unknown id."""
        return next((c.name for c in self.choices(part) if c.id == choice_id), "")

    def card(self, card_id: str) -> Card:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise KeyError(card_id)


def load_suppression_bank(path: str | Path) -> SuppressionBank:
    """Read and validate a bank file (a learner copy: its keyed original); ``ContentError`` names the problem."""
    return parse_suppression_bank(load_keyed(path), Path(path).name)


def parse_suppression_bank(raw: Any, path: str | Path = "<harskartekniker>") -> SuppressionBank:
    """Validate an already parsed bank (a dict as from YAML)."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.SuppressionBank, raw, path, lines=False)
    title = raw["title"].strip()
    intro = given(raw, "intro", "").strip()
    source = given(raw, "source", {})
    source = {k: source[k].strip() for k in ("part", "section") if k in source}
    lists = {key: _parse_choices(raw, key, path) for key in _LISTS.values()}
    weights = _parse_weights(raw, path)
    items = raw["cards"]
    if not items:
        raise ContentError(path, "cards", t("suppression.content.no_cards"))
    known = {part: {c.id for c in lists[key]} for part, key in _LISTS.items()}
    cards: list[Card] = []
    for index, item in enumerate(items):
        card = _parse_card(item, path, index, known)
        if any(c.id == card.id for c in cards):
            raise ContentError(path, place("cards", index, "id"), t("suppression.content.duplicate_id", id=card.id))
        cards.append(card)
    return SuppressionBank(
        title=title,
        techniques=lists["techniques"],
        counters=lists["counters"],
        confirming=lists["confirming"],
        cards=tuple(cards),
        weights=weights,
        intro=intro,
        source=source,
    )


def _check_id(value: str, path: str | Path, *where: str | int) -> str:
    if not _ID.match(value):
        raise ContentError(path, place(*where), t("suppression.content.bad_id", id=value))
    return value


def _parse_choices(raw: dict[str, Any], key: str, path: str | Path) -> tuple[Choice, ...]:
    items = raw[key]
    if len(items) < 2:
        raise ContentError(path, key, t("suppression.content.few_choices"))
    out: list[Choice] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ContentError(path, place(key, index), t("content.not_mapping"))
        choice_id = _check_id(item["id"], path, key, index, "id")
        if any(c.id == choice_id for c in out):
            raise ContentError(path, place(key, index, "id"), t("suppression.content.duplicate_id", id=choice_id))
        name = item["name"].strip()
        if not name:
            raise ContentError(path, place(key, index, "name"), t("suppression.content.empty", key="name"))
        description = given(item, "description", "").strip()
        out.append(Choice(id=choice_id, name=name, description=description))
    return tuple(out)


def _parse_weights(raw: dict[str, Any], path: str | Path) -> Weights:
    weights = given(raw, "points", {})
    values: dict[str, float] = {}
    for part in PARTS:
        value = given(weights, part, getattr(Weights, part))
        if value < 0:
            raise ContentError(path, place("points", part), t("suppression.content.negative_points"))
        values[part] = float(value)
    if sum(values.values()) <= 0:
        raise ContentError(path, "points", t("suppression.content.negative_points"))
    return Weights(**values)


def _parse_card(item: Any, path: str | Path, index: int, known: dict[str, set[str]]) -> Card:
    where = ("cards", index)
    if not isinstance(item, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    card_id = _check_id(item["id"], path, *where, "id")
    scenario = item["scenario"].strip()
    explanation = item["explanation"].strip()
    for key, text in (("scenario", scenario), ("explanation", explanation)):
        if not text:
            raise ContentError(path, place(*where, key), t("suppression.content.empty", key=key))
    technique = item["technique"]
    if technique not in known["technique"]:
        raise ContentError(
            path, place(*where, "technique"), t("suppression.content.unknown_choice", id=technique, list="techniques")
        )

    def accepted(key: str, part: str) -> frozenset[str]:
        values = item[key]
        values = [values] if isinstance(values, str) else values
        if not values:
            raise ContentError(path, place(*where, key), t("suppression.content.none_accepted", key=key))
        for value in values:
            if not isinstance(value, str) or value not in known[part]:
                raise ContentError(
                    path, place(*where, key), t("suppression.content.unknown_choice", id=value, list=_LISTS[part])
                )
        return frozenset(values)

    return Card(
        id=card_id,
        scenario=scenario,
        technique=technique,
        counters=accepted("counters", "counter"),
        confirming=accepted("confirming", "confirming"),
        explanation=explanation,
    )


# -- a learner's answers -------------------------------------------------------------


@dataclass(frozen=True)
class CardAnswer:
    """A learner's answer to one card, cleaned: unknown ids become ``""``."""

    technique: str = ""
    counter: str = ""
    confirming: str = ""
    checked: bool = False

    def get(self, part: str) -> str:
        return getattr(self, part)

    @property
    def complete(self) -> bool:
        return all(self.get(part) for part in PARTS)

    def to_json(self) -> dict[str, Any]:
        return {
            "technique": self.technique,
            "counter": self.counter,
            "confirming": self.confirming,
            "checked": self.checked,
        }


def card_answer(bank: SuppressionBank, saved: Any) -> CardAnswer:
    """A card's answer from saved data; anything damaged counts as not chosen."""
    entry = saved if isinstance(saved, dict) else {}
    values: dict[str, str] = {}
    for part in PARTS:
        value = entry.get(part)
        values[part] = value if isinstance(value, str) and any(c.id == value for c in bank.choices(part)) else ""
    complete = all(values.values())
    return CardAnswer(**values, checked=complete and entry.get("checked") is True)


def part_right(card: Card, answer: CardAnswer, part: str) -> bool:
    """Whether the learner's choice for ``part`` is one the bank accepts."""
    return answer.get(part) in card.accepted(part)


def card_points(bank: SuppressionBank, card: Card, answer: CardAnswer) -> float:
    """Points for one card: each right part earns its weight, once the card is checked."""
    if not answer.checked:
        return 0.0
    return float(sum(getattr(bank.weights, part) for part in PARTS if part_right(card, answer, part)))


def suppression_score(bank: SuppressionBank, data: Any) -> float:
    """Points earned (0 to ``bank.max_score``) for saved answers; never raises for a learner's data."""
    saved = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(saved, dict):
        return 0.0
    return float(sum(card_points(bank, card, card_answer(bank, saved.get(card.id))) for card in bank.cards))
