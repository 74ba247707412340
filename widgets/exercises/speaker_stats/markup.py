"""How talarstatistik looks: the header, the running line, the chart, the table and the band's verdicts."""

from __future__ import annotations

import html

from widgets.core.i18n import t
from widgets.kit.svg_chart import Band, Bar, bar_chart_svg
from widgets.kit.table_region import table_region
from widgets.models.speaker_stats import (
    SpeakerSettings,
    Tally,
    band_range,
    band_verdicts,
    format_duration,
    shown_share,
    time_shares,
)

HIDDEN = "none"
CSS = "cirkel-speaker-stats"
RUNNING_BACKGROUND = "#ffd54f"
RUNNING_TEXT = "#1b1b1b"


def header_html(settings: SpeakerSettings) -> str:
    """The title, the source, the intro and how to tap."""
    header = f'<h3 class="{CSS}-title">{html.escape(settings.title)}</h3>'
    if settings.source:
        header += f'<p class="cirkel-source">{html.escape(t("speaker_stats.source", source=settings.source_text))}</p>'
    if settings.intro:
        header += f"<p>{html.escape(settings.intro)}</p>"
    header += f'<p class="{CSS}-help">{html.escape(t("speaker_stats.help"))}</p>'
    return header


def band_html(tally: Tally, settings: SpeakerSettings, consented: bool) -> str:
    """The band's verdicts (kvinnor, män inside 40-60 %?); none to give before the circle's consent."""
    verdicts = band_verdicts(tally.seconds, settings)
    if not consented:
        body = f"<p>{html.escape(t('speaker_stats.consent.no_band'))}</p>"
    elif verdicts:
        items = "".join(
            f'<li class="{CSS}-{"inside" if v.inside else "outside"}" data-category="{html.escape(v.category.id)}">'
            f"{html.escape(v.message(settings))}</li>"
            for v in verdicts
        )
        body = f"<ul>{items}</ul>"
    else:
        body = f"<p>{html.escape(t('speaker_stats.band_none'))}</p>"
    title = t("speaker_stats.band_title", band=band_range(settings))
    return f'<p class="{CSS}-band-title"><strong>{html.escape(title)}</strong></p>{body}'


def now_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """Whose contribution runs and for how long, and the contributions so far."""
    running = tally.running
    if not running:
        text = t("speaker_stats.none_running")
    else:
        text = t(
            "speaker_stats.running_now",
            label=settings.category(running).label,
            time=format_duration(tally.elapsed(now)),
        )
    total = t("speaker_stats.total", count=tally.total_contributions)
    return f"<p><strong>{html.escape(text)}</strong> {html.escape(total)}</p>"


def _bar_value(share: float, seconds: float, count: int | None) -> str:
    if count is None:
        return t("speaker_stats.bar_value", share=shown_share(share), time=format_duration(seconds))
    return t("livespeaker.bar_value", share=shown_share(share), count=count, time=format_duration(seconds))


def chart_svg(
    settings: SpeakerSettings, seconds: dict[str, float], *, counts: dict[str, int] | None = None, css: str = CSS
) -> str:
    """Bars of each category's share of the speaking time, with the band.

    With ``counts`` (live talarstatistik's big screen and keeper) each bar also says its
    contributions; ``css`` names the chart's class on the page that shows it.
    """
    shares = time_shares(seconds, settings)
    bars = [
        Bar(
            c.label,
            shares[c.id] or 0.0,
            _bar_value(shares[c.id] or 0.0, seconds[c.id], None if counts is None else counts[c.id]),
        )
        for c in settings.categories
        if not c.apart
    ]
    band = Band(
        settings.band_low,
        settings.band_high,
        t("speaker_stats.band_caption", band=band_range(settings)),
    )
    name = t("speaker_stats.chart_name" if counts is None else "livespeaker.chart_name")
    return bar_chart_svg(bars, name=name, scale_max=100, band=band, css_class=f"{css}-svg")


def table_html(tally: Tally, settings: SpeakerSettings, seconds: dict[str, float]) -> str:
    """The numbers as a table (the chart's text alternative), in a region that scrolls on a phone."""
    return table_region(bare_table_html(tally, settings, seconds), t("speaker_stats.table_caption"))


def bare_table_html(tally: Tally, settings: SpeakerSettings, seconds: dict[str, float]) -> str:
    """The numbers as a table: contributions, time and share per category (live talarstatistik's too)."""
    shares = time_shares(seconds, settings)
    head = "".join(
        f'<th scope="col">{html.escape(t(key))}</th>'
        for key in (
            "speaker_stats.col_category",
            "speaker_stats.col_count",
            "speaker_stats.col_time",
            "speaker_stats.col_share",
        )
    )
    rows = []
    for category in settings.categories:
        share = shares[category.id]
        if category.apart:
            shown = t("speaker_stats.apart")
        else:
            shown = shown_share(share)
        rows.append(
            f'<tr data-category="{html.escape(category.id)}"><th scope="row">{html.escape(category.label)}</th>'
            f"<td>{tally.counts[category.id]}</td><td>{html.escape(format_duration(seconds[category.id]))}</td>"
            f"<td>{html.escape(shown)}</td></tr>"
        )
    caption = html.escape(t("speaker_stats.table_caption"))
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
