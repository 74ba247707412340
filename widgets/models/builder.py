"""What the three builders (meeting, role expectations, handover) share, as plain data.

Pure Python, no ipywidgets, so the grading checks and the exports work with no
display. A builder's content file has a common head (``title``, ``source``,
``intro``) and wording ``steps``; a builder's export is a list of ``Block`` s
that become Markdown here and Word in ``_builder_docx``, so both files always
carry the same parts in the same order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from widgets.core.i18n import t
from widgets.core.safe_text import markdown_literal
from widgets.models.content import ContentError, place, reject_unknown, require

__all__ = [
    "MAX_TEXT",
    "HEAD_KEYS",
    "content_id",
    "Step",
    "Head",
    "parse_head",
    "parse_source",
    "parse_steps",
    "clean_text",
    "clean_number",
    "clean_bool",
    "one_line",
    "unique_ids",
    "BuilderWarning",
    "Block",
    "blocks_markdown",
]

MAX_TEXT = 5000  # longer than any answer here; a pasted book is cut, not saved whole
HEAD_KEYS = ("title", "source", "intro")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


# -- content -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The wording of one step: heading, help text, an optional quote from the document.

    ``source`` names where the quote comes from when it is another section than
    the builder's own (``"Del 3, Ett brett ledarskap"``); empty means the builder's.
    """

    title: str
    help: str
    quote: str = ""
    source: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class Head:
    """A builder's title, introduction and the section of the document it builds on."""

    title: str
    intro: str = ""
    source: str = ""


def parse_source(raw: dict[str, str]) -> str:
    """``{part: "Del 2", section: "..."}`` (checked by its model) as ``"Del 2, ..."``."""
    return f"{raw['part'].strip()}, {raw['section'].strip()}"


def parse_head(raw: dict[str, Any], path: str | Path) -> Head:
    """The common head of a builder's content file, as its model (``widgets.models.exercise_content``) checked it."""
    source = raw.get("source")
    return Head(
        title=raw["title"].strip(),
        intro=(raw.get("intro") or "").strip(),
        source=parse_source(source) if source is not None else "",
    )


def parse_steps(raw: dict[str, Any], step_ids: Sequence[str], path: str | Path) -> dict[str, Step]:
    """The ``steps`` mapping (each step checked by its model): exactly ``step_ids``."""
    raw_steps = raw["steps"]
    reject_unknown(raw_steps, step_ids, path, "steps")
    steps: dict[str, Step] = {}
    for step_id in step_ids:
        item = require(raw_steps, step_id, dict, path, "steps")
        source = item.get("source")
        steps[step_id] = Step(
            title=item["title"].strip(),
            help=item["help"].strip(),
            quote=(item.get("quote") or "").strip(),
            source=parse_source(source) if source is not None else "",
            placeholder=(item.get("placeholder") or "").strip(),
        )
    return steps


def content_id(item: Any, path: str | Path, *where: str | int) -> str:
    """An item's ``id``: lower-case letters, digits, ``-`` and ``_`` (it is saved as a key)."""
    value = item["id"].strip()
    if not _ID.match(value):
        raise ContentError(path, place(*where, "id"), t("builders.content.bad_id", id=value))
    return value


def unique_ids(items: Iterable[str], path: str | Path, *where: str | int) -> None:
    """Raise a ``ContentError`` for an id used twice in one list."""
    seen: set[str] = set()
    for index, item_id in enumerate(items):
        if item_id in seen:
            raise ContentError(path, place(*where, index, "id"), t("builders.content.duplicate_id", id=item_id))
        seen.add(item_id)


# -- saved data (never trusted) -------------------------------------------------------------


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text from saved data; anything else is empty, and very long text is cut."""
    return value[:limit] if isinstance(value, str) else ""


def clean_number(value: Any, *, integer: bool = False, maximum: float = 1e6) -> float | int:
    """A finite number from 0 to ``maximum`` from saved data; anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    value = min(value, maximum)
    return int(value) if integer else float(value)


def clean_bool(value: Any) -> bool:
    return value is True


def one_line(text: str) -> str:
    """Text on one line with single spaces, as a list item or table cell needs."""
    return " ".join(text.split())


# -- warnings and exports -----------------------------------------------------------------


@dataclass(frozen=True)
class BuilderWarning:
    """One thing to look over: a stable ``code`` (tests, CSS) and a message for people."""

    code: str
    message: str


BlockKind = Literal["heading", "para", "note", "bullets", "numbered", "table"]


@dataclass(frozen=True)
class Block:
    """One part of an exported document.

    ``heading`` (``text``, ``level``), ``para`` and ``note`` (``text``; a note is
    set in italics), ``bullets`` and ``numbered`` (``items``), ``table``
    (``rows``, the first row being the header).
    """

    kind: BlockKind
    text: str = ""
    level: int = 1
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def _md(text: str) -> str:
    """One line of Markdown that stays text (the learner's words are no link or tag)."""
    return markdown_literal(one_line(text))


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|") or " "


def blocks_markdown(title: str, blocks: Sequence[Block]) -> str:
    """The blocks as Markdown under ``# title``."""
    out = [f"# {_md(title)}", ""]
    for block in blocks:
        if block.kind == "heading":
            out += [f"{'#' * (block.level + 1)} {_md(block.text)}", ""]
        elif block.kind == "para":
            out += [_md(block.text), ""]
        elif block.kind == "note":
            out += [f"*{_md(block.text)}*", ""]
        elif block.kind == "bullets":
            out += [f"- {_md(item)}" for item in block.items] + [""]
        elif block.kind == "numbered":
            out += [f"{number}. {_md(item)}" for number, item in enumerate(block.items, start=1)] + [""]
        elif block.kind == "table" and block.rows:
            header, *rows = block.rows
            out.append("| " + " | ".join(_cell(c) for c in header) + " |")
            out.append("|" + "|".join(" --- " for _ in header) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
            out.append("")
    return "\n".join(out)
