"""One point scale: the learner's exercise shows the points the gradebook (and the course leader) has."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from grading.checks import score_quiz
from grading.checks.practice import score_suppression
from grading.course.build import build_notebook
from grading.course.loading import load_course
from grading.reports.completion import format_points
from voila_apps.views.dashboard_view.formatting import points_text as dashboard_points
from widgets.core.i18n import yaml_data

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "courses" / "partiforeningsskola" / "05-moten"
GALLERY = ROOT / "voila_apps" / "galleri"


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    shutil.copy(MODULE / "motesroller.yml", "motesroller.yml")
    content = yaml_data((GALLERY / "harskartekniker.yml").read_text(encoding="utf-8"))["content"]
    Path("harskartekniker.yml").write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def _quiz_points() -> float:
    spec = yaml_data((MODULE / "module.yml").read_text(encoding="utf-8"))
    return float(next(ex["points"] for ex in spec["exercises"] if ex["id"] == "motesroller"))


def _score_line(widget) -> str:
    return widget._score_line.value


def test_the_quiz_shows_the_gradebooks_points():
    from widgets.exercises.quiz import MeetingRoleQuiz

    points = _quiz_points()
    quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller", points=points)
    assert len(quiz.bank.questions) != points  # else the two scales could not be told apart
    for number, question in enumerate(quiz.bank.questions[:3]):
        right = sorted(question.correct)
        wrong = [i for i in range(len(question.options)) if i not in right][:1]
        quiz.choose(question.id, right if number != 1 else wrong)
        quiz.submit_answer(question.id)
    graded = score_quiz("motesroller", points=points)  # what nbgrader's gradebook gets
    assert 0 < graded < points
    shown = format_points(graded, points).split("/")
    assert f"Poäng: {shown[0]} av {shown[1]}" in _score_line(quiz)
    # the course leader's dashboard writes the same numbers
    assert dashboard_points(graded, points) == f"{shown[0]} av {shown[1]} poäng"


def test_the_quiz_rule_speaks_of_the_same_points():
    from widgets.exercises.quiz import MeetingRoleQuiz

    quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller", points=6)
    rule = quiz.children[0].value
    assert "Frågorna är värda 6 poäng tillsammans" in rule
    assert "ger 1 poäng" not in rule


def test_suppression_cards_show_the_gradebooks_points():
    from widgets.exercises.suppression import SuppressionTechniques

    w = SuppressionTechniques.from_file("harskartekniker.yml", exercise_id="harskartekniker", points=5)
    card = w.bank.cards[0]
    for part in ("technique", "counter", "confirming"):
        w.choose(card.id, part, next(c.id for c in w.bank.choices(part) if c.id in card.accepted(part)))
    w.check_card(card.id)
    graded = score_suppression("harskartekniker", points=5)
    assert f"Poäng: {format_points(graded, 5).replace('/', ' av ')}" in _score_line(w)


def test_without_points_the_exercise_keeps_its_own_units():
    from widgets.exercises.quiz import MeetingRoleQuiz

    quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")
    assert f"av {len(quiz.bank.questions)}" in _score_line(quiz)


def test_the_module_notebook_passes_the_points(tmp_path):
    course = load_course(ROOT / "courses" / "partiforeningsskola")
    module = next(m for m in course.modules if m.name == "05-moten")
    nb = build_notebook(module, {})
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "MeetingRoleQuiz.from_file('motesroller.yml', exercise_id='motesroller', points=6)" in code
    assert "VotingProcedure.from_file('voteringsordning.yml', exercise_id='voteringsordning', points=4)" in code
    assert "MeetingPlanner.from_file('motesplanering.yml', exercise_id='motesplanering')" in code
    nbformat.validate(nb)
