"""SpeakerStats driven with no kernel: taps, the band, restore mid-contribution, reset, exports."""

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
from widgets.exercises.speaker_stats import SpeakerStats
from widgets.models.content import ContentError
from widgets.models.speaker_stats import Tally, format_duration, load_settings, parse_settings
from widgets.storage.answers import AnswerStore

from course_paths import DOCUMENT
from fake_clock import START, FakeClock

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "talarstatistik.yml"
CONTENT = yaml_data(GALLERY.read_text(encoding="utf-8"))["content"]


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    Path("talarstatistik.yml").write_text(yaml.safe_dump(CONTENT, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def stats(clock: FakeClock, *, consent: bool = True) -> SpeakerStats:
    """The exercise; by default the circle has agreed to counting by gender (recorded as a person would)."""
    widget = SpeakerStats.from_file("talarstatistik.yml", exercise_id="talarstatistik", clock=clock)
    if consent and not widget.consented:
        widget.give_consent_button.click()
        assert widget.consented
    return widget


def text_of(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def speak(widget: SpeakerStats, clock: FakeClock, category: str, seconds: float) -> None:
    """One whole contribution, by clicking the category's button twice as a secretary does."""
    widget.category_buttons[category].click()
    clock.advance(seconds)
    widget.category_buttons[category].click()


def test_one_tap_starts_and_another_stops(clock):
    s = stats(clock)
    assert s.running == "" and s.stop_button.disabled
    s.category_buttons["kvinnor"].click()
    assert s.running == "kvinnor"
    assert s.counts()["kvinnor"] == 1  # a contribution counts when it starts
    assert s.category_buttons["kvinnor"].description == "Kvinnor (1) – stoppa inlägg"
    assert s.category_buttons["kvinnor"].style.button_color == "#ffd54f"  # the running one stands out
    assert s.category_buttons["man"].style.button_color is None
    assert not s.stop_button.disabled
    clock.advance(75)
    assert s.seconds()["kvinnor"] == 75  # the running time is shown live
    s.category_buttons["kvinnor"].click()
    assert s.running == ""
    assert s.seconds()["kvinnor"] == 75
    assert s.category_buttons["kvinnor"].description == "Kvinnor (1) – starta inlägg"
    assert s.category_buttons["kvinnor"].style.button_color is None
    assert "Inlägg stoppat: Kvinnor, 1 min 15 s." in text_of(s._announce.value)
    assert "cirkel-live" in s._announce._dom_classes  # a live region from the start (cirkel-a11y.js)


def test_only_one_contribution_runs_tapping_another_switches(clock):
    s = stats(clock)
    s.tap("kvinnor")
    clock.advance(30)
    s.tap("man")
    assert s.running == "man"
    assert s.counts() == {"kvinnor": 1, "man": 1, "icke-binara": 0, "ej-angivet": 0, "presidiet": 0}
    assert s.seconds()["kvinnor"] == 30 and s.seconds()["man"] == 0
    assert "Inlägg stoppat: Kvinnor, 30 s. Nytt inlägg startat: Män." in text_of(s._announce.value)
    clock.advance(45)
    s.stop_button.click()
    assert s.running == "" and s.seconds()["man"] == 45
    assert s.total_contributions == 2


def test_band_marks_shares_inside_and_outside(clock):
    s = stats(clock)
    assert "Ingen har talat än." in text_of(s._band.value)
    speak(s, clock, "kvinnor", 60)
    speak(s, clock, "man", 180)
    band = text_of(s._band.value)
    assert "Kvinnor: 25 % av taltiden, utanför 40–60 %." in band
    assert "Män: 75 % av taltiden, utanför 40–60 %." in band
    assert "cirkel-live" in s._band._dom_classes
    speak(s, clock, "kvinnor", 100)  # 160 of 340 s: 47 %
    band = text_of(s._band.value)
    assert "Kvinnor: 47 % av taltiden, inom 40–60 %." in band
    assert "Män: 53 % av taltiden, inom 40–60 %." in band
    assert s._band.value.count("cirkel-speaker-stats-inside") == 2


def test_presidium_is_counted_apart_and_others_share_the_time(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 40)
    speak(s, clock, "man", 40)
    speak(s, clock, "icke-binara", 20)
    speak(s, clock, "presidiet", 900)  # the chair talks a lot: not part of the shares
    shares = s.shares()
    assert shares == {"kvinnor": 40.0, "man": 40.0, "icke-binara": 20.0, "ej-angivet": 0.0, "presidiet": None}
    band = text_of(s._band.value)
    assert "Kvinnor: 40 % av taltiden, inom 40–60 %." in band  # the edge is inside
    assert "Män: 40 % av taltiden, inom 40–60 %." in band
    table = text_of(s._table.value)
    assert "Presidiet 1 15 min 00 s räknas för sig" in table
    assert "Icke-binära 1 20 s 20 %" in table


def test_chart_is_svg_with_a_name_and_the_table_is_its_text_alternative(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 90)
    s.tap("man")
    clock.advance(30)
    s.ticker.value += 1  # what the browser's ticker does once a second
    chart = s._chart.value
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert 'aria-label="Stapeldiagram: varje grupps andel av taltiden' in chart
    assert "75\u00a0% (1 min 30 s)" in chart and "25\u00a0% (30 s)" in chart
    assert "Presidiet" not in chart  # counted apart, so not a share
    assert "Män 1 30 s 25 %" in text_of(s._table.value)
    assert "Pågår: Män, 30 s." in text_of(s._now_line.value)
    assert '<th scope="col">' in s._table.value and "<caption>" in s._table.value


def test_a_forgotten_contribution_is_capped(clock):
    s = stats(clock)
    s.tap("man")
    clock.advance(3 * 3600)
    s.tap("man")
    assert s.seconds()["man"] == 30 * 60
    assert "räknas som 30 minuter. Glömde ni att stoppa?" in text_of(s._announce.value)


def test_a_reload_continues_the_running_contribution(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 50)
    s.tap("man")
    clock.advance(20)
    saved = AnswerStore().load("talarstatistik", kind="speaker-stats").data
    assert saved == {
        "counts": {"kvinnor": 1, "man": 1, "icke-binara": 0, "ej-angivet": 0, "presidiet": 0},
        "seconds": {"kvinnor": 50.0, "man": 0.0, "icke-binara": 0.0, "ej-angivet": 0.0, "presidiet": 0.0},
        "running": {"category": "man", "started": START + 50},
        "consent": {"agreed_on": "2023-11-14"},
    }
    clock.advance(10)  # the page is reloaded: a new widget, the same store
    again = stats(clock)
    assert again.running == "man"
    assert again.seconds()["man"] == 30
    assert again.category_buttons["man"].description == "Män (1) – stoppa inlägg"
    assert again.ticker.playing
    # A browser that opens the page now gets a ticker marked as playing; showing it restarts it.
    toggles = []
    again.ticker.observe(lambda c: toggles.append(c["new"]), "playing")
    again.ticker._view_count = 1
    assert toggles == [False, True]
    again.tap("man")
    assert again.seconds() == {"kvinnor": 50.0, "man": 30.0, "icke-binara": 0.0, "ej-angivet": 0.0, "presidiet": 0.0}
    assert not again.ticker.playing


def test_only_aggregates_are_stored(clock):
    s = stats(clock)
    speak(s, clock, "ej-angivet", 12)
    record = json.loads(Path("svar/talarstatistik.json").read_text(encoding="utf-8"))
    assert record["kind"] == "speaker-stats"
    assert set(record["data"]) == {"counts", "seconds", "running", "consent"}
    assert record["data"]["running"] is None


def test_reset_asks_first_and_cancel_keeps_everything(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 10)
    assert s._confirm_row.layout.display == "none"
    question = s._reset_question
    assert "cirkel-live" in question._dom_classes  # a live region from the start, only its text changes
    s.reset_button.click()
    assert s.confirming_reset
    assert s._confirm_row.layout.display is None
    assert s._reset_question is question and "Det går inte att ångra." in text_of(question.value)
    assert "role=" not in question.value
    s.cancel_reset_button.click()
    assert not s.confirming_reset and s.counts()["kvinnor"] == 1
    s.confirm_reset_button.click()  # not asked: nothing happens
    assert s.counts()["kvinnor"] == 1
    with pytest.raises(ValueError, match="Tryck först på Nollställ"):
        s.confirm_reset()
    s.reset_button.click()
    s.tap("man")
    s.confirm_reset_button.click()
    assert s.total_contributions == 0 and s.running == "" and s.seconds()["kvinnor"] == 0
    assert "Talarstatistiken är nollställd." in text_of(s._announce.value)
    assert AnswerStore().load("talarstatistik").data["counts"]["kvinnor"] == 0
    assert stats(clock).total_contributions == 0


def test_markdown_summary_for_the_minutes(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 125)
    speak(s, clock, "man", 125)
    speak(s, clock, "presidiet", 60)
    md = s.to_markdown()
    parts = [
        "# Talarstatistik för mötet",
        "Datum: 2023-11-1",
        "Del 2, Internfeminism för framtiden",
        "| Grupp | Inlägg | Taltid | Andel av taltiden |",
        "| Kvinnor | 1 | 2 min 05 s | 50\u00a0% |",
        "| Män | 1 | 2 min 05 s | 50\u00a0% |",
        "| Presidiet | 1 | 1 min 00 s | räknas för sig |",
        "Antal inlägg: 3.",
        "- Kvinnor: 50\u00a0% av taltiden, inom 40–60\u00a0%.",
        "Presidiet (ordförande och sekreterare) räknas för sig",
        "inga namn",
    ]
    positions = [md.index(p) for p in parts]
    assert positions == sorted(positions)


def test_docx_summary_opens_and_download_links_carry_the_files(clock):
    s = stats(clock)
    speak(s, clock, "kvinnor", 30)
    s.tap("man")
    clock.advance(20)
    document = docx.Document(io.BytesIO(s.docx_bytes()))
    assert document.paragraphs[0].text == "Talarstatistik för mötet"
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["Grupp", "Inlägg", "Taltid", "Andel av taltiden"]
    assert ["Män", "1", "20 s", "40\u00a0%"] in cells
    assert "Ett inlägg pågick när sammanfattningen gjordes: Män." in "\n".join(p.text for p in document.paragraphs)

    s.markdown_button.click()
    link = s.download.value
    assert '<a download="talarstatistik.md" href="data:text/markdown;charset=utf-8;base64,' in link
    assert ">Spara filen talarstatistik.md</a>" in link
    payload = re.search(r"base64,([^\"]+)", link).group(1)
    assert base64.b64decode(payload).decode("utf-8") == s.to_markdown()
    s.docx_button.click()
    assert 'download="talarstatistik.docx"' in s.download.value
    s.tap("man")
    assert s.download.value == ""  # an old link would carry old numbers


def test_every_control_has_an_accessible_name(clock):
    s = stats(clock)

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    buttons = [w for w in walk(s) if w.__class__.__name__ == "Button"]
    # categories, stop, reset (and its two), the two downloads, consent (give, withdraw and its two)
    assert len(buttons) == 5 + 1 + 3 + 2 + 4
    assert [b for b in buttons if not b.description.strip()] == []
    assert all("cirkel-speaker-stats-category" in s.category_buttons[c]._dom_classes for c in s.settings.ids)


def test_damaged_answer_file_is_kept_aside_and_said_plainly(clock):
    Path("svar").mkdir()
    Path("svar/talarstatistik.json").write_text("{inte json", encoding="utf-8")
    s = stats(clock)
    assert "talarstatistik" in s.status and s.total_contributions == 0
    assert list(Path("svar").glob("talarstatistik.olasbar-*.json.bak"))
    speak(s, clock, "man", 5)
    assert AnswerStore().load("talarstatistik").data["counts"]["man"] == 1


def test_damaged_numbers_in_saved_data_are_dropped():
    settings = load_settings("talarstatistik.yml")
    tally = Tally.from_json(
        {
            "counts": {"kvinnor": -2, "man": "tre", "okand": 5, "presidiet": 2.0},
            "seconds": {"kvinnor": float("nan"), "man": 12.5, "ej-angivet": True},
            "running": {"category": "okand", "started": 5},
        },
        settings,
    )
    assert tally.counts == {"kvinnor": 0, "man": 0, "icke-binara": 0, "ej-angivet": 0, "presidiet": 2}
    assert tally.seconds["kvinnor"] == 0 and tally.seconds["man"] == 12.5 and tally.seconds["ej-angivet"] == 0
    assert tally.running == ""
    assert Tally.from_json({"running": {"category": "man", "started": "igår"}}, settings).running == ""


def test_unknown_category_is_refused(clock):
    s = stats(clock)
    with pytest.raises(ValueError, match="Gruppen ”ordforande” finns inte"):
        s.tap("ordforande")


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0 s"), (59.4, "59 s"), (60, "1 min 00 s"), (605, "10 min 05 s"), (3725, "1 h 02 min")]
)
def test_durations_read_as_people_say_them(seconds, shown):
    assert format_duration(seconds) == shown


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c["categories"][1].update(id="kvinnor"), "(categories[2].id)"),
        (lambda c: c["categories"][0].update(apart=True), "(categories[1])"),
        (lambda c: c["categories"][2].update(farg="röd"), "(categories[3].farg)"),
        (lambda c: c["band"].update(low=70), "(band)"),
        (lambda c: c.update(min_contributions=0), "(min_contributions)"),
        (lambda c: c["categories"][3].pop("label"), "(categories[4].label)"),
        (lambda c: c.pop("categories"), "(categories)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    raw = copy.deepcopy(CONTENT)
    change(raw)
    Path("talarstatistik.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        SpeakerStats.from_file("talarstatistik.yml", exercise_id="talarstatistik")
    assert str(caught.value).startswith(f"Fel i talarstatistik.yml {where}: ")


def test_gallery_content_is_valid_and_quotes_the_document():
    settings = parse_settings(CONTENT)
    assert [c.id for c in settings.categories if c.band] == ["kvinnor", "man"]
    assert [c.id for c in settings.categories if c.apart] == ["presidiet"]
    document = " ".join(DOCUMENT.read_text(encoding="utf-8").split())
    quote = re.search(r"”([^”]+)”", settings.intro).group(1)
    assert " ".join(quote.split()) in document
    assert settings.source == {"part": "Del 2", "section": "Internfeminism för framtiden"}
