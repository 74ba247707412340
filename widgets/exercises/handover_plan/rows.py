"""The rows of the handover plan: a checklist item, a meeting; each text guarded before it is saved."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable
from typing import Protocol

import ipywidgets as ipw

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.builder_view import WIDE, full_width
from widgets.models.handover_plan import ChecklistItem, FieldKind, Handover, HandoverContent, HandoverMeeting

CSS = "cirkel-handover-plan"


class HandoverEditor(Protocol):
    """What a row needs of the exercise: the plan and its content, the guard and the edits."""

    plan: Handover
    content: HandoverContent

    def remove_meeting(self, index: int) -> None: ...

    def _edit(self, change: Callable[[], None]) -> None: ...

    def _guard(
        self,
        control: ipw.Text | ipw.Textarea,
        key: str,
        kind: FieldKind,
        label: str,
        message: ipw.HTML,
        apply: Callable[[str], None],
    ) -> None: ...


def message_box() -> ipw.HTML:
    """A live region beside a field, for the reason a text was refused."""
    box = ui.live(ui.HTML())  # there before a refusal is put in it
    box.add_class(f"{CSS}-refusal")
    return box


class ItemRow:
    """A checklist item: how it passes over, and whether it has."""

    def __init__(self, builder: HandoverEditor, item: ChecklistItem):
        entry = lambda: builder.plan.items[item.id]  # noqa: E731 - the plan object changes on restore
        parts = [f'<h5 class="{CSS}-item-title">{html.escape(item.label)}</h5>']
        if item.help:
            parts.append(f"<p>{html.escape(item.help)}</p>")
        if item.warning:
            parts.append(f'<p class="{CSS}-secret-warning"><strong>{html.escape(item.warning)}</strong></p>')
        self.heading = ui.HTML("".join(parts))
        self.note = ui.Textarea(
            description=t("handover.item_note", label=item.label),
            placeholder=item.placeholder,
            rows=2,
            continuous_update=False,
            style=WIDE,
            layout=full_width(),
        )
        self.note.add_class(f"{CSS}-note-{item.id}")
        self.done = ui.Checkbox(description=t("handover.item_done", label=item.label), indent=False)
        self.done.add_class(f"{CSS}-done-{item.id}")
        self.message = message_box()
        builder._guard(
            self.note, f"item:{item.id}", "text", item.label, self.message, lambda v: setattr(entry(), "note", v)
        )
        self.done.observe(lambda c: builder._edit(lambda: setattr(entry(), "done", bool(c["new"]))), "value")
        self.box = ui.VBox([self.heading, self.note, self.message, self.done])
        self.box.add_class(f"{CSS}-item")


class MeetingRow:
    """A meeting: its date and topic, and its remove button."""

    def __init__(self, builder: HandoverEditor, index: int, meeting: HandoverMeeting):
        number = index + 1
        label = t("handover.meeting_label", number=number)
        self.date = ui.DatePicker(
            value=_dt.date.fromisoformat(meeting.date) if meeting.date else None,
            description=t("handover.meeting_date", number=number),
            style=WIDE,
        )
        self.topic = ui.Text(
            value=meeting.topic,
            description=label,
            placeholder=builder.content.steps["meetings"].placeholder,
            continuous_update=False,
            style=WIDE,
            layout=full_width(),
        )
        self.remove = ui.Button(
            description=t("handover.remove_meeting"), tooltip=t("handover.remove_meeting_tip", number=number)
        )
        self.message = message_box()
        self.remove.on_click(lambda _b: builder.remove_meeting(index))
        self.date.observe(
            lambda c: builder._edit(lambda: setattr(meeting, "date", c["new"].isoformat() if c["new"] else "")), "value"
        )
        builder._guard(
            self.topic, f"meeting:{index}", "text", label, self.message, lambda v: setattr(meeting, "topic", v)
        )
        self.box = ui.VBox([ui.HBox([self.date, self.remove]), self.topic, self.message])
        self.box.add_class(f"{CSS}-meeting")
