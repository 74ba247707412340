"""MeetingPlanner: plan one meeting, with purposes first, and get a notice and an agenda.

Strategidokumentet, Del 2, "Varje möte ett genomtänkt möte": purposes
formulated in advance (political and social), a planned and led meeting that
ends on time, and people who set the welcoming mood. The wording, the roles and
the practicalities are content (a YAML file, see ``_meeting_planner_model``).

Public attributes a test or a notebook may drive: ``name``, ``date``,
``start``, ``length``, ``place``, ``political``, ``social``, ``role_inputs``
(role id -> Text), ``practical_boxes`` (practicality id -> Checkbox),
``practical_note``, ``agenda_rows`` (each with ``title``, ``minutes``, ``up``,
``down``, ``remove``), ``add_item_button``, ``markdown_button``,
``docx_button``, ``download``; and the methods ``add_item``, ``remove_item``,
``move_item``.
"""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Int

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.builder_view import WIDE, BuilderExercise, full_width, step_header
from widgets.models.builder import Block, BuilderWarning
from widgets.models.meeting_planner import (
    MAX_ITEM,
    MAX_LENGTH,
    MIN_LENGTH,
    AgendaItem,
    MeetingContent,
    MeetingPlan,
    load_meeting_content,
    meeting_blocks,
    meeting_summary,
    meeting_title,
    meeting_warnings,
    parse_clock,
    parse_meeting_content,
)
from widgets.storage.answers import AnswerStore

__all__ = ["MeetingPlanner", "MeetingPlan", "MeetingContent", "load_meeting_content"]

_CSS = "cirkel-meeting-planner"


