"""The big screen: the live chart, the band verdicts and the table, nothing else."""

from __future__ import annotations

from typing import Any

from voila_apps.live.live_speaker_stats.following import Following
from voila_apps.live.live_speaker_stats.markup import (
    CSS,
    SCREEN_STYLE,
    band_html,
    tally_chart_svg,
    tally_table_html,
)
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.exercises.speaker_stats.markup import now_html
from widgets.kit import controls as ui
from widgets.storage.live_speaker import LiveSpeakerStore


class LiveSpeakerScreen(Following):
    """The big screen: the live chart, the band verdicts and the table, nothing else.

    Parameters
    ----------
    store
        The run's live talarstatistik.
    circle_id, circle_name
        The circle to follow: its open session, else its latest one; a new
        session appears on its own.
    session_id
        Show this one session instead of following the circle.
    """

    poll_interval = 0.5

    def __init__(
        self,
        store: LiveSpeakerStore,
        circle_id: str,
        *,
        circle_name: str = "",
        session_id: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(store, circle_id, circle_name=circle_name, **kwargs)
        self.add_class(CSS)
        self.add_class(f"{CSS}-screen")
        self._fixed = session_id
        self.heading = ui.HTML()
        self.notice = ui.live(ui.HTML())
        self.notice.add_class(f"{CSS}-notice")
        self.now_line = ui.HTML()
        self.now_line.add_class(f"{CSS}-now")
        self.chart = ui.HTML()
        self.chart.add_class(f"{CSS}-chart")
        self.band = ui.HTML()
        self.band.add_class(f"{CSS}-band")
        self.table = ui.HTML()
        self.table.add_class(f"{CSS}-table")
        self.children = [self.heading, self.notice, self.now_line, self.chart, self.band, self.table]
        self.refresh()
        self._start_polling()

    def _marker(self) -> tuple[int, int] | None:
        if self._fixed is None:
            return self.store.current_marker(self.circle_id)
        version = self.store.version(self._fixed)
        return None if version is None else (self._fixed, version)

    def _draw(self) -> None:
        session = self.session
        title = session.settings.title if session else t("livespeaker.screen_heading")
        self.heading.value = f'{SCREEN_STYLE}<h2>{_e(title)}</h2><p class="{CSS}-circle">{_e(self.circle_name)}</p>'
        if session is None:
            self.notice.value = f"<p>{_e(t('livespeaker.waiting', circle=self.circle_name))}</p>"
            self.now_line.value = self.chart.value = self.band.value = self.table.value = ""
            return
        ended = t("livespeaker.ended_screen") if not session.is_open else ""
        self.notice.value = f"<p>{_e(ended)}</p>"
        self._tick()

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        now = session.ended_at if session.ended_at is not None else self.store.clock()
        tally, settings = session.tally, session.settings
        self.now_line.value = now_html(tally, settings, now)
        self.chart.value = tally_chart_svg(tally, settings, now)
        self.band.value = band_html(tally, settings, now)
        self.table.value = tally_table_html(tally, settings, now)
