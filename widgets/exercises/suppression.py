"""SuppressionTechniques: name the härskarteknik in a scenario, pick a counter and a confirming technique.

The scenarios and every list of techniques are data (a YAML bank, see
``_suppression_model``); this module is only the learner's view. For each card
the learner chooses from three labelled lists and presses "Svara"; the card
then shows what was right, the accepted answers and an explanation, and locks.
Every choice is saved as it happens and a rebuilt widget shows the same state.

The button calls the public methods ``choose`` and ``check_card``, so tests and
a kernel with no display drive the widget exactly as a learner does.
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
from widgets.models.suppression import (
    PARTS,
    Card,
    CardAnswer,
    SuppressionBank,
    card_answer,
    card_points,
    load_suppression_bank,
    parse_suppression_bank,
    part_right,
    suppression_score,
)
from widgets.storage.answers import AnswerStore

__all__ = ["SuppressionTechniques", "SuppressionBank", "load_suppression_bank"]

_NOT_CHOSEN = ""


class _CardView:
    """The controls of one card; ``show`` makes them match a ``CardAnswer``."""

    def __init__(self, widget: SuppressionTechniques, number: int, card: Card):
        self.widget = widget
        self.card = card
        bank = widget.bank
        heading = t("suppression.card_number", number=number, total=len(bank.cards))
        self.heading = ui.HTML(
            f'<h4 class="cirkel-suppression-number">{html.escape(heading)}</h4>'
            f'<p class="cirkel-suppression-scenario">{html.escape(card.scenario)}</p>'
        )
        self.lists: dict[str, ipw.Dropdown] = {}
        for part in PARTS:
            options = [(t("suppression.choose"), _NOT_CHOSEN)] + [(c.name, c.id) for c in bank.choices(part)]
            dropdown = ui.Dropdown(
                options=options,
                value=_NOT_CHOSEN,
                description=t(f"suppression.label.{part}"),
                style={"description_width": "12em"},
                layout=ui.layout(width="auto"),
            )
            dropdown.add_class(f"cirkel-suppression-{part}")
            dropdown.observe(lambda change, part=part: self._picked(part, change["new"]), "value")
            self.lists[part] = dropdown
        self.check_button = ui.Button(description=t("suppression.check"), button_style="primary")
        self.check_button.add_class("cirkel-suppression-check")
        self.check_button.on_click(lambda _b: widget._check_clicked(card.id))
        self.feedback = ui.live(ui.HTML())  # one region per card, there before the first result
        self.feedback.add_class("cirkel-suppression-feedback")
        self.box = ui.VBox([self.heading, *self.lists.values(), self.check_button, self.feedback])
        self.box.add_class("cirkel-suppression-card")
        self._syncing = False

    def _picked(self, part: str, value: str) -> None:
        if self._syncing:
            return
        if self.widget.answer(self.card.id).checked:
            self.widget._show(self.card.id)  # a stray event on a locked card: show the saved answer again
        else:
            self.widget.choose(self.card.id, part, value)

    def show(self, answer: CardAnswer, note: str = "") -> None:
        self._syncing = True
        try:
            for part, dropdown in self.lists.items():
                dropdown.value = answer.get(part)
                dropdown.disabled = answer.checked
        finally:
            self._syncing = False
        ui.show(self.check_button, not answer.checked)
        self.feedback.value = self._feedback_html(answer, note)

    def _feedback_html(self, answer: CardAnswer, note: str) -> str:
        bank, card = self.widget.bank, self.card
        lines: list[tuple[str, str]] = []
        if not answer.checked:
            if note:
                lines.append(("cirkel-suppression-note", note))
        else:
            for part in PARTS:
                label = t(f"suppression.label.{part}")
                chosen = bank.name(part, answer.get(part))
                if part_right(card, answer, part):
                    lines.append(("cirkel-suppression-right", t("suppression.part_right", part=label, chosen=chosen)))
                else:
                    accepted = t("suppression.or").join(bank.name(part, i) for i in _ordered(bank, part, card))
                    lines.append(
                        (
                            "cirkel-suppression-wrong",
                            t("suppression.part_wrong", part=label, chosen=chosen, accepted=accepted),
                        )
                    )
            points = card_points(bank, card, answer)
            lines.append(
                (
                    "cirkel-suppression-points",
                    t(
                        "suppression.card_points",
                        points=format_number(self.widget.shown_points(points)),
                        max=format_number(self.widget.shown_points(bank.weights.per_card)),
                    ),
                )
            )
            lines.append(("cirkel-suppression-explanation", t("suppression.explanation", text=card.explanation)))
        if not lines:
            return ""
        return "".join(f'<p class="{cls}">{html.escape(text)}</p>' for cls, text in lines)


def _ordered(bank: SuppressionBank, part: str, card: Card) -> list[str]:
    """The accepted ids of a part in the bank's own order, so feedback reads the same every time."""
    accepted = card.accepted(part)
    return [c.id for c in bank.choices(part) if c.id in accepted]


