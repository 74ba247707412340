"""RoleExpectations driven with no kernel: presets, the time balance, warnings, exports, restore."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from widgets.exercises.role_expectations import RoleExpectations
from widgets.models.content import ContentError
from widgets.models.role_expectations import Expectations, load_role_content, role_completeness
from widgets.storage.answers import AnswerStore

from builders_support import document_text, gallery_content, unlabelled_inputs, visible_text, write_content

pytestmark = pytest.mark.unit

NAME = "forvantningar"


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    write_content(NAME)


def builder() -> RoleExpectations:
    return RoleExpectations.from_file(f"{NAME}.yml", exercise_id=NAME)


def check_text(b: RoleExpectations) -> str:
    return re.sub(r"<[^>]+>", " ", b._check.value)


def fill(b: RoleExpectations) -> None:
    """The treasurer's template with hours, as a learner enters it: 11 hours, 2 of them droppable."""
    b.preset.value = "kassor"
    b.use_preset_button.click()
    for row, hours in zip(b.task_rows, (3, 4, 1, 1, 2)):
        row.hours.value = hours
    b.available.value = 12


def test_preset_fills_in_the_assignment_from_content():
    b = builder()
    assert [label for label, _ in b.preset.options][1:] == [
        "Ordförande",
        "Kassör",
        "Sekreterare",
        "Ledamot i styrelsen",
        "Studieorganisatör",
    ]
    b.preset.value = "kassor"
    b.use_preset_button.click()
    assert b.assignment.value == "Kassör"
    assert b.period.value == "Ett verksamhetsår, från årsmöte till årsmöte"
    assert [r.text.value for r in b.task_rows][:2] == ["Betala föreningens räkningar", "Föra föreningens bokföring"]
    assert [r.optional.value for r in b.task_rows] == [False, False, False, False, True]
    assert b.support.value.startswith("En överlämning från den som var kassör förut")
    assert b.status == "Uppgifterna för ”Kassör” är inlagda. Skriv hur många timmar i månaden varje uppgift tar."
    assert AnswerStore().load(NAME, kind="role-expectations").data["preset"] == "kassor"


def test_no_preset_chosen_is_told_plainly():
    b = builder()
    b.use_preset_button.click()
    assert b.status == "Välj först ett uppdrag i listan."
    assert b.task_rows == []


def test_steps_show_the_documents_wording_and_every_input_is_labelled():
    b = builder()
    fill(b)
    text = visible_text(b)
    assert "Bygger på strategidokumentet, Del 2, Det hållbara engagemanget" in text
    assert "kvinnor förväntas ta ett bredare ansvar" in text
    assert "Strategidokumentet, Del 3, Ett brett ledarskap" in text
    assert b.task_rows[4].optional.description == "Uppgift 5 kan väljas bort"
    assert unlabelled_inputs(b) == []


def test_balance_with_enough_time():
    b = builder()
    fill(b)
    assert b.needed_hours == 11 and b.hours_left == 1
    assert b.warnings == []
    assert "Uppdraget tar 11 timmar i månaden (9 utan det som kan väljas bort)." in check_text(b)
    assert "Personen har 12 timmar i månaden. Det blir 1 timme över." in check_text(b)
    assert role_completeness(b.answers_data, b.content) == 1


def test_over_time_suggests_dropping_when_that_is_enough():
    b = builder()
    fill(b)
    b.available.value = 9.5
    assert b.warnings == ["over_time"]
    assert b.hours_left == -1.5
    assert "Uppdraget tar 11 timmar i månaden, men personen har 9,5. Om ni väljer bort" in check_text(b)
    assert "Det fattas 1,5 timmar." in check_text(b)


def test_over_time_even_without_the_droppable_tasks():
    b = builder()
    fill(b)
    b.available.value = 6
    assert b.warnings == ["over_time"]
    assert "Även utan det som kan väljas bort tar det 9 timmar." in check_text(b)
    b.task_rows[1].optional.value = True  # the bookkeeping may be shared: 5 hours left without it
    assert "Om ni väljer bort det som kan väljas bort tar det 5 timmar" in check_text(b)
    b.available.value = 11
    assert b.warnings == []


def test_task_warnings_and_nothing_to_drop():
    b = builder()
    fill(b)
    b.add_task_button.click()
    b.task_rows[5].text.value = "Ringa nya medlemmar"
    assert b.warnings == ["task_without_hours"]
    assert "Uppgift 6 (”Ringa nya medlemmar”) har 0 timmar." in check_text(b)
    b.task_rows[5].hours.value = 1
    b.task_rows[4].optional.value = False
    assert b.warnings == ["nothing_to_drop"]
    assert "Det ska vara tillåtet att välja bort uppgifter." in check_text(b)
    b.task_rows[4].remove.click()
    assert [r.text.value for r in b.task_rows][-1] == "Ringa nya medlemmar"


