"""Answer keys kept apart: what a learner's folder holds, and feedback that still comes after an answer.

A learner's server serves every file in the learner's folder, so the content
files released there must hold no key: no ``correct`` flag, no explanation, no
card's right technique or accepted counter-strategies, no votes of a voting
scenario (they are shown only after the order is checked, and the decision
follows from them). The places are written out here, from the content formats
in ``docs/course-format.md``, not taken from the code under test. The keyed
original stays in the run (``<run>/facit``), where the learner's kernel reads it
for immediate feedback; without it the learner sees a plain message.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from grading.checks import score_quiz
from grading.course.loading import load_course
from grading.course.solutions import build_exercise, solve
from grading.course_runs.answer_keys import keep_keys_apart
from widgets.core.i18n import t, yaml_data
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.exercises.suppression import SuppressionTechniques
from widgets.exercises.voting import VotingProcedure
from widgets.kit.exercise import Unavailable
from widgets.models.answer_keys import KeysUnavailable
from widgets.models.content import ContentError
from widgets.models.quiz_bank import load_bank

from course_paths import COURSE, COURSES
from key_support import SECRET, leaks, secrets_of, squash

pytestmark = pytest.mark.unit


def _keyed_exercises() -> list[tuple[Path, dict[str, Any]]]:
    """(module folder, exercise) of every exercise of every real course whose content holds keys."""
    out = []
    for course_dir in sorted(p.parent for p in COURSES.glob("*/course.yml")):
        for module in load_course(course_dir).modules:
            for exercise in yaml_data((module.path / "module.yml").read_text(encoding="utf-8"))["exercises"]:
                if exercise["widget"] in SECRET:
                    out.append((module.path, exercise))
    return out


KEYED = _keyed_exercises()


def _module_copy(module: Path, tmp_path: Path) -> Path:
    """A released module folder: the course module's files, its keys kept apart into ``tmp_path/facit``."""
    folder = tmp_path / "release" / module.name
    shutil.copytree(module, folder)
    keep_keys_apart(folder, tmp_path / "facit")
    return folder


def _widget_states(widget: Any) -> str:
    """Everything the browser receives about ``widget`` and the widgets inside it, as text."""
    states = [html.unescape(json.dumps(widget.get_state(), default=str, ensure_ascii=False))]
    for child in getattr(widget, "children", ()):
        states.append(_widget_states(child))
    return "\n".join(states)


@pytest.fixture
def keys_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The learner's server was told where the keys are (``CIRKEL_FACIT``, as the spawner does)."""
    monkeypatch.setenv("CIRKEL_FACIT", str(tmp_path / "facit"))
    return tmp_path / "facit"


# -- what the learner's folder holds ----------------------------------------------------


def test_the_courses_have_keyed_content_to_keep_apart() -> None:
    widgets = {exercise["widget"] for _module, exercise in KEYED}
    assert widgets == set(SECRET), "a test of nothing: the courses have no keyed exercise of some kind"
    assert len(KEYED) >= 12  # nine quiz banks, härskartekniker, two voting exercises


@pytest.mark.parametrize(("module", "exercise"), KEYED, ids=[f"{m.parent.name}/{m.name}/{e['id']}" for m, e in KEYED])
def test_a_released_content_file_holds_questions_and_options_but_no_key(module, exercise, tmp_path) -> None:
    original = module / exercise["content"]
    raw = yaml_data(original.read_text(encoding="utf-8"))
    assert not leaks(exercise["widget"], {}) and leaks(exercise["widget"], raw), "the source has keys"
    folder = _module_copy(module, tmp_path)

    released = folder / exercise["content"]
    text = released.read_text(encoding="utf-8")
    copy = yaml_data(text)
    assert leaks(exercise["widget"], copy) == []
    assert [s for s in secrets_of(exercise["widget"], raw) if s in squash(text)] == []
    # the questions, cards and scenarios are all there, in order, with their options
    items, keys = SECRET[exercise["widget"]]
    assert {k: v for k, v in raw.items() if k != items} == {k: v for k, v in copy.items() if k not in (items, "facit")}
    for mine, theirs in zip(copy[items], raw[items], strict=True):
        assert {k: v for k, v in theirs.items() if k not in keys and k != "options"} == {
            k: v for k, v in mine.items() if k != "options"
        }
        assert [o["text"] for o in mine.get("options", [])] == [o["text"] for o in theirs.get("options", [])]
    # the keyed original is kept in the run, under the digest the copy names
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    assert copy["facit"] == f"sha256:{digest}"
    assert (tmp_path / "facit" / f"{digest}.yml").read_bytes() == original.read_bytes()


