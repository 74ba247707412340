"""The keeper's page: start, tap per category, stop, undo, end, and the export when ended."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as ipw
from traitlets import Bool

from voila_apps.live.live_speaker_stats.following import Following
from voila_apps.live.live_speaker_stats.markup import (
    CSS,
    KEEPER_STYLE,
    RUNNING_BACKGROUND,
    RUNNING_TEXT,
    band_html,
    big_button,
    message_html,
    outcome_text,
    screen_link_html,
    tally_table_html,
)
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.exercises.speaker_stats.consent_panel import ConsentPanel
from widgets.exercises.speaker_stats.markup import now_html
from widgets.kit import controls as ui
from widgets.kit.download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets.kit.messages import Messages
from widgets.models.content import ContentError
from widgets.models.speaker_stats import SpeakerSettings, summary_docx_bytes, summary_markdown
from widgets.storage.live_speaker import (
    LiveSpeakerError,
    LiveSpeakerSession,
    LiveSpeakerStore,
    TapOutcome,
    find_run_settings,
)

_log = logging.getLogger(__name__)


class LiveSpeakerKeeper(Following):
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
        self.add_class(CSS)
        self.add_class(f"{CSS}-keeper")
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
            f"{KEEPER_STYLE}<h2>{_e(t('livespeaker.keeper_title', circle=self.circle_name))}</h2>"
            f'<p class="{CSS}-help">{_e(t("livespeaker.keeper_help"))}</p>'
        )
        self.message = Messages(f"{CSS}-message")  # a refusal interrupts, an announcement waits
        self.start_button = big_button(t("livespeaker.start_session"), "start", style="primary")
        self.start_button.on_click(lambda _b: self.start_session())
        self._state_line = ui.HTML()

        self._category_box = ui.Box(layout=ui.layout(display="flex", flex_flow="row wrap"))
        self._category_box.add_class(f"{CSS}-buttons")
        self.stop_button = big_button(t("livespeaker.stop"), "stop")
        self.stop_button.add_class(f"{CSS}-action")
        self.stop_button.on_click(lambda _b: self.stop())
        self.undo_button = big_button(t("livespeaker.undo"), "undo")
        self.undo_button.add_class(f"{CSS}-action")
        self.undo_button.on_click(lambda _b: self.undo())
        self.now_line = ui.HTML()
        self.now_line.add_class(f"{CSS}-now")
        self.band = ui.HTML()
        self.band.add_class(f"{CSS}-band")
        self.table = ui.HTML()
        self.table.add_class(f"{CSS}-table")
        self.end_button = big_button(t("livespeaker.end_session"), "end")
        self.end_button.add_class(f"{CSS}-action")
        self.end_button.on_click(lambda _b: self.request_end())
        self.confirm_end_button = big_button(t("livespeaker.end_confirm"), "end-confirm", style="danger")
        self.confirm_end_button.on_click(lambda _b: self.confirm_end() if self.confirming_end else None)
        self.cancel_end_button = big_button(t("livespeaker.end_cancel"), "end-cancel")
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

        self.markdown_button = big_button(t("speaker_stats.download_markdown"), "markdown")
        self.markdown_button.on_click(
            lambda _b: self._offer(
                t("speaker_stats.markdown_filename"), MARKDOWN_MIME, self.to_markdown().encode("utf-8")
            )
        )
        self.docx_button = big_button(t("speaker_stats.download_docx"), "docx")
        self.docx_button.on_click(
            lambda _b: self._offer(t("speaker_stats.docx_filename"), DOCX_MIME, self.docx_bytes())
        )
        self.download = ui.HTML()
        self.download.add_class(f"{CSS}-download")
        self._export = ui.VBox(
            [
                ui.HTML(f"<h3>{_e(t('speaker_stats.export_title'))}</h3>"),
                ui.Box(
                    [self.markdown_button, self.docx_button], layout=ui.layout(display="flex", flex_flow="row wrap")
                ),
                self.download,
            ]
        )
        self._screen_link = ui.HTML(screen_link_html(screen_url))
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
                ui.restyle(button, button_color=RUNNING_BACKGROUND, text_color=RUNNING_TEXT, font_weight="bold")
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
        self.now_line.value = now_html(session.tally, session.settings, now)
        self.band.value = band_html(session.tally, session.settings, now)
        self.table.value = tally_table_html(session.tally, session.settings, now)
        if session.is_open and not self.undo_button.disabled and not session.can_undo(now):
            self.undo_button.disabled = True

    def _build_buttons(self, settings: SpeakerSettings) -> None:
        self.category_buttons = {}
        for category in settings.categories:
            button = big_button(t("livespeaker.begin", label=category.label), "category")
            ui.relayout(button, flex="1 1 10em")
            button.add_class(f"{CSS}-category-{category.id}")
            button.on_click(lambda _b, c=category.id: self.tap(c))
            self.category_buttons[category.id] = button
        self._category_box.children = list(self.category_buttons.values())
        self._built_for = settings.ids

    def _draw_end(self) -> None:
        asking = self.confirming_end and bool(self.session and self.session.is_open)
        ui.show(self._confirm_row, asking)
        ui.show(self.end_button, bool(self.session and self.session.is_open) and not asking)
        self._end_question.value = message_html(t("livespeaker.end_question")) if asking else ""

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
        self._say(outcome_text(outcome))

    def _say(self, text: str, *, error: bool = False) -> None:
        if error:
            self.message.error(message_html(text, error=True))
        else:
            self.message.say(message_html(text))

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
            css_class=f"cirkel-download {CSS}-link",
        )
