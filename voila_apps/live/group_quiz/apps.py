"""The pages ``gruppquiz.ipynb`` and ``gruppquiz-skarm.ipynb``: which view, by the viewer's role."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as ipw
from sqlalchemy.exc import SQLAlchemyError

from grading.circles.group_quiz import (
    GroupQuizError,
    guest_sessions,
    open_sessions,
    session_info,
    snapshot,
)
from voila_apps.live.group_quiz.leader import GroupQuizLeader
from voila_apps.live.group_quiz.live_view import message_widget
from voila_apps.live.group_quiz.markup import join_address
from voila_apps.live.group_quiz.participant import GroupQuizParticipant
from voila_apps.live.group_quiz.screen import GroupQuizScreen
from voila_apps.live.live_context import LiveContext, current_context
from widgets.core.i18n import t

# -- the apps --------------------------------------------------------------------------------------------


def _page_url(page_url: str | None) -> str:
    return page_url if page_url is not None else os.environ.get("VOILA_REQUEST_URL", "")


def _build(make: Any) -> ipw.Widget:
    """Build a view; a store or run that cannot be used becomes a plain message, never a traceback."""
    from grading.course_runs.run import RunError

    try:
        return make()
    except GroupQuizError as problem:
        return message_widget(str(problem))
    except RunError as problem:
        return message_widget(str(problem))
    except (SQLAlchemyError, OSError):
        return message_widget(t("groupquiz.error.store"))


def group_quiz_app(context: LiveContext | None = None, *, page_url: str | None = None, poll: bool = True) -> ipw.Widget:
    """The page ``gruppquiz.ipynb``: the leader's controls or a participant's phone, by the viewer's role.

    - a guest sees the one session their code admitted them to;
    - with ``?session=<id>``: its circle's leader (or a course leader) leads it,
      a member of the circle takes part, anyone else is refused plainly;
    - without: a person who leads a circle gets the controls, a member the
      phone view (joining their circle's open session by itself, or by code).
    """
    ctx = context or current_context()
    wanted = ctx.query.get("session")

    def make() -> ipw.Widget:
        if ctx.is_guest:
            mine = guest_sessions(ctx.run_dir, ctx.viewer)
            if not mine or (wanted and _as_int(wanted) not in mine):
                return message_widget(t("groupquiz.refused.guest"))
            snap = snapshot(ctx.run_dir, mine[0])
            name = next((p.display_name for p in snap.participants if p.person == ctx.viewer), ctx.viewer)
            return GroupQuizParticipant(ctx.run_dir, ctx.viewer, name, session_id=mine[0], poll=poll)
        led = ctx.led_circles()
        mine_ids = [c.circle_id for c in ctx.circles()]
        if wanted:
            info = session_info(ctx.run_dir, _as_int(wanted))
            if info.circle_id in [c.circle_id for c in led]:
                return GroupQuizLeader(ctx.run_dir, ctx.viewer, led, session_id=info.session_id, poll=poll)
            if info.circle_id in mine_ids:
                return GroupQuizParticipant(
                    ctx.run_dir,
                    ctx.viewer,
                    ctx.display_name(ctx.viewer),
                    circles=mine_ids,
                    session_id=info.session_id,
                    poll=poll,
                )
            return message_widget(t("groupquiz.refused.not_in_circle"))
        if led:
            return GroupQuizLeader(ctx.run_dir, ctx.viewer, led, poll=poll)
        if mine_ids:
            return GroupQuizParticipant(
                ctx.run_dir, ctx.viewer, ctx.display_name(ctx.viewer), circles=mine_ids, poll=poll
            )
        return message_widget(t("groupquiz.refused.no_circle"))

    return _build(make)


def group_quiz_screen_app(
    context: LiveContext | None = None, *, page_url: str | None = None, poll: bool = True
) -> ipw.Widget:
    """The page ``gruppquiz-skarm.ipynb?session=<id>``: the big screen, for the circle's leader and members."""
    ctx = context or current_context()
    address = join_address(_page_url(page_url))

    def make() -> ipw.Widget:
        if ctx.is_guest:
            return message_widget(t("groupquiz.refused.screen_guest"))
        allowed = {c.circle_id for c in ctx.led_circles()} | {c.circle_id for c in ctx.circles()}
        wanted = ctx.query.get("session")
        if wanted:
            info = session_info(ctx.run_dir, _as_int(wanted))
        else:
            found = open_sessions(ctx.run_dir, [c.circle_id for c in ctx.led_circles()])
            if len(found) != 1:
                return message_widget(t("groupquiz.refused.screen_which"))
            info = found[0]
        if info.circle_id not in allowed:
            return message_widget(t("groupquiz.refused.not_in_circle"))
        return GroupQuizScreen(ctx.run_dir, info.session_id, address=address, poll=poll)

    return _build(make)


def _as_int(value: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise GroupQuizError(t("groupquiz.error.no_session", session=value)) from None
