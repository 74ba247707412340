"""ReadabilityMeter driven with no kernel: LIX as widgets.core.lix counts it, marks, sentences, restore."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from widgets.core.i18n import yaml_data
from widgets.core.lix import analyse
from widgets.exercises.readability import ReadabilityMeter
from widgets.models.content import ContentError
from widgets.models.readability import (
    ReadabilitySettings,
    highlight_long_words,
    longest_sentences,
    measure,
    parse_settings,
    readability_share,
)
from widgets.storage.answers import AnswerStore

from course_paths import DOCUMENT

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri" / "lasbarhet.yml"
CONTENT = yaml_data(GALLERY.read_text(encoding="utf-8"))["content"]


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    Path("lasbarhet.yml").write_text(yaml.safe_dump(CONTENT, allow_unicode=True), encoding="utf-8")


def meter() -> ReadabilityMeter:
    return ReadabilityMeter.from_file("lasbarhet.yml", exercise_id="lasbarhet")


def text_of(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def test_typing_measures_with_the_one_lix_function():
    m = meter()
    assert "Skriv eller klistra in en text" in text_of(m._result.value)
    # Mötet(5) började(7) sent(4) | Ordföranden(11) kom(3): 5/2 + 100*2/5 = 42.5 (tests/unit/test_lix.py)
    m.textarea.value = "Mötet började sent. Ordföranden kom?"
    assert m.text == "Mötet började sent. Ordföranden kom?"
    assert (m.words, m.sentences, m.long_words) == (5, 2, 2)
    assert m.lix == pytest.approx(42.5)
    result = text_of(m._result.value)
    assert "LIX 42,5: svår (som saklitteratur)." in result
    assert "Det är över målet LIX 40." in result
    assert "Texten har 5 ord. Skriv minst 50 ord." in result
    assert "cirkel-live" in m._result._dom_classes  # a live region from the start (cirkel-a11y.js)
    assert "5 ord, 2 meningar, 2 långa ord (mer än sex bokstäver)." in text_of(m._details.value)
    assert not m.meets_target


def test_the_edge_of_six_and_seven_letters_is_marked_right():
    m = meter()
    m.text = "Påsken kom. Påskens ägg!"  # Påsken has six letters, Påskens seven
    assert m.lix == pytest.approx(27.0)
    assert "Påsken kom." in text_of(m._marked.value)
    assert "<mark>Påskens</mark>" in m._marked.value
    assert "<mark>Påsken</mark>" not in m._marked.value
    assert "Det är inom målet: LIX 40 eller lägre." in text_of(m._result.value)


def test_marks_agree_with_lix_and_text_is_escaped():
    text = "Skriv <b>inte</b> så & så. Ordförandena och ordföranden läser protokollet.\n\nNytt stycke här."
    result = measure(text)
    marked = highlight_long_words(text, result)
    assert marked.count("<mark>") == result.long_words == len(result.long_word_list)
    assert "<b>" not in marked and "&lt;b&gt;inte&lt;/b&gt;" in marked and "&amp;" in marked
    assert "<mark>Ordförandena</mark> och <mark>ordföranden</mark>" in marked
    assert "<mark>protokollet</mark>" in marked
    assert marked.count("<p>") == 2  # the blank line starts a new paragraph


def test_a_long_word_inside_a_longer_one_is_not_marked_twice():
    text = "Medlemsmötet och medlemsmöte. Mötet sa medlemsmöte."
    marked = highlight_long_words(text)
    assert marked == (
        "<p><mark>Medlemsmötet</mark> och <mark>medlemsmöte</mark>. Mötet sa <mark>medlemsmöte</mark>.</p>"
    )


def test_abbreviations_and_numbers_in_a_pasted_text():
    m = meter()
    m.text = "Vi ses t.ex. kl. 18.30 på torsdag. Det kostar ca. 3,5 kr per person, dvs. lite."
    assert (m.words, m.sentences, m.long_words) == (14, 2, 1)
    assert "<mark>torsdag</mark>" in m._marked.value
    assert m.lix == pytest.approx(analyse(m.text).lix)


def test_the_three_longest_sentences_are_pointed_out():
    text = (
        "Kort mening. "
        "Det här är en mening med nio ord i sig. "
        "En till. "
        "Den längsta meningen i hela texten har faktiskt tolv ord i sig. "
        "Här är en mening med sju ord."
    )
    result = measure(text)
    assert longest_sentences(result) == [
        ("Den längsta meningen i hela texten har faktiskt tolv ord i sig.", 12),
        ("Det här är en mening med nio ord i sig.", 10),
        ("Här är en mening med sju ord.", 7),
    ]
    m = meter()
    m.text = text
    items = re.findall(r"<li>(.*?)</li>", m._details.value)
    assert len(items) == 3
    assert text_of(items[0]) == "Den längsta meningen i hela texten har faktiskt tolv ord i sig. (12 ord)"


def test_example_text_and_clear_buttons():
    m = meter()
    assert m.example_button.layout.display is None
    m.example_button.click()
    assert m.textarea.value == CONTENT["example"].strip()
    assert m.words >= 50 and m.lix > 40  # the document's own sentences are hard to read
    m.clear_button.click()
    assert m.text == "" and m.textarea.value == "" and m._marked.value == ""
    plain = ReadabilityMeter(exercise_id="utan-exempel")
    assert plain.example_button.layout.display == "none"
    plain.use_example()
    assert plain.text == ""


def test_meeting_the_target_and_the_word_count():
    m = ReadabilityMeter(exercise_id="kort", settings={"target_lix": 30, "min_words": 6})
    m.text = "Katten satt på mattan. Hunden sov."  # 6 words, LIX 3
    assert m.meets_target
    assert "Det är inom målet: LIX 30 eller lägre." in text_of(m._result.value)
    assert "Skriv minst" not in text_of(m._result.value)


def test_text_is_restored_after_rebuild():
    m = meter()
    m.textarea.value = "Mötet började sent. Ordföranden kom?"
    assert AnswerStore().load("lasbarhet", kind="readability").data == {"text": "Mötet började sent. Ordföranden kom?"}
    again = meter()
    assert again.textarea.value == "Mötet började sent. Ordföranden kom?"
    assert again.lix == pytest.approx(42.5)
    assert "<mark>Ordföranden</mark>" in again._marked.value


def test_damaged_answer_file_is_kept_aside_and_said_plainly():
    Path("svar").mkdir()
    Path("svar/lasbarhet.json").write_bytes(b"\xff\xfe trasig")
    m = meter()
    assert "lasbarhet" in m.status and m.text == ""
    assert list(Path("svar").glob("lasbarhet.olasbar-*.json.bak"))
    m.text = "Nu går det."
    assert AnswerStore().load("lasbarhet").data["text"] == "Nu går det."


def test_a_too_long_text_is_cut_and_said():
    m = meter()
    m.text = "Ord. " * 5000
    assert len(m.text) == 20000
    assert "Bara de första 20\xa0000 tecknen mäts och sparas." in m.status


def test_share_rules():
    settings = ReadabilitySettings(target_lix=40, min_words=10)
    easy = "Vi ses på mötet i kväll. Alla är med och vi tar fika."  # 13 words, no long word
    assert readability_share(easy, settings) == 1
    assert readability_share("", settings) == 0
    assert readability_share("Vi ses i kväll.", settings) == pytest.approx(0.4)  # 4 of 10 words, easy
    hard = "Ordföranden sammanfattade diskussionen och medlemsmötet beslutade enhälligt om verksamhetsplanen."
    result = measure(hard)
    # 9 words, 1 sentence, 7 long: 9 + 100 * 7 / 9 = 86.8, 20 or more above the target: that half is gone
    assert (result.words, result.long_words) == (9, 7)
    assert readability_share(hard, ReadabilitySettings(target_lix=40, min_words=9)) == pytest.approx(0.5)
    # 10 above the target keeps half of the readability half: 0.5 + 0.25
    ten_over = ReadabilitySettings(target_lix=result.lix - 10, min_words=9)
    assert readability_share(hard, ten_over) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c.update(target_lix=5), "(target_lix)"),
        (lambda c: c.update(min_words="femtio"), "(min_words)"),
        (lambda c: c.update(mal=40), "(mal)"),
        (lambda c: c["source"].update(kapitel="x"), "(source.kapitel)"),
    ],
)
def test_malformed_content_names_the_place(change, where):
    raw = copy.deepcopy(CONTENT)
    change(raw)
    Path("lasbarhet.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        meter()
    assert str(caught.value).startswith(f"Fel i lasbarhet.yml {where}: ")


def test_gallery_example_is_quoted_from_the_section_it_cites():
    settings = parse_settings(CONTENT)
    assert settings.source == {"part": "Del 2", "section": "En organisation för digitala aktivister"}
    document = " ".join(DOCUMENT.read_text(encoding="utf-8").split())
    assert " ".join(settings.example.split()) in document
    quote = re.search(r"”([^”]+)”", settings.intro).group(1)
    assert " ".join(quote.split()) in document
