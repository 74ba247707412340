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
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Bool, Int, Unicode

from . import _ui as ui
from ._download import DOCX_MIME, MARKDOWN_MIME, download_link
from ._exercise import Exercise
from ._messages import Messages
from ._speaker_stats_consent import (
    agreed_date,
    anonymous_tally,
    by_gender,
    consent_from_json,
    consent_to_json,
    counted_settings,
    every_category,
)
from ._speaker_stats_model import (
    SpeakerSettings,
    Tally,
    band_range,
    band_verdicts,
    format_duration,
    load_settings,
    parse_settings,
    shown_share,
    summary_docx_bytes,
    summary_markdown,
    time_shares,
)
from ._svg_chart import Band, Bar, bar_chart_svg
from ._table_region import table_region
from .i18n import t
from .store import AnswerStore

__all__ = ["SpeakerStats", "SpeakerSettings", "load_settings"]

_HIDDEN = "none"
_CSS = "cirkel-speaker-stats"
_RUNNING_BACKGROUND = "#ffd54f"
_RUNNING_TEXT = "#1b1b1b"


class SpeakerStats(Exercise):
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
    consented = Bool(False, read_only=True, help="True when the circle has agreed to counting by gender.")
    confirming_withdraw = Bool(False, read_only=True, help="True while withdrawing the consent asks to be confirmed.")

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

    def give_consent(self, agreed_on: Any = None) -> None:
        """Record that the circle agreed to counting by gender, on ``agreed_on`` (``consent_date_field`` by default).

        The content's categories appear; what was counted before stays apart,
        without gender. A date that cannot be read, or one to come, is refused
        in plain Swedish and nothing changes.
        """
        value = self.consent_date_field.value if agreed_on is None else agreed_on
        try:
            day = agreed_date(value, self._today())
        except ValueError as exc:
            self._say_consent(str(exc), error=True)
            ui.focus(self.consent_date_field)  # said at once; the keyboard goes to the date to write it again
            return
        self.consent_date = day
        self._count(self.tally)
        self._consent_changed(t("livespeaker.consent.saved", date=day.isoformat()))

    def request_withdraw(self) -> None:
        """Ask before the consent is withdrawn and the counts by gender are deleted."""
        if not self.consented:
            return
        self.set_trait("confirming_withdraw", True)
        self._show_consent()
        if hasattr(self.cancel_withdraw_button, "focus"):
            self.cancel_withdraw_button.focus()

    def cancel_withdraw(self) -> None:
        self.set_trait("confirming_withdraw", False)
        self._show_consent()

    def confirm_withdraw(self) -> None:
        """Withdraw the consent (only after ``request_withdraw``): every count is summed into "Inlägg"."""
        if not self.confirming_withdraw:
            return
        self.set_trait("confirming_withdraw", False)
        self.consent_date = None
        self._count(anonymous_tally(self.tally))
        self._consent_changed(t("livespeaker.consent.withdrawn"))

    def refresh(self) -> None:
        """Redraw the live numbers, chart and table from the clock (the ticker calls this)."""
        now = self.clock()
        seconds = self.tally.live_seconds(now)
        self._now_line.value = self._now_html(now)
        self._chart.value = self._chart_html(seconds)
        self._table.value = self._table_html(seconds)

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
        settings = self.settings
        header = f'<h3 class="{_CSS}-title">{html.escape(settings.title)}</h3>'
        if settings.source:
            header += (
                f'<p class="cirkel-source">{html.escape(t("speaker_stats.source", source=settings.source_text))}</p>'
            )
        if settings.intro:
            header += f"<p>{html.escape(settings.intro)}</p>"
        header += f'<p class="{_CSS}-help">{html.escape(t("speaker_stats.help"))}</p>'
        self.consent_date = None
        self.settings = counted_settings(self.content_settings, False)
        self.tally = Tally.empty(self.settings)
        consent_box = self._build_consent()

        self.stop_button = ui.Button(description=t("speaker_stats.stop"))
        self.stop_button.add_class(f"{_CSS}-stop")
        self.stop_button.on_click(lambda _b: self.stop())

        self._announce = ui.live(ui.HTML())
        self._announce.add_class(f"{_CSS}-announce")
        self._now_line = ui.HTML()
        self._now_line.add_class(f"{_CSS}-now")
        self._band = ui.live(ui.HTML())
        self._band.add_class(f"{_CSS}-band")
        self._chart = ui.HTML()
        self._chart.add_class(f"{_CSS}-chart")
        self._table = ui.HTML()
        self._table.add_class(f"{_CSS}-table")

        self.ticker = ui.Play(
            value=0,
            min=0,
            max=10**9,
            step=1,
            interval=1000,
            repeat=False,
            description=t("speaker_stats.ticker"),
            layout=ui.layout(display=_HIDDEN),
        )
        self.ticker.observe(lambda _c: self.refresh(), "value")
        # A page loaded while a contribution runs gets a ticker already marked as playing, and
        # the browser starts ticking only on a change: so when a view appears, restart it.
        self.ticker._view_count = 0
        self.ticker.observe(self._ticker_shown, "_view_count")

        self.reset_button = ui.Button(description=t("speaker_stats.reset"))
        self.reset_button.add_class(f"{_CSS}-reset")
        self.reset_button.on_click(lambda _b: self.request_reset())
        self.confirm_reset_button = ui.Button(description=t("speaker_stats.reset_confirm"), button_style="danger")
        self.confirm_reset_button.add_class(f"{_CSS}-reset-confirm")
        self.confirm_reset_button.on_click(lambda _b: self.confirm_reset() if self.confirming_reset else None)
        self.cancel_reset_button = ui.Button(description=t("speaker_stats.reset_cancel"))
        self.cancel_reset_button.add_class(f"{_CSS}-reset-cancel")
        self.cancel_reset_button.on_click(lambda _b: self.cancel_reset())
        self._reset_question = ui.live(ui.HTML())
        self._confirm_row = ui.VBox(
            [self._reset_question, ui.HBox([self.confirm_reset_button, self.cancel_reset_button])]
        )
        self._confirm_row.add_class(f"{_CSS}-confirm")

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
        self.download.add_class(f"{_CSS}-download")

        self._buttons = ui.HBox([], layout=ui.layout(flex_flow="row wrap"))
        self._buttons.add_class(f"{_CSS}-buttons")
        self._make_category_buttons()
        self.children = [
            ui.HTML(header),
            self._status_box,
            consent_box,
            self._buttons,
            self._announce,
            self._now_line,
            self._band,
            self._chart,
            self._table,
            self.ticker,
            ui.HTML(f'<h4 class="{_CSS}-subtitle">{html.escape(t("speaker_stats.export_title"))}</h4>'),
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
    def _today(self) -> dt.date:
        return dt.date.fromtimestamp(self.clock())

    def _build_consent(self) -> ipw.VBox:
        """Why the circle counts, why it is asked first, and the buttons to record or withdraw its consent."""
        why = "".join(
            f"<p>{html.escape(t(key))}</p>"
            for key in (
                "livespeaker.consent.why_count",
                "livespeaker.consent.why_ask",
                "livespeaker.consent.why_withdraw",
            )
        )
        heading = f'<h4 class="{_CSS}-subtitle">{html.escape(t("livespeaker.consent.heading"))}</h4>'
        self._consent_state = ui.HTML()
        self._consent_state.add_class(f"{_CSS}-consent-state")
        # a polite and an alert region, there before their text changes: a refused date interrupts
        self._consent_message = Messages(f"{_CSS}-consent-message")
        self.consent_date_field = ui.Text(
            value=self._today().isoformat(),
            continuous_update=False,  # read by the button: see widgets/_ui.py on Text
            description=t("livespeaker.consent.date_label"),
            placeholder="ÅÅÅÅ-MM-DD",
            style={"description_width": "initial"},
            layout=ui.layout(width="auto", max_width="100%"),
        )
        self.consent_date_field.add_class(f"{_CSS}-consent-date")
        self.give_consent_button = ui.Button(description=t("livespeaker.consent.give"), button_style="primary")
        self.give_consent_button.add_class(f"{_CSS}-consent-give")
        self.give_consent_button.on_click(lambda _b: self.give_consent())
        self.withdraw_button = ui.Button(description=t("livespeaker.consent.withdraw"))
        self.withdraw_button.add_class(f"{_CSS}-consent-withdraw")
        self.withdraw_button.on_click(lambda _b: self.request_withdraw())
        self.confirm_withdraw_button = ui.Button(
            description=t("livespeaker.consent.withdraw_confirm"), button_style="danger"
        )
        self.confirm_withdraw_button.add_class(f"{_CSS}-consent-withdraw-confirm")
        self.confirm_withdraw_button.on_click(lambda _b: self.confirm_withdraw())
        self.cancel_withdraw_button = ui.Button(description=t("livespeaker.end_cancel"))
        self.cancel_withdraw_button.add_class(f"{_CSS}-consent-withdraw-cancel")
        self.cancel_withdraw_button.on_click(lambda _b: self.cancel_withdraw())
        self._withdraw_question = ui.live(ui.HTML())
        self._give_row = ui.VBox([self.consent_date_field, self.give_consent_button])
        self._withdraw_row = ui.VBox(
            [self._withdraw_question, ui.HBox([self.confirm_withdraw_button, self.cancel_withdraw_button])]
        )
        box = ui.VBox(
            [
                ui.HTML(heading + why),
                self._consent_state,
                self._give_row,
                self.withdraw_button,
                self._withdraw_row,
                self._consent_message,
            ]
        )
        box.add_class(f"{_CSS}-consent")
        return box

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
            button.add_class(f"{_CSS}-category")
            button.add_class(f"{_CSS}-category-{category.id}")
            button.on_click(lambda _b, c=category.id: self.tap(c))
            self.category_buttons[category.id] = button
        self._buttons.children = [*self.category_buttons.values(), self.stop_button]

    def _consent_text(self) -> str:
        if self.consent_date is not None:
            return t("livespeaker.consent.given", date=self.consent_date.isoformat())
        return t("livespeaker.consent.not_given")

    def _show_consent(self) -> None:
        text = self._consent_text()
        self._consent_state.value = f"<p><strong>{html.escape(text)}</strong></p>"
        asking = self.confirming_withdraw and self.consented
        ui.show(self._give_row, not self.consented)
        ui.show(self.withdraw_button, self.consented and not asking)
        ui.show(self._withdraw_row, asking)
        self._withdraw_question.value = (
            f"<p>{html.escape(t('livespeaker.consent.withdraw_question'))}</p>" if asking else ""
        )

    def _consent_changed(self, message: str) -> None:
        """Save the consent and the counts it allows, said once (next to the consent, not in the tap messages)."""
        self._say_consent(message)
        self.download.value = ""  # an old link would download the counts as they were
        self.save()

    def _say_consent(self, text: str, *, error: bool = False) -> None:
        kind = "error" if error else "info"
        shown = f'<p class="cirkel-speaker-consent-{kind}">{html.escape(text)}</p>'
        if error:
            self._consent_message.error(shown)
        else:
            self._consent_message.say(shown)

    @property
    def _max_seconds(self) -> float:
        return self.settings.max_minutes * 60.0

    def _check_category(self, category: str) -> None:
        if category not in self.settings.ids:
            raise ValueError(t("speaker_stats.unknown_category", category=category))

    def _after_change(self, message: str, capped: bool) -> None:
        if capped:
            message += " " + t("speaker_stats.capped", count=self.settings.max_minutes)
        self._announce.value = f'<p class="{_CSS}-message">{html.escape(message)}</p>'
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
                ui.restyle(button, button_color=_RUNNING_BACKGROUND, text_color=_RUNNING_TEXT, font_weight="bold")
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
        verdicts = band_verdicts(self.tally.seconds, self.settings)
        if not self.consented:
            body = f"<p>{html.escape(t('speaker_stats.consent.no_band'))}</p>"
        elif verdicts:
            items = "".join(
                f'<li class="{_CSS}-{"inside" if v.inside else "outside"}" data-category="{html.escape(v.category.id)}">'
                f"{html.escape(v.message(self.settings))}</li>"
                for v in verdicts
            )
            body = f"<ul>{items}</ul>"
        else:
            body = f"<p>{html.escape(t('speaker_stats.band_none'))}</p>"
        title = t("speaker_stats.band_title", band=band_range(self.settings))
        self._band.value = f'<p class="{_CSS}-band-title"><strong>{html.escape(title)}</strong></p>{body}'
        self.refresh()

    def _ticker_shown(self, change: dict[str, Any]) -> None:
        if change["new"] and self.tally.running:
            self.ticker.playing = False
            self.ticker.playing = True

    def _now_html(self, now: float) -> str:
        running = self.tally.running
        if not running:
            text = t("speaker_stats.none_running")
        else:
            text = t(
                "speaker_stats.running_now",
                label=self.settings.category(running).label,
                time=format_duration(self.tally.elapsed(now)),
            )
        total = t("speaker_stats.total", count=self.tally.total_contributions)
        return f"<p><strong>{html.escape(text)}</strong> {html.escape(total)}</p>"

    def _chart_html(self, seconds: dict[str, float]) -> str:
        shares = time_shares(seconds, self.settings)
        bars = [
            Bar(
                c.label,
                shares[c.id] or 0.0,
                t(
                    "speaker_stats.bar_value",
                    share=shown_share(shares[c.id] or 0.0),
                    time=format_duration(seconds[c.id]),
                ),
            )
            for c in self.settings.categories
            if not c.apart
        ]
        band = Band(
            self.settings.band_low,
            self.settings.band_high,
            t("speaker_stats.band_caption", band=band_range(self.settings)),
        )
        return bar_chart_svg(
            bars, name=t("speaker_stats.chart_name"), scale_max=100, band=band, css_class=f"{_CSS}-svg"
        )

    def _table_html(self, seconds: dict[str, float]) -> str:
        shares = time_shares(seconds, self.settings)
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
        for category in self.settings.categories:
            share = shares[category.id]
            if category.apart:
                shown = t("speaker_stats.apart")
            else:
                shown = shown_share(share)
            rows.append(
                f'<tr data-category="{html.escape(category.id)}"><th scope="row">{html.escape(category.label)}</th>'
                f"<td>{self.tally.counts[category.id]}</td><td>{html.escape(format_duration(seconds[category.id]))}</td>"
                f"<td>{html.escape(shown)}</td></tr>"
            )
        caption = html.escape(t("speaker_stats.table_caption"))
        return table_region(
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            t("speaker_stats.table_caption"),
        )

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
            css_class=f"cirkel-download {_CSS}-link",
        )