def test_files_without_keys_are_released_as_written_and_keeping_apart_twice_changes_nothing(tmp_path) -> None:
    module = COURSE / "05-moten"
    folder = _module_copy(module, tmp_path)
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert kept["motesplanering.yml"] == (module / "motesplanering.yml").read_bytes()  # a plan: nothing to hide
    assert kept["module.yml"] == (module / "module.yml").read_bytes()
    assert keep_keys_apart(folder, tmp_path / "facit") == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept
    assert len(list((tmp_path / "facit").iterdir())) == 2  # motesroller, voteringsordning


# -- feedback right after an answer, as before ---------------------------------------------


def test_a_quiz_from_a_learner_copy_gives_feedback_after_an_answer_and_not_before(tmp_path, keys_told) -> None:
    folder = _module_copy(COURSE / "05-moten", tmp_path)
    keyed = load_bank(COURSE / "05-moten" / "motesroller.yml")
    with contextlib.chdir(folder):
        quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")
    assert isinstance(quiz, MeetingRoleQuiz) and quiz.bank == keyed
    before = squash(_widget_states(quiz))
    assert [q.id for q in keyed.questions if squash(q.explanation) in before] == []

    first, second = keyed.questions[0], keyed.questions[1]
    wrong = next(i for i in range(len(first.options)) if i not in first.correct)
    quiz.choose(first.id, [wrong])
    assert quiz.submit_answer(first.id) is False
    quiz.choose(second.id, sorted(second.correct))
    assert quiz.submit_answer(second.id) is True

    after = squash(_widget_states(quiz))
    assert squash(t("quiz.explanation", text=first.explanation)) in after  # explained after a wrong answer
    assert squash(t("quiz.right")) in after and squash(second.explanation) in after
    # ... and only for what was answered
    assert [q.id for q in keyed.questions[2:] if squash(q.explanation) in after] == []
    assert quiz.score == 1.0


def test_suppression_cards_from_a_learner_copy_explain_a_card_once_it_is_checked(tmp_path, keys_told) -> None:
    folder = _module_copy(COURSE / "08-internfeminism", tmp_path)
    with contextlib.chdir(folder):
        widget = SuppressionTechniques.from_file("harskartekniker.yml", exercise_id="harskartekniker")
    card, other = widget.bank.cards[0], widget.bank.cards[1]
    assert squash(card.explanation) not in squash(_widget_states(widget))
    widget.choose(card.id, "technique", card.technique)
    widget.choose(card.id, "counter", sorted(card.counters)[0])
    widget.choose(card.id, "confirming", sorted(card.confirming)[0])
    widget.check_card(card.id)
    after = squash(_widget_states(widget))
    assert squash(card.explanation) in after and squash(other.explanation) not in after
    assert widget.score == widget.bank.weights.per_card


def test_a_voting_scenario_from_a_learner_copy_shows_votes_and_explanation_only_after_answering(
    tmp_path, keys_told
) -> None:
    folder = _module_copy(COURSE / "05-moten", tmp_path)
    with contextlib.chdir(folder):
        widget = VotingProcedure.from_file("voteringsordning.yml", exercise_id="voteringsordning")
    scenario = widget.bank.scenarios[0]
    assert squash(scenario.explanation) not in squash(_widget_states(widget))
    solve(widget)  # every scenario ordered and decided as a learner would, with the widget's own methods
    after = squash(_widget_states(widget))
    assert squash(scenario.explanation) in after
    assert widget.score == widget.bank.max_score


def test_a_module_folder_inside_a_course_run_finds_the_runs_keys_without_being_told(tmp_path, monkeypatch) -> None:
    """Released copies, submissions and the workspaces ``cirkel serve`` keeps lie inside the run."""
    monkeypatch.delenv("CIRKEL_FACIT", raising=False)
    run = tmp_path / "run"
    run.mkdir()
    (run / "cirkel-run.yml").write_text("course_id: kurs\nmodules: [05-moten]\n", encoding="utf-8")
    folder = run / "deltagare" / "anna" / "kurs" / "05-moten"
    folder.parent.mkdir(parents=True)
    shutil.copytree(COURSE / "05-moten", folder)
    keep_keys_apart(folder, run / "facit")
    with contextlib.chdir(folder):
        quiz = MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")
    assert isinstance(quiz, MeetingRoleQuiz)


