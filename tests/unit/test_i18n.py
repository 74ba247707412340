"""The one string table: complete in both languages, placeholders agree, the language switches."""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import pytest

from widgets.core import i18n
from widgets.core.i18n import t, yaml_data

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
STRINGS = ROOT / "widgets" / "strings"
LANGS = ["sv", "en"]
PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


def _table(lang: str) -> dict[str, str]:
    return yaml_data((STRINGS / f"{lang}.yml").read_text(encoding="utf-8"))


def _fields(text: str | dict[str, str]) -> set[str]:
    """The placeholders of a text, or of every plural form of a counted text."""
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.fixture(autouse=True)
def _no_language(monkeypatch):
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def test_every_key_is_in_both_languages():
    sv, en = _table("sv"), _table("en")
    assert sorted(set(sv) - set(en)) == [], "keys missing from en.yml"
    assert sorted(set(en) - set(sv)) == [], "keys missing from sv.yml"


@pytest.mark.parametrize("lang", LANGS)
def test_no_key_is_written_twice(lang):
    """YAML quietly keeps the last of two equal keys; with four people appending, catch it."""
    keys = [
        line.split(":", 1)[0].strip().strip('"')
        for line in (STRINGS / f"{lang}.yml").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith((" ", "#", "\t"))
    ]
    assert [k for k, n in Counter(keys).items() if n > 1] == []


@pytest.mark.parametrize("lang", LANGS)
def test_values_are_nonempty_text(lang):
    table = _table(lang)
    blank_allowed = {"number.thousands_sep"}  # a space is a real value

    def text_or_forms(key: str, value: object) -> bool:
        if isinstance(value, dict):  # a counted text: CLDR plural categories, "other" always
            return (
                "other" in value and set(value) <= PLURAL_CATEGORIES and all(map(text_or_forms, value, value.values()))
            )
        return isinstance(value, str) and (bool(value.strip()) or key in blank_allowed)

    assert [k for k, v in table.items() if not text_or_forms(k, v)] == []


def test_placeholders_match_between_languages():
    sv, en = _table("sv"), _table("en")
    mismatched = {k: (_fields(sv[k]), _fields(en[k])) for k in sv if k in en and _fields(sv[k]) != _fields(en[k])}
    assert mismatched == {}


def test_swedish_is_the_default_and_english_switches(monkeypatch):
    assert t("quiz.answer") == "Svara"
    assert t("quiz.score", score="7,5", max="12") == "Poäng: 7,5 av 12"
    monkeypatch.setenv("CIRKEL_LANG", "en")
    assert i18n.language() == "en"
    assert t("quiz.answer") == "Answer"
    assert t("quiz.score", score="7.5", max="12") == "Points: 7.5 of 12"


def test_unknown_language_falls_back_to_swedish(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "xx_YY")
    assert i18n.language() == "sv"
    assert t("quiz.retry") == "Försök igen"


def test_unknown_key_is_a_loud_error():
    with pytest.raises(KeyError):
        t("no.such.key")


def test_every_literal_key_used_in_code_exists():
    """A key used in Python but missing from sv.yml would crash in front of a learner."""
    sv = _table("sv")
    used: set[str] = set()
    pattern = re.compile(r"""\bt\(\s*(["'])([a-z][a-z0-9_]*(?:\.[a-z0-9_/]+)+)\1""")
    for folder in ("widgets", "grading", "voila_apps"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= {m.group(2) for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    assert used, "found no keys at all: the pattern is wrong"
    assert sorted(used - set(sv)) == []


def test_a_placeholder_may_be_called_key():
    """``t(key, **values)`` must accept a value named ``key`` (content errors use one)."""
    assert t("content.missing_key", key="title") == "”title” saknas"
