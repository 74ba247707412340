"""The shared plan's screen: the six steps of ``StrategicPlanBuilder``, edited from several devices at once.

``SharedPlanBuilder`` has the steps and the controls of ``StrategicPlanBuilder``
(``widgets.exercises.plan``), bound field by field to the circle's plan in the store by
:class:`~voila_apps.live.shared_plan.syncing.SyncedPlan`; this module lays them out
and adds what a person does with the plan: items added, moved and removed, the realism
check, the history and the exports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from traitlets import List, Unicode

from voila_apps.live.shared_plan.history import HISTORY_SHOWN, history_html
from voila_apps.live.shared_plan.markup import (
    CSS,
    NO_GOAL,
    WIDE,
    header_html,
    heading,
    number_layout,
    row_layout,
    section,
    step_head,
)
from voila_apps.live.shared_plan.rows import Row, goal_options, make_row
from voila_apps.live.shared_plan.syncing import SyncedPlan
from widgets.core.i18n import t
from widgets.exercises.plan import realism_check_html
from widgets.kit import controls as ui
from widgets.kit.download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets.kit.live_poll import Poller, start_polling
from widgets.models.plan import Plan, PlanPrompts, plan_markdown, realism_warnings
from widgets.storage.shared_plan import ITEM_KINDS, HistoryEntry, SharedPlanError, SharedPlanStore, item_field


class SharedPlanBuilder(SyncedPlan):
    """A circle's strategic plan that several devices edit at once.

    Parameters
    ----------
    store
        The circle's plan in the run's live database.
    prompts
        The wording of the six steps and the limits (as ``StrategicPlanBuilder``).
    author
        Who is editing on this device (hub username); written with every change.
    names
        Display names by username, for the history and the notices.
    title
        A heading above the plan (the circle's name); empty for none.
    poll_interval
        Seconds between looks at the store; ``None`` never starts the timer
        (tests call :meth:`refresh` themselves). Headless nothing starts anyway.
    clock
        Monotonic seconds, for the pause before a text is saved.
    """

    warnings = List(Unicode(), read_only=True, help="Codes of the realism check's current warnings.")

    def __init__(
        self,
        store: SharedPlanStore,
        prompts: PlanPrompts,
        author: str,
        *,
        names: Mapping[str, str] | None = None,
        title: str = "",
        poll_interval: float | None = 1.0,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ):
        super().__init__(store, author, names=names, clock=clock, **kwargs)
        self.prompts = prompts
        self.add_class(CSS)
        self._build(title)
        self._apply(self.store.snapshot())
        self._poller: Poller = start_polling(self.refresh, poll_interval) if poll_interval else Poller(None)

    # -- public actions (buttons call these) ------------------------------------------
    def add_item(self, kind: str) -> str | None:
        """Add a goal, activity or discussion to the shared plan; returns its id (``None`` if refused)."""
        try:
            item_id = self.store.add_item(kind, self.author)
        except SharedPlanError as problem:
            self._refuse(str(problem))
            return None
        except SQLAlchemyError:
            self._refuse(t("sharedplan.save_failed"))
            return None
        self.refresh()
        row = self._rows[kind].get(item_id)
        first = row.controls.get("text") or row.controls.get("what") if row else None
        if first is not None:
            ui.focus(first)
        return item_id

    def remove_item(self, kind: str, item_id: str) -> None:
        """Take an item off the plan (its text stays in the history)."""
        self._flush_item(kind, item_id)
        place = self._order[kind].index(item_id) if item_id in self._order[kind] else 0
        removed = self._guard(lambda: self.store.remove_item(kind, item_id, self.author))
        if removed:
            self.status = t("sharedplan.removed_notice")
        self.refresh()
        if removed:
            self._focus_after_removal(kind, place)

    def _focus_after_removal(self, kind: str, place: int) -> None:
        """Focus the item that took the removed one's place, else the one before, else its add button."""
        ids = self._order[kind]
        if ids:
            row = self._rows[kind][ids[min(place, len(ids) - 1)]]
            ui.focus(row.controls.get("text") or row.controls["what"])
        else:
            ui.focus(self._add_buttons[kind])

    def move_item(self, kind: str, item_id: str, step: int) -> None:
        """Move an item up (``-1``) or down (``+1``) in the plan's order."""
        self._guard(lambda: self.store.move_item(kind, item_id, step, self.author))
        self.refresh()
        row = self._rows[kind].get(item_id)
        if row is not None:  # the moved item's same button, or the other one at the top or bottom
            same, other = (
                (row.buttons["up"], row.buttons["down"]) if step < 0 else (row.buttons["down"], row.buttons["up"])
            )
            ui.focus(same if ui.shown(same) else other)

    def close(self) -> None:
        self._poller.stop()
        super().close()

    @property
    def plan(self) -> Plan:
        """The plan as this screen shows it (the realism check uses it)."""
        return Plan.from_json(
            {
                "perception": self.perception.value,
                "revisit": self.revisit.value,
                "resources": {"members": self.members.value, "hours": self.hours.value, "money": self.money.value},
                "goals": [
                    {
                        "id": i,
                        "text": self._rows["goal"][i].controls["text"].value,
                        "years": self._rows["goal"][i].controls["years"].value,
                    }
                    for i in self._order["goal"]
                ],
                "activities": [
                    {part: self._rows["activity"][i].controls[part].value for part in ITEM_KINDS["activity"]}
                    for i in self._order["activity"]
                ],
                "anchoring": [
                    {part: self._rows["discussion"][i].controls[part].value for part in ITEM_KINDS["discussion"]}
                    for i in self._order["discussion"]
                ],
            }
        )

    def shared_plan(self) -> Plan:
        """The plan as stored for the whole circle, this screen's typing saved first."""
        self.flush()
        return self.store.snapshot().plan()

    def to_markdown(self) -> str:
        """The shared plan as Markdown for the board meeting."""
        return plan_markdown(self.shared_plan(), self.prompts)

    def docx_bytes(self) -> bytes:
        """The shared plan as a Word document."""
        from widgets.kit.plan_docx import plan_docx_bytes

        return plan_docx_bytes(self.shared_plan(), self.prompts)

    def history(self) -> list[HistoryEntry]:
        """The plan's earlier values, newest first."""
        return self.store.history(HISTORY_SHOWN)

    def goal_rows(self) -> list[Row]:
        return [self._rows["goal"][i] for i in self._order["goal"]]

    def activity_rows(self) -> list[Row]:
        return [self._rows["activity"][i] for i in self._order["activity"]]

    def discussion_rows(self) -> list[Row]:
        return [self._rows["discussion"][i] for i in self._order["discussion"]]

    # -- building the view ---------------------------------------------------------------
    def _build(self, title: str) -> None:
        steps = self.prompts.steps

        self.perception = self._bind(
            "perception",
            ui.Textarea(
                description=t("plan.perception_label"),
                placeholder=steps["perception"].placeholder,
                rows=4,
                continuous_update=True,
                style=WIDE,
                layout=ui.layout(width="100%"),
            ),
            text=True,
        )
        self.revisit = self._bind(
            "revisit",
            ui.Textarea(
                description=t("plan.revisit_label"),
                placeholder=steps["revisit"].placeholder,
                rows=2,
                continuous_update=True,
                style=WIDE,
                layout=ui.layout(width="100%"),
            ),
            text=True,
        )
        self.members = self._bind(
            "resources.members",
            ui.BoundedIntText(min=0, max=100000, description=t("plan.members"), style=WIDE, layout=number_layout()),
        )
        self.hours = self._bind(
            "resources.hours",
            ui.BoundedFloatText(
                min=0, max=100000, step=1, description=t("plan.hours"), style=WIDE, layout=number_layout()
            ),
        )
        self.money = self._bind(
            "resources.money",
            ui.BoundedIntText(
                min=0, max=10**9, step=500, description=t("plan.money"), style=WIDE, layout=number_layout()
            ),
        )
        self._boxes = {kind: ui.VBox() for kind in ITEM_KINDS}
        self.add_goal_button = ui.Button(description=t("plan.add_goal"))
        self.add_activity_button = ui.Button(description=t("plan.add_activity"))
        self.add_discussion_button = ui.Button(description=t("plan.add_discussion"))
        self.add_goal_button.on_click(lambda _b: self.add_item("goal"))
        self.add_activity_button.on_click(lambda _b: self.add_item("activity"))
        self.add_discussion_button.on_click(lambda _b: self.add_item("discussion"))
        self._add_buttons = {
            "goal": self.add_goal_button,
            "activity": self.add_activity_button,
            "discussion": self.add_discussion_button,
        }

        self._check = ui.HTML()
        self._check.add_class("cirkel-plan-check")
        self._history = ui.HTML()
        self._history.add_class(f"{CSS}-history")

        self.markdown_button = ui.Button(description=t("plan.download_markdown"))
        self.docx_button = ui.Button(description=t("plan.download_docx"))
        self.download = ui.HTML()
        self.markdown_button.on_click(lambda _b: self._offer("md"))
        self.docx_button.on_click(lambda _b: self._offer("docx"))

        buttons = ui.Box([self.markdown_button, self.docx_button], layout=row_layout())
        self.children = [
            ui.HTML(header_html(self.prompts, title)),
            *self._status_regions(),
            section(step_head(self.prompts, "perception"), self.perception, name="perception"),
            section(step_head(self.prompts, "goals"), self._boxes["goal"], self.add_goal_button, name="goals"),
            section(step_head(self.prompts, "resources"), self.members, self.hours, self.money, name="resources"),
            section(
                step_head(self.prompts, "activities"),
                self._boxes["activity"],
                self.add_activity_button,
                name="activities",
            ),
            section(
                step_head(self.prompts, "anchoring"),
                self._boxes["discussion"],
                self.add_discussion_button,
                name="anchoring",
            ),
            section(step_head(self.prompts, "revisit"), self.revisit, name="revisit"),
            section(heading("plan.check_title"), self._check, name="check"),
            section(heading("sharedplan.history_title"), self._history, name="history-section"),
            section(heading("plan.export_title"), buttons, self.download, name="export"),
        ]

    def _make_row(self, kind: str, item_id: str) -> Row:
        return make_row(
            kind,
            item_id,
            self.prompts,
            goal_options(self._order["goal"], self._rows["goal"]),
            move=lambda step: self.move_item(kind, item_id, step),
            remove=lambda: self.remove_item(kind, item_id),
        )

    def _changed(self) -> None:
        self._refresh_check()
        self.download.value = ""  # an old link would download an old plan

    def _redraw(self) -> None:
        self._refresh_goal_options()
        self._refresh_check()
        self._history.value = history_html(self.history(), self._name, self._order)

    def _refresh_goal_options(self) -> None:
        options = goal_options(self._order["goal"], self._rows["goal"])

        def relabel() -> None:
            for item_id in self._order["activity"]:
                control = self._rows["activity"][item_id].controls["goal"]
                binding = self._bindings[item_field("activity", item_id, "goal")]
                if list(control.options) != options:
                    wanted = control.value if binding.dirty else binding.saved
                    control.options = options
                    control.value = wanted if wanted in [v for _l, v in options] else NO_GOAL

        self._sync(relabel)

    def _refresh_check(self) -> None:
        found = realism_warnings(self.plan, self.prompts)
        self.set_trait("warnings", [w.code for w in found])
        self._check.value = realism_check_html(found)

    # -- exports ---------------------------------------------------------------------------
    def _offer(self, kind: str) -> None:
        try:
            if kind == "md":
                payload, name, mime = self.to_markdown().encode("utf-8"), t("plan.markdown_filename"), MARKDOWN_MIME
            else:
                payload, name, mime = self.docx_bytes(), t("plan.docx_filename"), DOCX_MIME
        except SQLAlchemyError:
            self._refuse(t("sharedplan.read_failed"))
            return
        self.download.value = download_link(name, mime, payload, t("plan.download_link", name=name))
        ui.focus(self.download)  # the link just made
