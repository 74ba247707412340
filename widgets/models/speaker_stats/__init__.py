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

One job per module: ``settings`` (the content), ``tally`` (the answers), ``shares`` (shares,
the band, durations) and ``summary`` (the minutes).
"""

from __future__ import annotations

from widgets.models.speaker_stats.settings import ANONYMOUS_ID, Category, SpeakerSettings, load_settings, parse_settings
from widgets.models.speaker_stats.shares import (
    BandVerdict,
    band_range,
    band_verdicts,
    format_duration,
    shown_share,
    time_shares,
)
from widgets.models.speaker_stats.summary import summary_docx_bytes, summary_markdown
from widgets.models.speaker_stats.tally import Tally

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
