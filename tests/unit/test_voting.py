"""VotingProcedure (voteringsordning) driven with no kernel: Upp/Ned buttons, checks and the decision."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.exercises.voting import VotingProcedure, load_voting_bank
from widgets.models.content import ContentError
from widgets.models.voting import order_is_right, parse_voting_bank, voting_score

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "voteringsordning.yml"

BANK = {
    "title": "Leda ett beslut",
    "source": {"part": "Del 2", "section": "Varje möte ett genomtänkt möte"},
    "scenarios": [
        {
            "id": "kampanj",
            "title": "Vårens kampanj",
            "matter": "Vilken kampanj i vår?",
            "proposals": [
                {"id": "styrelsen", "kind": "huvudforslag", "text": "torgmöten"},
                {"id": "dorr", "kind": "andringsforslag", "text": "dörrknackning"},
                {"id": "hyror", "kind": "motforslag", "text": "hyreskampanj"},
                {"id": "remiss", "kind": "aterremiss", "text": "räkna på kostnaden"},
                {"id": "bord", "kind": "bordlaggning", "text": "till nästa möte"},
            ],
            "votes": {
                "bord": {"ja": 4, "nej": 19},
                "remiss": {"ja": 6, "nej": 17},
                "kontraproposition": {"dorr": 9, "hyror": 14},
                "huvudvotering": {"styrelsen": 8, "hyror": 15},
            },
            "explanation": "Hyreskampanjen vann.",
        },
        {
            "id": "cirkel",
            "title": "En studiecirkel",
            "matter": "Ska cirkeln starta i höst?",
            "proposals": [
                {"id": "host", "kind": "huvudforslag", "text": "i september"},
                {"id": "nyar", "kind": "motforslag", "text": "efter nyår"},
                {"id": "bord", "kind": "bordlaggning", "text": "till nästa möte"},
            ],
            "votes": {"bord": {"ja": 13, "nej": 8}},
        },
    ],
}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def widget(bank=BANK, exercise_id="votering") -> VotingProcedure:
    return VotingProcedure(copy.deepcopy(bank), exercise_id=exercise_id)


def order_by_buttons(w: VotingProcedure, scenario_id: str, wanted: list[str]) -> None:
    """Reach ``wanted`` by pressing Upp on each step in turn, as a keyboard user would."""
    view = w._views[scenario_id]
    for target, step_id in enumerate(wanted):
        while w.order(scenario_id).index(step_id) > target:
            view.rows[step_id].up.click()


def test_the_start_order_is_never_right_and_always_the_same():
    w = widget()
    for scenario in w.bank.scenarios:
        start = w.order(scenario.id)
        assert sorted(start) == sorted(s.id for s in scenario.steps())
        assert not order_is_right(scenario, start)
        assert widget(exercise_id="annan").order(scenario.id) == start


def test_right_order_by_buttons_then_right_decision():
    w = widget()
    order_by_buttons(w, "kampanj", ["bord", "remiss", "kontraproposition", "huvudvotering"])
    view = w._views["kampanj"]
    assert view.result_box.layout.display == "none"  # the votes come after the order
    view.check_order_button.click()
    assert "Rätt ordning!" in view.order_feedback.value
    assert "Bordläggning och återremiss är ordningsfrågor" in view.order_feedback.value
    assert "kontrapropositionsvotering" in view.order_feedback.value
    assert w.score == 1
    assert all(row.up.disabled and row.down.disabled for row in view.rows.values())
    assert view.result_box.layout.display is None
    assert "Kontrapropositionsvotering: ”dörrknackning” 9, ”hyreskampanj” 14." in view.rounds.value
    assert "Huvudvotering: ”torgmöten” 8, ”hyreskampanj” 15." in view.rounds.value
    view.result.value = "hyror"
    view.check_result_button.click()
    assert "Rätt beslut!" in view.result_feedback.value
    assert "Mötet beslutade: Mötet bifaller motförslaget: hyreskampanj" in view.result_feedback.value
    assert "Förklaring: Hyreskampanjen vann." in view.result_feedback.value
    assert view.result.disabled and w.score == 2 and w.finished == 1
    assert "Poäng: 2 av 4" in w._score_line.value


def test_procedural_questions_may_come_in_either_order():
    w = widget()
    order_by_buttons(w, "kampanj", ["remiss", "bord", "kontraproposition", "huvudvotering"])
    assert w.check_order("kampanj") is True


@pytest.mark.parametrize(
    "order",
    [
        ["kontraproposition", "bord", "remiss", "huvudvotering"],  # a procedural question after the matter
        ["bord", "remiss", "huvudvotering", "kontraproposition"],  # the main vote before the counter-vote
    ],
)
def test_wrong_order_scores_nothing_and_shows_the_right_one(order):
    w = widget()
    order_by_buttons(w, "kampanj", order)
    assert w.check_order("kampanj") is False
    text = w._views["kampanj"].order_feedback.value
    assert "Inte rätt ordning." in text
    assert "Rätt ordning: Ska ärendet återremitteras? (räkna på kostnaden) → Ska ärendet bordläggas?" in text
    assert w.score == 0
    with pytest.raises(ValueError, match="kan inte ändras"):
        w.move("kampanj", "bord", -1)


def test_tabling_that_wins_is_the_decision_and_later_votes_are_not_held():
    w = widget()
    order_by_buttons(w, "cirkel", ["bord", "huvudvotering"])
    view = w._views["cirkel"]
    view.check_order_button.click()
    assert "Det finns bara två förslag i sak" in view.order_feedback.value
    assert "Bordläggning: ja 13, nej 8. Ja vann." in view.rounds.value
    assert "Huvudvotering: hölls inte." in view.rounds.value
    w.choose_result("cirkel", "host")
    assert w.check_result("cirkel") is False
    assert "Inte rätt beslut." in view.result_feedback.value
    assert "Ärendet bordläggs: till nästa möte" in view.result_feedback.value
    assert w.score == 1


def test_buttons_at_the_ends_are_disabled_and_moves_there_do_nothing():
    w = widget()
    view = w._views["cirkel"]
    first, last = w.order("cirkel")
    assert view.rows[first].up.disabled and not view.rows[first].down.disabled
    assert view.rows[last].down.disabled
    w.move("cirkel", first, -1)
    assert w.order("cirkel") == [first, last]
    assert "Steg 1:" in view.rows[first].label.value
    assert view.rows[first].up.tooltip == "Flytta steg 1 ett steg upp"


def test_result_needs_the_order_first_and_a_choice():
    w = widget()
    with pytest.raises(ValueError, match="Kontrollera ordningen först"):
        w.choose_result("kampanj", "hyror")
    w.check_order("kampanj")
    view = w._views["kampanj"]
    view.check_result_button.click()
    assert "Välj vad mötet beslutade först." in view.result_feedback.value
    with pytest.raises(ValueError):
        w.check_result("kampanj")
    with pytest.raises(ValueError, match="inte ett av besluten"):
        w.choose_result("kampanj", "huvudvotering")


def test_every_move_is_saved_and_a_rebuilt_widget_restores_it():
    w = widget()
    order_by_buttons(w, "kampanj", ["bord", "remiss", "kontraproposition", "huvudvotering"])
    w.check_order("kampanj")
    w.choose_result("kampanj", "styrelsen")
    order_by_buttons(w, "cirkel", ["bord", "huvudvotering"])
    saved = json.loads(Path("svar/votering.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "voting"
    assert saved["data"]["scenarios"]["cirkel"]["order"] == ["bord", "huvudvotering"]
    assert saved["data"]["scenarios"]["kampanj"]["result"] == "styrelsen"

    again = widget()
    assert again.order("cirkel") == ["bord", "huvudvotering"]
    assert again.answer("kampanj").order_checked and not again.answer("kampanj").result_checked
    view = again._views["kampanj"]
    assert view.result.value == "styrelsen" and not view.result.disabled
    assert "Rätt ordning!" in view.order_feedback.value
    assert again.score == 1


def test_damaged_or_edited_answers_count_as_not_started():
    Path("svar").mkdir()
    Path("svar/votering.json").write_text("[1, 2", encoding="utf-8")
    w = widget()
    assert "gick inte att läsa" in w.status
    assert w.score == 0

    bank = parse_voting_bank(copy.deepcopy(BANK))
    forged = {
        "scenarios": {
            "kampanj": {
                "order": ["bord", "bord", "huvudvotering", "x"],
                "order_checked": True,
                "result": "hyror",
                "result_checked": True,
            },
            "cirkel": {
                "order": ["bord", "huvudvotering"],
                "order_checked": False,
                "result": "bord",
                "result_checked": True,
            },
        }
    }
    assert voting_score(bank, forged) == 0  # a broken order, and a result before the order was checked
    assert voting_score(bank, {"scenarios": []}) == 0


def test_accessible_names_and_classes():
    w = widget()
    view = w._views["kampanj"]
    row = view.rows["bord"]
    assert (row.up.description, row.down.description) == ("Upp", "Ned")
    assert "cirkel-voting-step" in row.box._dom_classes and "cirkel-voting-up" in row.up._dom_classes
    assert view.check_order_button.description == "Kontrollera ordningen"
    assert view.result.description == "Beslutet"
    assert "cirkel-voting" in w._dom_classes


def test_gallery_scenarios_are_valid_and_solvable(tmp_path):
    raw = yaml_data(GALLERY.read_text(encoding="utf-8"))
    assert raw["widget"] == "VotingProcedure" and raw["exercise_id"] == "voteringsordning"
    path = tmp_path / "voteringsordning.yml"
    path.write_text(yaml.safe_dump(raw["content"], allow_unicode=True), encoding="utf-8")
    w = VotingProcedure.from_file(path, exercise_id="voteringsordning")
    assert len(w.bank.scenarios) >= 3
    for scenario in w.bank.scenarios:
        order_by_buttons(w, scenario.id, [s.id for s in scenario.steps()])
        assert w.check_order(scenario.id)
        w.choose_result(scenario.id, scenario.decision())
        assert w.check_result(scenario.id)
    assert w.score == w.max_score


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            lambda b: b["scenarios"][0]["votes"]["kontraproposition"].update(dorr=14),
            "scenarios[1].votes.kontraproposition",
            "lika",
        ),
        (lambda b: b["scenarios"][0]["votes"].pop("huvudvotering"), "scenarios[1].votes.huvudvotering", "saknas"),
        (
            lambda b: b["scenarios"][1]["votes"].update(huvudvotering={"host": 1, "nyar": 2}),
            "scenarios[2].votes.huvudvotering",
            "hålls aldrig",
        ),
        (
            lambda b: b["scenarios"][0]["proposals"][1].update(kind="huvudforslag"),
            "scenarios[1].proposals",
            "exakt ett huvudförslag",
        ),
        (
            lambda b: b["scenarios"][0]["proposals"][1].update(kind="tillagg"),
            "scenarios[1].proposals[2].kind",
            "inte en sorts förslag",
        ),
        (lambda b: b["scenarios"][1]["proposals"].pop(1), "scenarios[2].proposals", "minst två förslag"),
        (lambda b: b["scenarios"][0]["votes"]["remiss"].update(ja=-1), "scenarios[1].votes.remiss.ja", "heltal"),
        (
            lambda b: b["scenarios"][0]["votes"]["huvudvotering"].update(dorr=3),
            "scenarios[1].votes.huvudvotering.dorr",
            "inte en känd nyckel",
        ),
        (lambda b: b["scenarios"][1].update(id="kampanj"), "scenarios[2].id", "finns redan"),
        (lambda b: b["scenarios"][0].update(matter=""), "scenarios[1].matter", "är tom"),
    ],
)
def test_malformed_scenarios_name_the_place(tmp_path, change, where, words):
    bank = copy.deepcopy(BANK)
    change(bank)
    path = tmp_path / "voteringsordning.yml"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_voting_bank(path)
    assert caught.value.where == where
    assert words in str(caught.value)