class _AgendaRow:
    def __init__(self, planner: MeetingPlanner, index: int, item: AgendaItem):
        number = index + 1
        self.title = ui.Text(
            value=item.title,
            description=t("meetingplan.item_label", number=number),
            placeholder=planner.content.steps["agenda"].placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.minutes = ui.BoundedIntText(
            value=item.minutes,
            min=0,
            max=MAX_ITEM,
            step=5,
            description=t("meetingplan.item_minutes", number=number),
            style=WIDE,
            layout=ui.layout(width="14em"),
        )
        self.up = ui.Button(description=t("builders.move_up"), tooltip=t("meetingplan.move_up_tip", number=number))
        self.down = ui.Button(
            description=t("builders.move_down"), tooltip=t("meetingplan.move_down_tip", number=number)
        )
        self.remove = ui.Button(
            description=t("meetingplan.remove_item"), tooltip=t("meetingplan.remove_item_tip", number=number)
        )
        ui.show(self.up, index != 0)
        ui.show(self.down, index != len(planner.plan.agenda) - 1)
        self.up.on_click(lambda _b: planner.move_item(index, -1))
        self.down.on_click(lambda _b: planner.move_item(index, +1))
        self.remove.on_click(lambda _b: planner.remove_item(index))
        self.title.observe(lambda c: planner._edit(lambda: setattr(item, "title", c["new"])), "value")
        self.minutes.observe(lambda c: planner._edit(lambda: setattr(item, "minutes", int(c["new"]))), "value")
        self.box = ui.VBox([self.title, ui.HBox([self.minutes, self.up, self.down, self.remove])])
        self.box.add_class(f"{_CSS}-item")


class MeetingPlanner(BuilderExercise):
    """Plan a meeting: purposes, agenda with minutes, roles, practicalities; export notice and agenda.

    Parameters
    ----------
    content
        Wording, roles, practicalities and default length: a ``MeetingContent``
        or a dict in the content file's format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "meeting-planner"
    css = _CSS
    max_rows = 20

    agenda_minutes = Int(0, read_only=True, help="Minutes the agenda's items add up to.")

    def __init__(
        self,
        content: MeetingContent | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.content = content if isinstance(content, MeetingContent) else parse_meeting_content(content)
        self.plan = MeetingPlan.new(self.content)
        self.agenda_rows: list[_AgendaRow] = []
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> MeetingPlanner:
        """A planner whose content comes from a file, relative to the working directory."""
        return cls(load_meeting_content(path), exercise_id=exercise_id, store=store, **kwargs)

    # -- agenda edits (buttons call these) -------------------------------------------------
    def add_item(self, title: str = "", minutes: int = 0) -> None:
        """Add an agenda item last."""
        self._check_room(self.plan.agenda)
        self.plan.agenda.append(AgendaItem(title=title, minutes=max(0, min(int(minutes), MAX_ITEM))))
        self._rebuild()
        self._focus_last(self.agenda_rows, "title")

    def remove_item(self, index: int) -> None:
        """Remove an item; the keyboard focus goes to the item that took its place (or "Lägg till")."""
        self.plan.agenda.pop(index)
        self._rebuild()
        rows = self.agenda_rows
        ui.focus(rows[min(index, len(rows) - 1)].title if rows else self.add_item_button)

    def move_item(self, index: int, step: int) -> None:
        """Move an item earlier (``-1``) or later (``+1``) on the agenda; the focus follows it."""
        agenda, target = self.plan.agenda, index + step
        if 0 <= index < len(agenda) and 0 <= target < len(agenda):
            agenda[index], agenda[target] = agenda[target], agenda[index]
            self._rebuild()
            row = self.agenda_rows[target]
            # the same button when it is still there (not at the top or bottom), else the other one
            ahead, back = (row.up, row.down) if step < 0 else (row.down, row.up)
            ui.focus(ahead if ui.shown(ahead) else back)

    # -- BuilderExercise hooks -----------------------------------------------------------------
    def check_warnings(self) -> list[BuilderWarning]:
        return meeting_warnings(self.plan, self.content)

    def summary(self) -> str:
        return meeting_summary(self.plan)

    def export_title(self) -> str:
        return meeting_title(self.plan)

    def export_blocks(self) -> list[Block]:
        return meeting_blocks(self.plan, self.content)

    def export_filename(self) -> str:
        return t("meetingplan.filename")

    # -- Exercise ----------------------------------------------------------------------------
    def _build(self) -> None:
        content, steps = self.content, self.content.steps
        source = content.head.source
        self._make_shared_controls()

        def text(label: str, placeholder: str = "", area: bool = False) -> ipw.Text | ipw.Textarea:
            cls = ui.Textarea if area else ui.Text
            extra = {"rows": 3} if area else {}
            return cls(description=label, placeholder=placeholder, style=WIDE, layout=full_width(), **extra)

        self.name = text(t("meetingplan.name"), steps["meeting"].placeholder)
        self.date = ui.DatePicker(description=t("meetingplan.date"), style=WIDE)
        self.start = ui.TimePicker(description=t("meetingplan.start"), step=60, style=WIDE)
        self.length = ui.BoundedIntText(
            value=self.plan.length,
            min=MIN_LENGTH,
            max=MAX_LENGTH,
            step=15,
            description=t("meetingplan.length"),
            style=WIDE,
        )
        self.place = text(t("meetingplan.place"), t("meetingplan.place_placeholder"))
        self.political = text(t("meetingplan.political"), t("meetingplan.political_placeholder"), area=True)
        self.social = text(t("meetingplan.social"), steps["purposes"].placeholder, area=True)
        self.name.observe(lambda c: self._edit(lambda: setattr(self.plan, "name", c["new"])), "value")
        self.date.observe(
            lambda c: self._edit(lambda: setattr(self.plan, "date", c["new"].isoformat() if c["new"] else "")), "value"
        )
        self.start.observe(lambda c: self._edit(lambda: setattr(self.plan, "start", _clock(c["new"]))), "value")
        self.length.observe(lambda c: self._edit(lambda: setattr(self.plan, "length", int(c["new"]))), "value")
        self.place.observe(lambda c: self._edit(lambda: setattr(self.plan, "place", c["new"])), "value")
        self.political.observe(lambda c: self._edit(lambda: setattr(self.plan, "political", c["new"])), "value")
        self.social.observe(lambda c: self._edit(lambda: setattr(self.plan, "social", c["new"])), "value")

        self._agenda_box = ui.VBox()
        self._agenda_box.add_class(f"{_CSS}-agenda")
        self.add_item_button = ui.Button(description=t("meetingplan.add_item"))
        self.add_item_button.add_class(f"{_CSS}-add-item")
        self.add_item_button.on_click(lambda _b: self._guarded(self.add_item))

        self.role_inputs: dict[str, ipw.Text] = {}
        role_parts: list[ipw.Widget] = []
        for role in content.roles:
            control = ui.Text(
                description=role.label,
                placeholder=steps["roles"].placeholder,
                style=WIDE,
                layout=ui.layout(width="30em"),
            )
            control.add_class(f"{_CSS}-role-{role.id}")
            control.observe(lambda c, rid=role.id: self._edit(lambda: self._set_role(rid, c["new"])), "value")
            self.role_inputs[role.id] = control
            role_parts.append(control)
            if role.help:
                role_parts.append(ui.HTML(f'<p class="{_CSS}-help">{html.escape(role.help)}</p>'))

        self.practical_boxes: dict[str, ipw.Checkbox] = {}
        practical_parts: list[ipw.Widget] = []
        for item in content.practicalities:
            box = ui.Checkbox(description=item.label, indent=False, layout=full_width())
            box.add_class(f"{_CSS}-practical-{item.id}")
            box.observe(lambda c, pid=item.id: self._edit(lambda: self._set_practical(pid, c["new"])), "value")
            self.practical_boxes[item.id] = box
            practical_parts.append(box)
            if item.help:
                note = html.escape(item.help)
                if item.source:
                    note += f' <span class="cirkel-source">({html.escape(t("builders.quote_source", source=item.source))})</span>'
                practical_parts.append(ui.HTML(f'<p class="{_CSS}-help">{note}</p>'))
        self.practical_note = text(t("meetingplan.practical_note"), steps["practical"].placeholder, area=True)
        self.practical_note.observe(
            lambda c: self._edit(lambda: setattr(self.plan, "practical_note", c["new"])), "value"
        )

        def head(step_id: str) -> ipw.HTML:
            return step_header(steps[step_id], source, _CSS)

        self.children = [
            self._header(content.title, source, content.head.intro),
            self._status_box,
            self._section(
                head("meeting"), self.name, ui.HBox([self.date, self.start]), self.length, self.place, name="meeting"
            ),
            self._section(head("purposes"), self.political, self.social, name="purposes"),
            self._section(head("agenda"), self._agenda_box, self.add_item_button, name="agenda-section"),
            self._section(head("roles"), *role_parts, name="roles"),
            self._section(head("practical"), *practical_parts, self.practical_note, name="practical"),
            self._check_section("meetingplan.check_title"),
            self._export_section("meetingplan.export_heading"),
        ]
        self._show_plan()

    def answers(self) -> dict[str, Any]:
        return self.plan.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        self.plan = MeetingPlan.from_json(data, self.content)
        self._show_plan()

    # -- internals -------------------------------------------------------------------------------
    def _set_role(self, role_id: str, value: str) -> None:
        if value.strip():
            self.plan.roles[role_id] = value
        else:
            self.plan.roles.pop(role_id, None)

    def _set_practical(self, item_id: str, value: bool) -> None:
        if value:
            self.plan.practical[item_id] = True
        else:
            self.plan.practical.pop(item_id, None)

    def _refresh_check(self) -> None:
        self.set_trait("agenda_minutes", self.plan.agenda_minutes())
        super()._refresh_check()

    def _show_plan(self) -> None:
        """Make every control show ``self.plan`` (construction and restore)."""
        plan = self.plan

        def fill() -> None:
            self.name.value = plan.name
            self.date.value = _dt.date.fromisoformat(plan.date) if plan.date else None
            self.start.value = parse_clock(plan.start)
            self.length.value = plan.length
            self.place.value = plan.place
            self.political.value = plan.political
            self.social.value = plan.social
            for role_id, control in self.role_inputs.items():
                control.value = plan.roles.get(role_id, "")
            for item_id, box in self.practical_boxes.items():
                box.value = bool(plan.practical.get(item_id))
            self.practical_note.value = plan.practical_note

        self._sync(fill)
        self._rebuild_rows()
        self._refresh_check()

    def _rebuild(self) -> None:
        self._rebuild_rows()
        self._changed()

    def _rebuild_rows(self) -> None:
        def rows() -> None:
            old = self.agenda_rows
            self.agenda_rows = [_AgendaRow(self, i, item) for i, item in enumerate(self.plan.agenda)]
            self._agenda_box.children = [row.box for row in self.agenda_rows]
            for row in old:
                row.box.close()

        self._sync(rows)


def _clock(value: _dt.time | None) -> str:
    return f"{value.hour:02d}:{value.minute:02d}" if value is not None else ""
