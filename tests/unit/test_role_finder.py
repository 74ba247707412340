"""RoleFinder (rollsökaren) driven with no kernel: checkboxes, time choice, the note and its exports."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from pathlib import Path

import docx
import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.exercises.role_finder import RoleFinder, load_role_content
from widgets.models.content import ContentError
from widgets.models.role_finder import MemberChoices, parse_role_content, role_completeness

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "rollsokaren.yml"

CONTENT = {
    "title": "Hitta din roll",
    "source": {"part": "Del 2", "section": "Roligt och effektivt arbete"},
    "suggestions": 2,
    "interests": [{"id": "skola", "label": "Skolan"}, {"id": "idrott", "label": "Idrott"}],
    "skills": [{"id": "foto", "label": "Fotografera"}, {"id": "leda", "label": "Leda möten"}],
    "times": [
        {"id": "enstaka", "label": "Enstaka gånger", "hours": 1},
        {"id": "varje-vecka", "label": "En kväll i veckan", "hours": 12},
    ],
    "roles": [
        {
            "id": "lanken",
            "name": "Länken till andra",
            "description": "Håller kontakten med idrottsföreningen.",
            "interests": ["idrott"],
            "min_time": "enstaka",
        },
        {
            "id": "fotograf",
            "name": "Fotograf",
            "description": "Tar bilder på det vi gör.",
            "skills": ["foto"],
            "min_time": "enstaka",
        },
        {
            "id": "skolgrupp",
            "name": "Skolgruppen",
            "description": "Driver skolfrågor lokalt.",
            "interests": ["skola"],
            "skills": ["foto"],
            "min_time": "enstaka",
        },
        {
            "id": "styrelse",
            "name": "Styrelsen",
            "description": "Leder föreningen.",
            "skills": ["leda"],
            "min_time": "varje-vecka",
        },
    ],
}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def widget(content=CONTENT, exercise_id="roll") -> RoleFinder:
    return RoleFinder(copy.deepcopy(content), exercise_id=exercise_id)


def downloaded(w: RoleFinder) -> bytes:
    match = re.search(r'href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)"', w.download.value)
    assert match, w.download.value
    return base64.b64decode(match.group(1))


def test_ticks_rank_roles_with_their_reasons():
    w = widget()
    assert "Kryssa i dina intressen" in w._suggestions.value
    w.skill_boxes["foto"].value = True
    w.interest_boxes["skola"].value = True
    assert w.suggested == ["skolgrupp", "fotograf"]  # two reasons before one
    html = w._suggestions.value
    assert "cirkel-live" in w._suggestions._dom_classes  # a live region from the start (cirkel-a11y.js)
    assert "För att du kryssat i ”Skolan” och ”Fotografera”." in html
    assert "För att du kryssat i ”Fotografera”." in html
    assert "Länken till andra" not in html  # nothing ticked points there


def test_a_role_that_needs_more_time_comes_last_and_apart():
    w = widget()
    w.skill_boxes["leda"].value = True
    w.interest_boxes["idrott"].value = True
    assert "Välj hur mycket tid du har" in w._suggestions.value
    assert w.suggested == ["lanken", "styrelse"]  # no time chosen yet: both fit
    w.time_choice.value = "enstaka"
    assert w.suggested == ["lanken"]
    assert "kräver mer tid" in w._suggestions.value and "Styrelsen" in w._suggestions.value
    w.time_choice.value = "varje-vecka"
    assert w.suggested == ["lanken", "styrelse"]


def test_nothing_fits_says_so():
    content = copy.deepcopy(CONTENT)
    content["interests"].append({"id": "musik", "label": "Musik"})
    w = widget(content)
    w.interest_boxes["musik"].value = True
    assert "Ingen roll i listan passar" in w._suggestions.value
    assert w.suggested == []


def test_every_change_is_saved_and_a_rebuilt_widget_restores_it():
    w = widget()
    w.skill_boxes["foto"].value = True
    w.time_choice.value = "enstaka"
    w.first_name.value = "Kim"
    w.note.value = "Jag fotar gärna på våra möten."
    saved = json.loads(Path("svar/roll.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "role-finder"
    assert saved["data"] == {
        "interests": [],
        "skills": ["foto"],
        "time": "enstaka",
        "first_name": "Kim",
        "note": "Jag fotar gärna på våra möten.",
    }
    again = widget()
    assert again.skill_boxes["foto"].value and not again.skill_boxes["leda"].value
    assert again.time_choice.value == "enstaka"
    assert again.first_name.value == "Kim" and again.note.value.startswith("Jag fotar")
    assert again.suggested == ["fotograf", "skolgrupp"]


def test_damaged_answer_file_is_kept_aside_and_unknown_ids_dropped():
    Path("svar").mkdir()
    Path("svar/roll.json").write_bytes(b"\xff\xfe")
    w = widget()
    assert "gick inte att läsa" in w.status
    assert list(Path("svar").glob("roll.olasbar-*.json.bak"))

    content = parse_role_content(copy.deepcopy(CONTENT))
    choices = MemberChoices.from_json(
        content, {"interests": ["skola", "okand", 3], "skills": "foto", "time": "aldrig", "note": 7}
    )
    assert choices == MemberChoices()  # a list with a number in it, a string, an unknown time, a number
    choices = MemberChoices.from_json(content, {"interests": ["okand", "skola"], "time": "enstaka"})
    assert choices.interests == ["skola"] and choices.time == "enstaka"


def test_completeness_counts_choices_time_and_note():
    w = widget()
    content = w.content
    assert role_completeness(w.choices) == 0
    w.interest_boxes["idrott"].value = True
    assert role_completeness(w.choices) == pytest.approx(1 / 3)
    w.time_choice.value = "enstaka"
    w.note.value = "   "
    assert role_completeness(w.choices) == pytest.approx(2 / 3)
    w.note.value = "Jag kan vara länk till idrottsföreningen."
    assert role_completeness(MemberChoices.from_json(content, w.answers())) == 1


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("first_name", "Kim Andersson", "name"),
        ("first_name", "Kim2", "name"),
        ("note", "Mejla mig på kim@example.org", "email"),
        ("note", "Ring mig på 070-123 45 67", "phone"),
        ("note", "Mitt personnummer är 19900101-1234", "id_number"),
    ],
)
def test_personal_data_is_named_and_blocks_the_export(field, text, code):
    w = widget()
    region = w.download
    assert "cirkel-live" in region._dom_classes  # there before a link or a refusal is put in it
    w.skill_boxes["foto"].value = True
    getattr(w, field).value = text
    assert code in w.problems
    assert f'data-code="{code}"' in w._privacy.value and "cirkel-live" in w._privacy._dom_classes
    w.markdown_button.click()
    assert w.download is region and "Anteckningen kan inte laddas ner än." in region.value
    assert "href=" not in region.value and "role=" not in region.value
    with pytest.raises(ValueError):
        w.to_markdown()
    with pytest.raises(ValueError):
        w.docx_bytes()


def test_a_first_name_and_plain_words_are_fine():
    w = widget()
    w.first_name.value = "Anna-Karin"
    w.note.value = "Jag kan ta bilder två gånger i månaden, från 2025."
    assert w.problems == []


def test_markdown_export_has_the_choices_the_roles_and_the_note():
    w = widget()
    w.interest_boxes["skola"].value = True
    w.skill_boxes["foto"].value = True
    w.skill_boxes["leda"].value = True
    w.time_choice.value = "enstaka"
    w.first_name.value = "Kim"
    w.note.value = "Jag vill fota.\n\nOch gärna skriva om skolan."
    w.markdown_button.click()
    assert 'download="roll-till-styrelsen.md"' in w.download.value
    text = downloaded(w).decode("utf-8")
    assert text == w.to_markdown()
    assert text.startswith("# Anteckning till styrelsen: en roll i föreningen\n")
    assert "*Bygger på strategidokumentet, Del 2, Roligt och effektivt arbete.*" in text
    assert "Från: Kim" in text
    assert "- Intressen: Skolan" in text and "- Det här kan jag: Fotografera, Leda möten" in text
    assert "- Tid: Enstaka gånger" in text
    assert (
        "1. **Skolgruppen**: Driver skolfrågor lokalt. Passar eftersom jag kryssat i ”Skolan” och ”Fotografera”."
        in text
    )
    assert "2. **Fotograf**" in text
    assert "Styrelsen" not in text.split("## Roller som kan passa")[1].split("## Till styrelsen")[0]  # needs more time
    assert text.rstrip().endswith("Jag vill fota.\n\nOch gärna skriva om skolan.")
    w.note.value = "Ändrat."
    assert w.download.value == ""  # an old link would download an old note


def test_markdown_without_a_name_says_a_member():
    w = widget()
    w.note.value = "Hej."
    assert "Från: en medlem" in w.to_markdown()


def test_docx_export_opens_with_python_docx():
    w = widget()
    w.interest_boxes["idrott"].value = True
    w.time_choice.value = "enstaka"
    w.first_name.value = "Kim"
    w.note.value = "Jag kan vara länk till idrottsföreningen."
    w.docx_button.click()
    assert 'download="roll-till-styrelsen.docx"' in w.download.value
    document = docx.Document(io.BytesIO(downloaded(w)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Anteckning till styrelsen: en roll i föreningen"
    assert "Från: Kim" in texts
    assert "Intressen: Idrott" in texts
    assert any(t.startswith("Länken till andra: Håller kontakten") for t in texts)
    assert texts[-1] == "Jag kan vara länk till idrottsföreningen."


def test_accessible_names_and_classes():
    w = widget()
    assert [b.description for b in w.interest_boxes.values()] == ["Skolan", "Idrott"]
    assert w.time_choice.description == "Tid"
    assert w.first_name.description == "Förnamn (frivilligt)"
    assert w.note.description == "Till styrelsen"
    assert w.markdown_button.description == "Ladda ner som Markdown"
    assert "cirkel-role-finder" in w._dom_classes
    assert "cirkel-role-finder-note" in w.note._dom_classes


def test_gallery_content_is_valid_and_follows_the_document(tmp_path):
    raw = yaml_data(GALLERY.read_text(encoding="utf-8"))
    assert raw["widget"] == "RoleFinder" and raw["exercise_id"] == "rollsokaren"
    path = tmp_path / "rollsokaren.yml"
    path.write_text(yaml.safe_dump(raw["content"], allow_unicode=True), encoding="utf-8")
    w = RoleFinder.from_file(path, exercise_id="rollsokaren")
    assert w.content.source == {"part": "Del 2", "section": "Roligt och effektivt arbete"}
    # "Finns det en fotograf och en som är bra på skolfrågor ...": both point somewhere
    w.skill_boxes["foto"].value = True
    w.interest_boxes["skola"].value = True
    w.time_choice.value = "nagra-timmar"
    assert "fotograf" in w.suggested and "sakkunnig" in w.suggested
    # "vara länken mellan oss och andra" for someone with little time
    w.skill_boxes["foto"].value = False
    w.interest_boxes["skola"].value = False
    w.interest_boxes["idrott"].value = True
    w.time_choice.value = "enstaka"
    assert w.suggested[0] == "lanken"


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda c: c["roles"][1].update(skills=["dansa"]), "roles[2].skills", "”dansa” finns inte i listan skills"),
        (lambda c: c["roles"][0].update(min_time="ofta"), "roles[1].min_time", "finns inte i listan times"),
        (lambda c: c["roles"][3].update(skills=[]), "roles[4]", "minst ett intresse"),
        (lambda c: c["skills"][0].update(id="skola"), "skills[1].id", "finns redan"),
        (lambda c: c["times"].pop(), "times", "minst två tidsval"),
        (lambda c: c["times"][0].update(hours="en"), "times[1].hours", "ett tal"),
        (lambda c: c["roles"][1].update(id="lanken"), "roles[2].id", "finns redan"),
        (lambda c: c["roles"][0].pop("description"), "roles[1].description", "saknas"),
        (lambda c: c.update(suggestions=0), "suggestions", "minst 1"),
        (lambda c: c["interests"][0].update(etikett="x"), "interests[1].etikett", "inte en känd nyckel"),
    ],
)
def test_malformed_content_names_the_place(tmp_path, change, where, words):
    content = copy.deepcopy(CONTENT)
    change(content)
    path = tmp_path / "rollsokaren.yml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_role_content(path)
    assert caught.value.where == where
    assert words in str(caught.value)
