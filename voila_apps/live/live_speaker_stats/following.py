"""What the keeper and the big screen share: one circle's current session followed in the store."""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Int, Unicode, validate

from widgets.kit import controls as ui
from widgets.kit.live_poll import Poller, start_polling
from widgets.storage.live_speaker import LiveSpeakerSession, LiveSpeakerStore


class Following(ui.VBox):
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
