"""The module's talarstatistik exercise asks the circle first: anonymous until it agrees, gender only after.

Driven as a person would through the widget's buttons and fields, with the
answer file read back as the grader reads it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml

from grading.checks.live import score_speaker_stats
from grading.course.solutions import build_exercise, module_exercises, solve
from grading.reports.printing.practice import speaker_form, speaker_key
from widgets.core.i18n import t, yaml_data
from widgets.exercises.speaker_stats import SpeakerStats
from widgets.models.speaker_stats import ANONYMOUS_ID
from widgets.storage.answers import AnswerStore

from fake_clock import START, FakeClock

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
CONTENT = yaml_data((ROOT / "voila_apps" / "galleri" / "talarstatistik.yml").read_text(encoding="utf-8"))["content"]
MODULE = ROOT / "courses" / "partiforeningsskola" / "08-internfeminism" / "talarstatistik.yml"
GENDER = {"kvinnor", "man", "icke-binara", "ej-angivet"}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    Path("talarstatistik.yml").write_text(yaml.safe_dump(CONTENT, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def stats(clock: FakeClock) -> SpeakerStats:
    return SpeakerStats.from_file("talarstatistik.yml", exercise_id="talarstatistik", clock=clock)


def saved() -> dict:
    return json.loads(Path("svar/talarstatistik.json").read_text(encoding="utf-8"))["data"]


def text_of(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def speak(widget: SpeakerStats, clock: FakeClock, category: str, seconds: float) -> None:
    widget.category_buttons[category].click()
    clock.advance(seconds)
    widget.category_buttons[category].click()


def agree(widget: SpeakerStats, day: str = "2023-11-10") -> None:
    widget.consent_date_field.value = day
    widget.give_consent_button.click()


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_without_consent_only_anonymous_turns_and_time_are_counted_and_stored(clock):
    s = stats(clock)
    assert not s.consented
    assert list(s.category_buttons) == [ANONYMOUS_ID]
    assert s.category_buttons[ANONYMOUS_ID].description == "Inlägg (0) – starta inlägg"
    speak(s, clock, ANONYMOUS_ID, 40)
    speak(s, clock, ANONYMOUS_ID, 20)
    data = saved()
    assert data["consent"] is None
    assert data["counts"] == {ANONYMOUS_ID: 2} and data["seconds"] == {ANONYMOUS_ID: 60.0}
    assert not GENDER & (set(data["counts"]) | set(data["seconds"]))
    # no shares by gender are shown, and the page says why
    assert not shown(s._chart)
    assert text_of(s._band.value).endswith(t("speaker_stats.consent.no_band"))
    assert t("livespeaker.consent.not_given") in text_of(s._consent_state.value)
    assert shown(s._give_row) and not shown(s.withdraw_button)
    with pytest.raises(ValueError):
        s.tap("kvinnor")


def test_the_text_says_why_one_counts_citing_the_document_and_why_one_asks_first(clock):
    s = stats(clock)
    page = " ".join(text_of(w.value) for w in walk(s) if w.__class__.__name__ == "HTML")
    assert "Del 2, ”Internfeminism för framtiden”" in page
    assert "Varför frågar vi först?" in page and "uppgifter om personer" in page
    assert "siffrorna per kön raderas" in page


def test_consent_with_its_date_then_gender_is_counted_and_read_back_from_the_file(clock):
    s = stats(clock)
    speak(s, clock, ANONYMOUS_ID, 30)  # counted before the circle had agreed
    agree(s, "2023-11-10")
    assert s.consented
    assert saved()["consent"] == {"agreed_on": "2023-11-10"}
    assert t("livespeaker.consent.given", date="2023-11-10") in text_of(s._consent_state.value)
    assert not shown(s._give_row) and shown(s.withdraw_button)
    assert GENDER <= set(s.category_buttons)
    # what was counted without gender stays apart, outside the shares
    assert s.category_buttons[ANONYMOUS_ID].description == "Inlägg utan kön (1) – starta inlägg"
    speak(s, clock, "kvinnor", 50)
    speak(s, clock, "man", 50)
    assert s.shares()["kvinnor"] == 50 and s.shares()[ANONYMOUS_ID] is None
    assert shown(s._chart)
    assert saved()["counts"]["kvinnor"] == 1 and saved()["counts"][ANONYMOUS_ID] == 1

    again = stats(clock)  # the page is loaded again: consent and counts come from the answer file
    assert again.consented and again.consent_date.isoformat() == "2023-11-10"
    assert again.counts() == {
        "kvinnor": 1,
        "man": 1,
        "icke-binara": 0,
        "ej-angivet": 0,
        "presidiet": 0,
        ANONYMOUS_ID: 1,
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", t("livespeaker.consent.no_date")),
        ("i tisdags", t("livespeaker.consent.bad_date", value="i tisdags")),
        ("2023-12-24", t("livespeaker.consent.future_date", date="2023-12-24")),
    ],
)
def test_a_consent_date_that_cannot_be_right_is_refused_in_swedish(clock, typed, message):
    s = stats(clock)
    agree(s, typed)
    assert not s.consented and list(s.category_buttons) == [ANONYMOUS_ID]
    alert = s._consent_message.alert  # said in the alert region that was there before: it interrupts
    assert "cirkel-live-alert" in alert._dom_classes and s._consent_message.status.value == ""
    assert "consent-error" in alert.value and text_of(alert.value) == message
    assert not Path("svar/talarstatistik.json").exists()


def test_withdrawing_asks_first_then_sums_gender_into_the_anonymous_count_and_erases_it(clock):
    s = stats(clock)
    agree(s)
    speak(s, clock, "kvinnor", 50)
    speak(s, clock, "presidiet", 10)
    s.tap("man")
    clock.advance(5)
    question, message = s._withdraw_question, s._consent_message  # live regions made with the widget
    assert {"cirkel-live"} <= set(question._dom_classes) & set(message.status._dom_classes)
    s.withdraw_button.click()
    assert s.confirming_withdraw and shown(s._withdraw_row)
    assert s._withdraw_question is question and "raderas" in text_of(question.value)
    assert "role=" not in question.value  # no second region made inside it
    s.cancel_withdraw_button.click()
    assert s.consented and not s.confirming_withdraw and not shown(s._withdraw_row)
    assert saved()["counts"]["kvinnor"] == 1

    s.withdraw_button.click()
    s.confirm_withdraw_button.click()
    assert not s.consented and list(s.category_buttons) == [ANONYMOUS_ID]
    assert s._consent_message is message and text_of(message.value) == t("livespeaker.consent.withdrawn")
    assert "role=" not in message.value
    data = saved()
    assert data["consent"] is None
    assert data["counts"] == {ANONYMOUS_ID: 3} and data["seconds"] == {ANONYMOUS_ID: 60.0}
    assert data["running"] == {"category": ANONYMOUS_ID, "started": START + 60}  # the running turn goes on
    assert "kvinnor" not in Path("svar/talarstatistik.json").read_text(encoding="utf-8")
    clock.advance(15)
    s.stop_button.click()
    assert saved()["seconds"] == {ANONYMOUS_ID: 80.0}


def test_counts_by_gender_in_a_file_without_consent_are_folded_and_deleted_on_load(clock):
    old = {
        "counts": {"kvinnor": 4, "man": 3, "presidiet": 1},
        "seconds": {"kvinnor": 100.0, "man": 80.0, "presidiet": 20.0},
        "running": None,
    }
    AnswerStore().save("talarstatistik", "speaker-stats", old)  # as the exercise kept it before consent was asked
    s = stats(clock)
    assert not s.consented and s.counts() == {ANONYMOUS_ID: 8}
    data = saved()
    assert data["counts"] == {ANONYMOUS_ID: 8} and data["seconds"] == {ANONYMOUS_ID: 200.0}
    assert data["consent"] is None


@pytest.mark.parametrize("consent", [False, True], ids=["anonymous", "by-gender"])
def test_the_check_gives_full_points_whether_the_circle_said_yes_or_no(clock, consent):
    s = stats(clock)
    if consent:
        agree(s)
    counted = ["kvinnor", "man"] if consent else [ANONYMOUS_ID]
    for number in range(s.settings.min_contributions - 1):
        speak(s, clock, counted[number % len(counted)], 30)
    assert score_speaker_stats("talarstatistik", points=2) == 1.8
    speak(s, clock, counted[0], 30)
    assert score_speaker_stats("talarstatistik", points=2) == 2
    if consent:  # and withdrawn afterwards: the meeting still counts in full
        s.withdraw_button.click()
        s.confirm_withdraw_button.click()
        assert score_speaker_stats("talarstatistik", points=2) == 2


def test_the_summary_for_the_minutes_says_where_the_circle_stands(clock):
    s = stats(clock)
    speak(s, clock, ANONYMOUS_ID, 30)
    md = s.to_markdown()
    assert t("livespeaker.consent.not_given") in md
    assert "| Inlägg | 1 | 30 s |" in md
    assert t("speaker_stats.band_none") not in md  # people did speak: there are just no shares by gender
    document = docx.Document(io.BytesIO(s.docx_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert t("livespeaker.consent.not_given") in paragraphs and t("speaker_stats.band_none") not in paragraphs
    agree(s)
    assert t("livespeaker.consent.given", date="2023-11-10") in s.to_markdown()


def test_the_print_form_asks_first_and_has_a_row_without_gender():
    form = text_of(speaker_form(MODULE))
    assert "Varför frågar vi först?" in form and "Del 2, ”Internfeminism för framtiden”" in form
    assert form.index("Inlägg utan kön") < form.index("Kvinnor")
    assert "Säger någon nej, fyll bara i raden ”Inlägg utan kön”" in form
    assert "med eller utan kön" in text_of(speaker_key(MODULE))


def test_the_worked_solution_gets_full_points_after_consent_too(tmp_path):
    folder = tmp_path / MODULE.parent.name
    shutil.copytree(MODULE.parent, folder)
    exercise = next(e for e in module_exercises(folder) if e["widget"] == "SpeakerStats")
    widget = build_exercise(folder, exercise)
    agree(widget)
    solve(widget)
    assert widget.counts()["kvinnor"] > 0 and widget.counts()["man"] > 0
    points = float(exercise.get("points", 2))
    with contextlib.chdir(folder):
        assert score_speaker_stats(exercise["id"], points, content=exercise["content"]) == points


def test_the_exercise_does_not_load_the_live_store():
    """A module page shows the exercise without SQLAlchemy (the consent's date rule is shared, not the store)."""
    code = "import sys, widgets.exercises.speaker_stats; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
