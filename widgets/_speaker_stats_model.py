"""Talarstatistik as data: the categories (content), the tally (answers), shares and the summary.

Strategidokumentet, Del 2, "Internfeminism för framtiden", counts talarstatistik
on meetings among the internal-feminist work the party shall continue. This
module keeps what such statistics need and nothing more: per category the
number of contributions (inlägg) and the seconds spoken, plus the running
contribution's category and start time so that a reloaded page continues it.
Never a name. Pure Python (no ipywidgets), so ``grading`` can read it.

A contribution counts when it starts; its time is added when it stops. The
presidium (chair and secretary) is counted apart: its time is shown but left
out of the shares, because leading the meeting is not taking the floor.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import exercise_content_models as shapes
from .content import ContentError, given, load_yaml, place
from .formats import format_percent, format_percent_range
from .i18n import t
from .model_check import validate

__all__ = [
    "ANONYMOUS_ID",
    "Category",
    "SpeakerSettings",
    "Tally",
    "BandVerdict",
    "band_range",
    "shown_share",
    "load_settings",
    "parse_settings",
    "time_shares",
    "band_verdicts",
    "format_duration",
    "summary_markdown",
    "summary_docx_bytes",
]

#: the one category a live session keeps without the circle's consent to gender (``widgets._speaker_consent``)
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
    # the file's shape by its model (widgets.exercise_content_models); the rules across fields below
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


# -- the tally (a meeting's answers) ------------------------------------------------------


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0
    return int(value)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return 0.0
    return float(value)


@dataclass
class Tally:
    """Counts and seconds per category, and the contribution running now (if any).

    All times are seconds from the widget's clock (``time.time`` by default).
    """

    counts: dict[str, int]
    seconds: dict[str, float]
    running: str = ""
    started: float = 0.0

    @classmethod
    def empty(cls, settings: SpeakerSettings) -> Tally:
        return cls(counts={c: 0 for c in settings.ids}, seconds={c: 0.0 for c in settings.ids})

    def to_json(self) -> dict[str, Any]:
        running = {"category": self.running, "started": self.started} if self.running else None
        return {"counts": dict(self.counts), "seconds": dict(self.seconds), "running": running}

    @classmethod
    def from_json(cls, data: Any, settings: SpeakerSettings) -> Tally:
        """A tally from saved data; unknown categories and damaged numbers are dropped, never raised about."""
        data = data if isinstance(data, dict) else {}
        counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
        seconds = data.get("seconds") if isinstance(data.get("seconds"), dict) else {}
        tally = cls(
            counts={c: _count(counts.get(c)) for c in settings.ids},
            seconds={c: _seconds(seconds.get(c)) for c in settings.ids},
        )
        running = data.get("running")
        if isinstance(running, dict) and running.get("category") in settings.ids:
            started = running.get("started")
            if not isinstance(started, bool) and isinstance(started, (int, float)) and math.isfinite(started):
                tally.running, tally.started = running["category"], float(started)
        return tally

    @property
    def total_contributions(self) -> int:
        return sum(self.counts.values())

    def elapsed(self, now: float) -> float:
        """Seconds the running contribution has lasted (0 when none runs or the clock went back)."""
        return max(0.0, now - self.started) if self.running else 0.0

    def live_seconds(self, now: float) -> dict[str, float]:
        """Seconds per category with the running contribution's time so far included."""
        live = dict(self.seconds)
        if self.running:
            live[self.running] += self.elapsed(now)
        return live

    def start(self, category: str, now: float, max_seconds: float) -> tuple[float, bool]:
        """Stop any running contribution, then start one for ``category`` and count it.

        Returns what ``stop`` returned for the contribution that was running.
        """
        ended = self.stop(now, max_seconds)
        self.counts[category] += 1
        self.running, self.started = category, now
        return ended

    def stop(self, now: float, max_seconds: float) -> tuple[float, bool]:
        """End the running contribution and add its time, at most ``max_seconds``.

        Returns the seconds added and whether they were cut to ``max_seconds``
        (someone forgot to stop, or the page was left overnight).
        """
        if not self.running:
            return 0.0, False
        spoken = self.elapsed(now)
        capped = spoken > max_seconds
        spoken = min(spoken, max_seconds)
        self.seconds[self.running] += spoken
        self.running, self.started = "", 0.0
        return spoken, capped


# -- shares and the band ------------------------------------------------------------------


def time_shares(seconds: dict[str, float], settings: SpeakerSettings) -> dict[str, float | None]:
    """Each category's share (0-100) of the speaking time outside the presidium.

    Categories counted apart get ``None``; so does everyone while nobody has spoken.
    """
    counted = [c.id for c in settings.categories if not c.apart]
    total = sum(seconds.get(c, 0.0) for c in counted)
    return {
        c.id: (100.0 * seconds.get(c.id, 0.0) / total if total > 0 and not c.apart else None)
        for c in settings.categories
    }


def band_range(settings: SpeakerSettings) -> str:
    """The band of an even spread as a person reads it: ``40–60 %`` (Babel's sign and space)."""
    return format_percent_range(settings.band_low / 100, settings.band_high / 100)


