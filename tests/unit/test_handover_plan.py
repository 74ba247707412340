"""HandoverPlan driven with no kernel: never a password in the file, first names only, warnings, exports."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import docx
import pytest

from widgets.exercises.handover_plan import HandoverPlan
from widgets.models.content import ContentError
from widgets.models.handover_plan import (
    Handover,
    handover_completeness,
    is_first_name,
    load_handover_content,
    looks_like_secret,
)
from widgets.storage.answers import AnswerStore

from builders_support import document_text, gallery_content, unlabelled_inputs, visible_text, write_content

pytestmark = pytest.mark.unit

NAME = "overlamning"
SECRET_REFUSED = "ser ut som ett lösenord eller en kod. Det sparas inte."


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    write_content(NAME)


def plan() -> HandoverPlan:
    return HandoverPlan.from_file(f"{NAME}.yml", exercise_id=NAME)


def saved_text() -> str:
    return Path(f"svar/{NAME}.json").read_text(encoding="utf-8")


def check_text(h: HandoverPlan) -> str:
    return re.sub(r"<[^>]+>", " ", h._check.value)


NOTES = {
    "kontakter": "Kontaktlistan finns i föreningens gemensamma mapp.",
    "dokument": "Protokollen finns i pärmen hos sekreteraren.",
    "arenden": "Lokalen för hösten är inte bokad.",
    "kalender": "Årsmöte i februari, budget i november.",
    "konton": "Banken sköts av kassören och ordföranden. Lösenorden finns i föreningens lösenordshanterare.",
}


def fill(h: HandoverPlan) -> None:
    """A complete handover plan, entered through the controls as a learner does."""
    h.assignment.value = "Kassör"
    for item_id, note in NOTES.items():
        h.item_rows[item_id].note.value = note
    h.item_rows["kontakter"].done.value = True
    h.new_name.value = "Eva-Lena"
    h.mentor_name.value = "Ali"
    h.mentor_role.value = "tidigare"
    h.focus.value = "Den första budgeten"
    for day, topic in (
        (dt.date(2025, 4, 2), "Vi går igenom bokföringen"),
        (dt.date(2025, 3, 5), "Vi går igenom kalendern"),
    ):
        h.add_meeting_button.click()
        h.meeting_rows[-1].date.value = day
        h.meeting_rows[-1].topic.value = topic


@pytest.mark.parametrize(
    "text",
    [
        "Lösenord: Kaka123",
        "lösenordet är Sommar2024",
        "Lösenordet är 'kaka'",
        "password=hunter2",
        "PIN 4521",
        "Portkoden är 1234",
        "larmkod: 9876",
        "Bankens inloggning: Sommar2024!",
        "Kontot har xK9#mQ2pL",
        "token a8f3k2l9m0q7b1c5d6",
    ],
)
def test_these_look_like_secrets(text):
    assert looks_like_secret(text)


@pytest.mark.parametrize(
    "text",
    [
        "Lösenorden finns i föreningens lösenordshanterare.",
        "Lösenordet är bytt när den nya har tagit över.",
        "Kassören och ordföranden har tillgång till banken.",
        "Årsmöte 2025-02-12, ring 070-123 45 67 till lokalen",
        "Se https://www.vansterpartiet.se/partiforeningar och ABF-Stockholm",
        "Protokollen finns i föreningens gemensamma mapp.",
        "",
    ],
)
def test_these_do_not(text):
    assert not looks_like_secret(text)


@pytest.mark.parametrize(
    "name,ok",
    [
        ("Eva", True),
        ("Eva-Lena", True),
        ("", True),
        ("Anna Svensson", False),
        ("eva@exempel.se", False),
        ("0701234567", False),
        ("A" * 31, False),
    ],
)
def test_first_names_only(name, ok):
    assert is_first_name(name) is ok


def test_a_password_in_a_checklist_note_is_refused_and_never_saved():
    h = plan()
    fill(h)
    row = h.item_rows["konton"]
    region = row.message
    assert "cirkel-live" in region._dom_classes and region.value == ""  # there before a refusal
    row.note.value = "Bankens lösenord: Kaka123"
    assert row.note.value == NOTES["konton"]  # the field goes back to what it held
    assert "Kaka123" not in saved_text()
    assert h.plan.items["konton"].note == NOTES["konton"]
    assert h.refused == ["item:konton"]
    assert row.message is region and SECRET_REFUSED in region.value and "role=" not in region.value
    assert "cirkel-refused" in row.note._dom_classes
    row.note.value = "Banken sköts av kassören."
    assert h.refused == [] and row.message.value == "" and "cirkel-refused" not in row.note._dom_classes
    assert json.loads(saved_text())["data"]["items"]["konton"]["note"] == "Banken sköts av kassören."


@pytest.mark.parametrize("field", ["assignment", "focus", "topic"])
def test_every_free_text_field_refuses_a_password(field):
    h = plan()
    fill(h)
    control = {"assignment": h.assignment, "focus": h.focus, "topic": h.meeting_rows[0].topic}[field]
    before = control.value
    control.value = "Sommar2024!"
    assert control.value == before
    assert "Sommar2024" not in saved_text()
    assert len(h.refused) == 1


def test_a_secret_topic_for_a_new_meeting_is_refused():
    h = plan()
    with pytest.raises(ValueError, match="ser ut som ett lösenord"):
        h.add_meeting("2025-05-01", "koden är 4521")
    assert h.meeting_rows == [] and not Path(f"svar/{NAME}.json").exists()  # nothing added, nothing saved
    h._guarded(lambda: h.add_meeting("2025-05-01", "koden är 4521"))
    assert SECRET_REFUSED in h.status


def test_mentor_pairing_takes_first_names_only():
    h = plan()
    fill(h)
    h.mentor_name.value = "Ali Hassan"
    assert h.mentor_name.value == "Ali"
    assert "Hassan" not in saved_text()
    assert "Skriv bara ett förnamn i ”Mentorn (bara förnamn)”" in h.pairing_message.value
    h.mentor_name.value = ""
    assert h.refused == [] and h.plan.pairing.mentor_name == ""


def test_a_saved_file_with_a_password_is_cleaned_on_restore():
    fill(plan())
    record = json.loads(saved_text())
    record["data"]["items"]["konton"]["note"] = "lösenord: Hemligt99"
    record["data"]["pairing"]["new_name"] = "Eva Andersson"
    Path(f"svar/{NAME}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    h = plan()
    assert h.item_rows["konton"].note.value == "" and h.new_name.value == ""
    assert "Hemligt99" not in saved_text() and "Andersson" not in saved_text()
    assert h.status.startswith("De sparade svaren hade text som inte får sparas")
    assert "Konton och inloggningar" in h.status and "Den nya (bara förnamn)" in h.status
    assert h.item_rows["kontakter"].note.value == NOTES["kontakter"]  # the rest is kept


def test_complete_plan_has_no_warnings():
    h = plan()
    fill(h)
    assert h.warnings == []
    assert "1 av 5 punkter är klara. 2 träffar har datum och innehåll." in check_text(h)
    assert handover_completeness(h.plan, h.content) == 1


def test_warnings_for_what_is_missing():
    h = plan()
    assert h.warnings == ["no_assignment"] + ["item_missing"] * 5 + ["no_mentor", "few_meetings"]
    fill(h)
    h.item_rows["kalender"].note.value = ""
    assert h.warnings == ["item_missing"]
    assert "Skriv hur ”Årets kalender” lämnas över." in check_text(h)
    h.item_rows["kalender"].note.value = "Årsmöte i februari."
    h.focus.value = ""
    assert h.warnings == ["no_focus"]
    h.focus.value = "Budgeten"
    h.meeting_rows[1].date.value = None
    assert h.warnings == ["meeting_without_date", "few_meetings"]
    assert "Det finns 1 träff med datum och innehåll. Planera minst 2." in check_text(h)
    h.meeting_rows[1].remove.click()
    h.add_meeting(dt.date(2025, 6, 1), "")
    assert h.warnings == ["meeting_without_topic", "few_meetings"]


def test_everything_is_labelled_and_the_warning_is_shown():
    h = plan()
    fill(h)
    text = visible_text(h)
    assert "Skriv aldrig ett lösenord eller en kod i den här övningen." in text
    assert "Lämna över lösenord direkt till den nya" in text  # the accounts item's own warning, from content
    assert "mentorskap, där de som varit med länge lär de nya" in text
    assert h.item_rows["konton"].note.description == "Konton och inloggningar: vad och var"
    assert h.meeting_rows[0].date.description == "Träff 1: datum"
    assert unlabelled_inputs(h) == []


def test_markdown_and_docx_exports():
    h = plan()
    fill(h)
    md = h.to_markdown()
    parts = [
        "# Överlämning: Kassör",
        "## Det här lämnas över",
        "| Vad | Hur och var | Klart |",
        "| Kontakter | Kontaktlistan finns i föreningens gemensamma mapp. | Ja |",
        "| Konton och inloggningar | Banken sköts av kassören och ordföranden.",
        "*Lösenord och koder står aldrig här.",
        "## Mentor",
        "- Den nya: Eva-Lena",
        "- Mentor: Ali (Den som hade uppdraget förut)",
        "- Mentorn hjälper till med: Den första budgeten",
        "## Träffar",
        "| 2025-03-05 | Vi går igenom kalendern |",  # in date order, whatever order they were added in
        "| 2025-04-02 | Vi går igenom bokföringen |",
    ]
    positions = [md.index(part) for part in parts]
    assert positions == sorted(positions)
    document = docx.Document(io.BytesIO(h.docx_bytes()))
    assert document.paragraphs[0].text == "Överlämning: Kassör"
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert tables[0][0] == ["Vad", "Hur och var", "Klart"] and tables[0][1][2] == "Ja"
    assert tables[1][1:] == [["2025-03-05", "Vi går igenom kalendern"], ["2025-04-02", "Vi går igenom bokföringen"]]
    h.markdown_button.click()
    assert 'download="overlamning.md"' in h.download.value


def test_everything_is_restored_after_rebuild():
    h = plan()
    fill(h)
    again = plan()
    assert again.plan == h.plan
    assert again.item_rows["konton"].note.value == NOTES["konton"]
    assert again.item_rows["kontakter"].done.value is True
    assert (again.new_name.value, again.mentor_name.value, again.mentor_role.value) == ("Eva-Lena", "Ali", "tidigare")
    assert [r.date.value for r in again.meeting_rows] == [dt.date(2025, 4, 2), dt.date(2025, 3, 5)]
    assert again.status == "" and again.to_markdown() == h.to_markdown()


def test_damaged_answers_are_used_as_far_as_they_go():
    content = load_handover_content(f"{NAME}.yml")
    data = Handover.from_json(
        {
            "assignment": None,
            "items": {"konton": {"note": "Banken", "done": "ja"}, "finns-inte": {"note": "x"}, "dokument": "skräp"},
            "pairing": {"mentor_role": "okand", "focus": 3},
            "meetings": [{"date": "igår", "topic": "A"}, 5, {"date": "2025-01-02", "topic": "B"}],
        },
        content,
    )
    assert data.assignment == "" and data.items["konton"].note == "Banken" and data.items["konton"].done is False
    assert set(data.items) == {i.id for i in content.checklist}
    assert data.pairing.mentor_role == "" and data.pairing.focus == ""
    assert [(m.date, m.topic) for m in data.meetings] == [("", "A"), ("2025-01-02", "B")]


def test_unreadable_answer_file_is_kept_aside():
    Path("svar").mkdir()
    Path(f"svar/{NAME}.json").write_text("[]", encoding="utf-8")
    h = plan()
    assert "gick inte att läsa" in h.status
    h.assignment.value = "Sekreterare"
    assert AnswerStore().load(NAME, kind="handover-plan").data["assignment"] == "Sekreterare"


def test_gallery_content_cites_the_document_and_its_placeholders_pass_the_guard():
    content = gallery_content(NAME)
    for item in content["checklist"]:
        assert not looks_like_secret(item.get("placeholder", "")), item["id"]
    text = document_text()
    for step in content["steps"].values():
        if step.get("quote"):
            assert " ".join(step["quote"].split()) in text, step["quote"]


@pytest.mark.parametrize(
    "change,where",
    [
        (lambda c: c["checklist"][4].update(varning="x"), "(checklist[5].varning)"),
        (lambda c: c["checklist"][1].update(id="kontakter"), "(checklist[2].id)"),
        (lambda c: c.update(mentor_roles=[]), "(mentor_roles)"),
        (lambda c: c.update(min_meetings=0), "(min_meetings)"),
        (lambda c: c["steps"].pop("mentor"), "(steps.mentor)"),
        (lambda c: c["mentor_roles"][0].pop("label"), "(mentor_roles[1].label)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    content = gallery_content(NAME)
    change(content)
    write_content(NAME, content)
    with pytest.raises(ContentError) as caught:
        plan()
    assert str(caught.value).startswith(f"Fel i {NAME}.yml {where}: ")
