"""The shared plan's Voilà app: which circle, whether the viewer may edit its plan, then the builder."""

from __future__ import annotations

import html

import ipywidgets as ipw
from sqlalchemy.exc import SQLAlchemyError

from voila_apps.live.live_context import LiveContext, current_context
from voila_apps.live.shared_plan.builder import SharedPlanBuilder
from voila_apps.live.shared_plan.markup import CSS, STYLE, WIDE, message, number_layout
from voila_apps.live.shared_plan.prompts import find_prompts
from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.models.content import ContentError
from widgets.models.plan import PlanPrompts
from widgets.storage.shared_plan import SharedPlanStore


def may_edit(context: LiveContext, leader_id: str, members: tuple[str, ...]) -> bool:
    """Members and the cirkelledare of the circle, and the run's course leaders; never a guest."""
    if context.is_guest:
        return False
    return context.is_run_leader or context.viewer == leader_id or context.viewer in members


def shared_plan_app(
    context: LiveContext | None = None, *, prompts: PlanPrompts | None = None, poll_interval: float | None = 1.0
) -> ipw.Widget:
    """The circle's shared plan for the person who opened the page, or a plain message why not.

    ``?circle=<id>`` names the circle; without it, a person in one circle gets
    that circle's plan and a person in several chooses.
    """
    from grading.circles.store import CircleError, CircleStore

    ctx = context or current_context()
    app = ui.VBox()
    app.add_class(f"{CSS}-app")
    if ctx.is_guest:
        app.children = [message(t("sharedplan.refused_guest"))]
        return app
    try:
        circles = CircleStore(ctx.run_dir).circles()
    except (CircleError, OSError, ValueError):
        app.children = [message(t("sharedplan.no_run"))]
        return app
    mine = [c for c in circles if may_edit(ctx, c.leader_id, c.members)]

    def open_circle(circle_id: str) -> None:
        circle = next((c for c in circles if c.circle_id == circle_id), None)
        if circle is None:
            app.children = [message(t("sharedplan.unknown_circle", circle=circle_id))]
            return
        if circle not in mine:
            app.children = [message(t("sharedplan.refused", circle=circle.name))]
            return
        try:
            wording = prompts or find_prompts(ctx.run_dir)
        except ContentError as problem:
            app.children = [message(t("sharedplan.bad_prompts", problem=str(problem)))]
            return
        try:
            names = CircleStore(ctx.run_dir).display_names([*circle.members, *ctx.leaders])
        except Exception:  # names are a courtesy: ids will do
            names = {}
        try:
            store = SharedPlanStore(ctx.run_dir, circle.circle_id)
            builder = SharedPlanBuilder(
                store,
                wording,
                ctx.viewer,
                names=names,
                title=t("sharedplan.title", circle=circle.name),
                poll_interval=poll_interval,
            )
        except SQLAlchemyError:
            app.children = [message(t("sharedplan.read_failed"))]
            return
        app.children = [builder]

    wanted = ctx.query.get("circle", "").strip()
    if wanted:
        open_circle(wanted)
    elif not mine:
        app.children = [message(t("sharedplan.no_circles"))]
    elif len(mine) == 1:
        open_circle(mine[0].circle_id)
    else:
        choice = ui.Dropdown(
            options=[(c.name, c.circle_id) for c in mine],
            description=t("sharedplan.choose_circle"),
            style=WIDE,
            layout=number_layout(),
        )
        go = ui.Button(description=t("sharedplan.open"), button_style="primary")
        go.on_click(lambda _b: open_circle(choice.value))
        app.children = [ui.HTML(STYLE + f"<h2>{html.escape(t('sharedplan.choose_title'))}</h2>"), choice, go]
        app.add_class(CSS)
    return app
