"""SpeakerStats: talarstatistik kept live during a meeting, one tap per contribution.

Strategidokumentet, Del 2, "Internfeminism för framtiden", names talarstatistik
on meetings among the work to continue. A secretary (or anyone) taps a
category when someone takes the floor and taps again when they finish; tapping
another category ends the running contribution and starts the new one. The
widget shows contributions and speaking time per category, a bar chart of the
shares with the band (40-60 % by default) and a table with the same numbers,
and exports a summary for the minutes. Only aggregates are kept, never names.

The categories come from content (``talarstatistik.yml``). Time comes from an
injectable ``clock`` so tests are exact. While a contribution runs, a hidden
``ipw.Play`` ticks once a second in the browser and the numbers are redrawn;
headless (autograde, tests) nothing ticks and nothing waits.

Gender is counted only after the circle has agreed (``_speaker_stats_consent``,
the same rule as live talarstatistik): until then one anonymous category,
"Inlägg". The day the circle agreed is kept in the answer file; withdrawing
sums the gender tallies into the anonymous count and deletes them.

Public attributes a test (or a notebook) may drive: ``category_buttons``
(one button per category id counted now), ``stop_button``, ``reset_button``,
``confirm_reset_button``, ``cancel_reset_button``, ``markdown_button``,
``docx_button``, ``download``, ``consent_date_field``, ``give_consent_button``,
``withdraw_button``, ``confirm_withdraw_button``, ``cancel_withdraw_button``,
and the methods ``tap``, ``start``, ``stop``, ``request_reset``,
``confirm_reset``, ``cancel_reset``, ``give_consent``, ``request_withdraw``,
``confirm_withdraw``, ``cancel_withdraw``, ``refresh``.

One job per module: ``markup`` (the header, the chart, the table, the verdicts), ``consent``
(the circle's consent and its controls) and ``counter`` (the taps, the reset, the exports).
"""

from __future__ import annotations

from widgets.exercises.speaker_stats.counter import SpeakerStats
from widgets.models.speaker_stats import SpeakerSettings, load_settings

__all__ = ["SpeakerStats", "SpeakerSettings", "load_settings"]
