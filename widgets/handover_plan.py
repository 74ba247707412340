"""HandoverPlan: a structured handover of an assignment, with a mentor and planned meetings.

Strategidokumentet, Del 3, "Strategiska planer": we lose knowledge when
elected representatives change; mentorship and structured handovers help.
The checklist (contacts, documents, ongoing matters, the year's calendar,
where accounts are managed) and the wording are content (see
``_handover_model``).

Never a password in the file: every free-text field refuses text that looks
like a password or a code; the field goes back to what it held, a message next
to it says why, and nothing of the refused text is saved. The mentor pairing
takes first names only. Text fields save when the learner leaves the field
(Tab or Enter), not on every key, so a secret is checked whole before it
could be saved in parts.

Public attributes a test or a notebook may drive: ``assignment``,
``item_rows`` (item id -> row with ``note``, ``done``, ``message``),
``new_name``, ``mentor_name``, ``mentor_role``, ``focus``, ``meeting_rows``
(each with ``date``, ``topic``, ``remove``, ``message``),
``add_meeting_button``, ``markdown_button``, ``docx_button``, ``download``;
the methods ``add_meeting``, ``remove_meeting``; the trait ``refused``.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import List, Unicode

from . import _ui as ui
from ._builder_base import Block, BuilderWarning
from ._builder_view import WIDE, BuilderExercise, full_width, step_header
from ._handover_model import (
    ChecklistItem,
    FieldKind,
    Handover,
    HandoverContent,
    HandoverMeeting,
    handover_blocks,
    handover_summary,
    handover_title,
    handover_warnings,
    load_handover_content,
    parse_handover_content,
    refusal,
    scrub,
)
from .i18n import t
from .store import AnswerStore

__all__ = ["HandoverPlan", "Handover", "HandoverContent", "load_handover_content"]

_CSS = "cirkel-handover-plan"
_REFUSED_CSS = "cirkel-refused"


def _message_box() -> ipw.HTML:
    box = ui.live(ui.HTML())  # there before a refusal is put in it
    box.add_class(f"{_CSS}-refusal")
    return box


class _ItemRow:
    def __init__(self, builder: HandoverPlan, item: ChecklistItem):
        entry = lambda: builder.plan.items[item.id]  # noqa: E731 - the plan object changes on restore
        parts = [f'<h5 class="{_CSS}-item-title">{html.escape(item.label)}</h5>']
        if item.help:
            parts.append(f"<p>{html.escape(item.help)}</p>")
        if item.warning:
            parts.append(f'<p class="{_CSS}-secret-warning"><strong>{html.escape(item.warning)}</strong></p>')
        self.heading = ui.HTML("".join(parts))
        self.note = ui.Textarea(
            description=t("handover.item_note", label=item.label),
            placeholder=item.placeholder,
            rows=2,
            continuous_update=False,
            style=WIDE,
            layout=full_width(),
        )
        self.note.add_class(f"{_CSS}-note-{item.id}")
        self.done = ui.Checkbox(description=t("handover.item_done", label=item.label), indent=False)
        self.done.add_class(f"{_CSS}-done-{item.id}")
        self.message = _message_box()
        builder._guard(
            self.note, f"item:{item.id}", "text", item.label, self.message, lambda v: setattr(entry(), "note", v)
        )
        self.done.observe(lambda c: builder._edit(lambda: setattr(entry(), "done", bool(c["new"]))), "value")
        self.box = ui.VBox([self.heading, self.note, self.message, self.done])
        self.box.add_class(f"{_CSS}-item")


class _MeetingRow:
    def __init__(self, builder: HandoverPlan, index: int, meeting: HandoverMeeting):
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
        self.message = _message_box()
        self.remove.on_click(lambda _b: builder.remove_meeting(index))
        self.date.observe(
            lambda c: builder._edit(lambda: setattr(meeting, "date", c["new"].isoformat() if c["new"] else "")), "value"
        )
        builder._guard(
            self.topic, f"meeting:{index}", "text", label, self.message, lambda v: setattr(meeting, "topic", v)
        )
        self.box = ui.VBox([ui.HBox([self.date, self.remove]), self.topic, self.message])
        self.box.add_class(f"{_CSS}-meeting")


class HandoverPlan(BuilderExercise):
    """Plan the handover of an assignment: checklist, mentor pairing, meetings; export the plan.

    Parameters
    ----------
    content
        Wording, checklist and mentor roles: a ``HandoverContent`` or a dict in
        the content file's format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "handover-plan"
    css = _CSS
    max_rows = 12

    refused = List(Unicode(), read_only=True, help="Fields whose last input was refused and not saved.")

    def __init__(
        self,
        content: HandoverContent | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.content = content if isinstance(content, HandoverContent) else parse_handover_content(content)
        self.plan = Handover.new(self.content)
        self.item_rows: dict[str, _ItemRow] = {}
        self.meeting_rows: list[_MeetingRow] = []
        self._refusals: dict[str, str] = {}
        self._scrubbed: list[str] = []
        self._guard_info: dict[int, tuple[str, ipw.HTML]] = {}  # id(control) -> (refusal key, message box)
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> HandoverPlan:
        """A handover plan whose content comes from a file, relative to the working directory."""
        return cls(load_handover_content(path), exercise_id=exercise_id, store=store, **kwargs)

    # -- edits the buttons call ---------------------------------------------------------------------
    def add_meeting(self, date: str | _dt.date = "", topic: str = "") -> None:
        """Add a meeting; ``topic`` is refused like typed text if it looks like a secret."""
        self._check_room(self.plan.meetings)
        day = (
            date.isoformat()
            if isinstance(date, _dt.date)
            else (_dt.date.fromisoformat(date).isoformat() if date else "")
        )
        problem = refusal("text", topic, t("handover.meeting_label", number=len(self.plan.meetings) + 1))
        if problem:
            raise ValueError(problem)
        self.plan.meetings.append(HandoverMeeting(date=day, topic=topic))
        self._rebuild()
        self._focus_last(self.meeting_rows, "date")

    def remove_meeting(self, index: int) -> None:
        self.plan.meetings.pop(index)
        self._refusals = {k: v for k, v in self._refusals.items() if not k.startswith("meeting:")}
        self._rebuild()
        self._show_refusals()

    # -- BuilderExercise hooks ---------------------------------------------------------------------------
    def check_warnings(self) -> list[BuilderWarning]:
        return handover_warnings(self.plan, self.content)

    def summary(self) -> str:
        return handover_summary(self.plan, self.content)

    def export_title(self) -> str:
        return handover_title(self.plan)

    def export_blocks(self) -> list[Block]:
        return handover_blocks(self.plan, self.content)

    def export_filename(self) -> str:
        return t("handover.filename")

    # -- Exercise --------------------------------------------------------------------------------------
    def _build(self) -> None:
        content, steps = self.content, self.content.steps
        source = content.head.source
        self._make_shared_controls()

        self.assignment = ui.Text(
            description=t("handover.assignment"),
            placeholder=steps["assignment"].placeholder,
            continuous_update=False,
            style=WIDE,
            layout=full_width(),
        )
        self.assignment_message = _message_box()
        self._guard(
            self.assignment,
            "assignment",
            "text",
            t("handover.assignment"),
            self.assignment_message,
            lambda v: setattr(self.plan, "assignment", v),
        )

        self.item_rows = {item.id: _ItemRow(self, item) for item in content.checklist}

        self.new_name = ui.Text(
            description=t("handover.new_name"),
            placeholder=t("handover.name_placeholder"),
            continuous_update=False,
            style=WIDE,
            layout=ui.layout(width="30em"),
        )
        self.mentor_name = ui.Text(
            description=t("handover.mentor_name"),
            placeholder=t("handover.name_placeholder"),
            continuous_update=False,
            style=WIDE,
            layout=ui.layout(width="30em"),
        )
        self.mentor_role = ui.Dropdown(
            options=[(t("handover.no_mentor_role"), "")] + [(r.label, r.id) for r in content.mentor_roles],
            value="",
            description=t("handover.mentor_role"),
            style=WIDE,
        )
        self.focus = ui.Textarea(
            description=t("handover.focus"),
            placeholder=steps["mentor"].placeholder,
            rows=2,
            continuous_update=False,
            style=WIDE,
            layout=full_width(),
        )
        self.pairing_message = _message_box()
        pairing = lambda: self.plan.pairing  # noqa: E731
        self._guard(
            self.new_name,
            "pairing.new_name",
            "name",
            t("handover.new_name"),
            self.pairing_message,
            lambda v: setattr(pairing(), "new_name", v),
        )
        self._guard(
            self.mentor_name,
            "pairing.mentor_name",
            "name",
            t("handover.mentor_name"),
            self.pairing_message,
            lambda v: setattr(pairing(), "mentor_name", v),
        )
        self._guard(
            self.focus,
            "pairing.focus",
            "text",
            t("handover.focus"),
            self.pairing_message,
            lambda v: setattr(pairing(), "focus", v),
        )
        self.mentor_role.observe(
            lambda c: self._edit(lambda: setattr(pairing(), "mentor_role", c["new"] or "")), "value"
        )

        self._meeting_box = ui.VBox()
        self._meeting_box.add_class(f"{_CSS}-meetings")
        self.add_meeting_button = ui.Button(description=t("handover.add_meeting"))
        self.add_meeting_button.add_class(f"{_CSS}-add-meeting")
        self.add_meeting_button.on_click(lambda _b: self._guarded(self.add_meeting))

        def head(step_id: str) -> ipw.HTML:
            return step_header(steps[step_id], source, _CSS)

        never = ui.HTML(
            f'<p class="{_CSS}-secret-warning"><strong>{html.escape(t("handover.never_secrets"))}</strong></p>'
        )
        self.children = [
            self._header(content.title, source, content.head.intro),
            self._status_box,
            never,
            self._section(head("assignment"), self.assignment, self.assignment_message, name="assignment"),
            self._section(head("checklist"), *(row.box for row in self.item_rows.values()), name="checklist"),
            self._section(
                head("mentor"),
                self.new_name,
                self.mentor_name,
                self.mentor_role,
                self.focus,
                self.pairing_message,
                name="mentor",
            ),
            self._section(head("meetings"), self._meeting_box, self.add_meeting_button, name="meetings-section"),
            self._check_section("handover.check_title"),
            self._export_section("handover.export_heading"),
        ]
        self._show()

    def answers(self) -> dict[str, Any]:
        return self.plan.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        plan = Handover.from_json(data, self.content)
        self._scrubbed = scrub(plan, self.content)
        self.plan = plan
        self._show()

    def restore(self) -> None:
        """Restore, and if the saved file held a refused value, save it again without it and say so."""
        super().restore()
        if self._scrubbed:
            emptied, self._scrubbed = self._scrubbed, []
            self.save()
            self._notice(t("handover.scrubbed", fields=", ".join(emptied)))

    # -- internals ------------------------------------------------------------------------------------------
    def _guard(
        self,
        control: ipw.Text | ipw.Textarea,
        key: str,
        kind: FieldKind,
        label: str,
        message: ipw.HTML,
        apply: Callable[[str], None],
    ) -> None:
        """Observe a text control: refuse a secret (or a non-first-name) before anything is saved."""

        def changed(change: dict[str, Any]) -> None:
            if self._syncing:
                return
            problem = refusal(kind, change["new"], label)
            if problem:
                self._sync(lambda: setattr(control, "value", change["old"]))
                control.add_class(_REFUSED_CSS)
                self._refusals[key] = problem
            else:
                control.remove_class(_REFUSED_CSS)
                self._refusals.pop(key, None)
                self._edit(lambda: apply(change["new"]))
            self._show_refusals()

        control.observe(changed, "value")
        self._guard_info[id(control)] = (key, message)

    def _show_refusals(self) -> None:
        """Put each refusal next to its field (in its live region) and list the fields in ``refused``."""
        self.set_trait("refused", sorted(self._refusals))
        boxes: dict[int, tuple[ipw.HTML, list[str]]] = {}
        for control in self._guarded_controls():
            key, box = self._guard_info[id(control)]
            texts = boxes.setdefault(id(box), (box, []))[1]
            if key in self._refusals:
                texts.append(self._refusals[key])
        for box, texts in boxes.values():
            box.value = "".join(f"<p>{html.escape(x)}</p>" for x in texts)

    def _guarded_controls(self) -> list[ipw.Text | ipw.Textarea]:
        controls: list[ipw.Text | ipw.Textarea] = [self.assignment, self.new_name, self.mentor_name, self.focus]
        controls += [row.note for row in self.item_rows.values()]
        controls += [row.topic for row in self.meeting_rows]
        return controls

    def _show(self) -> None:
        plan = self.plan

        def fill() -> None:
            self.assignment.value = plan.assignment
            for item_id, row in self.item_rows.items():
                row.note.value = plan.items[item_id].note
                row.done.value = plan.items[item_id].done
            self.new_name.value = plan.pairing.new_name
            self.mentor_name.value = plan.pairing.mentor_name
            self.mentor_role.value = plan.pairing.mentor_role
            self.focus.value = plan.pairing.focus

        self._sync(fill)
        self._rebuild_rows()
        self._refresh_check()

    def _rebuild(self) -> None:
        self._rebuild_rows()
        self._changed()

    def _rebuild_rows(self) -> None:
        def rows() -> None:
            old = self.meeting_rows
            self.meeting_rows = [_MeetingRow(self, i, m) for i, m in enumerate(self.plan.meetings)]
            self._meeting_box.children = [row.box for row in self.meeting_rows]
            for row in old:
                self._guard_info.pop(id(row.topic), None)
                row.box.close()

        self._sync(rows)
