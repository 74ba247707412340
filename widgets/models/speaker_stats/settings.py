"""Talarstatistik's content (``talarstatistik.yml``): the categories, the band, the limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml, place

#: the one category a live session keeps without the circle's consent to gender (``widgets.storage.speaker_consent``)
ANONYMOUS_ID = "alla"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MAX_CATEGORIES = 12


@dataclass(frozen=True)
class Category:
    """One category a contribution is counted under.

    Attributes
    ----------
    band:
        Its share of the speaking time is checked against the band (kvinnor, män).
    apart:
        Counted apart from the shares (the presidium).
    """

    id: str
    label: str
    band: bool = False
    apart: bool = False


@dataclass(frozen=True)
class SpeakerSettings:
    """The content of a talarstatistik exercise."""

    title: str
    categories: tuple[Category, ...]
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)
    band_low: float = 40.0
    band_high: float = 60.0
    min_contributions: int = 10
    max_minutes: int = 30

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)


def load_settings(path: str | Path) -> SpeakerSettings:
    """Read and validate a talarstatistik file; ``ContentError`` names the file, place and problem."""
    return parse_settings(load_yaml(path), Path(path).name)


def parse_settings(raw: Any, path: str | Path = "<talarstatistik>") -> SpeakerSettings:
    """Validate already parsed content (a dict as from YAML)."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.SpeakerSettings, raw, path, lines=False)
    title = raw["title"].strip()
    source = given(raw, "source", {})
    source = {k: source[k] for k in ("part", "section") if k in source}
    intro = given(raw, "intro", "").strip()
    raw_categories = raw["categories"]
    if not 1 <= len(raw_categories) <= _MAX_CATEGORIES:
        raise ContentError(path, "categories", t("speaker_stats.content.category_count", max=_MAX_CATEGORIES))
    categories: list[Category] = []
    for index, item in enumerate(raw_categories):
        if not isinstance(item, dict):
            raise ContentError(path, place("categories", index), t("content.not_mapping"))
        category_id = item["id"]
        if not _ID.match(category_id):
            raise ContentError(
                path, place("categories", index, "id"), t("speaker_stats.content.bad_id", id=category_id)
            )
        if category_id in {c.id for c in categories}:
            raise ContentError(
                path, place("categories", index, "id"), t("speaker_stats.content.duplicate_id", id=category_id)
            )
        label = item["label"].strip()
        if not label:
            raise ContentError(path, place("categories", index, "label"), t("content.missing_key", key="label"))
        in_band = given(item, "band", False)
        apart = given(item, "apart", False)
        if in_band and apart:
            raise ContentError(path, place("categories", index), t("speaker_stats.content.band_and_apart"))
        categories.append(Category(id=category_id, label=label, band=in_band, apart=apart))
    if all(c.apart for c in categories):
        raise ContentError(path, "categories", t("speaker_stats.content.all_apart"))
    raw_band = given(raw, "band", {})
    low = float(given(raw_band, "low", 40))
    high = float(given(raw_band, "high", 60))
    if not 0 <= low < high <= 100:
        raise ContentError(path, "band", t("speaker_stats.content.band_limits"))
    min_contributions = given(raw, "min_contributions", 10)
    if min_contributions < 1:
        raise ContentError(path, "min_contributions", t("speaker_stats.content.at_least_one", key="min_contributions"))
    max_minutes = given(raw, "max_minutes", 30)
    if max_minutes < 1:
        raise ContentError(path, "max_minutes", t("speaker_stats.content.at_least_one", key="max_minutes"))
    return SpeakerSettings(
        title=title,
        categories=tuple(categories),
        intro=intro,
        source=source,
        band_low=low,
        band_high=high,
        min_contributions=min_contributions,
        max_minutes=max_minutes,
    )