def test_autograde_checks_score_a_learner_copy_as_the_keyed_original(tmp_path, keys_told) -> None:
    keyed = tmp_path / "keyed"
    shutil.copytree(COURSE / "05-moten", keyed)
    released = _module_copy(COURSE / "05-moten", tmp_path)
    for folder in (keyed, released):
        quiz = build_exercise(folder, {"id": "motesroller", "widget": "MeetingRoleQuiz", "content": "motesroller.yml"})
        for number, question in enumerate(quiz.bank.questions):  # every other question right
            wrong = [next(i for i in range(len(question.options)) if i not in question.correct)]
            quiz.choose(question.id, sorted(question.correct) if number % 2 else wrong)
            quiz.submit_answer(question.id)
    points = []
    for folder in (keyed, released):
        with contextlib.chdir(folder):
            points.append(score_quiz("motesroller", points=6, content="motesroller.yml"))
    assert points[0] == points[1] and 0 < points[0] < 6


# -- no key at hand: a plain message, nothing lost ----------------------------------------


@pytest.mark.parametrize(
    ("module", "exercise_id", "widget"),
    [
        ("05-moten", "motesroller", MeetingRoleQuiz),
        ("05-moten", "voteringsordning", VotingProcedure),
        ("08-internfeminism", "harskartekniker", SuppressionTechniques),
    ],
)
def test_without_the_key_the_learner_sees_a_plain_swedish_message_and_keeps_their_answers(
    module, exercise_id, widget, tmp_path, monkeypatch
) -> None:
    folder = _module_copy(COURSE / module, tmp_path)
    saved = folder / "svar" / f"{exercise_id}.json"
    saved.parent.mkdir()
    saved.write_text('{"schema": 1}', encoding="utf-8")
    for told in ("", str(tmp_path / "elsewhere")):  # told nothing, or told a folder without the key
        monkeypatch.setenv("CIRKEL_FACIT", told)
        with contextlib.chdir(folder):
            shown = widget.from_file(f"{exercise_id}.yml", exercise_id=exercise_id)
        assert isinstance(shown, Unavailable)
        assert "cirkel-live" in shown._dom_classes and "role=" not in shown.value  # the page's one live region
        assert t("keys.exercise_unavailable", lang="sv") in shown.value
        assert "Traceback" not in shown.value and "facit" not in shown.value.lower()
    assert saved.read_text(encoding="utf-8") == '{"schema": 1}'
    # a course author's tool says why, naming the file
    with pytest.raises(KeysUnavailable, match=f"{exercise_id}.yml"):
        build_exercise(folder, {"id": exercise_id, "widget": widget.__name__, "content": f"{exercise_id}.yml"})


def test_a_key_changed_after_release_is_not_used_and_grading_says_why(tmp_path, keys_told) -> None:
    folder = _module_copy(COURSE / "05-moten", tmp_path)
    (key,) = [p for p in keys_told.iterdir() if b"motesordforande" in p.read_bytes()]
    key.write_bytes(key.read_bytes().replace(b"correct: true", b"correct: false", 1))
    with contextlib.chdir(folder):
        assert isinstance(MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller"), Unavailable)
        # autograde never meets a learner copy (nbgrader copies the source over it); if it did, it would say so
        with pytest.raises(ContentError, match=re.escape(t("keys.unavailable", lang="sv"))):
            score_quiz("motesroller", points=6, content="motesroller.yml")


def test_a_learner_copy_is_known_by_its_marker_however_the_yaml_writes_it(tmp_path, keys_told) -> None:
    folder = _module_copy(COURSE / "05-moten", tmp_path)
    copy = folder / "motesroller.yml"
    digest = yaml_data(copy.read_text(encoding="utf-8"))["facit"]
    copy.write_text(copy.read_text(encoding="utf-8").replace(f"facit: {digest}", f'"facit": "{digest}"'), "utf-8")
    assert load_bank(copy) == load_bank(COURSE / "05-moten" / "motesroller.yml")
