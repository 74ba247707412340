"""LIX: hand-counted worked examples for every counting rule in ``widgets.core.lix``.

Each expected value below was counted by hand from the rules in the module's
docstring; the comments show the count so a reader can check it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.core.i18n import t
from widgets.core.lix import analyse, band, lix, main, module_prose

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def test_six_letters_is_not_long_seven_is() -> None:
    # Katten(6) satt(4) på(2) mattan(6) | Hunden(6) sov(3): 6 words, 2 sentences, 0 long.
    result = analyse("Katten satt på mattan. Hunden sov.")
    assert (result.words, result.sentences, result.long_words) == (6, 2, 0)
    assert result.lix == pytest.approx(3.0)
    # Påsken(6) kom(3) | Påskens(7) ägg(3): 4 words, 2 sentences, 1 long: 4/2 + 100*1/4 = 27.
    result = analyse("Påsken kom. Påskens ägg!")
    assert result.long_word_list == ("Påskens",)
    assert result.lix == pytest.approx(27.0)


def test_worked_example_with_long_words() -> None:
    # Mötet(5) började(7) sent(4) | Ordföranden(11) kom(3)
    # 5 words / 2 sentences + 100 * 2 long / 5 words = 2.5 + 40 = 42.5
    result = analyse("Mötet började sent. Ordföranden kom?")
    assert result.sentence_list == ("Mötet började sent.", "Ordföranden kom?")
    assert result.long_word_list == ("började", "Ordföranden")
    assert lix("Mötet började sent. Ordföranden kom?") == pytest.approx(42.5)


def test_abbreviations_and_numbers() -> None:
    text = "Vi ses t.ex. kl. 18.30 på torsdag. Det kostar ca. 3,5 kr per person, dvs. lite."
    # 1: Vi ses t.ex. kl. på torsdag(7)              -> 6 words, 1 long (18.30 is no word)
    # 2: Det kostar(6) ca. kr per person(6) dvs. lite -> 8 words, 0 long (3,5 is no word)
    # 14 / 2 + 100 * 1 / 14 = 7 + 7.142857...
    result = analyse(text)
    assert result.sentences == 2, result.sentence_list
    assert result.words == 14
    assert result.long_word_list == ("torsdag",)
    assert result.lix == pytest.approx(7 + 100 / 14)
    # Every listed abbreviation keeps its sentence together, also with a capital letter after it.
    for abbreviation in ("t.ex.", "bl.a.", "s.k.", "m.m.", "osv.", "dvs.", "ca.", "kl.", "nr."):
        assert analyse(f"Vi tar {abbreviation} Kaffe och te.").sentences == 1, abbreviation


def test_decimal_numbers_and_digits_are_not_sentences_or_words() -> None:
    # "30 000" and "3.5" add no words; the full stop in 3.5 ends nothing.
    result = analyse("Orten har 30 000 invånare och 3.5 procent. Så är det.")
    assert result.sentences == 2
    # Orten har invånare(8) och procent(7) | Så är det: 8 words, 2 long.
    assert result.words == 8
    assert result.lix == pytest.approx(8 / 2 + 100 * 2 / 8)


def test_hyphen_and_colon_join_one_word() -> None:
    # LO:s(3 letters) kommun-politik(13, long) är bra: 4 words, 1 sentence, 1 long -> 4 + 25
    result = analyse("LO:s kommun-politik är bra.")
    assert result.words == 4
    assert result.long_word_list == ("kommun-politik",)
    assert result.lix == pytest.approx(29.0)
    # A hyphen before a space ends the word: kommun and regionfullmäktige are two words.
    assert analyse("kommun-, regionfullmäktige").words == 2


def test_colon_exclamation_and_ellipsis_end_sentences() -> None:
    result = analyse("Så här: vi börjar nu! Vänsterpartiet kommer att... Ja?")
    assert result.sentence_list == ("Så här:", "vi börjar nu!", "Vänsterpartiet kommer att...", "Ja?")


def test_line_breaks_inside_paragraph_do_not_end_sentence_but_blocks_do() -> None:
    assert analyse("Det här är\nen enda mening.").sentences == 1
    assert analyse("En rubrik utan punkt\n\nEn mening.").sentences == 2


def test_markdown_is_stripped_and_blocks_are_sentences() -> None:
    text = (
        "# Mötets roller\n"
        "\n"
        "Läs [stadgarna](https://example.org/stadgar) först. **Sedan** kan ni börja\n"
        "\n"
        "- Ordförande leder\n"
        "- Sekreterare skriver\n"
        "\n"
        "> Citat här.\n"
    )
    # Mötets roller | Läs stadgarna(9) först. | Sedan kan ni börja | Ordförande(10) leder
    # | Sekreterare(11) skriver(7) | Citat här.  -> 15 words, 6 sentences, 4 long
    result = analyse(text)
    assert result.sentence_list == (
        "Mötets roller",
        "Läs stadgarna först.",
        "Sedan kan ni börja",
        "Ordförande leder",
        "Sekreterare skriver",
        "Citat här.",
    )
    assert (result.words, result.sentences, result.long_words) == (15, 6, 4)
    assert result.lix == pytest.approx(15 / 6 + 100 * 4 / 15)


def test_empty_text_is_zero() -> None:
    result = analyse("  \n\n# \n")
    assert (result.words, result.sentences, result.lix) == (0, 0, 0.0)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (0, "very_easy"),
        (24.99, "very_easy"),
        (25, "easy"),
        (29.9, "easy"),
        (30, "normal"),
        (39.99, "normal"),
        (40, "difficult"),
        (49.9, "difficult"),
        (50, "hard"),
        (59.9, "hard"),
        (60, "very_hard"),
        (75, "very_hard"),
    ],
)
def test_bands(value: float, key: str) -> None:
    assert band(value) == t(f"lix.band.{key}")


def test_band_labels_are_swedish_by_default_and_english_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    assert band(20) == "mycket lättläst (som barnböcker)"
    assert band(35) == "normal (som tidningstext)"
    assert band(65) == "mycket svår (som byråkratsvenska)"
    assert analyse("Katten satt på mattan.").band == "mycket lättläst (som barnböcker)"
    monkeypatch.setenv("CIRKEL_LANG", "en")
    assert band(35) == "normal (like newspaper text)"


def test_module_prose_leaves_out_quotes_from_the_document(tmp_path: Path) -> None:
    (tmp_path / "text.md").write_text(
        "# Möten\n\nVi ses snart.\n\n> Fysiska möten är och förblir en avgörande del.\n>\n> – Del 2, Varje möte\n\nSlut.\n",
        encoding="utf-8",
    )
    prose = module_prose(tmp_path)
    assert "Fysiska" not in prose and "Del 2" not in prose
    # Möten | Vi ses snart. | Slut. -> 5 words, 3 sentences, 0 long
    result = analyse(prose)
    assert (result.words, result.sentences, result.long_words) == (5, 3, 0)


def test_command_reports_a_module_and_refuses_a_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "text.md").write_text("Mötet började sent. Ordföranden kom.\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "LIX 42,5" in out and "svår (som saklitteratur)" in out
    assert main([str(tmp_path / "finns-inte")]) == 1
    assert "Hittar ingen text" in capsys.readouterr().err
