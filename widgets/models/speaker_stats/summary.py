"""The summary for the meeting's minutes, as Markdown and as a Word document: aggregates only, never a name."""

from __future__ import annotations

import datetime as _dt

from widgets.core.i18n import t
from widgets.models.speaker_stats.settings import SpeakerSettings
from widgets.models.speaker_stats.shares import band_verdicts, format_duration, shown_share, time_shares
from widgets.models.speaker_stats.tally import Tally


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
    from widgets.core.formats import format_day

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
