"""Shared layouts and styles: one widget model per thing drawn, and nothing changed by accident."""

from __future__ import annotations

from collections import Counter

import ipywidgets as ipw
import pytest

from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.kit import controls as ui
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit

BANK = {
    "title": "Mötets roller",
    "attempts": 2,
    "retry_credit": 0.5,
    "questions": [
        {
            "id": f"q{i}",
            "type": "single",
            "text": f"Fråga {i}?",
            "explanation": "Så är det.",
            "options": [{"text": "Ja", "correct": True}, {"text": "Nej"}],
        }
        for i in range(1, 11)
    ],
}


def _descendants(widget: ipw.Widget) -> list[ipw.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(_descendants(child))
    return found


def _models(widget: ipw.Widget) -> Counter[str]:
    """Every model the front end must create to draw ``widget``, by model name."""
    seen: dict[str, ipw.Widget] = {}
    for drawn in _descendants(widget):
        seen[drawn.model_id] = drawn
        for part in ("layout", "style"):
            model = getattr(drawn, part, None)
            if isinstance(model, ipw.Widget):
                seen[model.model_id] = model
    return Counter(model._model_name for model in seen.values())


def test_widgets_made_alike_share_one_layout_and_one_style():
    first, second = ui.HTML("a"), ui.HTML("b")
    assert first.layout is second.layout and first.style is second.style
    assert ui.Button().style is ui.Button().style
    assert isinstance(first, ipw.HTML) and type(first).__name__ == "HTML"
    assert ui.HBox().layout is ui.VBox().layout  # the empty layout is one model for every kind of widget


def test_a_layout_or_style_given_as_a_dict_is_shared_too():
    one = ui.Text(layout={"width": "100%"}, style={"description_width": "initial"})
    other = ui.Text(layout={"width": "100%"}, style={"description_width": "initial"})
    assert one.layout is other.layout and one.layout.width == "100%"
    assert one.style is other.style and one.style.description_width == "initial"
    assert ui.layout(width="100%") is one.layout
    assert ui.Text().layout is not one.layout


def test_a_shared_layout_or_style_cannot_be_changed_in_place():
    button = ui.Button(description="Svara")
    with pytest.raises(ui.FrozenError, match="shared by many widgets"):
        button.layout.display = "none"
    with pytest.raises(ui.FrozenError):
        button.style.button_color = "red"
    assert ui.Button().layout.display is None and ui.Button().style.button_color is None


def test_hiding_one_widget_leaves_the_others_and_keeps_its_own_layout():
    wide, other = ui.Button(layout={"width": "auto"}), ui.Button(layout={"width": "auto"})
    ui.show(wide, False)
    assert wide.layout.display == "none" and wide.layout.width == "auto" and not ui.shown(wide)
    assert other.layout.display is None and ui.shown(other)
    ui.show(wide)
    assert wide.layout is other.layout


def test_restyle_changes_one_widget_and_none_unsets():
    running, idle = ui.Button(), ui.Button()
    ui.restyle(running, button_color="#ffd54f", font_weight="bold")
    assert running.style.button_color == "#ffd54f" and running.style.font_weight == "bold"
    assert idle.style.button_color is None
    ui.restyle(running, button_color=None, font_weight=None)
    assert running.style is idle.style


def test_the_front_end_gets_the_shared_model_by_reference():
    one, two = ui.HTML("a"), ui.HTML("b")
    assert one.get_state()["layout"] == two.get_state()["layout"] == f"IPY_MODEL_{one.layout.model_id}"


def test_a_closed_shared_layout_is_made_again():
    old = ui.layout(margin="1px")
    old.close()
    fresh = ui.HTML(layout={"margin": "1px"})
    assert fresh.layout is not old and fresh.layout.comm is not None


def test_a_quiz_draws_with_a_handful_of_layouts_and_styles(tmp_path):
    """Ten questions used to need some 220 models; each question is now a few widgets and nothing more."""
    quiz = MeetingRoleQuiz(BANK, exercise_id="roller", store=AnswerStore(tmp_path / "svar"))
    quiz.choose("q1", [1])
    quiz.submit_answer("q1")  # q1 now offers "Försök igen": its buttons have other layouts than the rest
    models = _models(quiz)
    assert models["LayoutModel"] <= 5
    assert models["ButtonStyleModel"] == 1 and models["HTMLStyleModel"] == 1
    assert sum(models.values()) <= 6 * len(BANK["questions"]) + 15
