"""Shares of the speaking time, the band (40-60 % by default) and its verdicts, durations as words."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.core.formats import format_percent, format_percent_range
from widgets.core.i18n import t
from widgets.models.speaker_stats.settings import Category, SpeakerSettings


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
