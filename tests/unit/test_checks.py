"""Grading checks: full answers give full points, blank 0, partial partial, damaged 0."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grading import score_plan as lazily_imported
from grading.checks import score_plan, score_quiz
from widgets.models.content import ContentError
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PLAN_PROMPTS = ROOT / "courses" / "ledarskap" / "02-strategiska-planer" / "strategisk-plan.yml"

BANK_YAML = """\
title: Mötesroller
attempts: 2
retry_credit: 0.5
questions:
  - id: justerare
    type: single
    text: Vad gör justeraren?
    options:
      - text: Leder mötet
      - text: Kontrollerar protokollet
        correct: true
    explanation: Justeraren intygar att protokollet stämmer.
  - id: ordforande
    type: multiple
    text: Vad gör ordföranden?
    options:
      - text: Fördelar ordet
        correct: true
      - text: Pratar mest
      - text: Håller tiden
        correct: true
    explanation: Ordföranden fördelar ordet och håller tiden.
"""


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    Path("motesroller.yml").write_text(BANK_YAML, encoding="utf-8")
    shutil.copy(PLAN_PROMPTS, "strategisk-plan.yml")


def answer_quiz(answers: dict[str, list[list[int]]]) -> None:
    """Answer through the widget, as a learner does; a list of tries per question."""
    from widgets.exercises.quiz import MeetingRoleQuiz

    quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")
    for question_id, tries in answers.items():
        for number, chosen in enumerate(tries):
            if number:
                quiz.retry(question_id)
            quiz.choose(question_id, chosen)
            quiz.submit_answer(question_id)


def test_quiz_full_answers_full_points():
    answer_quiz({"justerare": [[1]], "ordforande": [[0, 2]]})
    assert score_quiz("motesroller", points=6) == 6.0
    assert score_quiz("motesroller", points=6, content="motesroller.yml") == 6.0


def test_quiz_blank_gives_zero():
    assert score_quiz("motesroller", points=6) == 0
    answer_quiz({})  # opened, nothing answered
    assert score_quiz("motesroller", points=6) == 0


def test_quiz_partial_gives_partial():
    answer_quiz({"justerare": [[0], [1]], "ordforande": [[0]]})  # right on retry, unanswered after one wrong
    assert score_quiz("motesroller", points=6) == 1.5
    from widgets.exercises.quiz import MeetingRoleQuiz

    again = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")  # the learner comes back
    again.retry("ordforande")
    again.choose("ordforande", [0, 2])
    assert again.submit_answer("ordforande") is True
    assert score_quiz("motesroller", points=6) == 3.0
    assert score_quiz("motesroller", points=4) == 2.0


def test_quiz_score_is_rounded_to_two_decimals():
    answer_quiz({"justerare": [[1]]})
    assert score_quiz("motesroller", points=1 / 3) == 0.17


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"\xff\xfe",
        b'{"schema": 1, "exercise_id": "motesroller", "kind": "plan", "saved_at": "", "data": {}}',
        b"[]",
    ],
)
def test_damaged_answers_give_zero_and_stay_untouched(damage, tmp_path):
    (tmp_path / "svar").mkdir()
    for name in ("motesroller", "strategisk-plan"):
        (tmp_path / "svar" / f"{name}.json").write_bytes(damage)
    assert score_quiz("motesroller", points=6) == 0
    assert score_plan("strategisk-plan", points=4, content="strategisk-plan.yml") == 0
    assert (tmp_path / "svar" / "motesroller.json").read_bytes() == damage


def test_learner_edited_results_are_not_trusted():
    AnswerStore().save(
        "motesroller",
        "quiz",
        {"questions": {"justerare": {"tries": [[0]], "correct": True, "score": 1}, "ordforande": {"tries": [[5]]}}},
    )
    assert score_quiz("motesroller", points=6) == 0


def test_broken_content_is_the_authors_error():
    answer_quiz({"justerare": [[1]]})
    Path("motesroller.yml").write_text(BANK_YAML.replace("type: multiple", "type: manga"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        score_quiz("motesroller", points=6)
    assert "motesroller.yml (questions[2].type)" in str(caught.value)
    with pytest.raises(ContentError):
        score_quiz("motesroller", points=6, content="finns-inte.yml")


def build_plan(steps: set[str]):
    from widgets.exercises.plan import StrategicPlanBuilder

    b = StrategicPlanBuilder.from_file("strategisk-plan.yml", exercise_id="strategisk-plan")
    if "perception" in steps:
        b.perception.value = "Partiet som finns på plats."
    if "goals" in steps:
        b.add_goal("Fler aktiva", years=3)
        b.add_goal("Kända i området", years=3)
    if "resources" in steps:
        b.members.value, b.hours.value = 8, 20
    if "activities" in steps:
        b.add_activity("Studiecirkel", goal=b.plan.goals[0].id if b.plan.goals else "", hours=4)
    if "anchoring" in steps:
        b.add_discussion("Medlemsmöte", "mars")
    if "revisit" in steps:
        b.revisit.value = "Varje styrelsemöte"
    return b


ALL_STEPS = {"perception", "goals", "resources", "activities", "anchoring", "revisit"}


def test_plan_full_gives_full_points():
    build_plan(ALL_STEPS)
    assert score_plan("strategisk-plan", points=4, content="strategisk-plan.yml") == 4.0
    assert score_plan("strategisk-plan", points=4) == 4.0  # default content: <exercise_id>.yml


def test_plan_blank_gives_zero():
    assert score_plan("strategisk-plan", points=4) == 0
    build_plan(set())  # opened, nothing entered
    assert score_plan("strategisk-plan", points=4) == 0


def test_plan_partial_gives_partial():
    build_plan({"perception", "revisit"})
    assert score_plan("strategisk-plan", points=7) == 2.0
    Path("svar/strategisk-plan.json").unlink()
    build_plan(ALL_STEPS - {"anchoring"})  # six of seven parts
    assert score_plan("strategisk-plan", points=7) == 6.0


def test_plan_with_too_many_goals_loses_the_goal_count_part():
    b = build_plan(ALL_STEPS)
    for text in ("Tre", "Fyra", "Fem"):
        b.add_goal(text)
    assert score_plan("strategisk-plan", points=7) == 6.0


def test_checks_do_not_import_widgets_ui_or_heavy_packages():
    code = (
        "import sys, grading.checks; "
        "heavy = [m for m in ('ipywidgets', 'pandas', 'nbgrader', 'docx') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_exports_checks_lazily():
    assert lazily_imported is score_plan


def test_every_check_a_module_may_name_is_provided():
    import grading
    import grading.checks

    for name in grading.CHECKS:
        assert callable(getattr(grading.checks, name)), name
        assert getattr(grading, name) is getattr(grading.checks, name)
