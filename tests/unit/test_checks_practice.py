"""Checks for härskartekniker, voteringsordning and rollsökaren: answered through the real widgets.

Full answers give full points, blank 0, partial partial, damaged 0 (file untouched, nothing on
stderr), and a broken content file is the author's error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grading.checks.practice import score_role_finder, score_suppression, score_voting
from widgets.core.i18n import yaml_data
from widgets.models.content import ContentError
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri"
FILES = {
    "harskartekniker": "harskartekniker.yml",
    "voteringsordning": "voteringsordning.yml",
    "rollsokaren": "rollsokaren.yml",
}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    """A module folder with the three content files, as autograde has it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    for name in FILES.values():
        content = yaml_data((GALLERY / name).read_text(encoding="utf-8"))["content"]
        Path(name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def suppression(right_cards: int):
    """Answer every card: the first ``right_cards`` fully right, the rest fully wrong."""
    from widgets.exercises.suppression import SuppressionTechniques

    w = SuppressionTechniques.from_file("harskartekniker.yml", exercise_id="harskartekniker")
    bank = w.bank
    for number, card in enumerate(bank.cards):
        for part in ("technique", "counter", "confirming"):
            accepted = card.accepted(part)
            if number < right_cards:
                choice = next(c.id for c in bank.choices(part) if c.id in accepted)
            else:
                choice = next(c.id for c in bank.choices(part) if c.id not in accepted)
            w.choose(card.id, part, choice)
        w.check_card(card.id)
    return w


def voting(order_right: bool, result_right: bool, scenarios: int | None = None):
    from widgets.exercises.voting import VotingProcedure

    w = VotingProcedure.from_file("voteringsordning.yml", exercise_id="voteringsordning")
    for scenario in w.bank.scenarios[:scenarios]:
        if order_right:
            wanted = [s.id for s in scenario.steps()]
            view = w._views[scenario.id]
            for target, step_id in enumerate(wanted):
                while w.order(scenario.id).index(step_id) > target:
                    view.rows[step_id].up.click()
        w.check_order(scenario.id)
        outcomes = [o for o, _ in scenario.outcomes()]
        w.choose_result(
            scenario.id, scenario.decision() if result_right else next(o for o in outcomes if o != scenario.decision())
        )
        w.check_result(scenario.id)
    return w


def test_suppression_full_blank_partial():
    assert score_suppression("harskartekniker", points=7) == 0
    w = suppression(right_cards=7)
    assert w.score == w.max_score
    assert score_suppression("harskartekniker", points=7) == 7.0
    Path("svar/harskartekniker.json").unlink()
    suppression(right_cards=2)
    assert score_suppression("harskartekniker", points=7, content="harskartekniker.yml") == 2.0


def test_suppression_only_checked_cards_count():
    from widgets.exercises.suppression import SuppressionTechniques

    w = SuppressionTechniques.from_file("harskartekniker.yml", exercise_id="harskartekniker")
    card = w.bank.cards[0]
    for part in ("technique", "counter", "confirming"):
        w.choose(card.id, part, sorted(card.accepted(part))[0])
    assert score_suppression("harskartekniker", points=7) == 0  # chosen but not answered
    w.check_card(card.id)
    assert score_suppression("harskartekniker", points=7) == 1.0


def test_voting_full_blank_partial():
    assert score_voting("voteringsordning", points=6) == 0
    voting(order_right=True, result_right=True)
    assert score_voting("voteringsordning", points=6) == 6.0
    Path("svar/voteringsordning.json").unlink()
    voting(order_right=False, result_right=True)  # the start order is never right
    assert score_voting("voteringsordning", points=6) == 3.0
    Path("svar/voteringsordning.json").unlink()
    voting(order_right=True, result_right=False, scenarios=1)
    assert score_voting("voteringsordning", points=6) == 1.0


def test_role_finder_counts_choices_time_and_note():
    from widgets.exercises.role_finder import RoleFinder

    assert score_role_finder("rollsokaren", points=3) == 0
    w = RoleFinder.from_file("rollsokaren.yml", exercise_id="rollsokaren")
    assert score_role_finder("rollsokaren", points=3) == 0  # opened, nothing chosen: no file yet
    w.skill_boxes["foto"].value = True
    assert score_role_finder("rollsokaren", points=3) == 1.0
    w.time_choice.value = "enstaka"
    assert score_role_finder("rollsokaren", points=3) == 2.0
    w.note.value = "Jag tar gärna bilder på våra aktiviteter."
    assert score_role_finder("rollsokaren", points=3) == 3.0
    assert score_role_finder("rollsokaren", points=2) == 2.0


def test_choices_the_content_no_longer_has_do_not_count():
    AnswerStore().save(
        "rollsokaren", "role-finder", {"interests": ["finns-inte"], "skills": [], "time": "ofta", "note": "Hej"}
    )
    assert score_role_finder("rollsokaren", points=3) == 1.0  # only the note


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"schema": 1, "exercise_id": "X", "kind": "quiz", "saved_at": "", "data": {}}',
    ],
)
def test_damaged_answers_give_zero_stay_untouched_and_print_nothing(damage, capfd):
    Path("svar").mkdir()
    for exercise_id in FILES:
        Path(f"svar/{exercise_id}.json").write_bytes(damage.replace(b'"X"', f'"{exercise_id}"'.encode()))
    assert score_suppression("harskartekniker", points=7) == 0
    assert score_voting("voteringsordning", points=6) == 0
    assert score_role_finder("rollsokaren", points=3) == 0
    for exercise_id in FILES:
        assert Path(f"svar/{exercise_id}.json").read_bytes() == damage.replace(b'"X"', f'"{exercise_id}"'.encode())
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_forged_answers_earn_nothing():
    store = AnswerStore()
    store.save(
        "harskartekniker",
        "suppression",
        {"cards": {"samma-forslag": {"technique": "osynliggorande", "checked": True}}, "score": 28},
    )
    store.save(
        "voteringsordning",
        "voting",
        {
            "scenarios": {
                "varkampanj": {
                    "order": ["huvudvotering"],
                    "order_checked": True,
                    "result": "styrelsen",
                    "result_checked": True,
                }
            }
        },
    )
    assert score_suppression("harskartekniker", points=7) == 0
    assert score_voting("voteringsordning", points=6) == 0


def test_broken_content_is_the_authors_error():
    text = Path("voteringsordning.yml").read_text(encoding="utf-8").replace("huvudforslag", "huvudförslag", 1)
    Path("voteringsordning.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        score_voting("voteringsordning", points=6)
    assert "voteringsordning.yml (scenarios[1].proposals[1].kind)" in str(caught.value)
    with pytest.raises(ContentError):
        score_suppression("harskartekniker", points=7, content="finns-inte.yml")
    with pytest.raises(ContentError):
        score_role_finder("finns-inte", points=3)


def test_checks_do_not_import_widgets_ui_or_heavy_packages():
    code = (
        "import sys, grading.checks.practice; "
        "heavy = [m for m in ('ipywidgets', 'pandas', 'nbgrader', 'docx') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
