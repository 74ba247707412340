"""The big screen of the room: the code, the question, who has answered, the spread."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from traitlets import Int

from grading.circles.group_quiz import (
    Snapshot,
    session_state,
    snapshot,
)
from voila_apps.live.group_quiz.live_view import LiveView
from voila_apps.live.group_quiz.markup import CSS, STYLE, screen_html
from widgets.kit import controls as ui

# -- the big screen -------------------------------------------------------------------------------


class GroupQuizScreen(LiveView):
    """The big screen: the code to join, the question, who has answered, the spread, the explanation.

    Parameters
    ----------
    run_dir
        The course run, whose live store holds the session.
    session_id
        The session shown.
    address
        The join page's address to print with the code (``join_address(page_url)``).
    """

    session_id = Int(help="The session shown.")
    version = Int(0, help="The session's change counter as last drawn; refresh redraws when it moves.")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        session_id: int,
        *,
        address: str = "",
        poll: bool = True,
        poll_interval: float = 0.5,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.session_id = int(session_id)
        self.address = address
        self.board = ui.HTML()
        self.add_class(CSS)
        self.add_class(f"{CSS}-screen")
        self.children = [ui.HTML(STYLE), self.board]
        self.draw(snapshot(self.run_dir, self.session_id))
        self._start(poll_interval, poll)

    def draw(self, snap: Snapshot) -> None:
        self.board.value = screen_html(snap, self.address)
        self.version = snap.version

    def refresh(self) -> None:
        version, _phase, _index = session_state(self.run_dir, self.session_id)
        if version != self.version:
            self.draw(snapshot(self.run_dir, self.session_id))
