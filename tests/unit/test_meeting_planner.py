"""MeetingPlanner driven with no kernel: the warnings, the agenda, exports and restore."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import docx
import pytest

from widgets.exercises.meeting_planner import MeetingPlanner
from widgets.models.content import ContentError
from widgets.models.meeting_planner import MeetingPlan, load_meeting_content, meeting_completeness
from widgets.storage.answers import AnswerStore

from builders_support import document_text, gallery_content, unlabelled_inputs, visible_text, write_content

pytestmark = pytest.mark.unit

NAME = "motesplanering"


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    write_content(NAME)


def planner() -> MeetingPlanner:
    return MeetingPlanner.from_file(f"{NAME}.yml", exercise_id=NAME)


def check_text(p: MeetingPlanner) -> str:
    return re.sub(r"<[^>]+>", " ", p._check.value)


def fill(p: MeetingPlanner) -> None:
    """A complete plan, entered through the controls and buttons as a learner does."""
    p.name.value = "Medlemsmöte om skolan"
    p.date.value = dt.date(2025, 3, 12)
    p.start.value = dt.time(18, 30)
    p.length.value = 120
    p.place.value = "Folkets hus"
    p.political.value = "Att vi kommer överens om vad vi vill med skolan"
    p.social.value = "Att nya medlemmar lär känna någon"
    for title, minutes in (("Välkomna och fika", 20), ("Samtal om skolan", 60), ("Vad gör vi nu?", 25)):
        p.add_item_button.click()
        p.agenda_rows[-1].title.value = title
        p.agenda_rows[-1].minutes.value = minutes
    p.role_inputs["chair"].value = "Sara"
    p.role_inputs["notes"].value = "Ali"
    p.role_inputs["welcome"].value = "Eva"
    p.practical_boxes["tillganglig"].value = True
    p.practical_boxes["barnpassning"].value = True
    p.practical_note.value = "Det finns hiss."


def test_steps_show_the_documents_wording_and_every_input_is_labelled():
    p = planner()
    fill(p)
    text = visible_text(p)
    assert "Bygger på strategidokumentet, Del 2, Varje möte ett genomtänkt möte" in text
    assert "tänka igenom de sociala syftena med varje möte" in text
    assert "Strategidokumentet, Del 3, Ett brett ledarskap" in text  # the practical step's quote has its own source
    assert p.political.description == "Politiskt syfte" and p.social.description == "Socialt syfte"
    assert p.role_inputs["welcome"].description == "Tar emot nya"
    assert p.practical_boxes["barnpassning"].description == "Barnpassning under mötet"
    assert unlabelled_inputs(p) == []
    assert "cirkel-meeting-planner" in p._dom_classes


def test_complete_plan_has_no_warnings_and_full_completeness():
    p = planner()
    fill(p)
    assert p.warnings == []
    assert "Allt viktigt är med." in check_text(p)
    assert "cirkel-live" in p._check._dom_classes  # a live region from the start (cirkel-a11y.js)
    assert "Dagordningen tar 105 av 120 minuter. Mötet börjar 18:30 och slutar 20:30." in check_text(p)
    assert meeting_completeness(p.plan, p.content) == 1


def test_new_plan_warns_about_purposes_agenda_and_welcome():
    p = planner()
    assert p.warnings == ["no_political_purpose", "no_social_purpose", "no_agenda", "no_welcome"]
    assert "Mötet har inget socialt syfte." in check_text(p)
    assert "Ingen är vald till ”Tar emot nya”." in check_text(p)
    assert p.length.value == 120  # the content's default length


def test_social_purpose_warning_appears_and_disappears():
    p = planner()
    fill(p)
    p.social.value = "   "
    assert p.warnings == ["no_social_purpose"]
    p.social.value = "Att alla känner sig välkomna"
    assert p.warnings == []


def test_nobody_welcomes_newcomers_warning():
    p = planner()
    fill(p)
    p.role_inputs["welcome"].value = ""
    assert p.warnings == ["no_welcome"]
    assert "Någon behöver ta emot de som är nya." in check_text(p)
    p.role_inputs["welcome"].value = "Eva"
    assert p.warnings == []


def test_agenda_past_the_time_warns_and_names_the_overrun():
    p = planner()
    fill(p)
    p.agenda_rows[1].minutes.value = 90  # 20 + 90 + 25 = 135
    assert p.agenda_minutes == 135
    assert p.warnings == ["over_time"]
    assert "Dagordningen tar 135 minuter, men mötet är 120 minuter. Det är 15 minuter för mycket." in check_text(p)
    p.length.value = 150
    assert p.warnings == []
    assert "slutar 21:00" in check_text(p)


def test_item_with_zero_minutes_warns():
    p = planner()
    fill(p)
    p.add_item("Övrigt")
    assert p.warnings == ["zero_minutes"]
    assert "Punkt 4 (”Övrigt”) har 0 minuter." in check_text(p)
    assert meeting_completeness(p.plan, p.content) < 1


def test_agenda_items_move_and_go_with_buttons():
    p = planner()
    fill(p)
    assert p.agenda_rows[0].up.layout.display == "none" and p.agenda_rows[-1].down.layout.display == "none"
    p.agenda_rows[2].up.click()
    assert [i.title for i in p.plan.agenda] == ["Välkomna och fika", "Vad gör vi nu?", "Samtal om skolan"]
    assert p.agenda_rows[1].title.value == "Vad gör vi nu?" and p.agenda_rows[1].title.description == "Punkt 2"
    p.agenda_rows[0].down.click()
    assert [i.title for i in p.plan.agenda][:2] == ["Vad gör vi nu?", "Välkomna och fika"]
    p.agenda_rows[0].remove.click()
    assert [i.title for i in p.plan.agenda] == ["Välkomna och fika", "Samtal om skolan"]
    assert p.agenda_minutes == 80
    saved = AnswerStore().load(NAME, kind="meeting-planner").data
    assert [i["title"] for i in saved["agenda"]] == ["Välkomna och fika", "Samtal om skolan"]


def test_too_many_items_is_told_plainly():
    p = planner()
    for _ in range(20):
        p.add_item_button.click()
    p.add_item_button.click()
    assert len(p.agenda_rows) == 20
    assert p.status == "Det går inte att lägga till fler än 20 rader här."


def test_markdown_export_is_a_notice_and_an_agenda():
    p = planner()
    fill(p)
    md = p.to_markdown()
    parts = [
        "# Kallelse och dagordning: Medlemsmöte om skolan",
        "## Kallelse",
        "Välkommen till Medlemsmöte om skolan!",
        "- När: 2025-03-12 klockan 18:30–20:30",
        "- Var: Folkets hus",
        "- Tar emot nya: Eva.",
        "### Varför vi ses",
        "Politiskt: Att vi kommer överens om vad vi vill med skolan",
        "Socialt: Att nya medlemmar lär känna någon",
        "### Praktiskt",
        "- Lokalen är tillgänglig för alla, oavsett funktionsförmåga.",
        "- Det finns barnpassning.",
        "- Det finns hiss.",
        "## Dagordning",
        "| Nr | Klockan | Punkt | Minuter |",
        "| 1 | 18:30 | Välkomna och fika | 20 |",
        "| 2 | 18:50 | Samtal om skolan | 60 |",
        "| 3 | 19:50 | Vad gör vi nu? | 25 |",
        "### Roller",
        "- Mötesordförande: Sara",
        "- Sekreterare: Ali",
    ]
    positions = [md.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "Tolk" not in md  # a practicality not ticked is not promised in the notice


def test_docx_export_opens_with_the_agenda_table(tmp_path):
    p = planner()
    fill(p)
    document = docx.Document(io.BytesIO(p.docx_bytes()))
    text = "\n".join(par.text for par in document.paragraphs)
    assert document.paragraphs[0].text == "Kallelse och dagordning: Medlemsmöte om skolan"
    assert "När: 2025-03-12 klockan 18:30–20:30" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Nr", "Klockan", "Punkt", "Minuter"]
    assert rows[2] == ["2", "18:50", "Samtal om skolan", "60"]
    written = p.to_docx(tmp_path / "kallelse.docx")
    assert "Välkommen till Medlemsmöte om skolan!" in "\n".join(par.text for par in docx.Document(written).paragraphs)


def test_download_links_carry_the_current_document():
    p = planner()
    fill(p)
    p.markdown_button.click()
    link = p.download.value
    assert 'download="kallelse-och-dagordning.md"' in link and ">Spara filen kallelse-och-dagordning.md</a>" in link
    payload = re.search(r"base64,([^\"]+)", link).group(1)
    assert base64.b64decode(payload).decode("utf-8") == p.to_markdown()
    p.docx_button.click()
    assert 'download="kallelse-och-dagordning.docx"' in p.download.value
    p.place.value = "Biblioteket"  # an old link would give an old notice
    assert p.download.value == ""


def test_everything_is_restored_after_rebuild():
    p = planner()
    fill(p)
    p.agenda_rows[2].up.click()
    again = planner()
    assert again.plan == p.plan
    assert again.date.value == dt.date(2025, 3, 12) and again.start.value == dt.time(18, 30)
    assert [r.title.value for r in again.agenda_rows] == ["Välkomna och fika", "Vad gör vi nu?", "Samtal om skolan"]
    assert [r.minutes.value for r in again.agenda_rows] == [20, 25, 60]
    assert again.role_inputs["welcome"].value == "Eva"
    assert again.practical_boxes["barnpassning"].value is True and again.practical_boxes["sprak"].value is False
    assert again.practical_note.value == "Det finns hiss."
    assert again.warnings == [] and again.to_markdown() == p.to_markdown()


def test_unreadable_answer_file_is_kept_aside_and_said_plainly():
    Path("svar").mkdir()
    Path(f"svar/{NAME}.json").write_text("{inte json", encoding="utf-8")
    p = planner()
    assert p.status.startswith(f"Dina sparade svar i övningen ”{NAME}” gick inte att läsa.")
    assert list(Path("svar").glob(f"{NAME}.olasbar-*.json.bak"))
    p.political.value = "Ny början"
    assert AnswerStore().load(NAME, kind="meeting-planner").data["political"] == "Ny början"


def test_damaged_plan_data_is_used_as_far_as_it_goes():
    content = load_meeting_content(f"{NAME}.yml")
    plan = MeetingPlan.from_json(
        {
            "name": 7,
            "date": "12 mars",
            "start": "25:99",
            "length": -5,
            "agenda": [{"title": "Fika", "minutes": "tio"}, "skräp", {"title": "Samtal", "minutes": 30.7}],
            "roles": {"welcome": "Eva", "okand-roll": "X", "chair": 3},
            "practical": {"barnpassning": "ja", "tillganglig": True, "finns-inte": True},
        },
        content,
    )
    assert (plan.name, plan.date, plan.start, plan.length) == ("", "", "", 120)
    assert [(i.title, i.minutes) for i in plan.agenda] == [("Fika", 0), ("Samtal", 30)]
    assert plan.roles == {"welcome": "Eva"}
    assert plan.practical == {"tillganglig": True}


def test_english_strings(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "en")
    p = planner()
    p.agenda_rows  # noqa: B018
    assert p.add_item_button.description == "Add item"
    assert "Someone needs to welcome the newcomers." in check_text(p)


def test_gallery_content_cites_the_document():
    content = gallery_content(NAME)
    text = document_text()
    for step in content["steps"].values():
        if step.get("quote"):
            assert " ".join(step["quote"].split()) in text, step["quote"]


@pytest.mark.parametrize(
    "change,where",
    [
        (lambda c: c["roles"].pop(2), "(roles)"),  # no "welcome" role: the check's rule needs it
        (lambda c: c["steps"].pop("agenda"), "(steps.agenda)"),
        (lambda c: c.update(default_length=5), "(default_length)"),
        (lambda c: c["practicalities"][1].update(id="tillganglig"), "(practicalities[2].id)"),
        (lambda c: c["practicalities"][0].update(hjalp="x"), "(practicalities[1].hjalp)"),
        (lambda c: c["roles"][0].pop("label"), "(roles[1].label)"),
        (lambda c: c["steps"]["practical"]["source"].pop("section"), "(steps.practical.source.section)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    content = gallery_content(NAME)
    change(content)
    write_content(NAME, content)
    with pytest.raises(ContentError) as caught:
        planner()
    assert str(caught.value).startswith(f"Fel i {NAME}.yml {where}: ")


def test_saved_file_is_plain_json_with_the_kind():
    p = planner()
    fill(p)
    record = json.loads(Path(f"svar/{NAME}.json").read_text(encoding="utf-8"))
    assert record["kind"] == "meeting-planner"
    assert record["data"]["start"] == "18:30" and record["data"]["date"] == "2025-03-12"
