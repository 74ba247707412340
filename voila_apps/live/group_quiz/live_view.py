"""What the three views share: the big buttons, the polling timer, a plain message instead of an app."""

from __future__ import annotations

import ipywidgets as ipw
from sqlalchemy.exc import SQLAlchemyError

from grading.circles.group_quiz import (
    GroupQuizError,
)
from voila_apps.live.group_quiz.markup import BUTTON, CSS, STYLE
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.live_poll import Poller, start_polling


def message_widget(text: str) -> ipw.HTML:
    """A plain message in place of an app (no role here, an ended session, a code that does not hold)."""
    box = ui.live(ui.HTML(f'{STYLE}<div class="{CSS}-message"><p>{_e(text)}</p></div>'))
    box.add_class(CSS)
    return box


def button(key: str, style: str = "") -> ipw.Button:
    button = ui.Button(description=t(key), button_style=style, layout=ui.layout(**BUTTON, width="auto"))
    return button


class LiveView(ui.VBox):
    """Polling shared by the three views; ``refresh`` is what the timer calls."""

    def _start(self, interval: float, poll: bool) -> None:
        self._poller: Poller = start_polling(self._safe_refresh, interval) if poll else Poller(None)

    def _safe_refresh(self) -> None:
        try:
            self.refresh()
        except (GroupQuizError, SQLAlchemyError, OSError):
            pass  # a busy or unreachable store: the next beat tries again

    def refresh(self) -> None:  # pragma: no cover - each view has its own
        raise NotImplementedError

    def close(self) -> None:
        self._poller.stop()
        super().close()
