"""The two pages: a refusal, a choice of circle, or the keeper's or the screen's view once a circle is known."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as ipw
from traitlets import Unicode

from voila_apps.live.live_context import LiveContext
from voila_apps.live.live_speaker_stats.following import Following
from voila_apps.live.live_speaker_stats.keeper import LiveSpeakerKeeper
from voila_apps.live.live_speaker_stats.markup import CSS, SCREEN_NOTEBOOK, big_button, message_html
from voila_apps.live.live_speaker_stats.screen import LiveSpeakerScreen
from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.models.content import ContentError
from widgets.storage.live_speaker import LiveSpeakerError, LiveSpeakerStore

_log = logging.getLogger(__name__)


class LiveSpeakerApp(ui.VBox):
    """A page: a refusal, a choice of circle, or the keeper's or screen's view once a circle is known."""

    circle_id = Unicode("", help="The circle the page shows; empty until known.")

    def __init__(self, ctx: LiveContext, kind: str, *, store: LiveSpeakerStore | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if kind not in ("keeper", "screen"):
            raise ValueError(f"kind must be 'keeper' or 'screen', not {kind!r}")
        self.add_class(f"{CSS}-app")
        self.ctx = ctx
        self.kind = kind
        self._store = store
        self.message = ui.live(ui.HTML(), alert=True)  # it only ever says why the page is refused
        self.message.add_class(f"{CSS}-app-message")
        self.picker: ipw.Dropdown | None = None
        self.open_button: ipw.Button | None = None
        self.view: Following | None = None
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
            self.picker.add_class(f"{CSS}-picker")
            self.open_button = big_button(t("livespeaker.open_circle"), "open", style="primary")
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
        self.message.value = message_html(text, error=True)
        self.children = [self.message]


def keeper_app(ctx: LiveContext, *, store: LiveSpeakerStore | None = None) -> LiveSpeakerApp:
    """The keeper's page (``talarstatistik.ipynb``): ``?circle=<id>`` or a choice of the viewer's circles."""
    return LiveSpeakerApp(ctx, "keeper", store=store)


def screen_app(ctx: LiveContext, *, store: LiveSpeakerStore | None = None) -> LiveSpeakerApp:
    """The big screen (``talarstatistik-skarm.ipynb``): ``?session=<id>`` or ``?circle=<id>``."""
    return LiveSpeakerApp(ctx, "screen", store=store)
