"""Live talarstatistik for a study circle: one keeper device, the big screen, both live.

The single-device ``SpeakerStats`` keeps talarstatistik in one notebook. Here a
circle keeps it on a phone or laptop (``LiveSpeakerKeeper``) while the room's big
screen (``LiveSpeakerScreen``) shows the chart, the table and the band verdicts
as the single-device widget draws them. Both read and write the course run's
live store (``widgets._live_speaker_store``) and poll it (``start_polling``), so
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
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as ipw
from traitlets import Bool, Int, Unicode, validate

from voila_apps.live.live_context import LiveContext
from widgets import _ui as ui
from widgets._download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets._live_poll import Poller, start_polling
from widgets._live_speaker_store import (
    LiveSpeakerError,
    LiveSpeakerSession,
    LiveSpeakerStore,
    TapOutcome,
    find_run_settings,
)
from widgets._messages import Messages
from widgets._speaker_consent import is_anonymous
from widgets._speaker_consent_panel import ConsentPanel
from widgets._speaker_stats_model import (
    SpeakerSettings,
    Tally,
    band_range,
    band_verdicts,
    format_duration,
    shown_share,
    summary_docx_bytes,
    summary_markdown,
    time_shares,
)
from widgets._svg_chart import Band, Bar, bar_chart_svg
from widgets.content import ContentError
from widgets.i18n import t
from widgets.safe_text import text_html as _e

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

_log = logging.getLogger(__name__)

#: the big screen's app notebook, beside the keeper's in the run's samverkan folder
SCREEN_NOTEBOOK = "talarstatistik-skarm.ipynb"
_CSS = "cirkel-livespeaker"
_RUNNING_BACKGROUND = "#ffd54f"
_RUNNING_TEXT = "#1b1b1b"
_KEEPER_STYLE = f"""<style>
.{_CSS}-keeper .{_CSS}-category, .{_CSS}-keeper .{_CSS}-action {{ font-size: 1.05rem; white-space: normal; }}
.{_CSS}-keeper .{_CSS}-now {{ font-size: 1.15rem; }}
.{_CSS}-table .widget-html-content {{ width: 100%; }}
.{_CSS}-keeper table {{ border-collapse: collapse; margin: 0.5em 0; width: 100%; font-size: 0.9rem; }}
.{_CSS}-keeper th, .{_CSS}-keeper td {{ border: 1px solid #595959; padding: 0.2em 0.3em; text-align: left;
  overflow-wrap: break-word; }}
