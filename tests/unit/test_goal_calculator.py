"""GoalCalculator driven with no kernel: the 2030 targets in people and conversations, the example table."""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.exercises.goal_calculator import GoalCalculator
from widgets.models.content import ContentError
from widgets.models.goal_calculator import (
    Plan,
    goal_completeness,
    goal_parts,
    load_settings,
    parse_settings,
    years_left,
)
from widgets.storage.answers import AnswerStore

from course_paths import DOCUMENT

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "mal-2030.yml"
CSV = GALLERY.with_name("mal-2030-exempel.csv")
CONTENT = yaml_data(GALLERY.read_text(encoding="utf-8"))["content"]
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    Path("mal-2030.yml").write_text(yaml.safe_dump(CONTENT, allow_unicode=True), encoding="utf-8")
    shutil.copy(CSV, "mal-2030-exempel.csv")


def calculator(today: dt.date = TODAY) -> GoalCalculator:
    return GoalCalculator.from_file("mal-2030.yml", exercise_id="mal-2030", today=lambda: today)


def text_of(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def enter_own(g: GoalCalculator) -> None:
    """A learner's own numbers, typed into the controls."""
    g.population_inputs["arbetaryrken"].value = 1005
    g.today_inputs["arbetaryrken"].value = 10
    g.population_inputs["unga"].value = 3000
    g.today_inputs["unga"].value = 5
    g.members.value = 25


def test_the_targets_are_the_documents_and_shown_as_such():
    g = calculator()
    header = text_of(g.children[0].value)
    assert "Personer i arbetaryrken: år 2030 ska minst 50 % se sig som vänster och minst 20 % sympatisera" in header
    assert "Personer under 30 år: år 2030 ska minst 50 % se sig som vänster och minst 25 % sympatisera" in header
    assert "minst 50\u00a0% se sig som vänster och minst 25\u00a0% sympatisera" in g.children[0].value
    document = DOCUMENT.read_text(encoding="utf-8")
    assert "minst 50 procent av alla i arbetaryrken ska se sig som vänster år 2030 och att minst 20 procent" in document
    assert "År 2030 ska minst 50 procent av alla under 30 år se sig som vänster och minst 25 procent" in document
    quote = re.search(r"”([^”]+)”", g.settings.intro).group(1)
    assert " ".join(quote.split()) in " ".join(document.split())


def test_targets_in_people_are_rounded_up():
    g = calculator()
    enter_own(g)
    table = g.table().set_index("group")
    # 50 % of 1 005 is 502.5: "at least" means 503; 20 % is exactly 201; 10 % today is 100.5 -> 100 (rounded)
    assert table.loc["arbetaryrken", ["left_people", "sympathise_people", "today_people"]].tolist() == [503, 201, 100]
    assert table.loc["unga", ["left_people", "sympathise_people", "today_people"]].tolist() == [1500, 750, 150]
    assert table.loc["arbetaryrken", "new_needed"] == 101 and table.loc["unga", "new_needed"] == 600
    assert table.loc["unga", "conversations"] == 6000  # 600 new sympathisers x 10 conversations


def test_conversations_per_member_and_year():
    g = calculator()
    enter_own(g)
    plan = g.conversations()
    # (101 + 600) x 10 = 7 010 conversations, 2030 - 2026 = 4 years, 25 members: 70.1 each a year
    assert (plan.total, plan.years) == (7010, 4)
    assert plan.per_year == pytest.approx(1752.5)
    assert g.per_member_year == pytest.approx(70.1)
    result = text_of(g._result.value)
    assert "Fram till 2030 behövs ungefär 7 010 samtal. Det är 4 år kvar, alltså 1 752,5 samtal om året." in result
    assert "Det blir 70,1 samtal per aktiv medlem och år, ungefär 5,8 i månaden." in result
    assert "Skriv hur många samtal per aktiv medlem och år ni planerar." in result
    g.per_sympathiser.value = 5  # the assumption is the learner's to change
    assert g.per_member_year == pytest.approx(35.05)


def test_the_plan_is_compared_with_what_is_needed():
    g = calculator()
    enter_own(g)
    g.planned.value = 35
    assert "räcker till 50 % av samtalen som behövs" in text_of(g._result.value)
    assert "räcker till 50\u00a0% av" in g._result.value, "Babel's percent: no line break before the sign"
    assert "cirkel-goal-calculator-short" in g._result.value
    g.planned.value = 71
    assert "Er plan, 71 samtal per medlem och år, räcker för målen med det här antagandet." in text_of(g._result.value)
    assert "cirkel-live" in g._result._dom_classes  # a live region from the start (cirkel-a11y.js)


def test_years_left_never_falls_below_one():
    assert years_left(2030, 2026) == 4
    assert years_left(2030, 2030) == 1 and years_left(2030, 2034) == 1
    g = calculator(today=dt.date(2031, 1, 1))
    enter_own(g)
    assert g.conversations().years == 1


def test_the_example_is_labelled_and_only_a_starting_point():
    g = calculator()
    examples = text_of(g.children[2].value)
    assert examples.startswith("Exempel, inte riktig statistik")
    assert "Exempelstad 20 000 10 % 30 000 10 % 50" in examples
    assert "påhittade" in examples
    g.example_button.click()
    assert g.status == "Välj först ett exempel i listan."
    g.example_picker.value = "Exempelstad"
    g.example_button.click()
    assert g.population_inputs["arbetaryrken"].value == 20000 and g.members.value == 50
    assert g.today_inputs["unga"].value == 10
    assert not g.own_numbers
    assert "Ni räknar fortfarande med exemplets siffror." in text_of(g._result.value)
    g.members.value = 12  # the learner changes to their own numbers
    assert g.own_numbers
    assert "exemplets siffror" not in text_of(g._result.value)
    with pytest.raises(ValueError, match="Exemplet ”Riktigstad” finns inte"):
        g.use_example("Riktigstad")


def test_chart_and_table_show_the_same_people():
    g = calculator()
    assert "Skriv in era siffror" in text_of(g._chart.value)
    enter_own(g)
    chart = g._chart.value
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert 'aria-label="Stapeldiagram: målen för 2030 i antal människor per grupp.' in chart
    assert "Personer i arbetaryrken: mål vänster" in chart and "503 personer" in chart
    row = re.search(r'<tr data-group="unga">(.*?)</tr>', g._table.value).group(1)
    assert text_of(row) == "Personer under 30 år 3 000 1 500 (50 %) 750 (25 %) 150 600 6 000"
    assert "<caption>Målen för 2030 i antal människor</caption>" in g._table.value


def test_every_input_has_a_label():
    g = calculator()

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    inputs = [
        w for w in walk(g) if w.__class__.__name__ in {"BoundedIntText", "BoundedFloatText", "Dropdown", "Button"}
    ]
    assert len(inputs) == 2 * 2 + 1 + 2 + 2
    assert [w for w in inputs if not w.description.strip()] == []


def test_everything_is_restored_after_rebuild():
    g = calculator()
    enter_own(g)
    g.per_sympathiser.value = 8
    g.planned.value = 40
    saved = AnswerStore().load("mal-2030", kind="goal-calculator").data
    assert saved == {
        "populations": {"arbetaryrken": 1005, "unga": 3000},
        "today": {"arbetaryrken": 10.0, "unga": 5.0},
        "members": 25,
        "per_sympathiser": 8.0,
        "planned": 40.0,
    }
    again = calculator()
    assert again.population_inputs["arbetaryrken"].value == 1005 and again.today_inputs["unga"].value == 5
    assert (again.members.value, again.per_sympathiser.value, again.planned.value) == (25, 8, 40)
    assert again.per_member_year == pytest.approx(g.per_member_year)
    assert again._table.value == g._table.value


def test_damaged_answers():
    Path("svar").mkdir()
    Path("svar/mal-2030.json").write_text('{"schema": 1, "exercise_id": "annat"}', encoding="utf-8")
    g = calculator()
    assert "mal-2030" in g.status and g.members.value == 0
    assert list(Path("svar").glob("mal-2030.olasbar-*.json.bak"))
    settings = load_settings("mal-2030.yml")
    plan = Plan.from_json(
        {
            "populations": {"arbetaryrken": -5, "unga": "många"},
            "today": {"unga": 250},
            "members": float("inf"),
            "per_sympathiser": 0,
            "planned": True,
        },
        settings,
    )
    assert plan.numbers.populations == {"arbetaryrken": 0, "unga": 0}
    assert plan.numbers.today == {"arbetaryrken": 0.0, "unga": 100.0}
    assert plan.numbers.members == 0 and plan.planned == 0
    assert plan.per_sympathiser == 10  # back to the content's assumption


def test_completeness_parts():
    settings = load_settings("mal-2030.yml")
    plan = Plan.empty(settings)
    assert goal_parts(plan, settings) == {"own_numbers": False, "plan": False}
    plan.numbers = settings.example("Exempelby")
    plan.planned = 12
    assert goal_parts(plan, settings) == {"own_numbers": False, "plan": True}
    plan.numbers.populations["unga"] = 2800
    assert goal_completeness(plan, settings) == 1


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c["groups"][1].update(sympathise=60), "(groups[2].sympathise)"),
        (lambda c: c["groups"][0].update(left=0), "(groups[1].left)"),
        (lambda c: c["groups"][1].update(id="arbetaryrken"), "(groups[2].id)"),
        (lambda c: c["groups"][0].update(id="plats"), "(groups[1].id)"),
        (lambda c: c.update(target_year="2030"), "(target_year)"),
        (lambda c: c.update(samtal=3), "(samtal)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    raw = copy.deepcopy(CONTENT)
    change(raw)
    Path("mal-2030.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        calculator()
    assert str(caught.value).startswith(f"Fel i mal-2030.yml {where}: ")


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (
            "plats,arbetaryrken,unga,aktiva_medlemmar\nA,100,200,5\nB,100,tvåhundra,5\n",
            "Fel i mal-2030-exempel.csv (rad 3, kolumn unga): ”tvåhundra” är inget tal",
        ),
        ("plats,arbetaryrken,aktiva_medlemmar\nA,100,5\n", "Fel i mal-2030-exempel.csv (–): kolumnen ”unga” saknas"),
        (
            "plats,arbetaryrken,unga,aktiva_medlemmar,unga_idag\nA,100,200,5,120\n",
            "Fel i mal-2030-exempel.csv (rad 2, kolumn unga_idag): ”120” ska vara ett tal från 0 till 100",
        ),
        (
            "plats,arbetaryrken,unga,aktiva_medlemmar\nA,100.5,200,5\n",
            "Fel i mal-2030-exempel.csv (rad 2, kolumn arbetaryrken): ”100.5” ska vara",
        ),
        (
            "plats,arbetaryrken,unga,aktiva_medlemmar,invanare\nA,1,2,3,4\n",
            "Fel i mal-2030-exempel.csv (invanare): ”invanare” är inte en känd nyckel här.",
        ),
        (
            "plats,arbetaryrken,unga,aktiva_medlemmar\nA,1,2,3\nA,1,2,3\n",
            "Fel i mal-2030-exempel.csv (plats): samma plats står på flera rader",
        ),
    ],
)
def test_a_broken_example_table_names_row_and_column(csv, message):
    Path("mal-2030-exempel.csv").write_text(csv, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        calculator()
    assert str(caught.value).startswith(message)


def test_a_missing_example_table_is_named():
    Path("mal-2030-exempel.csv").unlink()
    with pytest.raises(ContentError, match="mal-2030-exempel.csv .*filen finns inte"):
        calculator()


def test_without_an_example_table_there_is_no_picker():
    raw = copy.deepcopy(CONTENT)
    raw.pop("example_table")
    g = GoalCalculator(parse_settings(raw), exercise_id="utan-exempel", today=lambda: TODAY)
    assert g.settings.examples is None
    assert g.example_picker not in [c for box in g.children for c in getattr(box, "children", ())]
    enter_own(g)
    assert g.own_numbers
