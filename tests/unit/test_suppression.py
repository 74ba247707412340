"""SuppressionTechniques (härskartekniker) driven with no kernel: lists, buttons and public methods."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.exercises.suppression import SuppressionTechniques, load_suppression_bank
from widgets.models.content import ContentError
from widgets.models.suppression import parse_suppression_bank, suppression_score
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "harskartekniker.yml"

BANK = {
    "title": "Härskartekniker",
    "source": {"part": "Del 2", "section": "Internfeminism för framtiden"},
    "points": {"technique": 2, "counter": 1, "confirming": 1},
    "techniques": [
        {"id": "osynliggorande", "name": "Osynliggörande"},
        {"id": "forlojligande", "name": "Förlöjligande"},
        {"id": "vald", "name": "Våld eller hot om våld"},
    ],
    "counters": [
        {"id": "ta-plats", "name": "Ta plats"},
        {"id": "ifragasatt", "name": "Ifrågasätt"},
        {"id": "ta-hjalp", "name": "Säg ifrån och ta hjälp"},
    ],
    "confirming": [
        {"id": "synliggorande", "name": "Synliggörande"},
        {"id": "respekterande", "name": "Respekterande"},
        {"id": "bekraftande", "name": "Bekräftande"},
    ],
    "cards": [
        {
            "id": "bortglomd",
            "scenario": "En ny medlem föreslår något. Ingen svarar.",
            "technique": "osynliggorande",
            "counters": ["ta-plats"],
            "confirming": ["synliggorande"],
            "explanation": "Förslaget blev inte hört.",
        },
        {
            "id": "hot",
            "scenario": "Någon hotar en medlem i korridoren.",
            "technique": "vald",
            "counters": ["ta-hjalp"],
            "confirming": ["bekraftande", "respekterande"],
            "explanation": "Ett hot ska aldrig hanteras ensam.",
        },
    ],
}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def widget(bank=BANK, exercise_id="harskar") -> SuppressionTechniques:
    return SuppressionTechniques(copy.deepcopy(bank), exercise_id=exercise_id)


def pick(w: SuppressionTechniques, card_id: str, technique: str, counter: str, confirming: str) -> None:
    """Choose in the three lists, as a learner does."""
    view = w._views[card_id]
    view.lists["technique"].value = technique
    view.lists["counter"].value = counter
    view.lists["confirming"].value = confirming


def test_all_right_through_the_lists_and_button():
    w = widget()
    assert w.max_score == 8 and w.score == 0
    pick(w, "bortglomd", "osynliggorande", "ta-plats", "synliggorande")
    view = w._views["bortglomd"]
    view.check_button.click()
    assert w.score == 4 and w.checked == 1
    text = view.feedback.value
    assert "cirkel-live" in view.feedback._dom_classes  # a live region from the start (cirkel-a11y.js)
    assert "Härskarteknik: Rätt, Osynliggörande." in text
    assert "Motstrategi: Rätt, Ta plats." in text
    assert "Bekräftarteknik: Rätt, Synliggörande." in text
    assert "Förklaring: Förslaget blev inte hört." in text
    assert all(dropdown.disabled for dropdown in view.lists.values())
    assert view.check_button.layout.display == "none"
    assert "Poäng: 4 av 8" in w._score_line.value
    assert "Besvarade situationer: 1 av 2" in w._score_line.value


def test_wrong_technique_shows_the_right_one_and_scores_the_parts_that_were_right():
    w = widget()
    pick(w, "bortglomd", "forlojligande", "ta-plats", "respekterande")
    result = w.check_card("bortglomd")
    assert result == {"technique": False, "counter": True, "confirming": False}
    assert w.score == 1
    text = w._views["bortglomd"].feedback.value
    assert "Härskarteknik: Du valde Förlöjligande. Rätt svar: Osynliggörande." in text
    assert "Bekräftarteknik: Du valde Respekterande. Rätt svar: Synliggörande." in text
    assert "Poäng för situationen: 1 av 4" in text


def test_any_listed_answer_counts_and_feedback_lists_them_all():
    w = widget()
    pick(w, "hot", "vald", "ta-plats", "respekterande")
    assert w.check_card("hot") == {"technique": True, "counter": False, "confirming": True}
    assert w.score == 3
    # the accepted confirming techniques, in the bank's order, when a learner gets it wrong
    w2 = widget(exercise_id="andra")
    pick(w2, "hot", "vald", "ta-hjalp", "synliggorande")
    w2.check_card("hot")
    assert "Rätt svar: Respekterande eller Bekräftande." in w2._views["hot"].feedback.value


def test_answer_needs_all_three_choices_and_uses_nothing():
    w = widget()
    view = w._views["bortglomd"]
    view.lists["technique"].value = "osynliggorande"
    view.check_button.click()
    assert "Välj en härskarteknik, en motstrategi och en bekräftarteknik först." in view.feedback.value
    assert not w.answer("bortglomd").checked and w.score == 0
    with pytest.raises(ValueError):
        w.check_card("bortglomd")


def test_a_checked_card_is_locked():
    w = widget()
    pick(w, "bortglomd", "forlojligande", "ta-plats", "synliggorande")
    w.check_card("bortglomd")
    with pytest.raises(ValueError, match="redan svarat"):
        w.choose("bortglomd", "technique", "osynliggorande")
    with pytest.raises(ValueError):
        w.check_card("bortglomd")
    w._views["bortglomd"].lists["technique"].value = "osynliggorande"  # a stray event from the page
    assert w.answer("bortglomd").technique == "forlojligande"
    assert w._views["bortglomd"].lists["technique"].value == "forlojligande"
    assert w.score == 2


def test_unknown_card_part_or_choice_is_refused_plainly():
    w = widget()
    with pytest.raises(ValueError, match="finns inte i övningen"):
        w.choose("nej", "technique", "osynliggorande")
    with pytest.raises(ValueError, match="inte en av listorna"):
        w.choose("bortglomd", "slag", "osynliggorande")
    with pytest.raises(ValueError, match="finns inte i listan"):
        w.choose("bortglomd", "technique", "ta-plats")  # a counter-strategy is not a technique


def test_every_change_is_saved_and_a_rebuilt_widget_restores_it():
    w = widget()
    pick(w, "bortglomd", "osynliggorande", "ta-plats", "synliggorande")
    w.check_card("bortglomd")
    w.choose("hot", "technique", "vald")  # chosen, not yet answered
    saved = json.loads(Path("svar/harskar.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "suppression"
    assert saved["data"]["cards"]["hot"] == {"technique": "vald", "counter": "", "confirming": "", "checked": False}

    again = widget()
    assert again.score == 4 and again.checked == 1
    assert again._views["bortglomd"].lists["technique"].disabled
    assert "Rätt, Osynliggörande" in again._views["bortglomd"].feedback.value
    assert again._views["hot"].lists["technique"].value == "vald"
    assert not again._views["hot"].lists["technique"].disabled


def test_edited_answer_file_cannot_buy_points():
    w = widget()
    pick(w, "bortglomd", "forlojligande", "ifragasatt", "respekterande")
    w.check_card("bortglomd")
    path = Path("svar/harskar.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["data"]["cards"]["hot"] = {
        "technique": "vald",
        "counter": "nonsens",
        "confirming": "bekraftande",
        "checked": True,
    }
    record["data"]["score"] = 99
    path.write_text(json.dumps(record), encoding="utf-8")
    again = widget()
    assert again.score == 0  # wrong card stays wrong; an incomplete card is never checked
    assert not again.answer("hot").checked and again.answer("hot").counter == ""


def test_damaged_answer_file_is_kept_aside_and_said_plainly():
    Path("svar").mkdir()
    Path("svar/harskar.json").write_text("{inte json", encoding="utf-8")
    w = widget()
    assert "gick inte att läsa" in w.status
    assert "cirkel-live-alert" in w._status_box.alert._dom_classes and "gick inte att läsa" in w._status_box.alert.value
    assert list(Path("svar").glob("harskar.olasbar-*.json.bak"))
    assert w.score == 0
    pick(w, "bortglomd", "osynliggorande", "ta-plats", "synliggorande")
    assert AnswerStore().load("harskar") is not None


def test_every_control_has_an_accessible_name():
    w = widget()
    view = w._views["bortglomd"]
    assert [d.description for d in view.lists.values()] == ["Härskarteknik", "Motstrategi", "Bekräftarteknik"]
    assert view.check_button.description == "Svara"
    assert "cirkel-suppression" in w._dom_classes
    assert "cirkel-suppression-card" in view.box._dom_classes
    assert "<details" in w.children[0].value and "Osynliggörande" in w.children[0].value


def test_english_strings(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "en")
    w = widget()
    pick(w, "bortglomd", "forlojligande", "ta-plats", "synliggorande")
    w.check_card("bortglomd")
    assert (
        "Suppression technique: You chose Förlöjligande. Right answer: Osynliggörande."
        in w._views["bortglomd"].feedback.value
    )


def test_score_from_saved_data_alone():
    bank = parse_suppression_bank(copy.deepcopy(BANK))
    data = {
        "cards": {
            "bortglomd": {
                "technique": "osynliggorande",
                "counter": "ta-plats",
                "confirming": "bekraftande",
                "checked": True,
            }
        }
    }
    assert suppression_score(bank, data) == 3
    assert suppression_score(bank, {"cards": "trasig"}) == 0
    assert suppression_score(bank, None) == 0


def test_gallery_bank_is_valid_and_covers_all_seven_techniques():
    raw = yaml_data(GALLERY.read_text(encoding="utf-8"))
    assert raw["widget"] == "SuppressionTechniques" and raw["exercise_id"] == "harskartekniker"
    bank = parse_suppression_bank(raw["content"], GALLERY.name)
    assert bank.source == {"part": "Del 2", "section": "Internfeminism för framtiden"}
    assert len(bank.techniques) == 7
    assert {card.technique for card in bank.cards} == {c.id for c in bank.techniques}
    Path("harskartekniker.yml").write_text(yaml.safe_dump(raw["content"], allow_unicode=True), encoding="utf-8")
    w = SuppressionTechniques.from_file("harskartekniker.yml", exercise_id="harskartekniker")
    assert len(w._views) == 7


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            lambda b: b["cards"][1].update(technique="slag"),
            "cards[2].technique",
            "”slag” finns inte i listan techniques",
        ),
        (lambda b: b["cards"][0].update(counters=[]), "cards[1].counters", "minst ett svar"),
        (
            lambda b: b["cards"][0].update(confirming=["ta-plats"]),
            "cards[1].confirming",
            "finns inte i listan confirming",
        ),
        (lambda b: b["cards"][1].update(id="bortglomd"), "cards[2].id", "finns redan"),
        (lambda b: b["techniques"].pop() and b["techniques"].pop(), "techniques", "minst två val"),
        (lambda b: b["counters"][0].pop("name"), "counters[1].name", "”name” saknas"),
        (lambda b: b["cards"][0].update(scenario="  "), "cards[1].scenario", "är tom"),
        (lambda b: b["points"].update(counter=-1), "points.counter", "0 eller mer"),
        (lambda b: b["cards"][0].update(svar="x"), "cards[1].svar", "inte en känd nyckel"),
        (lambda b: b.update(cards=[]), "cards", "inga situationer"),
    ],
)
def test_malformed_bank_names_the_place(tmp_path, change, where, words):
    bank = copy.deepcopy(BANK)
    change(bank)
    path = tmp_path / "harskartekniker.yml"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_suppression_bank(path)
    assert caught.value.where == where
    assert caught.value.path.name == "harskartekniker.yml"
    assert words in str(caught.value)