def shown_share(share: float | None) -> str:
    """A share of the speaking time (0 to 100) as a percentage, or a dash when nobody has spoken."""
    return "–" if share is None else format_percent(share / 100)


@dataclass(frozen=True)
class BandVerdict:
    """Whether one band category's share of speaking time lies inside the band."""

    category: Category
    share: float
    inside: bool

    def message(self, settings: SpeakerSettings) -> str:
        key = "speaker_stats.band_inside" if self.inside else "speaker_stats.band_outside"
        return t(
            key,
            label=self.category.label,
            share=format_percent(self.share / 100),
            band=band_range(settings),
        )


def band_verdicts(seconds: dict[str, float], settings: SpeakerSettings) -> list[BandVerdict]:
    """The band categories' shares and verdicts; empty while nobody has spoken."""
    shares = time_shares(seconds, settings)
    out = []
    for category in settings.categories:
        share = shares.get(category.id)
        if category.band and share is not None:
            inside = settings.band_low <= round(share, 6) <= settings.band_high
            out.append(BandVerdict(category, share, inside))
    return out


def format_duration(seconds: float) -> str:
    """``45 s``, ``2 min 05 s`` or ``1 h 02 min``: whole seconds, as people say it."""
    whole = int(round(max(seconds, 0.0)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return t("speaker_stats.duration_hours", hours=hours, minutes=f"{minutes:02d}")
    if minutes:
        return t("speaker_stats.duration_minutes", minutes=minutes, seconds=f"{secs:02d}")
    return t("speaker_stats.duration_seconds", seconds=secs)


# -- the summary for the minutes ------------------------------------------------------------


def _summary_rows(tally: Tally, settings: SpeakerSettings, now: float) -> list[tuple[str, str, str, str]]:
    seconds = tally.live_seconds(now)
    shares = time_shares(seconds, settings)
    rows = []
    for category in settings.categories:
        share = shares[category.id]
        shown = t("speaker_stats.apart") if category.apart else shown_share(share)
        rows.append((category.label, str(tally.counts[category.id]), format_duration(seconds[category.id]), shown))
    return rows


def _summary_date(now: float) -> str:
    """The day of the summary in Stockholm (``2026-12-03``), through Babel."""
    from .formats import format_day

    return format_day(_dt.datetime.fromtimestamp(now, _dt.UTC))


def _band_lines(tally: Tally, settings: SpeakerSettings, now: float) -> list[str]:
    """The band's verdicts; none at all when no category is held to the band (counted without gender)."""
    if not any(c.band for c in settings.categories):
        return []
    return [v.message(settings) for v in band_verdicts(tally.live_seconds(now), settings)] or [
        t("speaker_stats.band_none")
    ]


def summary_markdown(tally: Tally, settings: SpeakerSettings, now: float, note: str = "") -> str:
    """A summary for the meeting's minutes: counts, time and shares per category, and the band.

    ``note`` (the circle's consent, as the exercise words it) follows the date.
    """
    headers = (
        t("speaker_stats.col_category"),
        t("speaker_stats.col_count"),
        t("speaker_stats.col_time"),
        t("speaker_stats.col_share"),
    )
    out = [f"# {settings.title}", "", t("speaker_stats.export.date", date=_summary_date(now)), ""]
    if note:
        out += [note, ""]
    if settings.source:
        out += [f"*{t('speaker_stats.export.source', source=settings.source_text)}*", ""]
    out += ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += [
        "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in _summary_rows(tally, settings, now)
    ]
    out += ["", t("speaker_stats.export.total", count=tally.total_contributions), ""]
    if tally.running:
        out += [t("speaker_stats.export.running", label=settings.category(tally.running).label), ""]
    verdicts = band_verdicts(tally.live_seconds(now), settings)
    lines = _band_lines(tally, settings, now)
    out += [f"- {line}" for line in lines] if verdicts else lines
    out += ["", t("speaker_stats.export.apart_note"), "", t("speaker_stats.export.privacy"), ""]
    return "\n".join(out)


def summary_docx_bytes(tally: Tally, settings: SpeakerSettings, now: float, note: str = "") -> bytes:
    """The same summary as a Word document."""
    import io

    import docx  # python-docx, imported only when someone asks for a Word file

    document = docx.Document()
    document.core_properties.title = settings.title
    document.add_heading(settings.title, level=0)
    document.add_paragraph(t("speaker_stats.export.date", date=_summary_date(now)))
    if note:
        document.add_paragraph(note)
    if settings.source:
        document.add_paragraph(t("speaker_stats.export.source", source=settings.source_text)).runs[0].italic = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("col_category", "col_count", "col_time", "col_share")):
        cell.text = t(f"speaker_stats.{text}")
    for row in _summary_rows(tally, settings, now):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.add_paragraph(t("speaker_stats.export.total", count=tally.total_contributions))
    if tally.running:
        document.add_paragraph(t("speaker_stats.export.running", label=settings.category(tally.running).label))
    verdicts = band_verdicts(tally.live_seconds(now), settings)
    for line in _band_lines(tally, settings, now):
        document.add_paragraph(line, style="List Bullet" if verdicts else None)
    document.add_paragraph(t("speaker_stats.export.apart_note"))
    document.add_paragraph(t("speaker_stats.export.privacy"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
