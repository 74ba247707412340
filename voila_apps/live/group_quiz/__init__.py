"""The group quiz on every screen of the room: the leader's controls, the big screen, each phone.

Three views of one session in the course run's live store
(``grading.circles.group_quiz``): :class:`GroupQuizLeader` (the cirkelledare
opens a session and steps through it), :class:`GroupQuizScreen` (what the room
sees: the code, the question, who has answered, the spread, the explanation)
and :class:`GroupQuizParticipant` (a phone: the question, big options,
"Svara"). Each runs in its own kernel and learns what the others did by
polling the store (``refresh``); tests build several of them against one
store and call ``refresh`` themselves.

The app functions :func:`group_quiz_app` and :func:`group_quiz_screen_app`
decide from the viewer's role and the page's ``session`` parameter which view
to build, and give a plain Swedish message instead when the viewer has no
part in it.

One job per module: ``markup`` (the HTML and its style sheet), ``live_view`` (what the views
share: buttons, the polling timer, a message in place of an app), ``screen``, ``participant``,
``leader`` and ``apps`` (which view a page builds).
"""

from __future__ import annotations

from voila_apps.live.group_quiz.apps import group_quiz_app, group_quiz_screen_app
from voila_apps.live.group_quiz.leader import GroupQuizLeader
from voila_apps.live.group_quiz.live_view import message_widget
from voila_apps.live.group_quiz.markup import (
    JOIN_PATH,
    SCREEN_NOTEBOOK,
    join_address,
    results_html,
    screen_html,
    spread_html,
)
from voila_apps.live.group_quiz.markup import names_html as _names_html  # noqa: F401  (its first name: tests/unit/test_safe_text.py)
from voila_apps.live.group_quiz.participant import GroupQuizParticipant
from voila_apps.live.group_quiz.screen import GroupQuizScreen

__all__ = [
    "GroupQuizLeader",
    "GroupQuizScreen",
    "GroupQuizParticipant",
    "group_quiz_app",
    "group_quiz_screen_app",
    "message_widget",
    "spread_html",
    "screen_html",
    "results_html",
    "join_address",
    "SCREEN_NOTEBOOK",
    "JOIN_PATH",
]
