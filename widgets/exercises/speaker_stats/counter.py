"""The tap counter: a category's button per tap, the live numbers, the reset and the exports."""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Bool, Int, Unicode

from widgets.core.i18n import t
from widgets.exercises.speaker_stats.consent import ConsentSteps
from widgets.exercises.speaker_stats.markup import (
    CSS,
    HIDDEN,
    RUNNING_BACKGROUND,
    RUNNING_TEXT,
    band_html,
    chart_svg,
    header_html,
    now_html,
    table_html,
)
from widgets.kit import controls as ui
from widgets.kit.download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets.models.speaker_stats import (
    SpeakerSettings,
    Tally,
    format_duration,
    load_settings,
    parse_settings,
    summary_docx_bytes,
    summary_markdown,
    time_shares,
)
from widgets.models.speaker_stats_consent import (
    anonymous_tally,
    by_gender,
    consent_from_json,
    consent_to_json,
    counted_settings,
    every_category,
)
from widgets.storage.answers import AnswerStore


class SpeakerStats(ConsentSteps):
    """Live talarstatistik: contributions and speaking time per category, with the 40-60 % band.

    Parameters
    ----------
    settings
        The categories, the band and the limits: a ``SpeakerSettings`` or a
        dict in the ``talarstatistik.yml`` format (validated here). Its
        categories are counted only after the circle's consent.
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    clock
        Returns the time in seconds (``time.time`` by default); a test passes
        its own so every duration is exact.
    """

    kind = "speaker-stats"

    running = Unicode("", read_only=True, help="Id of the category whose contribution runs now, or ''.")
    total_contributions = Int(0, read_only=True, help="Contributions counted so far, all categories.")
    confirming_reset = Bool(False, read_only=True, help="True while the reset asks to be confirmed.")

    def __init__(
        self,
        settings: SpeakerSettings | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        clock: Callable[[], float] = time.time,
        **kwargs: Any,
    ):
        self.content_settings = settings if isinstance(settings, SpeakerSettings) else parse_settings(settings)
        self.clock = clock
        self.consent_date: dt.date | None = None
        self.settings = counted_settings(self.content_settings, False)
        self.tally = Tally.empty(self.settings)
        self._fold_on_restore = False
        self.category_buttons: dict[str, ipw.Button] = {}
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        clock: Callable[[], float] = time.time,
        **kwargs: Any,
    ) -> SpeakerStats:
        """Talarstatistik whose categories come from a file, relative to the working directory."""
        return cls(load_settings(path), exercise_id=exercise_id, store=store, clock=clock, **kwargs)

    # -- public actions (the buttons call these) -------------------------------------
    def tap(self, category: str) -> None:
        """One tap on a category: stop it if it runs, else start it (ending any other)."""
        self._check_category(category)
        if self.tally.running == category:
            self.stop()
        else:
            self.start(category)

    def start(self, category: str) -> None:
        """Start a contribution for ``category``; a running one (any category) ends first."""
        self._check_category(category)
        previous = self.tally.running
        spoken, capped = self.tally.start(category, self.clock(), self._max_seconds)
        label = self.settings.category(category).label
        message = t("speaker_stats.started", label=label)
        if previous:
            message = t(
                "speaker_stats.switched",
                previous=self.settings.category(previous).label,
                time=format_duration(spoken),
                label=label,
            )
        self._after_change(message, capped)

    def stop(self) -> None:
        """End the running contribution (nothing happens when none runs)."""
        running = self.tally.running
        if not running:
            return
        spoken, capped = self.tally.stop(self.clock(), self._max_seconds)
        label = self.settings.category(running).label
        self._after_change(t("speaker_stats.stopped", label=label, time=format_duration(spoken)), capped)

    def request_reset(self) -> None:
        """Ask for confirmation before everything is cleared."""
        self.set_trait("confirming_reset", True)
        self._show_reset()
        if hasattr(self.cancel_reset_button, "focus"):
            ui.focus(self.cancel_reset_button)

    def confirm_reset(self) -> None:
        """Clear all counts and times (only after ``request_reset``)."""
        if not self.confirming_reset:
            raise ValueError(t("speaker_stats.reset_not_asked"))
        self._count(Tally.empty(counted_settings(self.content_settings, self.consented)))
        self.set_trait("confirming_reset", False)
        self._show_reset()
        self._after_change(t("speaker_stats.reset_done"), False)

    def cancel_reset(self) -> None:
        """Keep everything: the confirmation goes away."""
        self.set_trait("confirming_reset", False)
        self._show_reset()

    def refresh(self) -> None:
        """Redraw the live numbers, chart and table from the clock (the ticker calls this)."""
        now = self.clock()
        seconds = self.tally.live_seconds(now)
        self._now_line.value = now_html(self.tally, self.settings, now)
        self._chart.value = chart_svg(self.settings, seconds)
        self._table.value = table_html(self.tally, self.settings, seconds)

    # -- queries ---------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Contributions per category id."""
        return dict(self.tally.counts)

    def seconds(self) -> dict[str, float]:
        """Speaking time per category id, the running contribution's time so far included."""
        return self.tally.live_seconds(self.clock())

    def shares(self) -> dict[str, float | None]:
        """Share (0-100) of the speaking time outside the presidium, per category id."""
        return time_shares(self.seconds(), self.settings)

    # -- exports ---------------------------------------------------------------------
    def to_markdown(self) -> str:
        """A summary for the meeting's minutes, as Markdown."""
        return summary_markdown(self.tally, self.settings, self.clock(), self._consent_text())

    def docx_bytes(self) -> bytes:
        """The same summary as a Word document."""
        return summary_docx_bytes(self.tally, self.settings, self.clock(), self._consent_text())

    # -- Exercise ----------------------------------------------------------------------
    def _build(self) -> None:
        self.consent_date = None
        self.settings = counted_settings(self.content_settings, False)
        self.tally = Tally.empty(self.settings)
        consent_box = self._build_consent()

        self.stop_button = ui.Button(description=t("speaker_stats.stop"))
        self.stop_button.add_class(f"{CSS}-stop")
        self.stop_button.on_click(lambda _b: self.stop())

        self._announce = ui.live(ui.HTML())
        self._announce.add_class(f"{CSS}-announce")
        self._now_line = ui.HTML()
        self._now_line.add_class(f"{CSS}-now")
        self._band = ui.live(ui.HTML())
        self._band.add_class(f"{CSS}-band")
        self._chart = ui.HTML()
        self._chart.add_class(f"{CSS}-chart")
        self._table = ui.HTML()
        self._table.add_class(f"{CSS}-table")

        self.ticker = ui.Play(
            value=0,
            min=0,
            max=10**9,
            step=1,
            interval=1000,
            repeat=False,
            description=t("speaker_stats.ticker"),
            layout=ui.layout(display=HIDDEN),
        )
        self.ticker.observe(lambda _c: self.refresh(), "value")
        # A page loaded while a contribution runs gets a ticker already marked as playing, and
        # the browser starts ticking only on a change: so when a view appears, restart it.
        self.ticker._view_count = 0
        self.ticker.observe(self._ticker_shown, "_view_count")

        self.reset_button = ui.Button(description=t("speaker_stats.reset"))
        self.reset_button.add_class(f"{CSS}-reset")
        self.reset_button.on_click(lambda _b: self.request_reset())
        self.confirm_reset_button = ui.Button(description=t("speaker_stats.reset_confirm"), button_style="danger")
        self.confirm_reset_button.add_class(f"{CSS}-reset-confirm")
        self.confirm_reset_button.on_click(lambda _b: self.confirm_reset() if self.confirming_reset else None)
        self.cancel_reset_button = ui.Button(description=t("speaker_stats.reset_cancel"))
        self.cancel_reset_button.add_class(f"{CSS}-reset-cancel")
        self.cancel_reset_button.on_click(lambda _b: self.cancel_reset())
        self._reset_question = ui.live(ui.HTML())
        self._confirm_row = ui.VBox(
            [self._reset_question, ui.HBox([self.confirm_reset_button, self.cancel_reset_button])]
        )
        self._confirm_row.add_class(f"{CSS}-confirm")

        self.markdown_button = ui.Button(description=t("speaker_stats.download_markdown"))
        self.docx_button = ui.Button(description=t("speaker_stats.download_docx"))
        self.markdown_button.on_click(
            lambda _b: self._offer(
                t("speaker_stats.markdown_filename"), MARKDOWN_MIME, self.to_markdown().encode("utf-8")
            )
        )
        self.docx_button.on_click(
            lambda _b: self._offer(t("speaker_stats.docx_filename"), DOCX_MIME, self.docx_bytes())
        )
        self.download = ui.HTML()
        self.download.add_class(f"{CSS}-download")

        self._buttons = ui.HBox([], layout=ui.layout(flex_flow="row wrap"))
        self._buttons.add_class(f"{CSS}-buttons")
        self._make_category_buttons()
        self.children = [
            ui.HTML(header_html(self.settings)),
            self._status_box,
            consent_box,
            self._buttons,
            self._announce,
            self._now_line,
            self._band,
            self._chart,
            self._table,
            self.ticker,
            ui.HTML(f'<h4 class="{CSS}-subtitle">{html.escape(t("speaker_stats.export_title"))}</h4>'),
            ui.HBox([self.markdown_button, self.docx_button]),
            self.download,
            ui.HBox([self.reset_button]),
            self._confirm_row,
        ]
        self._show_reset()
        self._show()

    def answers(self) -> dict[str, Any]:
        return {**self.tally.to_json(), "consent": consent_to_json(self.consent_date)}

    def set_answers(self, data: dict[str, Any]) -> None:
        self.consent_date = consent_from_json(data)
        tally = Tally.from_json(data, every_category(self.content_settings))
        # counts by gender without a consent (a file from before it was asked) are kept only as "Inlägg"
        self._fold_on_restore = self.consent_date is None and by_gender(tally)
        if self.consent_date is None:
            tally = anonymous_tally(tally)
        self.set_trait("confirming_withdraw", False)
        self._count(tally)

    def restore(self) -> None:
        """Load the saved answers; counts by gender found without a consent are deleted from the file."""
        self._fold_on_restore = False
        super().restore()
        if self._fold_on_restore:
            self._fold_on_restore = False
            self.save()

    # -- internals -----------------------------------------------------------------------
    def _count(self, tally: Tally) -> None:
        """Count ``tally`` under the categories the consent allows now (buttons made again if they changed)."""
        self.set_trait("consented", self.consent_date is not None)
        settings = counted_settings(self.content_settings, self.consented, tally)
        self.tally = Tally(
            counts={c: tally.counts.get(c, 0) for c in settings.ids},
            seconds={c: tally.seconds.get(c, 0.0) for c in settings.ids},
            running=tally.running if tally.running in settings.ids else "",
            started=tally.started if tally.running in settings.ids else 0.0,
        )
        changed = settings.ids != self.settings.ids
        self.settings = settings
        if changed:
            self._make_category_buttons()
        self._show()

    def _make_category_buttons(self) -> None:
        self.category_buttons = {}
        for category in self.settings.categories:
            button = ui.Button(layout=ui.layout(width="auto", min_width="11em", height="3em", margin="0.2em"))
            button.add_class(f"{CSS}-category")
            button.add_class(f"{CSS}-category-{category.id}")
            button.on_click(lambda _b, c=category.id: self.tap(c))
            self.category_buttons[category.id] = button
        self._buttons.children = [*self.category_buttons.values(), self.stop_button]

    @property
    def _max_seconds(self) -> float:
        return self.settings.max_minutes * 60.0

    def _check_category(self, category: str) -> None:
        if category not in self.settings.ids:
            raise ValueError(t("speaker_stats.unknown_category", category=category))

    def _after_change(self, message: str, capped: bool) -> None:
        if capped:
            message += " " + t("speaker_stats.capped", count=self.settings.max_minutes)
        self._announce.value = f'<p class="{CSS}-message">{html.escape(message)}</p>'
        self.download.value = ""  # an old link would download old numbers
        self.save()
        self._show()

    def _show(self) -> None:
        """Make buttons, band, chart and table match the tally (construction, restore, every tap)."""
        running = self.tally.running
        self.set_trait("running", running)
        self.set_trait("total_contributions", self.tally.total_contributions)
        for category in self.settings.categories:
            button = self.category_buttons[category.id]
            count = self.tally.counts[category.id]
            if category.id == running:
                button.description = t("speaker_stats.button_running", label=category.label, count=count)
                # amber with dark text: stands out from the others and keeps its contrast
                button.button_style = ""
                ui.restyle(button, button_color=RUNNING_BACKGROUND, text_color=RUNNING_TEXT, font_weight="bold")
                button.tooltip = t("speaker_stats.button_running_tip", label=category.label)
            else:
                button.description = t("speaker_stats.button", label=category.label, count=count)
                button.button_style = "" if category.apart else "primary"
                ui.restyle(button, button_color=None, text_color=None, font_weight=None)
                button.tooltip = t("speaker_stats.button_tip", label=category.label)
        self.stop_button.disabled = not running
        self.ticker.playing = bool(running)
        self._show_consent()
        ui.show(self._chart, self.consented)
        self._band.value = band_html(self.tally, self.settings, self.consented)
        self.refresh()

    def _ticker_shown(self, change: dict[str, Any]) -> None:
        if change["new"] and self.tally.running:
            self.ticker.playing = False
            self.ticker.playing = True

    def _show_reset(self) -> None:
        asking = self.confirming_reset
        ui.show(self._confirm_row, asking)
        ui.show(self.reset_button, not asking)
        self._reset_question.value = f"<p>{html.escape(t('speaker_stats.reset_question'))}</p>" if asking else ""

    def _offer(self, filename: str, mime: str, payload: bytes) -> None:
        self.download.value = download_link(
            filename,
            mime,
            payload,
            t("speaker_stats.download_link", name=filename),
            css_class=f"cirkel-download {CSS}-link",
        )
