"""LIX, the Swedish readability index, for course prose.

The strategy document asks that the readability of our texts be measured
(Del 2, "En organisation för digitala aktivister"), and the content rules ask
for module prose at LIX 40 or below. This module measures it the same way
everywhere: in the content tests, and for a course author from the shell::

    python -m widgets.core.lix courses/partiforeningsskola/05-moten
    python -m widgets.core.lix courses/partiforeningsskola/05-moten/text.lattlast.md

LIX = words / sentences + 100 × long words / words.

How the text is counted (the rules are applied in this order):

1. **Markdown is stripped first.** Fenced code blocks, inline code, HTML tags,
   images, bare URLs and horizontal rules are removed; a link ``[text](url)``
   keeps its text; emphasis and strike markers (``*``, ``_``, ``~~``) are
   removed; heading marks (``#``), block-quote marks (``>``), list markers
   (``-``, ``*``, ``+``, ``1.``) and table pipes are removed.
2. **Blocks.** Every heading, list item and table row is a block of its own,
   and so is every paragraph (lines not separated by a blank line are one
   paragraph). The end of a block ends a sentence, even without a full stop:
   a heading or a list item is read as a sentence.
3. **Sentences.** Inside a block a sentence ends at ``.``, ``!``, ``?`` or
   ``:`` (a run of them, such as ``...``, counts once) when it is followed by
   white space, a closing quote or bracket, or the end of the block. So
   decimal numbers (``3.5``, ``18.30``) and words such as ``LO:s`` do not end a
   sentence. Nor does the full stop of a common abbreviation (see
   :data:`ABBREVIATIONS`: ``t.ex.``, ``bl.a.``, ``s.k.``, ``m.m.``, ``osv.``,
   ``dvs.``, ``ca.``, ``kl.``, ``nr.`` and a few more), even at the end of a
   sentence. A piece of text with no word in it is not a sentence.
4. **Words.** A word is a run of letters (any alphabet: å, ä, ö, é, ü ...).
   An abbreviation from the list is one word (``t.ex.`` is one word of three
   letters).
   Letters joined by a hyphen, an apostrophe or a colon with no space
   (``kommun-politik``, ``LO:s``) make *one* word, and its length is the
   number of its letters (the joining marks do not count). Digits are not
   words: ``30 000`` and ``50 %`` add nothing, and ``E31`` counts as the word
   ``E``. A hyphen followed by a space (``kommun-, regionfullmäktige``) ends
   the word.
5. **Long words** have more than six letters (seven or more).

A text with no words has LIX 0.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from widgets.core.i18n import t
from widgets.core.numbers import format_number

__all__ = [
    "ABBREVIATIONS",
    "LONG_WORD_LETTERS",
    "LixResult",
    "analyse",
    "band",
    "lix",
    "module_prose",
    "strip_markdown",
]

#: A long word has more letters than this.
LONG_WORD_LETTERS = 6

#: Abbreviations whose full stops never end a sentence (matched without case).
ABBREVIATIONS: tuple[str, ...] = (
    "t.ex.",
    "bl.a.",
    "s.k.",
    "m.m.",
    "m.fl.",
    "osv.",
    "o.s.v.",
    "dvs.",
    "d.v.s.",
    "ca.",
    "kl.",
    "nr.",
    "t.o.m.",
    "p.g.a.",
    "pga.",
    "f.d.",
    "fr.o.m.",
    "jfr.",
    "resp.",
    "etc.",
    "e.d.",
    "o.d.",
    "ev.",
    "inkl.",
    "exkl.",
)

# Letters only: \w without digits and underscore.
_LETTERS = r"[^\W\d_]+"
_SENTENCE_END = re.compile(r"[.!?:]+(?=[\s\"'”’»)\]]|$)")
_ABBREVIATION = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")",
    re.IGNORECASE,
)
_MASK = "\u2024"  # ONE DOT LEADER: stands in for an abbreviation's full stop
# A word: letters, joined by - ' ’ : (or an abbreviation's masked full stops).
_WORD = re.compile(rf"{_LETTERS}(?:[-'’:{_MASK}]{_LETTERS})*{_MASK}?")

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_URL = re.compile(r"<?https?://\S+>?")
_INLINE_CODE = re.compile(r"`[^`]*`")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class LixResult:
    """The counts behind one LIX value, so an author can see what to shorten.

    Attributes
    ----------
    words, sentences, long_words:
        The counts the formula uses.
    long_word_list:
        The long words in text order (repeats kept: each one counts).
    sentence_list:
        The sentences as counted, after Markdown was stripped.
    """

    words: int
    sentences: int
    long_words: int
    long_word_list: tuple[str, ...] = field(repr=False)
    sentence_list: tuple[str, ...] = field(repr=False)

    @property
    def lix(self) -> float:
        """words / sentences + 100 × long words / words, or 0 for a text without words."""
        if self.words == 0:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    @property
    def band(self) -> str:
        """The Swedish label of this LIX value (see :func:`band`)."""
        return band(self.lix)


def band(value: float) -> str:
    """The readability band of a LIX value, as a label from the string table.

    The bands are half-open: below 25 very easy (children's books), 25 up to 30
    easy, 30 up to 40 normal (newspaper text), 40 up to 50 difficult
    (non-fiction), 50 up to 60 difficult (specialist literature), 60 and above
    very difficult (bureaucratic Swedish).
    """
    for upper, key in ((25, "very_easy"), (30, "easy"), (40, "normal"), (50, "difficult"), (60, "hard")):
        if value < upper:
            return t(f"lix.band.{key}")
    return t("lix.band.very_hard")


def strip_markdown(markdown: str, *, keep_quotes: bool = True) -> list[str]:
    """The plain-text blocks of a Markdown text (rules 1 and 2 of the module doc).

    Parameters
    ----------
    markdown:
        The Markdown source.
    keep_quotes:
        When false, block quotes (lines starting with ``>``) are left out.
    """
    text = _FENCE.sub("", markdown.replace("\r\n", "\n"))
    text = _HTML_COMMENT.sub("", text)
    blocks: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for raw in text.split("\n"):
        if not raw.strip() or _RULE.match(raw) or _TABLE_RULE.match(raw):
            close()
            continue
        line = raw
        if _QUOTE.match(line):
            if not keep_quotes:
                close()
                continue
            line = _QUOTE.sub("", line)
            if not line.strip():
                close()
                continue
        own_block = False
        if _HEADING.match(line):
            line, own_block = _HEADING.sub("", line), True
        elif _LIST_ITEM.match(line):
            line, own_block = _LIST_ITEM.sub("", line), True
        elif line.lstrip().startswith("|"):
            line, own_block = line.replace("|", " "), True
        line = _inline(line).strip()
        if own_block:
            close()
            paragraph.append(line)
            if not _LIST_ITEM.match(raw):
                close()  # a heading or table row stands alone; a list item may wrap
        else:
            paragraph.append(line)
    close()
    return [b for b in blocks if b.strip()]


def _inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _URL.sub("", line)
    line = _INLINE_CODE.sub("", line)
    line = _HTML_TAG.sub("", line)
    return _EMPHASIS.sub("", line)


def _sentences(block: str) -> list[str]:
    """The sentences of one block, with abbreviations' full stops still masked."""
    masked = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", _MASK), block)
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(masked):
        pieces.append(masked[start : end.end()])
        start = end.end()
    pieces.append(masked[start:])
    return [p.strip() for p in pieces if _WORD.search(p)]


def _unmask(text: str) -> str:
    return text.replace(_MASK, ".")


def analyse(text: str, *, markdown: bool = True) -> LixResult:
    """Count words, sentences and long words of ``text`` by the module's rules.

    Parameters
    ----------
    text:
        Markdown (or plain text, where blank lines still separate paragraphs).
    markdown:
        When false, Markdown marks are not stripped: only blank lines split blocks.
    """
    if markdown:
        blocks = strip_markdown(text)
    else:
        blocks = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    sentences = [s for block in blocks for s in _sentences(block)]
    words = [w for s in sentences for w in _WORD.findall(s)]
    long_words = tuple(_unmask(w) for w in words if _letters(w) > LONG_WORD_LETTERS)
    return LixResult(
        words=len(words),
        sentences=len(sentences),
        long_words=len(long_words),
        long_word_list=long_words,
        sentence_list=tuple(_unmask(s) for s in sentences),
    )


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def lix(text: str) -> float:
    """The LIX value of a (Markdown) text: see the module doc for the counting rules."""
    return analyse(text).lix


def module_prose(module_dir: str | Path, variant: str | None = None) -> str:
    """The module's own prose for LIX: its ``text.md`` without block quotes.

    Quotations from the strategy document are set as Markdown block quotes
    (``> ...``) and are left out: they are the congress's words, which a course
    author must quote exactly and cannot simplify. What remains is the text the
    author wrote, and that is what the LIX rule for module prose is about.
    ``variant`` names a version of the text instead (``text.<variant>.md``, e.g.
    ``lattlast``).
    """
    source = Path(module_dir) / (f"text.{variant}.md" if variant else "text.md")
    return "\n\n".join(strip_markdown(source.read_text(encoding="utf-8"), keep_quotes=False))


def _report(target: Path) -> str:
    if target.is_dir():
        text = module_prose(target)
    elif re.fullmatch(r"text(\.[^.]+)?\.md", target.name):  # a module text or a version of it: its own prose
        text = "\n\n".join(strip_markdown(target.read_text(encoding="utf-8"), keep_quotes=False))
    else:
        text = target.read_text(encoding="utf-8")
    result = analyse(text)
    longest = sorted(result.sentence_list, key=lambda s: len(s.split()), reverse=True)[:3]
    lines = [
        t("lix.report.summary", path=str(target), lix=format_number(result.lix, 1), band=result.band),
        t("lix.report.counts", words=result.words, count=result.sentences, long_words=result.long_words),
        t("lix.report.longest"),
        *(f"  – {s}" for s in longest),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the LIX of each file or module folder given on the command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(t("lix.report.usage"), file=sys.stderr)
        return 2
    status = 0
    for arg in args:
        target = Path(arg)
        if not (target.is_file() or (target / "text.md").is_file()):
            print(t("lix.report.not_found", path=arg), file=sys.stderr)
            status = 1
            continue
        print(_report(target))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