def test_missing_parts_warn():
    b = builder()
    assert b.warnings == ["no_assignment", "no_tasks", "no_period", "no_support", "no_available"]
    fill(b)
    b.support.value = ""
    b.period.value = ""
    assert b.warnings == ["no_period", "no_support"]
    assert role_completeness(b.answers_data, b.content) == pytest.approx(4 / 6)


def test_markdown_export_is_a_template_for_the_nominating_committee():
    b = builder()
    fill(b)
    md = b.to_markdown()
    parts = [
        "# Förväntningar på uppdraget: Kassör",
        "En mall för valberedningen",
        "- Gäller: Ett verksamhetsår, från årsmöte till årsmöte",
        "- Tid: 11 timmar i månaden, 9 utan det som kan väljas bort",
        "## Uppgifter",
        "| Uppgift | Timmar i månaden | Kan väljas bort |",
        "| Föra föreningens bokföring | 4 | – |",
        "| Samla in pengar till särskilda projekt | 2 | Ja |",
        "## Det här kan väljas bort",
        "- Samla in pengar till särskilda projekt",
        "## Stöd",
        "## Tiden",
        "Det blir 1 timme över.",
        "*Bygger på strategidokumentet, Del 2, Det hållbara engagemanget.*",
    ]
    positions = [md.index(part) for part in parts]
    assert positions == sorted(positions)


def test_docx_export_opens_with_the_task_table():
    b = builder()
    fill(b)
    document = docx.Document(io.BytesIO(b.docx_bytes()))
    assert document.paragraphs[0].text == "Förväntningar på uppdraget: Kassör"
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Uppgift", "Timmar i månaden", "Kan väljas bort"]
    assert ["Samla in pengar till särskilda projekt", "2", "Ja"] in rows
    b.docx_button.click()
    assert 'download="forvantningar-pa-uppdraget.docx"' in b.download.value


def test_everything_is_restored_after_rebuild():
    b = builder()
    fill(b)
    b.task_rows[0].text.value = "Betala räkningar i tid"
    again = builder()
    assert again.answers_data == b.answers_data
    assert again.preset.value == "kassor"
    assert again.task_rows[0].text.value == "Betala räkningar i tid"
    assert [r.hours.value for r in again.task_rows] == [3, 4, 1, 1, 2]
    assert again.available.value == 12 and again.hours_left == 1
    assert again.to_markdown() == b.to_markdown()


def test_damaged_answers_are_used_as_far_as_they_go():
    content = load_role_content(f"{NAME}.yml")
    data = Expectations.from_json(
        {
            "preset": "finns-inte",
            "assignment": ["x"],
            "tasks": [{"text": "A", "hours": "två", "optional": "ja"}, None, {"text": "B", "hours": 1e9}],
            "available": float("inf"),
        },
        content,
    )
    assert (data.preset, data.assignment, data.available) == ("", "", 0.0)
    assert [(t.text, t.hours, t.optional) for t in data.tasks] == [("A", 0.0, False), ("B", 200.0, False)]


def test_unreadable_answer_file_is_kept_aside():
    Path("svar").mkdir()
    Path(f"svar/{NAME}.json").write_bytes(b"\xff\xfe")
    b = builder()
    assert "gick inte att läsa" in b.status
    assert list(Path("svar").glob(f"{NAME}.olasbar-*.json.bak"))


def test_gallery_content_cites_the_document():
    text = document_text()
    for step in gallery_content(NAME)["steps"].values():
        if step.get("quote"):
            assert " ".join(step["quote"].split()) in text, step["quote"]


@pytest.mark.parametrize(
    "change,where",
    [
        (lambda c: c["presets"][1].update(tasks=[]), "(presets[2].tasks)"),
        (lambda c: c["presets"][0]["tasks"][5].update(optional="ja"), "(presets[1].tasks[6].optional)"),
        (lambda c: c["presets"][2].update(id="kassor"), "(presets[3].id)"),
        (lambda c: c["presets"][0].update(id="Ordförande"), "(presets[1].id)"),
        (lambda c: c["steps"]["time"].pop("help"), "(steps.time.help)"),
        (lambda c: c.update(presets=[]), "(presets)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    content = gallery_content(NAME)
    change(content)
    write_content(NAME, content)
    with pytest.raises(ContentError) as caught:
        builder()
    assert str(caught.value).startswith(f"Fel i {NAME}.yml {where}: ")
