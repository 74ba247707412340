"""The exercise: the assignment, the checklist, the mentor pairing and the meetings, guarded and exported."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import List, Unicode

from widgets.core.i18n import t
from widgets.exercises.handover_plan.rows import CSS, ItemRow, MeetingRow, message_box
from widgets.kit import controls as ui
from widgets.kit.builder_view import WIDE, BuilderExercise, full_width, step_header
from widgets.models.builder import Block, BuilderWarning
from widgets.models.handover_plan import (
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
from widgets.storage.answers import AnswerStore

REFUSED_CSS = "cirkel-refused"


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
    css = CSS
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
        self.item_rows: dict[str, ItemRow] = {}
        self.meeting_rows: list[MeetingRow] = []
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
        self.assignment_message = message_box()
        self._guard(
            self.assignment,
            "assignment",
            "text",
            t("handover.assignment"),
            self.assignment_message,
            lambda v: setattr(self.plan, "assignment", v),
        )

        self.item_rows = {item.id: ItemRow(self, item) for item in content.checklist}

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
        self.pairing_message = message_box()
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
        self._meeting_box.add_class(f"{CSS}-meetings")
        self.add_meeting_button = ui.Button(description=t("handover.add_meeting"))
        self.add_meeting_button.add_class(f"{CSS}-add-meeting")
        self.add_meeting_button.on_click(lambda _b: self._guarded(self.add_meeting))

        def head(step_id: str) -> ipw.HTML:
            return step_header(steps[step_id], source, CSS)

        never = ui.HTML(
            f'<p class="{CSS}-secret-warning"><strong>{html.escape(t("handover.never_secrets"))}</strong></p>'
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
                control.add_class(REFUSED_CSS)
                self._refusals[key] = problem
            else:
                control.remove_class(REFUSED_CSS)
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
            self.meeting_rows = [MeetingRow(self, i, m) for i, m in enumerate(self.plan.meetings)]
            self._meeting_box.children = [row.box for row in self.meeting_rows]
            for row in old:
                self._guard_info.pop(id(row.topic), None)
                row.box.close()

        self._sync(rows)
