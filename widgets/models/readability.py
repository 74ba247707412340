"""Readability of a learner's own text: settings (content), the measurement, highlighting, score.

Strategidokumentet, Del 2, "En organisation för digitala aktivister", asks for
routines to measure continuously how easy to read our texts are. The
measurement is ``widgets.core.lix`` (the same function the course content checks
use); this module adds what a learner needs to act on it: the long words marked
in their own text and the longest sentences pointed out. Pure Python (no
ipywidgets), so ``grading`` can score a saved text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.core.lix import LixResult, analyse
from widgets.core.safe_text import text_html
from widgets.models import exercise_content as shapes
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml

__all__ = [
    "ReadabilitySettings",
    "load_settings",
    "parse_settings",
    "measure",
    "highlight_long_words",
    "longest_sentences",
    "readability_share",
    "MAX_CHARS",
]

MAX_CHARS = 20000
#: LIX points above the target at which the readability half of the score reaches 0.
SCORE_MARGIN = 20.0


@dataclass(frozen=True)
class ReadabilitySettings:
    """The content of a readability exercise (every key is optional)."""

    title: str = ""
    target_lix: float = 40.0
    min_words: int = 50
    example: str = ""
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)


def load_settings(path: str | Path) -> ReadabilitySettings:
    """Read and validate a readability content file; ``ContentError`` names the place."""
    return parse_settings(load_yaml(path), Path(path).name)


def parse_settings(raw: Any, path: str | Path = "<lasbarhet>") -> ReadabilitySettings:
    """Validate already parsed content; an empty file means every default."""
    if raw is None:
        raw = {}
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.ReadabilitySettings, raw, path, lines=False)
    source = given(raw, "source", {})
    source = {k: source[k] for k in ("part", "section") if k in source}
    target = float(given(raw, "target_lix", 40))
    if not 10 <= target <= 80:
        raise ContentError(path, "target_lix", t("readability.content.target_range"))
    min_words = given(raw, "min_words", 50)
    if not 1 <= min_words <= 2000:
        raise ContentError(path, "min_words", t("readability.content.min_words_range"))
    example = given(raw, "example", "").strip()
    if len(example) > MAX_CHARS:
        raise ContentError(path, "example", t("readability.content.example_too_long", max=MAX_CHARS))
    return ReadabilitySettings(
        title=given(raw, "title", "").strip(),
        target_lix=target,
        min_words=min_words,
        example=example,
        intro=given(raw, "intro", "").strip(),
        source=source,
    )


def measure(text: str) -> LixResult:
    """The LIX counts of ``text`` (Markdown is stripped, as for course prose)."""
    return analyse(text[:MAX_CHARS])


def _is_letter(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalpha()


def highlight_long_words(text: str, result: LixResult | None = None) -> str:
    """``text`` as escaped HTML paragraphs with ``<mark>`` around every long word.

    The long words are those ``widgets.core.lix`` counted, found again in order in
    the original text, so the marks agree with the LIX value. A word LIX did
    not count (inside a link address or code) is simply not marked.
    """
    text = text[:MAX_CHARS]
    result = result if result is not None else measure(text)
    pieces: list[str] = []
    cursor = 0
    for word in result.long_word_list:
        start = text.find(word, cursor)
        while start != -1 and (_is_letter(text, start - 1) or _is_letter(text, start + len(word))):
            start = text.find(word, start + 1)
        if start == -1:
            continue
        pieces.append(text_html(text[cursor:start]))
        pieces.append(f"<mark>{text_html(word)}</mark>")
        cursor = start + len(word)
    pieces.append(text_html(text[cursor:]))
    marked = "".join(pieces).replace("\r\n", "\n")
    paragraphs = [p.strip("\n") for p in marked.split("\n\n") if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def longest_sentences(result: LixResult, count: int = 3) -> list[tuple[str, int]]:
    """The ``count`` longest sentences with their word counts, longest first (ties in text order)."""
    measured = [(sentence, analyse(sentence, markdown=False).words) for sentence in result.sentence_list]
    return sorted(measured, key=lambda item: -item[1])[:count]


def readability_share(text: str, settings: ReadabilitySettings) -> float:
    """How much of the exercise is done, 0 to 1.

    Full when the text has at least ``min_words`` words and LIX at most the
    target. Otherwise ``length × (½ + ½ × readability)``: ``length`` is the
    share of the words asked for, ``readability`` falls from 1 at the target
    to 0 at ``SCORE_MARGIN`` LIX points above it. So a long text that is too
    hard still earns half, and a short easy text earns its share of words.
    The example text left as it is counts as no answer: the work is to improve it.
    """
    if settings.example and " ".join(text.split()) == " ".join(settings.example.split()):
        return 0.0
    result = measure(text)
    if result.words == 0:
        return 0.0
    length = min(result.words / settings.min_words, 1.0)
    over = max(result.lix - settings.target_lix, 0.0)
    readable = max(0.0, 1.0 - over / SCORE_MARGIN)
    return length * (0.5 + 0.5 * readable)