class SuppressionTechniques(Exercise):
    """Scenario cards about härskartekniker, with feedback per card, a score and autosave.

    Parameters
    ----------
    bank
        A validated ``SuppressionBank`` or a dict in the bank format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "suppression"

    score = Float(0.0, read_only=True, help="Points earned on checked cards (0 to max_score).")
    max_score = Float(0.0, read_only=True, help="Points available: the bank's weights times the cards.")
    points = points_trait()
    checked = Int(0, read_only=True, help="Cards the learner has answered and seen feedback on.")

    def __init__(
        self,
        bank: SuppressionBank | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.bank = bank if isinstance(bank, SuppressionBank) else parse_suppression_bank(bank)
        self._saved: dict[str, CardAnswer] = {}
        self._views: dict[str, _CardView] = {}
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> SuppressionTechniques | Unavailable:
        """Cards from a bank file, relative to the working directory (the notebook's folder).

        A learner copy whose answer key this server cannot reach gives a plain
        message instead (``Unavailable``), never a traceback.
        """
        try:
            bank = load_suppression_bank(path)
        except KeysUnavailable as missing:
            return Unavailable(exercise_id, missing)
        return cls(bank, exercise_id=exercise_id, store=store, **kwargs)

    # -- public, UI-independent actions ---------------------------------------------
    def answer(self, card_id: str) -> CardAnswer:
        """The learner's current answer to one card."""
        self._card(card_id)
        return self._saved.get(card_id, CardAnswer())

    def choose(self, card_id: str, part: str, choice_id: str) -> None:
        """Pick a technique (``part`` is ``technique``, ``counter`` or ``confirming``) and save."""
        current = self.answer(card_id)
        if current.checked:
            raise ValueError(t("suppression.already_checked"))
        if part not in PARTS:
            raise ValueError(t("suppression.unknown_part", part=part))
        if choice_id != _NOT_CHOSEN and not self.bank.name(part, choice_id):
            raise ValueError(t("suppression.unknown_choice", id=choice_id))
        values: dict[str, Any] = {p: current.get(p) for p in PARTS}
        values[part] = choice_id
        self._saved[card_id] = CardAnswer(**values)
        self.save()
        self._show(card_id)

    def check_card(self, card_id: str) -> dict[str, bool]:
        """Lock the card's answer, show feedback and save; returns which parts were right."""
        card = self._card(card_id)
        current = self.answer(card_id)
        if current.checked:
            raise ValueError(t("suppression.already_checked"))
        if not current.complete:
            raise ValueError(t("suppression.choose_all"))
        answer = CardAnswer(**{p: current.get(p) for p in PARTS}, checked=True)
        self._saved[card_id] = answer
        self.save()
        self._refresh_totals()
        self._show(card_id)
        return {part: part_right(card, answer, part) for part in PARTS}

    # -- Exercise ---------------------------------------------------------------------
    def _build(self) -> None:
        bank = self.bank
        self.set_trait("max_score", bank.max_score)
        header = f'<h3 class="cirkel-suppression-title">{html.escape(bank.title)}</h3>'
        if bank.source:
            header += f'<p class="cirkel-source">{html.escape(t("suppression.source", source=bank.source_text))}</p>'
        if bank.intro:
            header += f'<p class="cirkel-suppression-intro">{html.escape(bank.intro)}</p>'
        header += self._glossary_html()
        self._score_line = ui.live(ui.HTML())
        self._score_line.add_class("cirkel-suppression-score")
        for number, card in enumerate(bank.cards, start=1):
            self._views[card.id] = _CardView(self, number, card)
        self.children = [ui.HTML(header), self._status_box, *(v.box for v in self._views.values()), self._score_line]
        self._show_all()

    def answers(self) -> dict[str, Any]:
        return {"cards": {card_id: answer.to_json() for card_id, answer in self._saved.items()}}

    def set_answers(self, data: dict[str, Any]) -> None:
        saved = data.get("cards")
        self._saved = {}
        if isinstance(saved, dict):
            for card in self.bank.cards:
                if card.id in saved:
                    self._saved[card.id] = card_answer(self.bank, saved[card.id])
        self._show_all()

    # -- internals -----------------------------------------------------------------------
    def _card(self, card_id: str) -> Card:
        try:
            return self.bank.card(card_id)
        except KeyError:
            raise ValueError(t("suppression.unknown_card", id=card_id)) from None

    def _check_clicked(self, card_id: str) -> None:
        answer = self.answer(card_id)
        if answer.checked:
            return
        if not answer.complete:
            self._show(card_id, note=t("suppression.choose_all"))
            return
        self.check_card(card_id)
        ui.focus(self._views[card_id].feedback)  # the button is gone: the keyboard user reads the result

    def _show(self, card_id: str, note: str = "") -> None:
        self._views[card_id].show(self.answer(card_id), note)

    def shown_points(self, value: float) -> float:
        """``value`` of the exercise's own points on the gradebook's scale (``points``)."""
        return on_scale(value, self.max_score, self.points)

    def _show_all(self) -> None:
        for card_id in self._views:
            self._show(card_id)
        self._refresh_totals()

    def _refresh_totals(self) -> None:
        self.set_trait("score", suppression_score(self.bank, self.answers()))
        self.set_trait("checked", sum(a.checked for a in self._saved.values()))
        most = self.max_score if self.points is None else self.points
        score = t("suppression.score", score=format_number(self.shown_points(self.score)), max=format_number(most))
        progress = t("suppression.progress", checked=self.checked, total=len(self.bank.cards))
        self._score_line.value = (
            f'<p class="cirkel-suppression-points">{html.escape(score)}</p>'
            f'<p class="cirkel-suppression-progress">{html.escape(progress)}</p>'
        )

    def _glossary_html(self) -> str:
        """The three lists with their descriptions, folded away, for a learner who wants to read first."""
        sections = []
        for part in PARTS:
            items = "".join(
                f"<li><strong>{html.escape(c.name)}</strong>"
                + (f": {html.escape(c.description)}" if c.description else "")
                + "</li>"
                for c in self.bank.choices(part)
            )
            sections.append(f"<h4>{html.escape(t(f'suppression.glossary.{part}'))}</h4><ul>{items}</ul>")
        summary = html.escape(t("suppression.glossary"))
        return f'<details class="cirkel-suppression-glossary"><summary>{summary}</summary>{"".join(sections)}</details>'
