"""Live talarstatistik for a study circle: one keeper device, the big screen, both live.

The single-device ``SpeakerStats`` keeps talarstatistik in one notebook. Here a
circle keeps it on a phone or laptop (``LiveSpeakerKeeper``) while the room's big
screen (``LiveSpeakerScreen``) shows the chart, the table and the band verdicts
as the single-device widget draws them. Both read and write the course run's
live store (``widgets.storage.live_speaker``) and poll it (``start_polling``), so
a second keeper device, a reloaded page or a screen opened late all show the
same session. Only aggregates are kept and shown: never a name.

``keeper_app`` and ``screen_app`` build the two Voilà pages from a
``LiveContext``: who is looking, and which circle (``?circle=<id>``) or session
(``?session=<id>``) the address names. A person without a role in the circle (a
guest, someone from another circle) gets one plain sentence.

Public attributes a test may drive: on ``LiveSpeakerKeeper`` ``start_button``,
``category_buttons`` (category id -> Button), ``stop_button``, ``undo_button``,
``end_button``, ``confirm_end_button``, ``cancel_end_button``,
``markdown_button``, ``docx_button``, ``download``, ``message``, ``table``; on
``LiveSpeakerScreen`` ``now_line``, ``chart``, ``band``, ``table``, ``notice``;
on ``LiveSpeakerApp`` ``message``, ``picker``, ``open_button``, ``view``; and
``refresh()`` on each (the poll's timer calls it in a kernel).

One job per module: ``markup`` (style sheets, buttons, the HTML of the chart, table and
verdicts), ``following`` (what the two views share: one circle's session followed in the
store), ``keeper``, ``screen`` and ``apps`` (the two pages).
"""

from __future__ import annotations

from voila_apps.live.live_speaker_stats.apps import LiveSpeakerApp, keeper_app, screen_app
from voila_apps.live.live_speaker_stats.keeper import LiveSpeakerKeeper
from voila_apps.live.live_speaker_stats.markup import SCREEN_NOTEBOOK, band_html, tally_chart_svg, tally_table_html
from voila_apps.live.live_speaker_stats.screen import LiveSpeakerScreen

__all__ = [
    "LiveSpeakerKeeper",
    "LiveSpeakerScreen",
    "LiveSpeakerApp",
    "keeper_app",
    "screen_app",
    "tally_table_html",
    "tally_chart_svg",
    "band_html",
    "SCREEN_NOTEBOOK",
]
