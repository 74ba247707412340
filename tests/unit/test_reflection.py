"""Reflection driven with no kernel: autosave on every change, the word count, restore."""

from __future__ import annotations

import pytest

from widgets.exercises.reflection import Reflection, count_words, reflection_text
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def test_shows_prompt_and_labelled_textbox():
    r = Reflection(exercise_id="reflektion", prompt="Hur kan ert nästa möte bli mer välkomnande?")
    assert "Hur kan ert nästa möte bli mer välkomnande?" in r._prompt_box.value
    assert r.textarea.description == "Ditt svar"
    assert r.textarea.continuous_update is True
    assert "0 ord" in r._count.value


def test_every_change_is_saved_at_once():
    r = Reflection(exercise_id="reflektion", prompt="?")
    for text in ("Vi", "Vi borde", "Vi borde börja i tid."):
        r.textarea.value = text
        assert AnswerStore().load("reflektion", kind="reflection").data == {"text": text}
    assert reflection_text("reflektion") == "Vi borde börja i tid."


def test_word_count_is_live_and_counts_words_not_signs():
    r = Reflection(exercise_id="reflektion", prompt="?", min_words=10)
    r.textarea.value = "Mötet – som var bra – slutade i tid. Medlems-mötet också!"
    assert r.words == 9  # "Medlems-mötet" is one word, the dashes none
    assert "9 ord" in r._count.value and "Skriv minst 10 ord, 1 kvar." in r._count.value
    r.textarea.value += " Bra."
    assert r.words == 10 and "Du har skrivit minst 10 ord." in r._count.value
    assert count_words("") == 0 and count_words("  ... – ") == 0


def test_restored_after_rebuild():
    Reflection(exercise_id="reflektion", prompt="?").textarea.value = "Det jag tar med mig"
    again = Reflection(exercise_id="reflektion", prompt="?")
    assert again.textarea.value == "Det jag tar med mig"
    assert again.text == "Det jag tar med mig"
    assert "5 ord" in again._count.value


def test_text_set_from_python_shows_and_saves():
    r = Reflection(exercise_id="reflektion", prompt="?")
    r.text = "Satt från koden"
    assert r.textarea.value == "Satt från koden"
    assert reflection_text("reflektion") == "Satt från koden"


def test_reflection_text_is_empty_for_missing_or_damaged_and_leaves_file(tmp_path):
    assert reflection_text("reflektion") == ""
    (tmp_path / "svar").mkdir()
    (tmp_path / "svar" / "reflektion.json").write_bytes(b"\xff\xfe not json")
    assert reflection_text("reflektion") == ""
    assert (tmp_path / "svar" / "reflektion.json").read_bytes() == b"\xff\xfe not json"


def test_negative_min_words_refused():
    with pytest.raises(ValueError):
        Reflection(exercise_id="reflektion", prompt="?", min_words=-1)
