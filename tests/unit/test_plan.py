"""StrategicPlanBuilder driven with no kernel: the live realism check, exports and restore."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import docx
import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.exercises.plan import StrategicPlanBuilder
from widgets.models.content import ContentError
from widgets.models.plan import Plan, load_prompts, plan_completeness
from widgets.storage.answers import AnswerStore

from course_paths import DOCUMENT

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = ROOT / "courses" / "ledarskap" / "02-strategiska-planer" / "strategisk-plan.yml"


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def builder() -> StrategicPlanBuilder:
    return StrategicPlanBuilder.from_file(PROMPTS, exercise_id="strategisk-plan")


def check_text(b: StrategicPlanBuilder) -> str:
    return re.sub(r"<[^>]+>", " ", b._check.value)


def fill(b: StrategicPlanBuilder) -> None:
    """A complete, realistic plan, entered through the controls as a learner does."""
    b.perception.value = "Det parti som finns på plats när hyresgästerna organiserar sig."
    b.add_goal_button.click()
    b.goal_rows[0].text.value = "Fler aktiva medlemmar mellan valen"
    b.add_goal_button.click()
    b.goal_rows[1].text.value = "Kända i bostadsområdet"
    b.goal_rows[1].years.value = 4
    b.members.value = 8
    b.hours.value = 30
    b.money.value = 6000
    b.add_activity_button.click()
    b.activity_rows[0].text.value = "Studiecirkel för nya medlemmar"
    b.activity_rows[0].goal.value = b.plan.goals[0].id
    b.activity_rows[0].hours.value = 6
    b.add_activity_button.click()
    b.activity_rows[1].text.value = "Dörrknackning"
    b.activity_rows[1].goal.value = b.plan.goals[1].id
    b.activity_rows[1].hours.value = 12
    b.activity_rows[1].cost.value = 1500
    b.add_discussion_button.click()
    b.discussion_rows[0].what.value = "Medlemsmöte om första utkastet"
    b.discussion_rows[0].when.value = "12 mars"
    b.add_discussion_button.click()
    b.discussion_rows[1].what.value = "Årsmötet antar planen"
    b.discussion_rows[1].when.value = "april"
    b.revisit.value = "En punkt på varje styrelsemöte"


def test_steps_show_the_documents_wording_and_source():
    b = builder()
    texts = " ".join(getattr(w, "value", "") for w in _walk(b) if hasattr(w, "value") and isinstance(w.value, str))
    assert "Del 3, Strategiska planer" in texts
    assert "tydliga mål för hur vi vill uppfattas" in texts
    for step in ("1. Så vill vi uppfattas", "2. Våra viktigaste mål", "6. Så följer vi upp planen"):
        assert step in texts
    assert b.perception.description == "Så vill vi uppfattas"
    assert b.add_goal_button.description == "Lägg till mål"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_every_input_has_a_label():
    b = builder()
    fill(b)
    inputs = [
        w
        for w in _walk(b)
        if w.__class__.__name__ in {"Text", "Textarea", "BoundedIntText", "BoundedFloatText", "Dropdown"}
    ]
    assert len(inputs) >= 14
    assert [w for w in inputs if not w.description.strip()] == []
    buttons = [w for w in _walk(b) if w.__class__.__name__ == "Button"]
    assert [w for w in buttons if not w.description.strip()] == []


def test_complete_plan_passes_the_realism_check():
    b = builder()
    fill(b)
    assert b.warnings == []
    assert "Planen klarar realismkollen." in check_text(b)
    assert "cirkel-live" in b._check._dom_classes  # a live region from the start (cirkel-a11y.js)
    assert plan_completeness(b.plan, b.prompts) == 1


def test_hours_warning_appears_and_disappears():
    b = builder()
    fill(b)
    b.hours.value = 10  # 18 hours planned
    assert "hours_exceeded" in b.warnings
    assert "Aktiviteterna behöver 18 timmar i månaden, men medlemmarna kan ge 10." in check_text(b)
    b.activity_rows[1].hours.value = 4
    assert "hours_exceeded" not in b.warnings
    assert "timmar i månaden, men" not in check_text(b)


def test_goal_without_activity_appears_and_disappears():
    b = builder()
    fill(b)
    b.activity_rows[1].goal.value = ""  # untie the door-knocking
    assert "goal_without_activity" in b.warnings and "activity_without_goal" in b.warnings
    assert "Det finns ingen aktivitet för mål 2 (”Kända i bostadsområdet”)." in check_text(b)
    assert "Aktivitet 2 (”Dörrknackning”) hör inte till något mål." in check_text(b)
    b.activity_rows[1].goal.value = b.plan.goals[1].id
    assert b.warnings == []


def test_goal_count_warnings():
    b = builder()
    fill(b)
    b.remove_goal(1)
    assert "too_few_goals" in b.warnings
    assert "Planen har 1 mål. Skriv minst 2." in check_text(b)
    assert b.activity_rows[1].goal.value == ""  # its activity lost the tie, kept its text
    b.add_goal("Fler unga", years=3)
    b.add_goal("Starkare ekonomi", years=3)
    b.add_goal("Fler kvinnor i ledningen", years=3)
    b.add_goal("Synas i lokaltidningen", years=3)
    assert "too_many_goals" in b.warnings
    assert "Planen har 5 mål. Välj ut högst 4" in check_text(b)
    b.goal_rows[4].remove.click()
    assert "too_many_goals" not in b.warnings and "too_few_goals" not in b.warnings


def test_short_goal_anchoring_revisit_and_cost_warnings():
    b = builder()
    fill(b)
    b.goal_rows[0].years.value = 1
    assert "short_goal" in b.warnings and "flera år" in check_text(b)
    b.goal_rows[0].years.value = 2
    b.discussion_rows[1].remove.click()
    assert "few_discussions" in b.warnings
    b.add_discussion("Temamöte", "maj")
    b.revisit.value = "  "
    assert "no_revisit" in b.warnings
    b.revisit.value = "Varje styrelsemöte"
    b.money.value = 1000
    assert "cost_exceeded" in b.warnings
    assert "Aktiviteterna kostar 1\xa0500 kr per år, men föreningen har 1\xa0000 kr." in check_text(b)
    b.money.value = 1500
    assert b.warnings == []


def test_goal_priority_moves_and_activities_follow():
    b = builder()
    fill(b)
    first, second = (g.id for g in b.plan.goals)
    b.goal_rows[1].up.click()
    assert [g.id for g in b.plan.goals] == [second, first]
    assert b.goal_rows[0].text.value == "Kända i bostadsområdet"
    assert b.goal_rows[0].text.description == "Mål 1"
    assert b.activity_rows[1].goal.value == second  # still tied to the same goal
    assert b.activity_rows[1].goal.label.startswith("Mål 1: Kända")
    md = b.to_markdown()
    assert md.index("Kända i bostadsområdet") < md.index("Fler aktiva medlemmar")


def test_goal_names_update_in_the_activity_lists():
    b = builder()
    fill(b)
    b.goal_rows[0].text.value = "Fler aktiva"
    assert b.activity_rows[0].goal.label == "Mål 1: Fler aktiva"
    assert b.activity_rows[0].goal.value == b.plan.goals[0].id


def test_markdown_export_has_every_part_in_order():
    b = builder()
    fill(b)
    md = b.to_markdown()
    parts = [
        "# Vår strategiska plan",
        "Del 3, Strategiska planer",
        "## 1. Så vill vi uppfattas",
        "hyresgästerna organiserar sig",
        "## 2. Våra viktigaste mål",
        "1. **Fler aktiva medlemmar mellan valen** (inom 3 verksamhetsår)",
        "   - Studiecirkel för nya medlemmar: 6 timmar i månaden",
        "2. **Kända i bostadsområdet** (inom 4 verksamhetsår)",
        "   - Dörrknackning: 12 timmar i månaden, 1\xa0500 kr per år",
        "## 3. Våra verkliga resurser",
        "- Aktiva medlemmar: 8",
        "Aktiviteterna behöver 18 av 30 timmar i månaden.",
        "## 5. Så förankrar vi planen bland medlemmarna",
        "- Medlemsmöte om första utkastet (12 mars)",
        "## 6. Så följer vi upp planen",
        "En punkt på varje styrelsemöte",
        "## Realismkoll",
        "Planen klarar realismkollen.",
    ]
    positions = [md.index(part) for part in parts]
    assert positions == sorted(positions)


def test_docx_export_opens_and_has_the_goals(tmp_path):
    b = builder()
    fill(b)
    b.hours.value = 10
    document = docx.Document(io.BytesIO(b.docx_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Vår strategiska plan"
    assert text.index("Fler aktiva medlemmar mellan valen") < text.index("Kända i bostadsområdet")
    assert "Dörrknackning: 12 timmar i månaden, 1\xa0500 kr per år" in text
    assert "Aktiviteterna behöver 18 timmar i månaden, men medlemmarna kan ge 10." in text
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "Aktiva medlemmar" in cells and "8" in cells

    written = b.to_docx(tmp_path / "plan.docx")
    assert "Kända i bostadsområdet" in "\n".join(p.text for p in docx.Document(written).paragraphs)


def test_download_buttons_give_labelled_links():
    b = builder()
    fill(b)
    b.markdown_button.click()
    link = b.download.value
    assert '<a download="strategisk-plan.md" href="data:text/markdown;charset=utf-8;base64,' in link
    assert ">Spara filen strategisk-plan.md</a>" in link
    import base64

    payload = re.search(r"base64,([^\"]+)", link).group(1)
    assert base64.b64decode(payload).decode("utf-8") == b.to_markdown()
    b.docx_button.click()
    assert 'download="strategisk-plan.docx"' in b.download.value
    b.revisit.value = "Ändrat"  # an old link would download an old plan
    assert b.download.value == ""


def test_everything_is_restored_after_rebuild():
    b = builder()
    fill(b)
    b.goal_rows[1].up.click()
    saved = AnswerStore().load("strategisk-plan", kind="plan").data
    assert saved["resources"] == {"members": 8, "hours": 30.0, "money": 6000}

    again = builder()
    assert again.plan == b.plan
    assert again.perception.value.startswith("Det parti")
    assert [r.text.value for r in again.goal_rows] == ["Kända i bostadsområdet", "Fler aktiva medlemmar mellan valen"]
    assert [r.years.value for r in again.goal_rows] == [4, 3]
    assert again.members.value == 8 and again.hours.value == 30 and again.money.value == 6000
    assert [r.goal.value for r in again.activity_rows] == [a.goal for a in b.plan.activities]
    assert [r.what.value for r in again.discussion_rows] == ["Medlemsmöte om första utkastet", "Årsmötet antar planen"]
    assert again.revisit.value == "En punkt på varje styrelsemöte"
    assert again.warnings == []
    assert again.to_markdown() == b.to_markdown()


def test_damaged_plan_data_is_used_as_far_as_it_goes():
    plan = Plan.from_json(
        {
            "perception": 5,
            "goals": [{"id": "m1", "text": "Ett", "years": -3}, "junk", {"id": "m1", "text": "Två"}],
            "resources": {"members": "många", "hours": float("nan"), "money": 100},
            "activities": [{"text": "A", "goal": "finns-inte", "hours": 2}],
        }
    )
    assert plan.perception == ""
    assert [g.text for g in plan.goals] == ["Ett", "Två"] and len({g.id for g in plan.goals}) == 2
    assert plan.goals[0].years == 1
    assert (plan.resources.members, plan.resources.hours, plan.resources.money) == (0, 0.0, 100)
    assert plan.activities[0].goal == ""


def test_too_many_rows_is_told_plainly():
    b = builder()
    for _ in range(12):
        b.add_discussion_button.click()
    b.add_discussion_button.click()
    assert len(b.discussion_rows) == 12
    assert b.status == "Det går inte att lägga till fler än 12 rader här."


def test_course_prompts_are_valid_and_cite_the_document():
    prompts = load_prompts(PROMPTS)
    assert (prompts.min_goals, prompts.max_goals) == (2, 4)
    assert prompts.source == {"part": "Del 3", "section": "Strategiska planer"}
    document = " ".join(DOCUMENT.read_text(encoding="utf-8").replace("kom-\n\nmer", "kommer").split())
    for step in prompts.steps.values():
        if step.quote:
            assert " ".join(step.quote.split()) in document, step.quote


@pytest.mark.parametrize(
    "change,where",
    [
        (lambda p: p["steps"].pop("revisit"), "(steps.revisit)"),
        (lambda p: p.update(min_goals=5), "(min_goals)"),
        (lambda p: p["steps"]["goals"].update(hjalp="x"), "(steps.goals.hjalp)"),
        (lambda p: p["steps"]["goals"].pop("title"), "(steps.goals.title)"),
    ],
)
def test_malformed_prompts_name_the_place(change, where):
    raw = yaml_data(PROMPTS.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    change(raw)
    Path("strategisk-plan.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        StrategicPlanBuilder.from_file("strategisk-plan.yml", exercise_id="strategisk-plan")
    assert str(caught.value).startswith(f"Fel i strategisk-plan.yml {where}: ")