.{_CSS}-keeper caption {{ text-align: left; font-weight: bold; }}
@media (max-width: 26rem) {{ .{_CSS}-keeper table {{ font-size: 0.8rem; }} }}
</style>"""
#: the big screen: the whole width of the room's screen, large type, dark on white
_SCREEN_STYLE = f"""<style>
body:has(.{_CSS}-screen) #rendered_cells > div {{ max-width: none; }}
.{_CSS}-screen {{ font-size: 1.6rem; color: #1b1b1b; background: #ffffff; }}
.{_CSS}-screen h2 {{ font-size: 2.4rem; margin: 0.2em 0; }}
.{_CSS}-screen .{_CSS}-now p {{ font-size: 2.2rem; margin: 0.3em 0; }}
.{_CSS}-screen .{_CSS}-chart .widget-html-content {{ width: 100%; }}
.{_CSS}-screen svg.{_CSS}-svg {{ width: 100%; max-width: 100% !important; height: auto; }}
.{_CSS}-screen .{_CSS}-band li {{ margin: 0.2em 0; }}
.{_CSS}-screen table {{ border-collapse: collapse; max-width: 60rem; }}
.{_CSS}-screen th, .{_CSS}-screen td {{ border: 1px solid #595959; padding: 0.2em 0.5em; text-align: left; }}
.{_CSS}-screen caption {{ text-align: left; font-weight: bold; }}
</style>"""


def _button(description: str, css: str, *, style: str = "") -> ipw.Button:
    """A button big enough for a thumb (at least 44 px high) that may wrap on a narrow phone."""
    button = ui.Button(
        description=description,
        button_style=style,
        layout=ui.layout(height="auto", min_height="48px", width="auto", margin="0.25em"),
    )
    button.add_class(f"{_CSS}-{css}")
    return button


def _message(text: str, *, error: bool = False) -> str:
    """An announcement or a refusal, for a region made live once (``ui.live``) when the panel is built."""
    return f'<p class="{_CSS}-{"error" if error else "info"}">{_e(text)}</p>'


def _shown_share(category_apart: bool, share: float | None) -> str:
    if category_apart:
        return t("speaker_stats.apart")
    return shown_share(share)


def tally_table_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """The numbers as a table (the chart's text alternative), as ``SpeakerStats`` shows them."""
    seconds = tally.live_seconds(now)
    shares = time_shares(seconds, settings)
    head = "".join(
        f'<th scope="col">{_e(t(key))}</th>'
        for key in (
            "speaker_stats.col_category",
            "speaker_stats.col_count",
            "speaker_stats.col_time",
            "speaker_stats.col_share",
        )
    )
    rows = "".join(
        f'<tr data-category="{_e(c.id)}"><th scope="row">{_e(c.label)}</th><td>{tally.counts[c.id]}</td>'
        f"<td>{_e(format_duration(seconds[c.id]))}</td><td>{_e(_shown_share(c.apart, shares[c.id]))}</td></tr>"
        for c in settings.categories
    )
    caption = _e(t("speaker_stats.table_caption"))
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def tally_chart_svg(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """Bars of each category's share of the speaking time, with its contributions and time."""
    seconds = tally.live_seconds(now)
    shares = time_shares(seconds, settings)
    bars = [
        Bar(
            c.label,
            shares[c.id] or 0.0,
            t(
                "livespeaker.bar_value",
                share=shown_share(shares[c.id] or 0.0),
                count=tally.counts[c.id],
                time=format_duration(seconds[c.id]),
            ),
        )
        for c in settings.categories
        if not c.apart
    ]
    band = Band(
        settings.band_low,
        settings.band_high,
        t("speaker_stats.band_caption", band=band_range(settings)),
    )
    return bar_chart_svg(bars, name=t("livespeaker.chart_name"), scale_max=100, band=band, css_class=f"{_CSS}-svg")


def band_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    """The band verdicts (kvinnor, män inside 40-60 %?) worded as the single-device widget words them.

    The running contribution's time so far counts, so the verdicts agree with
    the chart beside them and the keeper's phone agrees with the big screen.
    """
    if is_anonymous(settings.ids):  # no gender without the circle's consent: nothing to weigh
        return f'<p class="{_CSS}-anonymous">{_e(t("livespeaker.consent.screen_anonymous"))}</p>'
    verdicts = band_verdicts(tally.live_seconds(now), settings)
    if verdicts:
        items = "".join(
            f'<li class="{_CSS}-{"inside" if v.inside else "outside"}" data-category="{_e(v.category.id)}">'
            f"{_e(v.message(settings))}</li>"
            for v in verdicts
        )
        body = f"<ul>{items}</ul>"
    else:
        body = f"<p>{_e(t('livespeaker.band_none'))}</p>"
    title = t("speaker_stats.band_title", band=band_range(settings))
    return f'<p class="{_CSS}-band-title"><strong>{_e(title)}</strong></p>{body}'


def _now_html(tally: Tally, settings: SpeakerSettings, now: float) -> str:
    if tally.running:
        text = t(
            "speaker_stats.running_now",
            label=settings.category(tally.running).label,
            time=format_duration(tally.elapsed(now)),
        )
    else:
        text = t("speaker_stats.none_running")
    return f"<p><strong>{_e(text)}</strong> {_e(t('speaker_stats.total', count=tally.total_contributions))}</p>"


class _Following(ui.VBox):
    """What the keeper and the screen share: follow one circle's current session in the store."""

    session_id = Int(0, read_only=True, help="The session shown; 0 while the circle has none.")
    version = Int(0, read_only=True, help="The session's change counter as last drawn.")
    running = Unicode("", read_only=True, help="Id of the category whose contribution runs now, or ''.")
    ended = Bool(False, read_only=True, help="True when the session shown has ended.")

    poll_interval = 1.0

    def __init__(self, store: LiveSpeakerStore, circle_id: str, *, circle_name: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.store = store
        self.circle_id = circle_id
        self.circle_name = circle_name or circle_id
        self.session: LiveSpeakerSession | None = None
        self._poller: Poller | None = None
        self._drawn = False

    @validate("version")
    def _version_not_negative(self, proposal: dict[str, Any]) -> int:
        if proposal["value"] < 0:
            raise ValueError("version must not be negative")
        return proposal["value"]

    def _marker(self) -> tuple[int, int] | None:
        return self.store.current_marker(self.circle_id)

    def refresh(self) -> None:
        """Re-read the session only if it moved (one cheap query), then redraw what ticks."""
        marker = self._marker()
        if marker is None:
            if self.session is not None or not self._drawn:
                self._show_session(None)
        elif marker != (self.session_id, self.version):
            self._show_session(self.store.session(marker[0]))
        self._tick()

    def _show_session(self, session: LiveSpeakerSession | None) -> None:
        self.session = session
        self.set_trait("session_id", session.session_id if session else 0)
        self.set_trait("version", session.version if session else 0)
        self.set_trait("running", session.tally.running if session else "")
        self.set_trait("ended", bool(session and not session.is_open))
        self._drawn = True
        self._draw()

    def _draw(self) -> None:  # pragma: no cover - each view draws itself
        raise NotImplementedError

    def _tick(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _start_polling(self) -> None:
        self._poller = start_polling(self.refresh, self.poll_interval)

    def close(self) -> None:
        if self._poller is not None:
            self._poller.stop()
        super().close()


class LiveSpeakerKeeper(_Following):
    """The keeper's page: start, tap per category, stop, undo, end, and the export when ended.

    Parameters
    ----------
    store
        The run's live talarstatistik.
    circle_id, circle_name
        The circle whose talarstatistik is kept.
    keeper
        Who keeps it (the hub user on this device; stored with a session it opens).
    settings_source, settings
        The talarstatistik content to open a session with; by default the run's
        course's (``find_run_settings``), looked up when a session is started.
    screen_url
        Where the big screen of this circle is (shown as a link); empty: none.
    can_decide
        The circle's leader (or a course leader) on this device: may record or
        withdraw the circle's consent to counting by gender (``consent_panel``).
    """

    confirming_end = Bool(False, read_only=True, help="True while ending the session asks to be confirmed.")

    def __init__(
        self,
        store: LiveSpeakerStore,
        circle_id: str,
        keeper: str,
        *,
        circle_name: str = "",
        settings_source: str = "",
        settings: dict[str, Any] | None = None,
        screen_url: str = "",
        can_decide: bool = True,
        **kwargs: Any,
    ):
        super().__init__(store, circle_id, circle_name=circle_name, **kwargs)
        self.add_class(_CSS)
        self.add_class(f"{_CSS}-keeper")
        # the consent step comes first: until the circle agrees, nothing is counted by gender
        self.consent_panel = ConsentPanel(
            store, circle_id, keeper, can_decide=can_decide, on_change=self._consent_changed
        )
        self.keeper = keeper
        self._settings_source = settings_source
        self._settings = settings
        self.category_buttons: dict[str, ipw.Button] = {}
        self._built_for: tuple[str, ...] = ()

        heading = ui.HTML(
            f"{_KEEPER_STYLE}<h2>{_e(t('livespeaker.keeper_title', circle=self.circle_name))}</h2>"
            f'<p class="{_CSS}-help">{_e(t("livespeaker.keeper_help"))}</p>'
        )
        self.message = Messages(f"{_CSS}-message")  # a refusal interrupts, an announcement waits
        self.start_button = _button(t("livespeaker.start_session"), "start", style="primary")
        self.start_button.on_click(lambda _b: self.start_session())
        self._state_line = ui.HTML()

        self._category_box = ui.Box(layout=ui.layout(display="flex", flex_flow="row wrap"))
        self._category_box.add_class(f"{_CSS}-buttons")
        self.stop_button = _button(t("livespeaker.stop"), "stop")
        self.stop_button.add_class(f"{_CSS}-action")
        self.stop_button.on_click(lambda _b: self.stop())
        self.undo_button = _button(t("livespeaker.undo"), "undo")
        self.undo_button.add_class(f"{_CSS}-action")
        self.undo_button.on_click(lambda _b: self.undo())
        self.now_line = ui.HTML()
        self.now_line.add_class(f"{_CSS}-now")
        self.band = ui.HTML()
        self.band.add_class(f"{_CSS}-band")
        self.table = ui.HTML()
        self.table.add_class(f"{_CSS}-table")
        self.end_button = _button(t("livespeaker.end_session"), "end")
        self.end_button.add_class(f"{_CSS}-action")
        self.end_button.on_click(lambda _b: self.request_end())
        self.confirm_end_button = _button(t("livespeaker.end_confirm"), "end-confirm", style="danger")
        self.confirm_end_button.on_click(lambda _b: self.confirm_end() if self.confirming_end else None)
        self.cancel_end_button = _button(t("livespeaker.end_cancel"), "end-cancel")
        self.cancel_end_button.on_click(lambda _b: self.cancel_end())
        self._end_question = ui.live(ui.HTML())
        self._confirm_row = ui.VBox(
            [
                self._end_question,
                ui.Box(
                    [self.confirm_end_button, self.cancel_end_button],
                    layout=ui.layout(display="flex", flex_flow="row wrap"),
                ),
            ]
        )
        self._controls = ui.VBox(
            [
                self._category_box,
                ui.Box([self.stop_button, self.undo_button], layout=ui.layout(display="flex", flex_flow="row wrap")),
                self.now_line,
            ]
        )

        self.markdown_button = _button(t("speaker_stats.download_markdown"), "markdown")
        self.markdown_button.on_click(
            lambda _b: self._offer(
                t("speaker_stats.markdown_filename"), MARKDOWN_MIME, self.to_markdown().encode("utf-8")
            )
        )
        self.docx_button = _button(t("speaker_stats.download_docx"), "docx")
        self.docx_button.on_click(
            lambda _b: self._offer(t("speaker_stats.docx_filename"), DOCX_MIME, self.docx_bytes())
        )
        self.download = ui.HTML()
        self.download.add_class(f"{_CSS}-download")
        self._export = ui.VBox(
            [
                ui.HTML(f"<h3>{_e(t('speaker_stats.export_title'))}</h3>"),
                ui.Box(
                    [self.markdown_button, self.docx_button], layout=ui.layout(display="flex", flex_flow="row wrap")
                ),
                self.download,
            ]
        )
        screen = ""
        if screen_url:
            screen = (
                f'<p class="{_CSS}-screen-link"><a href="{_e(screen_url)}" target="_blank" rel="noopener">'
                f"{_e(t('livespeaker.screen_link'))}</a></p>"
            )
        self._screen_link = ui.HTML(screen)
        self.children = [
            heading,
            self.consent_panel,
            self.message,
            self._state_line,
            self.start_button,
            self._controls,
            self.band,
            self.table,
            ui.Box([self.end_button]),
            self._confirm_row,
            self._export,
            self._screen_link,
        ]
        marker = self._marker()
        self._show_session(self.store.session(marker[0]) if marker else None)
        self._start_polling()

    # -- public actions ---------------------------------------------------------------------
    def start_session(self) -> None:
        """Open the circle's session, or continue the one another device opened."""
        try:
            open_now = self.store.open_for(self.circle_id)
            if open_now is None:
                source, raw = (
                    (self._settings_source, self._settings)
                    if self._settings is not None
                    else find_run_settings(self.store.run_dir)
                )
                session = self.store.open_session(self.circle_id, self.keeper, source or "talarstatistik", raw)
                text = t("livespeaker.session_started")
            else:
                session, text = open_now, t("livespeaker.continued")
        except (LiveSpeakerError, ContentError) as exc:
            self._say(str(exc), error=True)
            return
        except Exception:  # a person gets a sentence, never a traceback
            _log.exception("live talarstatistik: could not open a session")
            self._say(t("livespeaker.save_failed"), error=True)
            return
        self._show_session(session)
        self._say(text)

    def tap(self, category: str) -> None:
        """One tap on a category button: "Sluta" if it shows its contribution running, else "Börja"."""
        if self.running == category:
            self.stop(category)
        else:
            self.start(category)

    def start(self, category: str) -> None:
        """Start a contribution for ``category`` (a running one ends first)."""
        self._act(lambda: self.store.start(self.session_id, category, seen_version=self.version))

    def stop(self, category: str | None = None) -> None:
        """End the running contribution (``category``'s only, when given)."""
        self._act(lambda: self.store.stop(self.session_id, category if category is not None else self.running or None))

    def undo(self) -> None:
        """Take back the last tap (within the store's undo time)."""
        self._act(lambda: self.store.undo(self.session_id))

    def request_end(self) -> None:
        """Ask for confirmation before the session ends."""
        self.set_trait("confirming_end", True)
        self._draw_end()
        if hasattr(self.cancel_end_button, "focus"):
            ui.focus(self.cancel_end_button)

    def cancel_end(self) -> None:
        """Keep counting: the confirmation goes away."""
        self.set_trait("confirming_end", False)
        self._draw_end()

    def confirm_end(self) -> None:
        """End the session (only after ``request_end``); the export is offered."""
        if not self.confirming_end:
            raise ValueError(t("livespeaker.end_not_asked"))
        self.set_trait("confirming_end", False)
        try:
            session = self.store.end(self.session_id)
        except LiveSpeakerError as exc:
            self._say(str(exc), error=True)
            self.refresh()
            return
        except Exception:
            _log.exception("live talarstatistik: could not end")
            self._say(t("livespeaker.save_failed"), error=True)
            return
        self._show_session(session)
        self._say(t("livespeaker.ended"))

    def _consent_changed(self) -> None:
        """The consent was given or withdrawn here: redraw, and say when it takes effect."""
        marker = self._marker()
        self._show_session(self.store.session(marker[0]) if marker else None)
        session = self.session
        if self.consent_panel.consented and session is not None and session.is_open and session.is_anonymous:
            self._say(t("livespeaker.consent.next_session"))

    # -- exports ----------------------------------------------------------------------------------
    def to_markdown(self) -> str:
        """The summary for the minutes (as ``SpeakerStats`` makes it)."""
        session = self._require_session()
        return summary_markdown(session.tally, session.settings, self._summary_time(session))

    def docx_bytes(self) -> bytes:
        """The same summary as a Word document."""
        session = self._require_session()
        return summary_docx_bytes(session.tally, session.settings, self._summary_time(session))

    # -- drawing --------------------------------------------------------------------------------------
    def _draw(self) -> None:
        session = self.session
        self.consent_panel.refresh()  # given or withdrawn on another device
        if session is None:
            self._state_line.value = f"<p>{_e(t('livespeaker.no_session'))}</p>"
        elif not session.is_open:
            self._state_line.value = f"<p><strong>{_e(t('livespeaker.ended_screen'))}</strong></p>"
        else:
            self._state_line.value = ""
        is_open = bool(session and session.is_open)
        if self.consent_panel.consented:
            self.start_button.description = t(
                "livespeaker.start_new_session" if session else "livespeaker.start_session"
            )
        else:
            self.start_button.description = t("livespeaker.consent.start_anonymous")
        ui.show(self.start_button, not is_open)
        ui.show(self._controls, is_open)
        ui.show(self.end_button, is_open and not self.confirming_end)
        if not is_open and self.confirming_end:
            self.set_trait("confirming_end", False)
        self._draw_end()
        ui.show(self._export, session is not None and not session.is_open)
        if session is None or session.is_open:
            self.download.value = ""
        if session is None:
            self.band.value = self.table.value = self.now_line.value = ""
            return
        settings = session.settings
        if self._built_for != settings.ids:
            self._build_buttons(settings)
        tally = session.tally
        for category in settings.categories:
            button = self.category_buttons[category.id]
            if category.id == tally.running:
                button.description = t("livespeaker.end_contribution", label=category.label)
                button.button_style = ""
                ui.restyle(button, button_color=_RUNNING_BACKGROUND, text_color=_RUNNING_TEXT, font_weight="bold")
            else:
                button.description = t("livespeaker.begin", label=category.label)
                button.button_style = "" if category.apart else "primary"
                ui.restyle(button, button_color=None, text_color=None, font_weight=None)
        self.stop_button.disabled = not tally.running
        self.undo_button.disabled = not session.can_undo(self.store.clock())
        self._tick()

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        now = self._summary_time(session)
        self.now_line.value = _now_html(session.tally, session.settings, now)
        self.band.value = band_html(session.tally, session.settings, now)
        self.table.value = tally_table_html(session.tally, session.settings, now)
        if session.is_open and not self.undo_button.disabled and not session.can_undo(now):
            self.undo_button.disabled = True

    def _build_buttons(self, settings: SpeakerSettings) -> None:
        self.category_buttons = {}
        for category in settings.categories:
            button = _button(t("livespeaker.begin", label=category.label), "category")
            ui.relayout(button, flex="1 1 10em")
            button.add_class(f"{_CSS}-category-{category.id}")
            button.on_click(lambda _b, c=category.id: self.tap(c))
            self.category_buttons[category.id] = button
        self._category_box.children = list(self.category_buttons.values())
        self._built_for = settings.ids

    def _draw_end(self) -> None:
        asking = self.confirming_end and bool(self.session and self.session.is_open)
        ui.show(self._confirm_row, asking)
        ui.show(self.end_button, bool(self.session and self.session.is_open) and not asking)
        self._end_question.value = _message(t("livespeaker.end_question")) if asking else ""

    # -- internals ------------------------------------------------------------------------------------
    def _act(self, action: Any) -> None:
        if not self.session_id:
            self._say(t("livespeaker.no_session"), error=True)
            return
        try:
            outcome: TapOutcome = action()
        except LiveSpeakerError as exc:
            self._say(str(exc), error=True)
            self.refresh()
            return
        except Exception:  # the tap was not saved (the transaction rolled back): say so plainly
            _log.exception("live talarstatistik: a tap could not be saved")
            self._say(t("livespeaker.save_failed"), error=True)
            return
        self._show_session(outcome.session)
        self._say(self._outcome_text(outcome))

    def _outcome_text(self, outcome: TapOutcome) -> str:
        settings = outcome.session.settings
        label = settings.category(outcome.category).label if outcome.category in settings.ids else ""
        if outcome.action == "started":
            text = t("speaker_stats.started", label=label)
        elif outcome.action == "switched":
            text = t(
                "speaker_stats.switched",
                previous=settings.category(outcome.previous).label,
                time=format_duration(outcome.spoken),
                label=label,
            )
        elif outcome.action == "stopped":
            text = t("speaker_stats.stopped", label=label, time=format_duration(outcome.spoken))
        elif outcome.action == "undone":
            text = t("livespeaker.undone")
        else:
            text = t("livespeaker.already_done")
        if outcome.capped:
            text += " " + t("speaker_stats.capped", count=settings.max_minutes)
        return text

    def _say(self, text: str, *, error: bool = False) -> None:
        if error:
            self.message.error(_message(text, error=True))
        else:
            self.message.say(_message(text))

    def _require_session(self) -> LiveSpeakerSession:
        if self.session is None:
            raise LiveSpeakerError(t("livespeaker.no_session"))
        return self.session

    def _summary_time(self, session: LiveSpeakerSession) -> float:
        """Now, or the end of an ended session (so its numbers and date stay as they were)."""
        return session.ended_at if session.ended_at is not None else self.store.clock()

    def _offer(self, filename: str, mime: str, payload: bytes) -> None:
        self.download.value = download_link(
            filename,
            mime,
            payload,
            t("speaker_stats.download_link", name=filename),
            css_class=f"cirkel-download {_CSS}-link",
        )


class LiveSpeakerScreen(_Following):
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
        self.add_class(_CSS)
        self.add_class(f"{_CSS}-screen")
        self._fixed = session_id
        self.heading = ui.HTML()
        self.notice = ui.live(ui.HTML())
        self.notice.add_class(f"{_CSS}-notice")
        self.now_line = ui.HTML()
        self.now_line.add_class(f"{_CSS}-now")
        self.chart = ui.HTML()
        self.chart.add_class(f"{_CSS}-chart")
        self.band = ui.HTML()
        self.band.add_class(f"{_CSS}-band")
        self.table = ui.HTML()
        self.table.add_class(f"{_CSS}-table")
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
        self.heading.value = f'{_SCREEN_STYLE}<h2>{_e(title)}</h2><p class="{_CSS}-circle">{_e(self.circle_name)}</p>'
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
        self.now_line.value = _now_html(tally, settings, now)
        self.chart.value = tally_chart_svg(tally, settings, now)
        self.band.value = band_html(tally, settings, now)
        self.table.value = tally_table_html(tally, settings, now)


# -- the two pages -------------------------------------------------------------------------------------


class LiveSpeakerApp(ui.VBox):
    """A page: a refusal, a choice of circle, or the keeper's or screen's view once a circle is known."""

    circle_id = Unicode("", help="The circle the page shows; empty until known.")

    def __init__(self, ctx: LiveContext, kind: str, *, store: LiveSpeakerStore | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if kind not in ("keeper", "screen"):
            raise ValueError(f"kind must be 'keeper' or 'screen', not {kind!r}")
        self.add_class(f"{_CSS}-app")
        self.ctx = ctx
        self.kind = kind
        self._store = store
        self.message = ui.live(ui.HTML(), alert=True)  # it only ever says why the page is refused
        self.message.add_class(f"{_CSS}-app-message")
        self.picker: ipw.Dropdown | None = None
        self.open_button: ipw.Button | None = None
        self.view: _Following | None = None
        self.children = [self.message]
        try:
            self._begin()
        except (LiveSpeakerError, ContentError) as exc:
            self._refuse(str(exc))
        except Exception:  # a person gets a sentence, never a traceback
            _log.exception("live talarstatistik: the page could not be built")
            self._refuse(t("livespeaker.failed"))

    @property
    def store(self) -> LiveSpeakerStore:
        if self._store is None:
            self._store = LiveSpeakerStore(self.ctx.run_dir)
        return self._store

    def _begin(self) -> None:
        ctx = self.ctx
        if ctx.is_guest:
            self._refuse(t("livespeaker.guest"))
            return
        mine = {c.circle_id: c for c in ctx.circles()}
        wanted_session = ctx.query.get("session", "").strip() if self.kind == "screen" else ""
        if wanted_session:
            session = self.store.session(wanted_session)  # LiveSpeakerError names an unknown one
            if session.circle_id not in mine:
                self._refuse(t("livespeaker.not_your_session"))
                return
            self._show(session.circle_id, mine[session.circle_id].name, session_id=session.session_id)
            return
        wanted = ctx.query.get("circle", "").strip()
        if wanted:
            if wanted not in mine:
                self._refuse(t("livespeaker.not_your_circle", id=wanted))
                return
            self._show(wanted, mine[wanted].name)
        elif not mine:
            self._refuse(t("livespeaker.no_circles"))
        elif len(mine) == 1:
            only = next(iter(mine.values()))
            self._show(only.circle_id, only.name)
        else:
            self.picker = ui.Dropdown(
                options=[
                    (t("livespeaker.circle_option", name=c.name, id=c.circle_id), c.circle_id) for c in mine.values()
                ],
                description=t("livespeaker.choose_circle"),
                style={"description_width": "initial"},
                layout=ui.layout(width="auto", max_width="100%"),
            )
            self.picker.add_class(f"{_CSS}-picker")
            self.open_button = _button(t("livespeaker.open_circle"), "open", style="primary")
            self.open_button.on_click(lambda _b: self._picked())
            self.children = [self.message, self.picker, self.open_button]

    def _picked(self) -> None:
        assert self.picker is not None
        circle_id = self.picker.value
        names = {c.circle_id: c.name for c in self.ctx.circles()}
        if circle_id not in names:
            self._refuse(t("livespeaker.not_your_circle", id=circle_id))
            return
        self._show(circle_id, names[circle_id])

    def _show(self, circle_id: str, circle_name: str, *, session_id: int | None = None) -> None:
        if self.kind == "keeper":
            self.view = LiveSpeakerKeeper(
                self.store,
                circle_id,
                self.ctx.viewer,
                circle_name=circle_name,
                screen_url=f"{SCREEN_NOTEBOOK}?circle={circle_id}",
                can_decide=circle_id in {c.circle_id for c in self.ctx.led_circles()},
            )
        else:
            self.view = LiveSpeakerScreen(self.store, circle_id, circle_name=circle_name, session_id=session_id)
        self.circle_id = circle_id
        self.message.value = ""
        self.children = [self.view]

    def _refuse(self, text: str) -> None:
        self.message.value = _message(text, error=True)
        self.children = [self.message]


def keeper_app(ctx: LiveContext, *, store: LiveSpeakerStore | None = None) -> LiveSpeakerApp:
    """The keeper's page (``talarstatistik.ipynb``): ``?circle=<id>`` or a choice of the viewer's circles."""
    return LiveSpeakerApp(ctx, "keeper", store=store)


def screen_app(ctx: LiveContext, *, store: LiveSpeakerStore | None = None) -> LiveSpeakerApp:
    """The big screen (``talarstatistik-skarm.ipynb``): ``?session=<id>`` or ``?circle=<id>``."""
    return LiveSpeakerApp(ctx, "screen", store=store)
