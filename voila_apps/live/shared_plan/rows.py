"""The controls of the shared plan: a control bound to a stored field, and a goal's, activity's or discussion's row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw

from voila_apps.live.shared_plan.markup import CSS, NO_GOAL, WIDE, number_layout, row_layout
from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.models.plan import PlanPrompts
from widgets.storage.shared_plan import FieldValue


@dataclass
class Binding:
    """A control and the stored field it edits.

    ``saved``/``version`` are what this screen last saved or showed from the
    store; ``edited_at`` is set while a text has unsaved typing; ``remote``
    is someone else's newer value that arrived while this person was typing.
    """

    name: str
    control: ipw.ValueWidget
    text: bool
    saved: Any
    version: int
    edited_at: float | None = None
    remote: FieldValue | None = None

    @property
    def dirty(self) -> bool:
        return self.control.value != self.saved


class Row:
    """The controls of one goal, activity or discussion (kept while the item lives)."""

    def __init__(
        self,
        kind: str,
        item_id: str,
        controls: dict[str, ipw.ValueWidget],
        buttons: dict[str, ipw.Button],
        box: ipw.Box,
    ):
        self.kind = kind
        self.item_id = item_id
        self.controls = controls
        self.buttons = buttons
        self.box = box

    def close(self) -> None:
        for widget in [*self.controls.values(), *self.buttons.values()]:
            widget.close()
        self.box.close()


def _text(placeholder: str) -> ipw.Text:
    return ui.Text(placeholder=placeholder, continuous_update=True, style=WIDE, layout=ui.layout(width="100%"))


def make_row(
    kind: str,
    item_id: str,
    prompts: PlanPrompts,
    goal_options: list[tuple[str, str]],
    *,
    move: Callable[[int], None],
    remove: Callable[[], None],
) -> Row:
    """A new item's controls, its buttons calling ``move(step)`` and ``remove()`` (not yet bound to the store)."""
    controls: dict[str, ipw.ValueWidget] = {}
    buttons: dict[str, ipw.Button] = {}
    if kind == "goal":
        controls["text"] = _text(prompts.steps["goals"].placeholder)
        controls["years"] = ui.BoundedIntText(
            value=3, min=1, max=50, description=t("plan.goal_years"), style=WIDE, layout=number_layout()
        )
        buttons["up"] = ui.Button(description=t("plan.move_up"))
        buttons["down"] = ui.Button(description=t("plan.move_down"))
        buttons["remove"] = ui.Button(description=t("plan.remove_goal"))
        buttons["up"].on_click(lambda _b: move(-1))
        buttons["down"].on_click(lambda _b: move(+1))
        lines = [
            controls["text"],
            ui.Box([controls["years"], buttons["up"], buttons["down"], buttons["remove"]], layout=row_layout()),
        ]
    elif kind == "activity":
        controls["text"] = _text(prompts.steps["activities"].placeholder)
        controls["goal"] = ui.Dropdown(
            options=goal_options,
            value=NO_GOAL,
            description=t("plan.activity_goal"),
            style=WIDE,
            layout=number_layout(),
        )
        controls["hours"] = ui.BoundedFloatText(
            min=0, max=10000, step=0.5, description=t("plan.activity_hours"), style=WIDE, layout=number_layout()
        )
        controls["cost"] = ui.BoundedIntText(
            min=0, max=10**8, step=100, description=t("plan.activity_cost"), style=WIDE, layout=number_layout()
        )
        buttons["remove"] = ui.Button(description=t("plan.remove_activity"))
        lines = [
            controls["text"],
            controls["goal"],
            ui.Box([controls["hours"], controls["cost"], buttons["remove"]], layout=row_layout()),
        ]
    else:
        controls["what"] = _text(prompts.steps["anchoring"].placeholder)
        controls["when"] = ui.Text(
            placeholder=t("plan.discussion_when_placeholder"),
            continuous_update=True,
            description=t("plan.discussion_when"),
            style=WIDE,
            layout=number_layout(),
        )
        buttons["remove"] = ui.Button(description=t("plan.remove_discussion"))
        lines = [controls["what"], ui.Box([controls["when"], buttons["remove"]], layout=row_layout())]
    buttons["remove"].on_click(lambda _b: remove())
    box = ui.VBox(lines)
    box.add_class(f"{CSS}-row")
    box.add_class(f"{CSS}-{kind}")
    return Row(kind, item_id, controls, buttons, box)


def label_rows(kind: str, rows: list[Row]) -> None:
    """Number the rows of one kind as they now stand (labels, tooltips, the move buttons at the ends)."""
    for number, row in enumerate(rows, start=1):
        if kind == "goal":
            row.controls["text"].description = t("plan.goal_label", number=number)
            row.buttons["up"].tooltip = t("plan.move_up_tip", number=number)
            row.buttons["down"].tooltip = t("plan.move_down_tip", number=number)
            row.buttons["remove"].tooltip = t("plan.remove_goal_tip", number=number)
            ui.show(row.buttons["up"], number != 1)
            ui.show(row.buttons["down"], number != len(rows))
        elif kind == "activity":
            row.controls["text"].description = t("plan.activity_label", number=number)
            row.buttons["remove"].tooltip = t("plan.remove_activity_tip", number=number)
        else:
            row.controls["what"].description = t("plan.discussion_label", number=number)
            row.buttons["remove"].tooltip = t("plan.remove_discussion_tip", number=number)


def goal_options(order: tuple[str, ...], goals: dict[str, Row]) -> list[tuple[str, str]]:
    """The choices of an activity's goal: none, or a goal by its number and the start of its text."""
    options = [(t("plan.no_goal"), NO_GOAL)]
    for number, goal_id in enumerate(order, start=1):
        row = goals.get(goal_id)
        text = " ".join(row.controls["text"].value.split()) if row else ""
        text = text if len(text) <= 40 else text[:39] + "…"
        options.append((t("plan.goal_option", number=number, text=text or t("plan.unnamed_goal")), goal_id))
    return options
